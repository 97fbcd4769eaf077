package results

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/corridor-sim/corridor/sim"
)

// The files of an output folder.
const (
	AnnualFile   = "annual.csv"
	MonthlyFile  = "monthly.csv"
	ManifestFile = "manifest.json"
)

// A File is one file of an output folder: a plain file name (no folders)
// and a function that writes its content.
type File struct {
	Name  string
	Write func(w io.Writer) error
}

// FileInfo describes a written file, as listed in the manifest.
type FileInfo struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"` // hex-encoded SHA-256 of the content
	Bytes  int64  `json:"bytes"`
}

// TableFiles returns the tables of recs as files for [WriteOutput]:
// annual.csv and monthly.csv, and their Parquet twins annual.parquet and
// monthly.parquet.
//
// Each table is built once, when the first of its two files is written
// (the files are written one after the other), and serves both.
func TableFiles(recs []sim.Record) []File {
	once := func(build func([]sim.Record) (*Table, error)) func() (*Table, error) {
		var t *Table
		var err error
		built := false
		return func() (*Table, error) {
			if !built {
				t, err = build(recs)
				built = true
			}
			return t, err
		}
	}
	file := func(name string, table func() (*Table, error), write func(*Table, io.Writer) error) File {
		return File{Name: name, Write: func(w io.Writer) error {
			t, err := table()
			if err != nil {
				return err
			}
			return write(t, w)
		}}
	}
	annual, monthly := once(Annual), once(Monthly)
	return []File{
		file(AnnualFile, annual, (*Table).WriteCSV),
		file(MonthlyFile, monthly, (*Table).WriteCSV),
		file(AnnualParquet, annual, (*Table).WriteParquet),
		file(MonthlyParquet, monthly, (*Table).WriteParquet),
	}
}

// WriteOutput writes an output folder: the given files, then manifest.json,
// whose files list is m.Files replaced by the name, size and SHA-256 of each
// given file, hashed while it was written. It is [WriteDir] with the manifest
// as the last file, so the folder appears complete or not at all. It returns
// the descriptions of every file written, the manifest last.
//
// A run typically calls
//
//	results.WriteOutput(out, m, results.TableFiles(recs)...)
func WriteOutput(dir string, m Manifest, files ...File) ([]FileInfo, error) {
	var infos []FileInfo
	manifest := File{Name: ManifestFile, Write: func(w io.Writer) error {
		m.Files = infos[:len(files):len(files)]
		return WriteManifest(w, m)
	}}
	for _, f := range files {
		if f.Name == ManifestFile {
			return nil, fmt.Errorf("write %s: %s is written by WriteOutput itself", filepath.Join(dir, f.Name), ManifestFile)
		}
	}
	err := writeDir(dir, append(files[:len(files):len(files)], manifest), &infos)
	return infos, err
}

// WriteDir atomically replaces the folder dir by a folder holding files,
// and returns the name, size and SHA-256 of each file, computed while it was
// written (WriteOutput uses them to list the tables in the manifest).
//
// The files are written, in order, into a temporary folder .<base>.tmp-<random>
// next to dir, each through a buffer and synced to disk; then the folder is
// synced and moved into place. If dir already exists it is first renamed to
// .<base>.old-<random>, and removed once the new folder is in place. On any
// error before that, the temporary folder is removed and dir is left as it
// was, so an interrupted run never leaves a half-written dir: a killed run
// leaves at worst a hidden .<base>.tmp-<random> folder, safe to delete, or
// (if killed between the two renames) no dir, with the previous output in
// .<base>.old-<random>. If only the removal of the previous output fails,
// the new dir is in place and the error says where the old one is. Missing
// parent folders are created.
//
// To protect a user who passes --out . or --out ~, WriteDir refuses to
// replace a dir that is not a folder, or a non-empty folder without a
// corridor manifest.json. Everything in a replaced folder is removed.
//
// Errors name the path the user chose, for example
// "write corridor-out/annual.csv: ...".
//
// To list the files in a manifest in the same folder, use [WriteOutput]: it
// writes manifest.json as the last file, from the hashes WriteDir computed
// while writing the others, so no file is read back or written twice.
// CheckOutput reports whether dir could be written by WriteDir: it is not a
// root folder, and it does not exist, is empty, or holds an earlier corridor
// output. A run calls it before simulating, so that a user is told at once,
// not after the run, that --out cannot be used. WriteDir checks again.
func CheckOutput(dir string) error {
	if dir == "" {
		return fmt.Errorf("output folder: empty path; choose an --out folder")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("output folder %s: %w", dir, err)
	}
	if filepath.Dir(abs) == abs {
		return fmt.Errorf("refusing to replace %s: it is a root folder; choose another --out", dir)
	}
	_, err = replaceable(dir, abs)
	return err
}

