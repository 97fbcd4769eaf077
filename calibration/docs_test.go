package calibration

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/corridor-sim/corridor/params"
)

// The generated sections of the docs, between <!-- NAME:begin --> and
// <!-- NAME:end --> markers. Rewrite them with
//
//	go test ./calibration -run TestDocs -update
var generated = []struct {
	file, name string
	render     func() (string, error)
}{
	{"../docs/calibration.md", "free", freeTable},
	{"../docs/calibration.md", "weights", weightsTable},
	{"../docs/calibration.md", "fit", fitTable},
	{"../README.md", "fit", fitTable},
}

func freeTable() (string, error) {
	ref := params.Reference()
	var b strings.Builder
	b.WriteString("| Parameter | Lower | Start (reference) | Upper | Why free |\n|---|---|---|---|---|\n")
	for _, f := range FreeParameters {
		v, err := get(&ref, f.Name)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "| `%s` | %v | %v | %v | %s |\n", f.Name, f.Lower, v, f.Upper, f.Why)
	}
	return b.String(), nil
}

func weightsTable() (string, error) {
	ts, err := DefaultTargets()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("| Series | Weight | Targets (exact + bounds) | Years | Simulated statistic |\n|---|---|---|---|---|\n")
	for _, s := range statistics {
		var years []string
		exact, bounds := 0, 0
		for _, t := range ts {
			if t.Series != s.Name {
				continue
			}
			y := fmt.Sprint(t.Year)
			switch t.Kind {
			case Lower:
				y = "≥" + y
				bounds++
			case Upper:
				y = "≤" + y
				bounds++
			default:
				exact++
			}
			years = append(years, y)
		}
		if len(years) == 0 {
			continue
		}
		fmt.Fprintf(&b, "| `%s` | %v | %d + %d | %s | %s |\n", s.Name, SeriesWeights[s.Name], exact, bounds, strings.Join(years, ", "), s.Doc)
	}
	return b.String(), nil
}

func fitTable() (string, error) {
	doc, err := Shipped()
	if err != nil {
		return "", err
	}
	if len(doc.Parameters) == 0 {
		return "No calibration is shipped yet: run `make calibrate`.\n", nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Shipped calibration of %s: `%s` (scale %d, seeds %v, %d evaluations in %d generations); objective %.4f against %.4f for the hand-set reference values; data hash `%.12s…`.\n\n",
		doc.Date, doc.Command, doc.Settings.Scale, doc.Settings.Seeds, doc.Evaluations, doc.Settings.Generations, doc.Objective, doc.StartObjective, doc.DataHash)
	b.WriteString("| Series | Exact targets | Bounds (violated) | Training MAPE | Loss |\n|---|---|---|---|---|\n")
	for _, s := range doc.Fit.Series {
		mape := "–"
		if s.Points > 0 {
			mape = fmt.Sprintf("%.1f%%", s.MAPE)
		}
		fmt.Fprintf(&b, "| `%s` | %d | %d (%d) | %s | %.4f |\n", s.Series, s.Points, s.Bounds, s.Violated, mape, s.Loss)
	}
	if c := doc.ScaleCheck; c != nil {
		fmt.Fprintf(&b, "\nThe fitted values re-run at scale %d (seed %v): objective %.4f, remittances (USD) training MAPE %.1f%%.\n", c.Scale, c.Seeds, c.Objective, c.RemittanceMAPE)
	}
	return b.String(), nil
}

func TestDocs(t *testing.T) {
	for _, g := range generated {
		want, err := g.render()
		if err != nil {
			t.Fatal(err)
		}
		src, err := os.ReadFile(g.file)
		if err != nil {
			t.Fatal(err)
		}
		begin, end := "<!-- "+g.name+":begin -->\n", "<!-- "+g.name+":end -->"
		i, j := strings.Index(string(src), begin), strings.Index(string(src), end)
		if i < 0 || j < i {
			t.Errorf("%s: no %s…%s section", g.file, strings.TrimSpace(begin), end)
			continue
		}
		have := string(src[i+len(begin) : j])
		if have == want {
			continue
		}
		if !*update {
			t.Errorf("%s: the %s section is out of date; run go test ./calibration -run TestDocs -update", g.file, g.name)
			continue
		}
		out := string(src[:i+len(begin)]) + want + string(src[j:])
		if err := os.WriteFile(g.file, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
