package results

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/corridor-sim/corridor/calendar"
)

func text(name, content string) File {
	return File{Name: name, Write: func(w io.Writer) error {
		_, err := io.WriteString(w, content)
		return err
	}}
}

// readDir returns the files of dir and their contents.
func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := make(map[string]string)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(data)
	}
	return files
}

// names lists the entries of a folder.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ns []string
	for _, e := range entries {
		ns = append(ns, e.Name())
	}
	return ns
}

const corridorManifest = `{"corridor_version": "0.0.1"}`

func TestWriteDir(t *testing.T) {
	tests := []struct {
		name   string
		before map[string]string // files of an existing dir; nil: no dir
		files  []File
		want   map[string]string
	}{
		{
			name:  "new folder",
			files: []File{text("a.csv", "x,y\n1,2\n"), text("b.txt", "")},
			want:  map[string]string{"a.csv": "x,y\n1,2\n", "b.txt": ""},
		},
		{
			name:   "previous output replaced",
			before: map[string]string{"a.csv": "old", "stale.csv": "old", ManifestFile: corridorManifest},
			files:  []File{text("a.csv", "new"), text(ManifestFile, corridorManifest)},
			want:   map[string]string{"a.csv": "new", ManifestFile: corridorManifest},
		},
		{
			name:   "empty folder replaced",
			before: map[string]string{},
			files:  []File{text("a.csv", "new")},
			want:   map[string]string{"a.csv": "new"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "out")
			if tc.before != nil {
				mkOutput(t, dir, tc.before)
			}
			infos, err := WriteDir(dir, tc.files)
			if err != nil {
				t.Fatal(err)
			}
			got := readDir(t, dir)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("folder holds %q, want %q", got, tc.want)
			}
			if len(infos) != len(tc.files) {
				t.Fatalf("%d FileInfos for %d files", len(infos), len(tc.files))
			}
			for i, info := range infos {
				sum := sha256.Sum256([]byte(got[info.Name]))
				want := FileInfo{Name: tc.files[i].Name, SHA256: hex.EncodeToString(sum[:]), Bytes: int64(len(got[info.Name]))}
				if info != want {
					t.Errorf("FileInfo %+v, want %+v", info, want)
				}
			}
			if ns := names(t, parent); !slices.Equal(ns, []string{"out"}) {
				t.Errorf("parent folder holds %q, want only out", ns)
			}
		})
	}
}

func mkOutput(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
	}
}

var errBoom = errors.New("boom")

func TestWriteDirFailure(t *testing.T) {
	failing := File{Name: "b.csv", Write: func(w io.Writer) error {
		io.WriteString(w, "half a fi")
		return errBoom
	}}
	tests := []struct {
		name   string
		before map[string]string
	}{
		{"no previous output", nil},
		{"previous output kept", map[string]string{"a.csv": "old", ManifestFile: corridorManifest}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "out")
			if tc.before != nil {
				mkOutput(t, dir, tc.before)
			}
			_, err := WriteDir(dir, []File{text("a.csv", "new"), failing, text("c.csv", "new")})
			if !errors.Is(err, errBoom) {
				t.Fatalf("error %v, want boom", err)
			}
			if want := "write " + filepath.Join(dir, "b.csv") + ": boom"; err.Error() != want {
				t.Errorf("error %q, want %q", err, want)
			}
			if tc.before == nil {
				if ns := names(t, parent); len(ns) != 0 {
					t.Errorf("parent folder holds %q, want nothing", ns)
				}
				return
			}
			if got := readDir(t, dir); !reflect.DeepEqual(got, tc.before) {
				t.Errorf("previous output changed to %q", got)
			}
			if ns := names(t, parent); !slices.Equal(ns, []string{"out"}) {
				t.Errorf("parent folder holds %q, want only out", ns)
			}
		})
	}
}

func TestWriteDirRefuses(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) // creates dir
		want  string
	}{
		{"folder of other files", func(t *testing.T, dir string) {
			mkOutput(t, dir, map[string]string{"thesis.tex": "years of work"})
		}, "does not look like a corridor output folder; choose another --out"},
		{"someone else's manifest.json", func(t *testing.T, dir string) {
			mkOutput(t, dir, map[string]string{ManifestFile: `{"name": "my web extension"}`, "a.js": ""})
		}, "choose another --out"},
		{"folder with subfolders", func(t *testing.T, dir string) {
			mkOutput(t, filepath.Join(dir, "src"), map[string]string{"main.go": "package main"})
		}, "choose another --out"},
		{"a file", func(t *testing.T, dir string) {
			if err := os.WriteFile(dir, []byte("data"), 0o666); err != nil {
				t.Fatal(err)
			}
		}, "exists and is not a folder; choose another --out"},
		{"a symbolic link", func(t *testing.T, dir string) {
			target := filepath.Join(filepath.Dir(dir), "target")
			mkOutput(t, target, map[string]string{ManifestFile: corridorManifest})
			if err := os.Symlink(target, dir); err != nil {
				t.Skip(err)
			}
		}, "is a symbolic link"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "out")
			tc.setup(t, dir)
			before := snapshot(t, parent)
			_, err := WriteDir(dir, []File{text("a.csv", "new")})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), dir) {
				t.Errorf("error %v, want one naming %s and containing %q", err, dir, tc.want)
			}
			if after := snapshot(t, parent); !reflect.DeepEqual(after, before) {
				t.Errorf("the parent folder changed:\nbefore %q\nafter  %q", before, after)
			}
		})
	}
}

