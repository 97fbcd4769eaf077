// Package compare measures the difference between two runs of the model
// that share their random numbers: the per-year difference in every output,
// a headline of what the change cost, and the months the effect takes to
// fade after the change ends (recovery time).
//
// Runs with one seed draw the same random number for the same (decision,
// month, person), so where two scenarios differ only by their levers, the
// difference between their records is the levers' effect and not sampling
// noise; a scenario identical to its base gives a difference of exactly
// zero. docs/scenarios.md explains how to read the tables.
package compare

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/results"
	"github.com/corridor-sim/corridor/sim"
)

// DefaultTolerance is the recovery tolerance: an output has recovered
// once its monthly difference stays within this share of the base run's
// value of the month (1%). It is a convention of this package, not a
// sourced figure; the --tolerance flag changes it.
const DefaultTolerance = 0.01

// Options say when the change between the two runs ends.
type Options struct {
	// EffectStart is the first month in which B differs from A by its
	// inputs (0: the first month compared). Shares of GDP are taken over
	// the months from it.
	EffectStart calendar.Month
	// EffectEnd is the last month in which B differs from A by its inputs
	// (the end of its last event or driver change). Recovery is counted
	// from the month after it.
	EffectEnd calendar.Month
	// Open is true when the change never ends (an open-ended event, a
	// parameter change): recovery is then not defined.
	Open bool
	// Tolerance is the recovery tolerance as a share of the base value
	// (0: DefaultTolerance).
	Tolerance float64
}

// A Row is one cell of the annual difference: output in year, in run A
// and run B, B − A, and (B − A) / A in percent (NaN when A is 0).
type Row struct {
	Year       int
	Output     string
	Unit       string
	A, B       float64
	Difference float64
	Percent    float64
}

// A Measure is one line of the headline.
type Measure struct {
	Name  string  // snake_case key
	Label string  // for the printed table
	Value float64 // NaN when not defined (see Note)
	Unit  string
	Note  string
}

// Result is the comparison of run B with base run A.
type Result struct {
	From, Until calendar.Month
	Annual      []Row
	Headline    []Measure
}

// The outputs whose recovery the headline reports.
var recoveryOutputs = []string{"remittances_usd", "migrants_abroad", "poor_persons", "returnees_jobless"}

// Compare compares run b with base run a. Both must cover the same months.
func Compare(a, b []sim.Record, o Options) (*Result, error) {
	if len(a) == 0 || len(a) != len(b) || a[0].Month != b[0].Month || a[len(a)-1].Month != b[len(b)-1].Month {
		return nil, fmt.Errorf("compare: the two runs must cover the same months")
	}
	tol := o.Tolerance
	if tol == 0 {
		tol = DefaultTolerance
	}
	if !(tol > 0 && tol < 1) {
		return nil, fmt.Errorf("compare: tolerance %v is outside (0, 1)", tol)
	}
	ta, err := results.Annual(a)
	if err != nil {
		return nil, err
	}
	tb, err := results.Annual(b)
	if err != nil {
		return nil, err
	}
	res := &Result{From: a[0].Month, Until: a[len(a)-1].Month}
	for i := range ta.Rows {
		for j, c := range ta.Columns {
			if c.Name == "year" || c.Name == "months" {
				continue
			}
			va, vb := ta.Rows[i][j], tb.Rows[i][j]
			res.Annual = append(res.Annual, Row{
				Year: int(ta.Rows[i][0]), Output: c.Name, Unit: c.Unit, A: va, B: vb,
				Difference: vb - va, Percent: percent(vb-va, va),
			})
		}
	}
	ma, err := results.Monthly(a)
	if err != nil {
		return nil, err
	}
	mb, err := results.Monthly(b)
	if err != nil {
		return nil, err
	}
	res.Headline = headline(ta, tb, ma, mb, o, tol)
	return res, nil
}

func percent(d, base float64) float64 {
	if base == 0 {
		return math.NaN()
	}
	return d / base * 100
}

// series returns column name of t as a slice (nil if absent).
func series(t *results.Table, name string) []float64 {
	j := t.Index(name)
	if j < 0 {
		return nil
	}
	out := make([]float64, len(t.Rows))
	for i, r := range t.Rows {
		out[i] = r[j]
	}
	return out
}