func WriteDir(dir string, files []File) ([]FileInfo, error) {
	var infos []FileInfo
	err := writeDir(dir, files, &infos)
	return infos, err
}

// writeDir implements WriteDir, appending to *infos as each file is written,
// so that a later file's Write can read the descriptions of earlier ones.
func writeDir(dir string, files []File, infos *[]FileInfo) error {
	if dir == "" {
		return errors.New("output folder: empty path; choose an --out folder")
	}
	seen := make(map[string]bool)
	for _, f := range files {
		if f.Name == "" || f.Name == "." || f.Name == ".." || strings.ContainsAny(f.Name, `/\`) || filepath.Base(f.Name) != f.Name {
			return fmt.Errorf("write %s: output file name %q is not a plain file name", dir, f.Name)
		}
		if seen[f.Name] {
			return fmt.Errorf("write %s: output file %s is given twice", dir, f.Name)
		}
		if f.Write == nil {
			return fmt.Errorf("write %s: no Write function", filepath.Join(dir, f.Name))
		}
		seen[f.Name] = true
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("output folder %s: %w", dir, err)
	}
	parent, base := filepath.Dir(abs), filepath.Base(abs)
	if parent == abs {
		return fmt.Errorf("refusing to replace %s: it is a root folder; choose another --out", dir)
	}
	exists, err := replaceable(dir, abs)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(parent, 0o777); err != nil {
		return fmt.Errorf("create output folder %s: %w", dir, err)
	}

	tmp, err := mkdirUnique(parent, "."+base+".tmp-")
	if err != nil {
		return fmt.Errorf("create output folder %s: %w", dir, err)
	}
	defer func() {
		if tmp != "" {
			os.RemoveAll(tmp)
		}
	}()
	for _, f := range files {
		info, err := writeFile(filepath.Join(tmp, f.Name), f.Write)
		if err != nil {
			return fmt.Errorf("write %s: %w", filepath.Join(dir, f.Name), err)
		}
		info.Name = f.Name
		*infos = append(*infos, info)
	}
	if err := syncDir(tmp); err != nil {
		return fmt.Errorf("write %s: %w", dir, pathless(err, tmp))
	}

	var old string
	if exists {
		old, err = unusedName(parent, "."+base+".old-")
		if err != nil {
			return fmt.Errorf("move previous output %s aside: %w", dir, err)
		}
		if err := os.Rename(abs, old); err != nil {
			return fmt.Errorf("move previous output %s aside: %w", dir, err)
		}
	}
	if err := os.Rename(tmp, abs); err != nil {
		if old != "" {
			if rerr := os.Rename(old, abs); rerr != nil {
				return fmt.Errorf("move new output into %s: %w; the previous output is in %s", dir, err, old)
			}
		}
		return fmt.Errorf("move new output into %s: %w", dir, err)
	}
	tmp = ""
	if err := syncDir(parent); err != nil {
		return fmt.Errorf("write %s: %w", dir, err)
	}
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("%s was written, but the previous output moved aside to %s could not be removed: %w", dir, old, err)
		}
	}
	return nil
}

// replaceable reports whether dir exists, and returns an error if it exists
// but is not something WriteDir may replace: an empty folder or a folder
// holding a corridor manifest.json.
func replaceable(dir, abs string) (exists bool, err error) {
	fi, err := os.Lstat(abs)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("output folder %s: %w", dir, pathless(err, abs))
	}
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		return false, fmt.Errorf("refusing to replace %s: it is a symbolic link; choose another --out", dir)
	case !fi.IsDir():
		return false, fmt.Errorf("refusing to replace %s: it exists and is not a folder; choose another --out", dir)
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		return false, fmt.Errorf("output folder %s: %w", dir, pathless(err, abs))
	}
	if len(entries) > 0 && !isOutput(filepath.Join(abs, ManifestFile)) {
		return false, fmt.Errorf("refusing to replace %s: it is not empty and has no corridor %s, so it does not look like a corridor output folder; choose another --out", dir, ManifestFile)
	}
	return true, nil
}

// isOutput reports whether path is a corridor manifest: a regular file
// holding a JSON object with a corridor_version.
func isOutput(path string) bool {
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > 1<<20 {
		return false
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	var m struct {
		CorridorVersion string `json:"corridor_version"`
	}
	return json.Unmarshal(data, &m) == nil && m.CorridorVersion != ""
}

// writeFile creates path and fills it with write, through a buffer, then
// syncs it to disk. It returns the size and hash of what was written.
func writeFile(path string, write func(io.Writer) error) (FileInfo, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return FileInfo{}, pathless(err, path)
	}
	hw := &hashWriter{w: f, h: sha256.New()}
	bw := bufio.NewWriterSize(hw, 64<<10)
	err = pathless(write(bw), path)
	if err == nil {
		err = pathless(bw.Flush(), path)
	}
	if err == nil {
		err = pathless(f.Sync(), path)
	}
	if cerr := f.Close(); err == nil {
		err = pathless(cerr, path)
	}
	if err != nil {
		return FileInfo{}, err
	}
	return FileInfo{SHA256: hex.EncodeToString(hw.h.Sum(nil)), Bytes: hw.n}, nil
}

// A hashWriter writes to w and hashes and counts what it wrote.
type hashWriter struct {
	w io.Writer
	h hash.Hash
	n int64
}

func (hw *hashWriter) Write(p []byte) (int, error) {
	n, err := hw.w.Write(p)
	hw.h.Write(p[:n])
	hw.n += int64(n)
	return n, err
}

// mkdirUnique creates a new folder prefix<random> in parent.
func mkdirUnique(parent, prefix string) (string, error) {
	var err error
	for range 100 {
		name := filepath.Join(parent, prefix+randomSuffix())
		err = os.Mkdir(name, 0o777)
		if !errors.Is(err, fs.ErrExist) {
			return name, err
		}
	}
	return "", err
}

// unusedName returns a path prefix<random> in parent where nothing exists.
func unusedName(parent, prefix string) (string, error) {
	for range 100 {
		name := filepath.Join(parent, prefix+randomSuffix())
		if _, err := os.Lstat(name); errors.Is(err, fs.ErrNotExist) {
			return name, nil
		}
	}
	return "", fmt.Errorf("no unused name %s* in %s", prefix, parent)
}

func randomSuffix() string {
	return fmt.Sprintf("%08x", rand.Uint32())
}

// syncDir flushes the entries of a folder to disk, so that the files
// created or renamed in it survive a crash.
func syncDir(path string) error {
	if runtime.GOOS == "windows" {
		return nil // folders cannot be synced there
	}
	d, err := os.Open(path)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// pathless strips path from an *fs.PathError about it (a temporary file or
// an absolute path), so that the error can name the path the user chose
// instead. Errors about other paths, and wrapped errors, are left alone.
func pathless(err error, path string) error {
	if pe, ok := err.(*fs.PathError); ok && pe.Path == path {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}
