package goldenfile

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// recorder catches the failures Check reports instead of failing the test.
type recorder struct {
	*testing.T
	errors []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// Update writes the file; the same content then passes and other content fails.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)

	Check(t, "a/out.csv", []byte("x,1\n"), true)
	if b, err := os.ReadFile(filepath.Join("testdata", "a", "out.csv")); err != nil || string(b) != "x,1\n" {
		t.Fatalf("update wrote %q, %v", b, err)
	}
	r := &recorder{T: t}
	Check(r, "a/out.csv", []byte("x,1\n"), false)
	if len(r.errors) != 0 {
		t.Errorf("identical output reported %v", r.errors)
	}
	Check(r, "a/out.csv", []byte("x,2\n"), false)
	if len(r.errors) != 1 {
		t.Errorf("changed output reported %d failures, want 1", len(r.errors))
	}
	r.errors = nil
	Check(r, "missing.csv", []byte(""), false)
	if len(r.errors) != 1 {
		t.Errorf("a missing golden file reported %d failures, want 1", len(r.errors))
	}
}
