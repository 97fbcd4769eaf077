package drivers

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/data"
)

const (
	macroRussia     = "macro_russia.csv"
	macroTajikistan = "macro_tajikistan.csv"
	extracted       = "parameters_extracted.csv"
	unsourcedFile   = "UNSOURCED.csv"
	russia          = "Russian Federation"
	tajikistan      = "Tajikistan"
)

// A driver is one path under construction, over the months First..end.
type driver struct {
	name        string
	values      []float64
	assumed     []bool // per month: the value rests on an assumption
	rule        string
	assumptions []string
	lines       map[string][]int // rows used, by file
	files       []string         // files in order of first use
}

// use records that the row file:line was used. A line of 0 records a
// source without lines, such as another driver.
func (d *driver) use(file string, line int) {
	if d.lines == nil {
		d.lines = map[string][]int{}
	}
	if _, ok := d.lines[file]; !ok {
		d.files = append(d.files, file)
	}
	if line > 0 {
		d.lines[file] = append(d.lines[file], line)
	}
}

func (d *driver) note(span calendar.Range, unit string) Note {
	n := Note{Name: d.name, Unit: unit, Rule: d.rule, LastObserved: First - 1}
	for _, f := range d.files {
		if lines := d.lines[f]; len(lines) > 0 {
			f += ":" + lineRanges(lines)
		}
		n.Sources = append(n.Sources, f)
	}
	for i, a := range d.assumed {
		m := First + calendar.Month(i)
		if !a {
			n.LastObserved = m
			continue
		}
		if !span.Contains(m) {
			continue
		}
		if k := len(n.Assumed); k > 0 && n.Assumed[k-1].Until == m-1 {
			n.Assumed[k-1].Until = m
		} else {
			n.Assumed = append(n.Assumed, calendar.Range{From: m, Until: m})
		}
	}
	n.Assumptions = strings.Join(d.assumptions, " ")
	return n
}

