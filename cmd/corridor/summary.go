package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/corridor-sim/corridor/data"
	"github.com/corridor-sim/corridor/observed"
	"github.com/corridor-sim/corridor/results"
	"github.com/corridor-sim/corridor/sim"
)

// summaryColumns are the outputs shown in the run summary, with the
// observed values beside them where the data have any.
var summaryColumns = []struct {
	output, label string
	div           float64
	unit          string
}{
	{"remittances_usd", "remit $bn", 1e9, "%.2f"},
	{"remittances_pct_gdp", "% GDP", 1, "%.1f"},
	{"migrants_in_russia", "in RU (k)", 1e3, "%.0f"},
	{"departures", "depart (k)", 1e3, "%.0f"},
	{"entry_bans_active", "bans (k)", 1e3, "%.0f"},
	{"poverty_rate", "poor %", 0.01, "%.1f"},
}

// printSummary prints one line per year: simulated value, and in brackets
// the observed value where data exist (years up to 2018 only).
func printSummary(w io.Writer, recs []sim.Record, ref *data.Reference) {
	tab, err := results.Annual(recs)
	if err != nil {
		fmt.Fprintf(w, "summary unavailable: %v\n", err)
		return
	}
	targets, err := observed.Targets(ref)
	if err != nil {
		fmt.Fprintf(w, "observed values unavailable: %v\n", err)
	}
	tw := tabwriter.NewWriter(w, 2, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"year"}
	for _, c := range summaryColumns {
		head = append(head, c.label)
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	yearCol := tab.Index("year")
	for _, row := range tab.Rows {
		year := int(row[yearCol])
		cells := []string{fmt.Sprint(year)}
		for _, c := range summaryColumns {
			j := tab.Index(c.output)
			cell := "–"
			if j >= 0 {
				cell = fmt.Sprintf(c.unit, row[j]/c.div)
			}
			if t, ok := observed.Find(targets, c.output); ok {
				if v, bound, ok := observedIn(t, year); ok {
					cell += " (" + boundMark[bound] + fmt.Sprintf(c.unit, v/c.div) + ")"
				}
			}
			cells = append(cells, cell)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	tw.Flush()
	fmt.Fprintln(w, "(observed values in brackets, ≤ and ≥ mark bounds; sources: corridor data, docs/model.md §4)")
}

// boundMark marks observations that are bounds rather than values.
var boundMark = map[string]string{"": "", "lower": "≥", "upper": "≤"}

func observedIn(t observed.Target, year int) (v float64, bound string, ok bool) {
	for _, p := range t.Points {
		if p.Year == year && !math.IsNaN(p.Value) {
			return p.Value * t.Scale, p.Bound, true
		}
	}
	return 0, "", false
}
