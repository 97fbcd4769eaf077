package main

import (
	"bytes"
	"encoding/csv"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/corridor-sim/corridor/data"
)

// cliResult is what one command line did.
type cliResult struct {
	code           int
	stdout, stderr string
}

// runCLI executes args as the corridor command line would.
func runCLI(t testing.TB, args ...string) cliResult {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return cliResult{code: code, stdout: out.String(), stderr: errb.String()}
}

// wantOK fails the test unless the command line succeeded.
func wantOK(t testing.TB, r cliResult, args []string) {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("corridor %q: exit status %d, want 0\nstderr: %s", args, r.code, r.stderr)
	}
	if strings.Contains(r.stderr, "internal error") {
		t.Fatalf("corridor %q: recovered panic: %s", args, r.stderr)
	}
}

// checkOneLineError checks the project's error standard: exit status 2,
// nothing on stdout, and stderr exactly one line "corridor: ..." that
// mentions every string in mentions.
func checkOneLineError(t testing.TB, r cliResult, mentions ...string) {
	t.Helper()
	if r.code != exitUsage {
		t.Errorf("exit status %d, want %d (stderr %q)", r.code, exitUsage, r.stderr)
	}
	if !strings.HasPrefix(r.stderr, "corridor: ") {
		t.Errorf("stderr %q does not start with \"corridor: \"", r.stderr)
	}
	if !strings.HasSuffix(r.stderr, "\n") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("stderr is not exactly one line:\n%s", r.stderr)
	}
	if strings.Contains(r.stderr, "internal error") {
		t.Errorf("error is a recovered panic: %q", r.stderr)
	}
	for _, m := range mentions {
		if !strings.Contains(r.stderr, m) {
			t.Errorf("stderr %q does not mention %q", r.stderr, m)
		}
	}
	if r.stdout != "" {
		t.Errorf("stdout not empty on error:\n%s", r.stdout)
	}
}

// entries returns the sorted names in dir (nil if dir does not exist).
func entries(t testing.TB, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}

// snapshot returns every file under dir by slash path, with its content,
// every folder as path + "/" with an empty content, and every symbolic link
// with its target.
func snapshot(t testing.TB, dir string) map[string]string {
	t.Helper()
	snap := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			snap[rel+"/"] = ""
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(path)
			snap[rel] = "symlink to " + target
			return err
		}
		b, err := os.ReadFile(path)
		snap[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// copyData writes a copy of the embedded reference data into dir.
func copyData(t testing.TB, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	for _, name := range data.FileNames() {
		b, err := fs.ReadFile(data.FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o666); err != nil {
			t.Fatal(err)
		}
	}
}

// setCell replaces column col of the record on the 1-based line of a CSV
// file (a record on a single line) by value, and returns the old value.
func setCell(t testing.TB, path string, line, col int, value string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	if line < 1 || line > len(lines) {
		t.Fatalf("%s has no line %d", path, line)
	}
	rec, err := csv.NewReader(strings.NewReader(lines[line-1])).Read()
	if err != nil {
		t.Fatalf("%s:%d is not a one-line CSV record: %v", path, line, err)
	}
	old := rec[col]
	rec[col] = value
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(rec)
	w.Flush()
	lines[line-1] = strings.TrimSuffix(buf.String(), "\n")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o666); err != nil {
		t.Fatal(err)
	}
	return old
}

// readCSV parses a CSV file into its header and rows.
func readCSV(t testing.TB, path string) (header []string, rows [][]string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(recs) == 0 {
		t.Fatalf("%s is empty", path)
	}
	return recs[0], recs[1:]
}

// column returns the index of name in header, failing the test if absent.
func column(t testing.TB, header []string, name string) int {
	t.Helper()
	i := slices.Index(header, name)
	if i < 0 {
		t.Fatalf("no column %q in %v", name, header)
	}
	return i
}

func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