// sumDiff returns Σ (b − a) of a column.
func sumDiff(ta, tb *results.Table, name string) float64 {
	a, b := series(ta, name), series(tb, name)
	s := 0.0
	for i := range a {
		s += b[i] - a[i]
	}
	return s
}

// peak returns the largest sign·(b − a) of a monthly column and its month.
func peak(ma, mb *results.Table, name string, sign float64) (float64, calendar.Month) {
	a, b := series(ma, name), series(mb, name)
	best, at := 0.0, calendar.Month(0)
	for i := range a {
		if d := sign * (b[i] - a[i]); d > best {
			best, at = d, calendar.Month(ma.Rows[i][0])
		}
	}
	return best, at
}

func headline(ta, tb, ma, mb *results.Table, o Options, tol float64) []Measure {
	var hs []Measure
	add := func(name, label string, v float64, unit, note string) {
		hs = append(hs, Measure{Name: name, Label: label, Value: v, Unit: unit, Note: note})
	}
	lost := -sumDiff(ma, mb, "remittances_usd")
	gdp := 0.0
	first := calendar.Month(ma.Rows[0][0])
	start := max(o.EffectStart, first)
	for i, v := range series(ma, "gdp_usd") {
		if first+calendar.Month(i) >= start {
			gdp += v
		}
	}
	add("remittances_lost_usd", "remittances lost, cumulative", lost, "USD", "Σ (A − B) over the months compared; negative: gained")
	pct := math.NaN()
	if gdp > 0 {
		pct = lost / gdp * 100
	}
	add("remittances_lost_pct_gdp", "remittances lost, % of GDP", pct, "% of GDP",
		fmt.Sprintf("remittances lost over A's GDP of %v..%v (from the first change)", start, calendar.Month(ma.Rows[len(ma.Rows)-1][0])))
	peakPP := 0.0
	if a, b := series(ta, "remittances_pct_gdp"), series(tb, "remittances_pct_gdp"); a != nil {
		for i := range a {
			peakPP = max(peakPP, a[i]-b[i])
		}
	}
	add("peak_annual_fall_remittances_pct_gdp", "largest annual fall in remittances, pp of GDP", peakPP, "pp of GDP", "max over years of A − B")
	for _, c := range []struct{ col, name, label string }{
		{"migrants_abroad", "peak_fall_migrants_abroad", "peak fall in migrants abroad"},
		{"migrants_in_russia", "peak_fall_migrants_in_russia", "peak fall in migrants in Russia"},
	} {
		v, m := peak(ma, mb, c.col, -1)
		add(c.name, c.label, v, "persons", monthNote(v, m, "A − B"))
	}
	for _, c := range []struct{ col, name, label string }{
		{"poor_persons", "peak_extra_poor_persons", "peak extra persons in poverty"},
		{"returnees_jobless", "peak_extra_jobless_returnees", "peak extra jobless returnees"},
	} {
		v, m := peak(ma, mb, c.col, +1)
		add(c.name, c.label, v, "persons", monthNote(v, m, "B − A"))
	}
	add("extra_poor_person_years", "extra person-years in poverty", sumDiff(ma, mb, "poor_persons")/12, "person-years", "Σ (B − A) of month-end poor persons / 12")
	add("extra_deportations", "extra deportations", sumDiff(ma, mb, "deportations"), "persons", "Σ (B − A)")
	add("extra_bans_issued", "extra re-entry bans issued", sumDiff(ma, mb, "bans_issued"), "persons", "Σ (B − A)")
	add("migrant_labour_lost_person_years", "migrant labour lost (Russia's side)", -sumDiff(ma, mb, "migrants_employed")/12, "person-years", "Σ (A − B) of migrants employed abroad / 12")
	add("patent_revenue_lost_rub", "patent revenue lost (Russia's side)", -sumDiff(ma, mb, "patent_revenue_rub"), "RUB", "Σ (A − B)")
	for _, name := range recoveryOutputs {
		v, note := recovery(ma, mb, name, o, tol)
		add("recovery_months_"+name, "months to recover: "+name, v, "months", note)
	}
	return hs
}

func monthNote(v float64, m calendar.Month, what string) string {
	if v <= 0 {
		return "no month where " + what + " > 0"
	}
	return fmt.Sprintf("%s, largest in %v", what, m)
}

