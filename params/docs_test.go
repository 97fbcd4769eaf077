package params

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// update rewrites the parameter table of docs/model.md:
//
//	go test ./params -run TestModelDocParameters -update
var update = flag.Bool("update", false, "rewrite the parameter table in docs/model.md")

const (
	modelDocPath     = "../docs/model.md"
	paramsBeginMark  = "<!-- params:begin -->\n"
	paramsEndMark    = "<!-- params:end -->"
	paramsTableHead  = "| Name | Value | Unit | Status | Source |\n|---|---|---|---|---|\n"
	paramsValueDigit = 4 // significant digits of non-integer values
)

// modelDocTable renders the parameter table of docs/model.md from
// Defaults().List(): one row per parameter in declaration order with its
// name, value, unit, status and source. Profiles are rendered as their
// values separated by spaces.
func modelDocTable() string {
	p := Defaults()
	var b strings.Builder
	b.WriteString(paramsTableHead)
	for _, pr := range p.List() {
		b.WriteString("| `" + pr.Name + "` | " + docValue(pr.Value) + " | " + docCell(pr.Unit) + " | " +
			docCell(pr.Status) + " | " + docCell(pr.Source) + " |\n")
	}
	return b.String()
}

// docValue formats a parameter value: whole numbers in full, other numbers
// to four significant digits without an exponent, arrays as their elements
// separated by spaces.
func docValue(v any) string {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Float64:
		return docNumber(rv.Float())
	case reflect.Array, reflect.Slice:
		parts := make([]string, rv.Len())
		for i := range parts {
			parts[i] = docValue(rv.Index(i).Interface())
		}
		return strings.Join(parts, " ")
	}
	return docCell(strings.TrimSpace(fmt.Sprint(v)))
}

func docNumber(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(x, 'g', paramsValueDigit, 64), 64)
	if err != nil {
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// docCell makes s safe inside a Markdown table cell.
func docCell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ")
}

// TestModelDocParameters fails if docs/model.md does not contain exactly
// modelDocTable() between the params:begin and params:end markers. With
// -update it rewrites that section.
func TestModelDocParameters(t *testing.T) {
	doc, err := os.ReadFile(modelDocPath)
	if err != nil {
		t.Fatal(err)
	}
	head, rest, ok := bytes.Cut(doc, []byte(paramsBeginMark))
	if !ok {
		t.Fatalf("%s: no %q marker line", modelDocPath, strings.TrimSpace(paramsBeginMark))
	}
	section, tail, ok := bytes.Cut(rest, []byte(paramsEndMark))
	if !ok {
		t.Fatalf("%s: no %q marker after the begin marker", modelDocPath, paramsEndMark)
	}
	want := modelDocTable()
	if string(section) == want {
		return
	}
	if *update {
		out := make([]byte, 0, len(doc)+len(want))
		out = append(out, head...)
		out = append(out, paramsBeginMark...)
		out = append(out, want...)
		out = append(out, paramsEndMark...)
		out = append(out, tail...)
		if err := os.WriteFile(modelDocPath, out, 0o666); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the parameter table in %s is out of date; run go test ./params -run TestModelDocParameters -update\ngot:\n%s\nwant:\n%s",
		modelDocPath, section, want)
}

// TestModelDocTable checks the rendering: one row per parameter, five cells
// per row, profiles as space-separated values.
func TestModelDocTable(t *testing.T) {
	p := Defaults()
	list := p.List()
	lines := strings.Split(strings.TrimSuffix(modelDocTable(), "\n"), "\n")
	if len(lines) != 2+len(list) {
		t.Fatalf("%d lines, want %d (header, separator, one per parameter)", len(lines), 2+len(list))
	}
	for i, pr := range list {
		line := lines[2+i]
		if !strings.HasPrefix(line, "| `"+pr.Name+"` | ") {
			t.Errorf("row %d = %q, want parameter %s", i+1, line, pr.Name)
		}
		if cells := strings.Count(line, " | ") - strings.Count(line, `\|`); cells != 4 {
			t.Errorf("row of %s has %d separators, want 4: %s", pr.Name, cells, line)
		}
	}
	for _, want := range []string{
		"| `initial_migrants` | 380000 | persons | derived |",
		"| `mortality_gompertz_b` | 0.00003 | 1/year | assumption |",
		"| `male_share` | 0.5073 | share | sourced |",
		"| `departure_season` | 0.06 0.08 0.14 0.14 0.104 0.073 0.07 0.07 0.08 0.07 0.06 0.053 |",
		"| `sector_shares` | 0.43 0.18 0.11 0.07 0.05 0.16 |",
	} {
		if !strings.Contains(modelDocTable(), want) {
			t.Errorf("table lacks %q", want)
		}
	}
}

func TestDocNumber(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want string
	}{
		{380000, "380000"}, {16, "16"}, {0, "0"}, {0.5, "0.5"}, {0.00003, "0.00003"},
		{0.394 / 0.85, "0.4635"}, {12400.0 / 517300.0, "0.02397"}, {-2.5, "-2.5"},
	} {
		if got := docNumber(c.x); got != c.want {
			t.Errorf("docNumber(%v) = %q, want %q", c.x, got, c.want)
		}
	}
}