// lineRanges formats line numbers compactly, e.g. "2-24,26,29-30".
func lineRanges(lines []int) string {
	lines = slices.Clone(lines)
	slices.Sort(lines)
	lines = slices.Compact(lines)
	var parts []string
	for i := 0; i < len(lines); {
		j := i
		for j+1 < len(lines) && lines[j+1] == lines[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, strconv.Itoa(lines[i])+"-"+strconv.Itoa(lines[j]))
		} else {
			parts = append(parts, strconv.Itoa(lines[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, ",")
}

type builder struct {
	ref     *data.Reference
	end     calendar.Month
	drivers [numDrivers]driver

	tjGrowthOf func(year int) float64 // set by tjGrowth, used by tjGDP
}

func (b *builder) months() int { return int(b.end-First) + 1 }

// rows returns the observations of series for country in file.
func (b *builder) rows(file, series, country string) []data.Observation {
	var out []data.Observation
	for _, o := range b.ref.Find(series, country) {
		if o.File == file {
			out = append(out, o)
		}
	}
	return out
}

// An annual value with the row it came from.
type annual struct {
	value   float64
	file    string
	line    int
	assumed bool // from UNSOURCED.csv
}

// onePerYear returns the rows whose period starts with "annual", one per
// year. Two such rows for a year are an error: the rule needs one.
func onePerYear(obs []data.Observation, file, series string) (map[int]annual, error) {
	out := map[int]annual{}
	for _, o := range obs {
		if o.Year == 0 || !strings.HasPrefix(o.Period, "annual") {
			continue
		}
		if prev, ok := out[o.Year]; ok {
			return nil, fmt.Errorf("%s lines %d and %d both give %s for %d; the rule needs exactly one annual row per year",
				file, prev.line, o.Line, series, o.Year)
		}
		if math.IsNaN(o.Value) {
			return nil, fmt.Errorf("%s:%d: %s for %d has no value", file, o.Line, series, o.Year)
		}
		out[o.Year] = annual{value: o.Value, file: o.File, line: o.Line}
	}
	return out, nil
}

// yearsFrom2000 checks that vals has a value for every year from 2000 to
// its last year, and returns that year.
func yearsFrom2000(vals map[int]annual, file, series string) (last int, err error) {
	if len(vals) == 0 {
		return 0, fmt.Errorf("%s has no annual rows of %s", file, series)
	}
	last = slices.Max(mapKeys(vals))
	for y := First.Year(); y <= last; y++ {
		if _, ok := vals[y]; !ok {
			return 0, fmt.Errorf("no %s value for %d (%s must give every year from %d to %d)", series, y, file, First.Year(), last)
		}
	}
	return last, nil
}

func mapKeys(m map[int]annual) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// levels reads an annual level series (one row per year from 2000, every
// value positive) and returns it with its last year.
func (b *builder) levels(file, series, country string) (map[int]annual, int, error) {
	vals, err := onePerYear(b.rows(file, series, country), file, series)
	if err != nil {
		return nil, 0, err
	}
	last, err := yearsFrom2000(vals, file, series)
	if err != nil {
		return nil, 0, err
	}
	if err := positive(vals, series); err != nil {
		return nil, 0, err
	}
	return vals, last, nil
}

func positive(vals map[int]annual, series string) error {
	for _, y := range mapKeys(vals) {
		if a := vals[y]; !(a.value > 0) {
			return fmt.Errorf("%s:%d: %s for %d is %v, want a positive level", a.file, a.line, series, y, a.value)
		}
	}
	return nil
}

// steps fills d with the value of each month's year, holding the last
// year's value after it, and marks the held months and the years from
// UNSOURCED.csv as assumed.
func (b *builder) steps(d *driver, vals map[int]annual, last int) {
	d.assumed = make([]bool, len(d.values))
	for i := range d.values {
		y := (First + calendar.Month(i)).Year()
		a, ok := vals[y]
		if !ok || y > last {
			a = vals[last]
			d.assumed[i] = true
		}
		d.values[i] = a.value
		d.assumed[i] = d.assumed[i] || a.assumed
	}
	for _, y := range mapKeys(vals) {
		d.use(vals[y].file, vals[y].line)
	}
}

// A point of a path: a value at time t, in months since the start of 2000-01
// (month m spans [m, m+1)).
type point struct{ t, v float64 }

// midYear is the anchor time of an annual value: the boundary between June
// and July.
func midYear(year int) float64 { return float64(calendar.Of(year, 7)) }

// interpolate fills d by linear interpolation between anchors (sorted by
// time), evaluating each month at its middle. Outside the anchors it calls
// before or after and marks the month as assumed.
func interpolate(d *driver, anchors []point, before, after func(t float64) float64) {
	d.assumed = make([]bool, len(d.values))
	first, last := anchors[0], anchors[len(anchors)-1]
	k := 0
	for i := range d.values {
		t := float64(i) + 0.5 // First is month 0
		switch {
		case t < first.t:
			d.values[i] = before(t)
			d.assumed[i] = true
		case t > last.t:
			d.values[i] = after(t)
			d.assumed[i] = true
		case t == last.t || len(anchors) == 1:
			d.values[i] = last.v
		default:
			for anchors[k+1].t < t {
				k++
			}
			a, c := anchors[k], anchors[k+1]
			d.values[i] = a.v + (c.v-a.v)*(t-a.t)/(c.t-a.t)
		}
	}
}

func hold(v float64) func(float64) float64 { return func(float64) float64 { return v } }

func (b *builder) rubPerUSD(d *driver) error {
	rates := b.ref.RubPerUSDMonthly
	const file = "rub_per_usd_monthly.csv"
	if len(rates) == 0 {
		return fmt.Errorf("%s has no rows", file)
	}
	for i, r := range rates {
		if m := calendar.Of(r.Year, r.Month); m != First+calendar.Month(i) {
			return fmt.Errorf("%s:%d: %v where %v was expected (the file must give every month from %v on)", file, r.Line, m, First+calendar.Month(i), First)
		}
		if !(r.Value > 0) || math.IsInf(r.Value, 0) {
			return fmt.Errorf("%s:%d: %v is not a positive exchange rate", file, r.Line, r.Value)
		}
	}
	lastMonthly := First + calendar.Month(len(rates)-1)

	// Annual values for the years after the monthly file.
	yStart := (lastMonthly + 1).Year()
	vals := map[int]annual{}
	for _, o := range b.rows(macroRussia, "rub_per_usd", russia) {
		if _, ok := vals[o.Year]; ok || o.Year < yStart || !strings.HasPrefix(o.Period, "annual") || math.IsNaN(o.Value) {
			continue // the first row in file order wins
		}
		vals[o.Year] = annual{value: o.Value, file: o.File, line: o.Line}
	}
	var fromUnsourced []string
	for _, u := range b.ref.FindUnsourced("rub_per_usd", russia) {
		if _, ok := vals[u.Year]; ok || u.Year < yStart || math.IsNaN(u.BestValue) {
			continue
		}
		vals[u.Year] = annual{value: u.BestValue, file: u.File, line: u.Line, assumed: true}
		fromUnsourced = append(fromUnsourced, fmt.Sprintf("%d = %v (%s:%d, confidence %s)", u.Year, u.BestValue, u.File, u.Line, u.Confidence))
	}
	lastYear := yStart - 1
	if len(vals) > 0 {
		lastYear = slices.Max(mapKeys(vals))
	}
	for y := yStart; y <= lastYear; y++ {
		if _, ok := vals[y]; !ok {
			return fmt.Errorf("no RUB/USD value for %d: %s ends at %v and neither %s (rub_per_usd) nor %s gives %d", y, file, lastMonthly, macroRussia, unsourcedFile, y)
		}
	}
	if err := positive(vals, "rub_per_usd"); err != nil {
		return err
	}

	d.assumed = make([]bool, len(d.values))
	held := rates[len(rates)-1].Value
	if lastYear >= yStart {
		held = vals[lastYear].value
	}
	for i := range d.values {
		m := First + calendar.Month(i)
		switch {
		case m <= lastMonthly:
			d.values[i] = rates[i].Value
		case m.Year() <= lastYear:
			a := vals[m.Year()]
			d.values[i] = a.value
			d.assumed[i] = a.assumed
		default:
			d.values[i] = held
			d.assumed[i] = true
		}
	}
	for _, r := range rates {
		d.use(file, r.Line)
	}
	for _, y := range mapKeys(vals) {
		d.use(vals[y].file, vals[y].line)
	}
	d.rule = fmt.Sprintf("Monthly means of the CBR daily fixings (%s, %v to %v) as they are; each later month takes its year's annual average "+
		"from %s (rub_per_usd; the first row in file order if several) or, failing that, from %s; held after the last annual value.",
		file, First, lastMonthly, macroRussia, unsourcedFile)
	if len(fromUnsourced) > 0 {
		d.assumptions = append(d.assumptions, "UNSOURCED annual averages (assumptions, no source found): "+strings.Join(fromUnsourced, "; ")+".")
	}
	d.assumptions = append(d.assumptions, fmt.Sprintf("Held at %v after %d.", held, lastYear))
	return nil
}

func (b *builder) ruWage(d *driver) error {
	const series = "avg_nominal_monthly_wage"
	byYear := map[int][]data.Observation{}
	for _, o := range b.rows(macroRussia, series, russia) {
		if o.Year != 0 {
			byYear[o.Year] = append(byYear[o.Year], o)
		}
	}
	years := make([]int, 0, len(byYear))
	for y := range byYear {
		years = append(years, y)
	}
	slices.Sort(years)
	vals := map[int]annual{}
	var q2Years []string
	for _, y := range years {
		obs := byYear[y]
		var rosstat, other, q2 []data.Observation
		for _, o := range obs {
			switch {
			case o.Period == "annual" && strings.HasPrefix(o.Source, "github:LovesManuls"):
				rosstat = append(rosstat, o)
			case o.Period == "annual":
				other = append(other, o)
			case o.Period == "Q2":
				q2 = append(q2, o)
			}
		}
		var pick []data.Observation
		switch {
		case len(rosstat) > 0:
			pick = rosstat
		case len(other) > 0:
			pick = other
		case len(q2) > 0:
			pick = q2
			q2Years = append(q2Years, strconv.Itoa(y))
		default:
			continue
		}
		if len(pick) > 1 {
			return fmt.Errorf("%s lines %d and %d both give %s for %d (%s); the rule needs one", macroRussia, pick[0].Line, pick[1].Line, series, y, pick[0].Period)
		}
		o := pick[0]
		if math.IsNaN(o.Value) {
			return fmt.Errorf("%s:%d: %s for %d has no value", macroRussia, o.Line, series, y)
		}
		vals[y] = annual{value: o.Value, file: o.File, line: o.Line}
	}
	last, err := yearsFrom2000(vals, macroRussia, series)
	if err != nil {
		return err
	}
	if err := positive(vals, series); err != nil {
		return err
	}
	var anchors []point
	for _, y := range mapKeys(vals) {
		anchors = append(anchors, point{midYear(y), vals[y].value})
		d.use(vals[y].file, vals[y].line)
	}
	interpolate(d, anchors, hold(anchors[0].v), hold(anchors[len(anchors)-1].v))
	d.rule = fmt.Sprintf("Rosstat average nominal monthly wage (%s, %s): per year the Rosstat-table row (source github:LovesManuls…) wins, "+
		"else the year's only other annual row, else its Q2 row; each value is placed at mid-year (between June and July) and months are "+
		"interpolated linearly; held before the first and after the last anchor.", macroRussia, series)
	if len(q2Years) > 0 {
		d.assumptions = append(d.assumptions, fmt.Sprintf("The Q2 value stands for the year in %s (placed at mid-year).", strings.Join(q2Years, ", ")))
	}
	d.assumptions = append(d.assumptions, fmt.Sprintf("Held at %v before %v and at %v after %v.",
		anchors[0].v, calendar.Of(First.Year(), 7), vals[last].value, calendar.Of(last, 6)))
	return nil
}

// growth builds a real-growth driver: sourced annual values, UNSOURCED.csv
// for the years without one, held after the last year.
func (b *builder) growth(d *driver, file, country string) (func(int) float64, error) {
	const series = "real_gdp_growth"
	vals, err := onePerYear(b.rows(file, series, country), file, series)
	if err != nil {
		return nil, err
	}
	var fromUnsourced []string
	for _, u := range b.ref.FindUnsourced(series, country) {
		if _, ok := vals[u.Year]; ok || u.Year == 0 || math.IsNaN(u.BestValue) {
			continue
		}
		if u.Year < First.Year() {
			continue
		}
		vals[u.Year] = annual{value: u.BestValue, file: u.File, line: u.Line, assumed: true}
		fromUnsourced = append(fromUnsourced, fmt.Sprintf("%d = %v", u.Year, u.BestValue))
	}
	last, err := yearsFrom2000(vals, fmt.Sprintf("%s or %s (country %s)", file, unsourcedFile, country), series)
	if err != nil {
		return nil, err
	}
	b.steps(d, vals, last)
	d.rule = fmt.Sprintf("Real GDP growth of %s (%s, %s), one value per year applied to each of its months; years without a sourced value "+
		"from %s; held after %d.", country, file, series, unsourcedFile, last)
	if len(fromUnsourced) > 0 {
		d.assumptions = append(d.assumptions, fmt.Sprintf("From %s (assumptions, no source found): %s.", unsourcedFile, strings.Join(fromUnsourced, ", ")))
	}
	d.assumptions = append(d.assumptions, fmt.Sprintf("Held at %v after %d.", vals[last].value, last))
	return func(y int) float64 { return vals[min(max(y, First.Year()), last)].value }, nil
}

func (b *builder) ruGrowth(d *driver) error {
	_, err := b.growth(d, macroRussia, russia)
	return err
}

func (b *builder) tjGrowth(d *driver) error {
	f, err := b.growth(d, macroTajikistan, tajikistan)
	b.tjGrowthOf = f
	return err
}

func (b *builder) tjGDP(d *driver) error {
	const series = "gdp_current_usd"
	vals, last, err := b.levels(macroTajikistan, series, tajikistan)
	if err != nil {
		return err
	}
	var grown []string
	for y := last + 1; y <= b.end.Year(); y++ {
		g := b.tjGrowthOf(y)
		v := vals[y-1].value * (1 + g/100)
		if !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("GDP for %d extended with growth %v%% is %v", y, g, v)
		}
		vals[y] = annual{value: v, file: vals[y-1].file, line: vals[y-1].line, assumed: true}
		if len(grown) < 3 {
			grown = append(grown, fmt.Sprintf("%d: %+.1f%%", y, g))
		}
	}
	b.steps(d, vals, max(b.end.Year(), last))
	if len(grown) > 0 {
		d.use("tj_real_growth_pct (driver)", 0)
	}
	d.rule = fmt.Sprintf("Tajik GDP in current USD (%s, %s); every month carries the annual level of its year. After %d GDP grows each year "+
		"by that year's tj_real_growth_pct.", macroTajikistan, series, last)
	if len(grown) > 0 {
		d.assumptions = append(d.assumptions, fmt.Sprintf("After %d: real growth applied to current-USD GDP (%s, …), i.e. constant prices and a constant exchange rate are assumed.",
			last, strings.Join(grown, ", ")))
	}
	return nil
}

func (b *builder) tjPopulation(d *driver) error {
	const series = "population"
	vals, last, err := b.levels(macroTajikistan, series, tajikistan)
	if err != nil {
		return err
	}
	if last == First.Year() {
		return fmt.Errorf("%s gives %s for %d only; the rule needs two years to extrapolate", macroTajikistan, series, last)
	}
	var anchors []point
	for _, y := range mapKeys(vals) {
		anchors = append(anchors, point{midYear(y), vals[y].value})
		d.use(vals[y].file, vals[y].line)
	}
	n := len(anchors)
	growth := func(a, c point) func(float64) float64 {
		ratio := c.v / a.v
		return func(t float64) float64 { return c.v * math.Pow(ratio, (t-c.t)/12) }
	}
	// Backward from the first anchor with the growth of the first year.
	back := func(t float64) float64 {
		return anchors[0].v * math.Pow(anchors[1].v/anchors[0].v, (t-anchors[0].t)/12)
	}
	interpolate(d, anchors, back, growth(anchors[n-2], anchors[n-1]))
	d.rule = fmt.Sprintf("Mid-year population (%s, %s) placed between June and July and interpolated linearly; before mid-%d extrapolated "+
		"backward with the %d→%d growth, after mid-%d forward with the %d→%d growth, compounded monthly.",
		macroTajikistan, series, First.Year(), First.Year(), First.Year()+1, last, last-1, last)
	d.assumptions = append(d.assumptions, fmt.Sprintf("Extrapolated before %v (growth %.2f%%/yr) and after %v (growth %.2f%%/yr).",
		calendar.Of(First.Year(), 7), 100*(anchors[1].v/anchors[0].v-1), calendar.Of(last, 6), 100*(anchors[n-1].v/anchors[n-2].v-1)))
	return nil
}

func (b *builder) tjsPerUSD(d *driver) error {
	const series = "tjs_per_usd"
	vals, err := onePerYear(b.rows(extracted, series, tajikistan), extracted, series)
	if err != nil {
		return err
	}
	if len(vals) == 0 {
		return fmt.Errorf("%s has no annual rows of %s", extracted, series)
	}
	years := mapKeys(vals)
	if years[0] != First.Year() {
		return fmt.Errorf("%s: the first %s value is for %d; the rule needs %d", extracted, series, years[0], First.Year())
	}
	if err := positive(vals, series); err != nil {
		return err
	}
	var anchors []point
	var gaps []string
	for i, y := range years {
		anchors = append(anchors, point{midYear(y), vals[y].value})
		d.use(vals[y].file, vals[y].line)
		if i > 0 && y > years[i-1]+1 {
			gaps = append(gaps, fmt.Sprintf("%d–%d", years[i-1]+1, y-1))
		}
	}
	last := years[len(years)-1]
	interpolate(d, anchors, hold(anchors[0].v), hold(anchors[len(anchors)-1].v))
	d.rule = fmt.Sprintf("Annual averages from %s (series %s, copied from PARAMETERS.md §13: knoema, WDI official rate), placed at mid-year and "+
		"interpolated linearly between anchors; held before the first and after the last.", extracted, series)
	if len(gaps) > 0 {
		d.rule += fmt.Sprintf(" Years without an anchor (%s) are interpolated; the unsourced annual values in %s are not used.", strings.Join(gaps, ", "), unsourcedFile)
	}
	d.assumptions = append(d.assumptions, fmt.Sprintf("Held at %v before %v and at %v after %v.",
		anchors[0].v, calendar.Of(First.Year(), 7), vals[last].value, calendar.Of(last, 6)))
	return nil
}

func (b *builder) oil(d *driver) error {
	const series = "oil_price_brent"
	vals, last, err := b.levels(macroRussia, series, "World")
	if err != nil {
		return err
	}
	b.steps(d, vals, last)
	d.rule = fmt.Sprintf("Brent annual average (%s, %s), applied to each month of its year; held after %d.", macroRussia, series, last)
	d.assumptions = append(d.assumptions, fmt.Sprintf("Held at %v after %d.", vals[last].value, last))
	return nil
}
