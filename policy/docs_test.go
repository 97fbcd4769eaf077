package policy

import (
	"bytes"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/corridor-sim/corridor/calendar"
)

var update = flag.Bool("update", false, "rewrite the generated sections of docs/levers.md")

const leversDoc = "../docs/levers.md"

// syncSection checks that the text between the markers of name in
// docs/levers.md is want; with -update it rewrites it.
func syncSection(t *testing.T, name, want string) {
	t.Helper()
	doc, err := os.ReadFile(leversDoc)
	if err != nil {
		t.Fatal(err)
	}
	begin, end := "<!-- "+name+":begin -->\n", "<!-- "+name+":end -->"
	head, rest, ok := bytes.Cut(doc, []byte(begin))
	if !ok {
		t.Fatalf("%s: no %q marker", leversDoc, strings.TrimSpace(begin))
	}
	section, tail, ok := bytes.Cut(rest, []byte(end))
	if !ok {
		t.Fatalf("%s: no %q marker", leversDoc, end)
	}
	if string(section) == want {
		return
	}
	if *update {
		// A new slice: head and tail share doc's array, which appending to
		// head would overwrite.
		out := slices.Concat(head, []byte(begin), []byte(want), []byte(end), tail)
		if err := os.WriteFile(leversDoc, out, 0o666); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the %s section of %s is out of date; run go test ./policy -update", name, leversDoc)
}

// TestDocsLevers: docs/levers.md carries the library's own documentation
// of every lever and the history timeline as History builds it.
func TestDocsLevers(t *testing.T) {
	syncSection(t, "levers", LeversMarkdown())
	h, err := HistoryMarkdown(calendar.Range{From: calendar.Of(2005, 1), Until: calendar.Of(2030, 12)}, 0.02)
	if err != nil {
		t.Fatal(err)
	}
	syncSection(t, "history", h)
}

func TestLeversMarkdownCoversLibrary(t *testing.T) {
	md := LeversMarkdown()
	for _, l := range Levers() {
		if !strings.Contains(md, "#### `"+l.Name+"`") || !strings.Contains(md, cell(l.Mechanism)) {
			t.Errorf("%s: no section or mechanism in the generated reference", l.Name)
		}
	}
}

func TestNum(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		want string
	}{{0, "0"}, {0.25, "0.25"}, {3800, "3800"}, {1e6, "1,000,000"}, {120590, "120,590"}, {-30, "−30"}, {-1e6, "−1,000,000"}} {
		if got := num(tc.x); got != tc.want {
			t.Errorf("num(%v) = %q, want %q", tc.x, got, tc.want)
		}
	}
}