// recovery returns the months after the end of the change until the
// monthly difference of an output stays within tol × |A| to the end of the
// run, with a note; NaN when it is not defined.
func recovery(ma, mb *results.Table, name string, o Options, tol float64) (float64, string) {
	a, b := series(ma, name), series(mb, name)
	if a == nil {
		return math.NaN(), "no such output"
	}
	if o.Open {
		return math.NaN(), "not defined: the change never ends"
	}
	from := calendar.Month(ma.Rows[0][0])
	start := int(o.EffectEnd+1) - int(from)
	if start < 0 {
		start = 0
	}
	if start >= len(a) {
		return math.NaN(), fmt.Sprintf("not defined: the change ends (%v) at or after the last month compared", o.EffectEnd)
	}
	last := -1 // last month index outside the tolerance
	for i := start; i < len(a); i++ {
		if math.Abs(b[i]-a[i]) > tol*math.Abs(a[i]) {
			last = i
		}
	}
	tolNote := fmt.Sprintf("|B − A| ≤ %g%% of A from then to the end of the run", tol*100)
	switch {
	case last == len(a)-1:
		return math.NaN(), fmt.Sprintf("not recovered by %v (%s)", calendar.Month(ma.Rows[len(a)-1][0]), tolNote)
	case last < start:
		return 0, "within tolerance from the month after the change ends (" + tolNote + ")"
	}
	return float64(last + 1 - start), fmt.Sprintf("counted from %v; %s", calendar.Month(ma.Rows[start][0]), tolNote)
}

// FormatNumber formats a finite v for the comparison CSVs: at most six
// decimals, no trailing zeros, no exponent, no negative zero; NaN as an
// empty cell (NA in pandas and R).
func FormatNumber(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	s := strconv.FormatFloat(v, 'f', 6, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" || s == "" {
		s = "0"
	}
	return s
}

func csvField(s string) string {
	if strings.ContainsAny(s, ",\"\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

// WriteAnnualCSV writes the annual difference as tidy CSV: year, output,
// unit, a, b, difference, percent.
func (r *Result) WriteAnnualCSV(w io.Writer) error {
	var b strings.Builder
	b.WriteString("year,output,unit,a,b,difference,percent\n")
	for _, row := range r.Annual {
		fmt.Fprintf(&b, "%d,%s,%s,%s,%s,%s,%s\n", row.Year, row.Output, csvField(row.Unit),
			FormatNumber(row.A), FormatNumber(row.B), FormatNumber(row.Difference), FormatNumber(row.Percent))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteHeadlineCSV writes the headline as tidy CSV: measure, value, unit, note.
func (r *Result) WriteHeadlineCSV(w io.Writer) error {
	var b strings.Builder
	b.WriteString("measure,value,unit,note\n")
	for _, h := range r.Headline {
		fmt.Fprintf(&b, "%s,%s,%s,%s\n", h.Name, FormatNumber(h.Value), csvField(h.Unit), csvField(h.Note))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteHeadline prints the headline as an aligned table.
func (r *Result) WriteHeadline(w io.Writer, nameA, nameB string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (B) compared with %s (A), %v..%v\n", nameB, nameA, r.From, r.Until)
	width := 0
	for _, h := range r.Headline {
		width = max(width, len([]rune(h.Label)))
	}
	for _, h := range r.Headline {
		v, unit := "n/a", h.Unit
		if !math.IsNaN(h.Value) {
			v, unit = Human(h.Value, h.Unit)
		}
		pad := strings.Repeat(" ", width-len([]rune(h.Label)))
		fmt.Fprintf(&b, "  %s%s  %12s %s\n", h.Label, pad, v, unit)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Human formats a value for a printed table, with its unit: money in
// millions, counts as whole numbers, everything else with two decimals.
func Human(v float64, unit string) (string, string) {
	var s string
	switch unit {
	case "USD", "RUB":
		s, unit = strconv.FormatFloat(v/1e6, 'f', 1, 64), "million "+unit
	case "persons", "person-years", "months":
		s = strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	default:
		s = strconv.FormatFloat(v, 'f', 2, 64)
	}
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-")
	}
	return s, unit
}
