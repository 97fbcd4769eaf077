package results

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
)

const (
	docsPath    = "../docs/outputs.md"
	beginMarker = "<!-- columns:begin -->\n"
	endMarker   = "<!-- columns:end -->"
)

// TestDocsColumns fails if the column table in docs/outputs.md is not
// exactly ColumnsMarkdown(); go test -update rewrites it.
func TestDocsColumns(t *testing.T) {
	doc, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatal(err)
	}
	head, rest, ok := bytes.Cut(doc, []byte(beginMarker))
	if !ok {
		t.Fatalf("%s: no %q marker", docsPath, strings.TrimSpace(beginMarker))
	}
	section, tail, ok := bytes.Cut(rest, []byte(endMarker))
	if !ok {
		t.Fatalf("%s: no %q marker after the begin marker", docsPath, endMarker)
	}
	want := ColumnsMarkdown()
	if string(section) == want {
		return
	}
	if *update {
		// A new slice: head and tail share doc's array, which appending to
		// head would overwrite.
		out := slices.Concat(head, []byte(beginMarker), []byte(want), []byte(endMarker), tail)
		if err := os.WriteFile(docsPath, out, 0o666); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the column table in %s is out of date; run go test ./results -update\ngot:\n%s\nwant:\n%s", docsPath, section, want)
}

func TestColumnsMarkdown(t *testing.T) {
	md := ColumnsMarkdown()
	lines := strings.Split(strings.TrimSuffix(md, "\n"), "\n")
	// Header, separator, month, year, months, then every other column.
	if want := 2 + len(Columns()) + 2; len(lines) != want {
		t.Errorf("%d lines, want %d", len(lines), want)
	}
	for _, want := range []string{
		"| `month` | YYYY-MM | monthly.csv only | calendar month |",
		"| `year` | year | annual.csv only | calendar year |",
		"| `births` | persons | sum of months | births during the period |",
		"| `poverty_rate` | share | mean of months | poor_persons / at_home |",
		"| `remittances_pct_gdp` | % of GDP | recomputed from the annual values |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("ColumnsMarkdown() lacks %q", want)
		}
	}
	for i, line := range lines {
		if i == 1 {
			continue // |---|---|---|---|
		}
		if strings.Count(line, " | ")-strings.Count(line, `\|`) != 3 {
			t.Errorf("line %d has the wrong number of cells: %s", i+1, line)
		}
	}
}

func TestEscapeCell(t *testing.T) {
	if got, want := escapeCell("a | b\nc"), `a \| b c`; got != want {
		t.Errorf("escapeCell = %q, want %q", got, want)
	}
}
