package assets

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// provenance reads the file table of README.md: path → (sha256, bytes).
func provenance(t *testing.T) map[string][2]string {
	t.Helper()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "<!-- sha256:begin -->")
	table, _, ok2 := strings.Cut(rest, "<!-- sha256:end -->")
	if !ok || !ok2 {
		t.Fatal("README.md has no <!-- sha256:begin --> … <!-- sha256:end --> table")
	}
	row := regexp.MustCompile("^\\| `([^`]+)` \\| `([0-9a-f]{64})` \\| ([0-9]+) \\|$")
	out := map[string][2]string{}
	for _, line := range strings.Split(table, "\n") {
		if m := row.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			out[m[1]] = [2]string{m[2], m[3]}
		}
	}
	return out
}

func TestEmbeddedFilesMatchProvenance(t *testing.T) {
	want := provenance(t)
	if len(want) != 3 {
		t.Fatalf("README.md lists %d files, want 3: %v", len(want), want)
	}
	var embedded []string
	err := fs.WalkDir(FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			embedded = append(embedded, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(embedded) != len(want) {
		t.Errorf("FS holds %v, README.md lists %d files", embedded, len(want))
	}
	for _, path := range embedded {
		w, ok := want[path]
		if !ok {
			t.Errorf("%s is embedded but not listed in README.md", path)
			continue
		}
		b, err := FS.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != w[0] {
			t.Errorf("%s: sha256 %s, README.md says %s", path, got, w[0])
		}
		if got := strconv.Itoa(len(b)); got != w[1] {
			t.Errorf("%s: %s bytes, README.md says %s", path, got, w[1])
		}
	}
}

func TestPathsExist(t *testing.T) {
	for _, p := range []string{UPlotJS, UPlotCSS, UPlotLicense} {
		b, err := FS.ReadFile(p)
		if err != nil || len(b) == 0 {
			t.Errorf("%s: %v (len %d)", p, err, len(b))
		}
	}
	js, _ := FS.ReadFile(UPlotJS)
	if !strings.Contains(string(js), "uPlot") {
		t.Error("the uPlot script does not define uPlot")
	}
}