// snapshot returns every path under root with its content ("/" for folders).
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	files := make(map[string]string)
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			files[path] = "/"
		case d.Type()&os.ModeSymlink != 0:
			target, err := os.Readlink(path)
			files[path] = "-> " + target
			return err
		default:
			data, err := os.ReadFile(path)
			files[path] = string(data)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestWriteDirBadNames(t *testing.T) {
	for _, files := range [][]File{
		{text("", "x")},
		{text("../escape.csv", "x")},
		{text("sub/a.csv", "x")},
		{text("..", "x")},
		{text("a.csv", "x"), text("a.csv", "y")},
		{{Name: "a.csv"}},
	} {
		parent := t.TempDir()
		dir := filepath.Join(parent, "out")
		if _, err := WriteDir(dir, files); err == nil {
			t.Errorf("WriteDir(%q) succeeded, want an error", files[0].Name)
		}
		if ns := names(t, parent); len(ns) != 0 {
			t.Errorf("WriteDir(%q) left %q behind", files[0].Name, ns)
		}
	}
	if _, err := WriteDir("", []File{text("a.csv", "x")}); err == nil {
		t.Error("WriteDir(\"\") succeeded")
	}
}

func TestWriteDirCreatesParents(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "runs", "2025", "out")
	if _, err := WriteDir(dir, []File{text("a.csv", "x")}); err != nil {
		t.Fatal(err)
	}
	if got := readDir(t, dir); got["a.csv"] != "x" {
		t.Errorf("folder holds %q", got)
	}
}

func TestWriteOutput(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "corridor-out")
	recs := synthetic(calendar.Of(2012, 11), 15)
	m := testManifest()
	m.Files = nil
	for run := range 2 { // the second run replaces the first
		infos, err := WriteOutput(dir, m, TableFiles(recs)...)
		if err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		if ns := names(t, dir); !slices.Equal(ns, []string{AnnualFile, AnnualParquet, ManifestFile, MonthlyFile, MonthlyParquet}) {
			t.Fatalf("run %d: folder holds %q", run, ns)
		}
		if infos[len(infos)-1].Name != ManifestFile {
			t.Errorf("run %d: last file written is %s, want the manifest", run, infos[len(infos)-1].Name)
		}
	}
	got := readDir(t, dir)
	var written Manifest
	if err := json.Unmarshal([]byte(got[ManifestFile]), &written); err != nil {
		t.Fatal(err)
	}
	if len(written.Files) != 4 {
		t.Fatalf("manifest lists %d files, want 4", len(written.Files))
	}
	for i, name := range []string{AnnualFile, MonthlyFile, AnnualParquet, MonthlyParquet} {
		sum := sha256.Sum256([]byte(got[name]))
		want := FileInfo{Name: name, SHA256: hex.EncodeToString(sum[:]), Bytes: int64(len(got[name]))}
		if written.Files[i] != want {
			t.Errorf("manifest lists %+v, want %+v", written.Files[i], want)
		}
	}
	if want, err := os.ReadFile("testdata/annual.csv"); err != nil || string(want) != got[AnnualFile] {
		t.Errorf("annual.csv differs from testdata/annual.csv (%v)", err)
	}
}

func TestWriteOutputErrors(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	_, err := WriteOutput(dir, testManifest(), text(ManifestFile, "{}"))
	if err == nil {
		t.Error("WriteOutput accepted a file called manifest.json")
	}

	// A NaN in the records fails the run and writes nothing.
	recs := synthetic(calendar.Of(2012, 11), 15)
	recs[14].Deaths = math.NaN()
	_, err = WriteOutput(dir, testManifest(), TableFiles(recs)...)
	if err == nil || !strings.Contains(err.Error(), "write "+filepath.Join(dir, AnnualFile)+": column deaths, year 2014") {
		t.Errorf("error %v, want one naming annual.csv, deaths and 2014", err)
	}
	if ns := names(t, parent); len(ns) != 0 {
		t.Errorf("parent folder holds %q, want nothing", ns)
	}
}
