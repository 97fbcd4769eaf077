package scenario

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParse checks that no input makes the parser panic, that every error
// is a one-line *FileError naming the file, and that what parses is a
// usable scenario.
func FuzzParse(f *testing.F) {
	for _, n := range LibraryNames() {
		src, err := LibrarySource(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
		// Broken variants: truncated, a bad indent, a bad month, a typo.
		f.Add(src[:len(src)/2])
		f.Add([]byte(strings.Replace(string(src), "\n  - ", "\n - ", 1)))
		f.Add([]byte(strings.Replace(string(src), "-0", "-1", 1)))
		f.Add([]byte(strings.Replace(string(src), "lever: ", "lever: x", 1)))
	}
	for _, s := range []string{"", "name: x\n", "name: x\nextends: x.yaml\n", "{", "name: &a x\nb: *a\n", "name: !!int 3\n",
		"name: x\nevents:\n  - lever: border_closure\n    from: 2013-03\n    intensity: .nan\n",
		"name: x\nparams: {remit_share: .inf}\n", "name: x\nseed: 99999999999999999999999\n", "\t\x00name"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		sc, err := Parse("fuzz.yaml", src)
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error %T %q is not a *FileError", err, err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "fuzz.yaml") && !strings.Contains(msg, "(extended by fuzz.yaml") {
				t.Fatalf("error does not name the file: %q", msg)
			}
			if strings.ContainsAny(msg, "\n\r") {
				t.Fatalf("error is not one line: %q", msg)
			}
			if strings.Contains(msg, "YAML parser failure") {
				t.Fatalf("the YAML parser panicked: %q", msg)
			}
			return
		}
		if sc.Name == "" {
			t.Fatal("parsed a scenario without a name")
		}
		for _, e := range sc.Events {
			if err := e.Check(); err != nil {
				t.Fatalf("parsed an invalid event: %v", err)
			}
		}
		for _, d := range sc.Drivers {
			if err := d.Check(); err != nil {
				t.Fatalf("parsed an invalid driver change: %v", err)
			}
		}
	})
}
