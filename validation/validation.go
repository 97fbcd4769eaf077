// Package validation compares a simulated history with the observed record:
// for each target series of package observed and each year with data, the
// simulated annual value beside the observed one, and summary errors.
package validation

import (
	"fmt"
	"math"

	"github.com/corridor-sim/corridor/observed"
	"github.com/corridor-sim/corridor/results"
	"github.com/corridor-sim/corridor/sim"
)

// Row is one target-year.
type Row struct {
	Output    string
	Year      int
	Observed  float64 // in the output's unit
	Simulated float64
	Bound     string // "", "lower" or "upper": the observed value is a bound
	Source    string
}

// RelError is (simulated − observed) / observed.
func (r Row) RelError() float64 { return (r.Simulated - r.Observed) / r.Observed }

// Compare returns a Row for every target point whose year was simulated,
// in target then year order. Targets whose output has no annual column
// are skipped.
func Compare(recs []sim.Record, targets []observed.Target) ([]Row, error) {
	tab, err := results.Annual(recs)
	if err != nil {
		return nil, err
	}
	years := map[int][]float64{}
	yc := tab.Index("year")
	for _, row := range tab.Rows {
		years[int(row[yc])] = row
	}
	var out []Row
	for _, t := range targets {
		j := tab.Index(t.Output)
		if j < 0 {
			continue
		}
		for _, p := range t.Points {
			row, ok := years[p.Year]
			if !ok || math.IsNaN(p.Value) {
				continue
			}
			out = append(out, Row{Output: t.Output, Year: p.Year, Observed: p.Value * t.Scale, Simulated: row[j], Bound: p.Bound, Source: p.Source})
		}
	}
	return out, nil
}

// MAPE returns the mean absolute percentage error of the rows of output
// within [from, until], counting only exact observations (not bounds).
func MAPE(rows []Row, output string, from, until int) (float64, error) {
	sum, n := 0.0, 0
	for _, r := range rows {
		if r.Output == output && r.Year >= from && r.Year <= until && r.Bound == "" {
			sum += math.Abs(r.RelError())
			n++
		}
	}
	if n == 0 {
		return 0, fmt.Errorf("validation: no observations of %s in %d–%d", output, from, until)
	}
	return 100 * sum / float64(n), nil
}

// Find returns the row of output in year.
func Find(rows []Row, output string, year int) (Row, bool) {
	for _, r := range rows {
		if r.Output == output && r.Year == year {
			return r, true
		}
	}
	return Row{}, false
}
