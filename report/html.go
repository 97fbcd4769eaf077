package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"

	"github.com/corridor-sim/corridor/assets"
	"github.com/corridor-sim/corridor/results"
)

var (
	//go:embed report.html.tmpl
	pageTemplate string
	//go:embed report.css
	pageCSS string
	//go:embed report.js
	pageJS string
)

// palette colours the simulated series of a chart, in order (the HTML
// report and the PNG charts use the same).
var palette = []string{"#1f5f8b", "#c0661c", "#4f8a4b"}

// BoundOK reports whether the simulated value honours an observed bound.
func (r FitRow) BoundOK() bool {
	switch r.Bound {
	case "lower":
		return r.Simulated >= r.Observed
	case "upper":
		return r.Simulated <= r.Observed
	}
	return true
}

var funcs = template.FuncMap{
	"num": formatNum,
	"pct": func(x float64) string {
		if math.IsNaN(x) {
			return "–"
		}
		return fmt.Sprintf("%.1f%%", x)
	},
	"signed":   func(x float64) string { return fmt.Sprintf("%+.1f%%", x) },
	"mark":     func(b string) string { return map[string]string{"lower": "≥ ", "upper": "≤ "}[b] },
	"years":    yearRanges,
	"lastSeed": func(seed uint64, members int) uint64 { return seed + uint64(members) - 1 },
}

// yearRanges writes sorted years as ranges: 2005, 2008–2011, 2014.
func yearRanges(ys []int) string {
	var b strings.Builder
	for i := 0; i < len(ys); {
		j := i
		for j+1 < len(ys) && ys[j+1] == ys[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		if j > i {
			fmt.Fprintf(&b, "%d–%d", ys[i], ys[j])
		} else {
			fmt.Fprintf(&b, "%d", ys[i])
		}
		i = j + 1
	}
	return b.String()
}

var page = template.Must(template.New("report").Funcs(funcs).Parse(pageTemplate))

// formatNum writes a plotted value with 0–2 decimals by size.
func formatNum(x float64) string {
	a := math.Abs(x)
	switch {
	case math.IsNaN(x):
		return "–"
	case a >= 100:
		return fmt.Sprintf("%.0f", x)
	case a >= 10:
		return fmt.Sprintf("%.1f", x)
	}
	return fmt.Sprintf("%.2f", x)
}

// pageData is what the chart script reads.
type pageData struct {
	LastYear int     `json:"lastYear"`
	Charts   []Chart `json:"charts"`
}

// WriteHTML writes the report as one self-contained HTML page: uPlot, the
// style sheet, the script and the chart data are inlined, so the page
// makes no request when opened.
func WriteHTML(w io.Writer, r *Report) error {
	js, err := assets.FS.ReadFile(assets.UPlotJS)
	if err != nil {
		return err
	}
	css, err := assets.FS.ReadFile(assets.UPlotCSS)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	err = page.Execute(&buf, map[string]any{
		"R":        r,
		"M":        r.Source.Manifest,
		"Dir":      r.Source.Dir,
		"UPlotJS":  template.JS(js),
		"UPlotCSS": template.CSS(css),
		"CSS":      template.CSS(pageCSS),
		"JS":       template.JS(pageJS),
		"Data":     pageData{LastYear: r.LastYear, Charts: r.Charts},
	})
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// WriteHTMLFile writes the report to path atomically: to a temporary file
// in the same folder, renamed into place once complete.
func WriteHTMLFile(path string, r *Report) error {
	return writeAtomic(path, func(w io.Writer) error { return WriteHTML(w, r) })
}

// writeAtomic writes path through a temporary file next to it.
func writeAtomic(path string, write func(io.Writer) error) error {
	return results.WriteFileAtomic(path, write)
}
