// Package leverage ranks the levers of the policy library by who bears
// their cost: each lever is pulled at its standard intensity for its
// standard duration against a base scenario, with the base's random
// numbers, and the difference is split into the cost to the origin
// (Tajikistan: remittances lost, households pushed into poverty, jobless
// returnees, the hardest-hit region) and the cost to the destination
// (Russia: migrant labour lost by sector, patent revenue lost). Their ratio
// says how much damage a lever does to Tajikistan for each dollar it costs
// Russia — the sources' question of who depends on whom. docs/scenarios.md
// explains how to read the ranking and its limits.
package leverage

import (
	"context"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/compare"
	"github.com/corridor-sim/corridor/data"
	"github.com/corridor-sim/corridor/params"
	"github.com/corridor-sim/corridor/policy"
	"github.com/corridor-sim/corridor/results"
	"github.com/corridor-sim/corridor/scenario"
)

// Defaults of a ranking: each lever starts in March 2013 (when the
// pressure campaign of the first source document began), effects are
// counted over five years from the start, at one agent per 50 persons.
// These are conventions of the ranking, not sourced figures.
var (
	DefaultStart = calendar.Of(2013, 3)
)

const (
	DefaultYears = 5
	DefaultScale = 50
)

// Sectors are the Russian sectors of migrant employment (sim.Record
// employed_<sector> columns).
var Sectors = []string{"construction", "services", "transport", "manufacturing", "trade", "other"}

// Regions are the Tajik regions; per-region outputs are found by the
// column naming convention <metric>_<region>.
var Regions = []string{"khatlon", "sughd", "drs", "dushanbe", "gbao"}

// RegionMetrics are the per-region metrics looked for, in order of
// preference: the first one present in the results decides the hardest-hit
// region (largest % loss of remittances, or largest % rise in poor persons).
var RegionMetrics = []string{"remittances_usd", "poor_persons"}

// Options configure a ranking.
type Options struct {
	Base     *scenario.Scenario // nil: scenario.History()
	Start    calendar.Month     // first month of each lever (0: DefaultStart)
	Years    int                // years counted from Start (0: DefaultYears)
	Seed     uint64
	Scale    int // 0: DefaultScale
	Parallel int // runs at a time (0: GOMAXPROCS); never changes results
	Params   *params.Params
	Ref      *data.Reference
	// Levers to rank (nil: every lever of policy.Levers()).
	Levers []policy.Lever
	// Progress, if set, is called after each run with the runs done and
	// their total.
	Progress func(done, total int)
}

// A Row is the ranking of one lever. Costs are base − lever summed over
// the months from Start to Until (positive: a loss).
type Row struct {
	Lever, Side, Unit string
	Intensity         float64
	From, Until       calendar.Month // the lever's months in force
	Rank              int            // by LeverageRatio, 1 = most one-sided against the origin
	RankOriginCost    int            // by RemittancesLostUSD

	// Origin (Tajikistan).
	RemittancesLostUSD     float64
	RemittancesLostPctGDP  float64 // lost ÷ GDP of the months counted × 100
	ExtraPoorPersonYears   float64
	PeakExtraPoorPersons   float64
	PeakJoblessReturnees   float64 // extra jobless returnees at the peak month
	HardestRegion          string  // "n/a" while the results have no per-region columns
	HardestRegionMetric    string  // the column metric used, e.g. remittances_usd
	HardestRegionChangePct float64 // its % loss (remittances) or % rise (poor persons)

	// Destination (Russia).
	LabourLostPersonYears [6]float64 // by Sectors: employed_<sector>, base − lever, / 12
	LabourLostTotal       float64
	WageBillLostUSD       float64 // migrant_earnings_usd, base − lever
	PatentRevenueLostRUB  float64
	PatentRevenueLostUSD  float64 // each month's loss at its RUB/USD rate

	OriginCostUSD      float64 // = RemittancesLostUSD
	DestinationCostUSD float64 // = WageBillLostUSD + PatentRevenueLostUSD
	LeverageRatio      float64 // OriginCostUSD / DestinationCostUSD (see Ratio)
}

// Ranking is the result of Rank.
type Ranking struct {
	Base       string
	Start      calendar.Month
	Until      calendar.Month
	Seed       uint64
	Scale      int
	Agents     int
	Rows       []Row // in rank order
	RegionNote string
	// Params and InputsSHA256 are the base run's parameters and input
	// data hash (for the manifest).
	Params       params.Params
	InputsSHA256 string
}

// Ratio is origin cost over destination cost: +Inf when the lever costs
// the origin something and the destination nothing or less, NaN when it
// costs neither.
func Ratio(origin, destination float64) float64 {
	switch {
	case destination > 0:
		return origin / destination
	case origin > 0:
		return math.Inf(1)
	}
	return math.NaN()
}

// Rank runs the base and each lever and ranks the levers.
func Rank(ctx context.Context, o Options) (*Ranking, error) {
	base := o.Base
	if base == nil {
		base = scenario.History()
	}
	start := o.Start
	if start == 0 {
		start = DefaultStart
	}
	years := o.Years
	if years == 0 {
		years = DefaultYears
	}
	scale := o.Scale
	if scale == 0 {
		scale = DefaultScale
	}
	until := start + calendar.Month(12*years) - 1
	if start < scenario.ModelStart || until > scenario.MaxUntil || years < 0 {
		return nil, fmt.Errorf("leverage: %v..%v is outside the model's range %v..%v", start, until, scenario.ModelStart, scenario.MaxUntil)
	}
	levers := o.Levers
	if levers == nil {
		levers = policy.Levers()
	}
	runs := make([]*scenario.Scenario, 1+len(levers))
	runs[0] = base
	for i, l := range levers {
		sc := base.Clone()
		sc.Name = base.Name + "+" + l.Name
		sc.Events = append(sc.Events, policy.LeverEvent{
			Lever: l.Name, From: start, Until: start + calendar.Month(max(l.Months, 1)) - 1, Intensity: l.Standard,
			Source: fmt.Sprintf("corridor leverage: standard intensity %g (%s) for %d months", l.Standard, l.Unit, l.Months),
		})
		runs[1+i] = sc
	}
	par := o.Parallel
	if par <= 0 {
		par = runtime.GOMAXPROCS(0)
	}
	out := make([]*scenario.Result, len(runs))
	errs := make([]error, len(runs))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	done := 0
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(par, len(runs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				res, err := scenario.Simulate(ctx, runs[i], scenario.Options{
					Seed: o.Seed, Scale: scale, Until: until, Workers: 1, Params: o.Params, Ref: o.Ref,
				})
				out[i], errs[i] = res, err
				if err != nil {
					cancel()
				}
				mu.Lock()
				done++
				if o.Progress != nil {
					o.Progress(done, len(runs))
				}
				mu.Unlock()
			}
		}()
	}
	for i := range runs {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("leverage: %s: %w", runs[i].Name, err)
		}
	}
	for i := range out {
		if out[i] == nil {
			return nil, fmt.Errorf("leverage: %s: %w", runs[i].Name, context.Cause(ctx))
		}
	}
	rk := &Ranking{Base: base.Name, Start: start, Until: until, Seed: o.Seed, Scale: scale, Agents: out[0].Agents,
		Params: out[0].Inputs.Params, InputsSHA256: out[0].Inputs.Ref.Hash}
	bt, err := results.Monthly(out[0].Records)
	if err != nil {
		return nil, err
	}
	for i, l := range levers {
		lt, err := results.Monthly(out[1+i].Records)
		if err != nil {
			return nil, err
		}
		ev := runs[1+i].Events[len(runs[1+i].Events)-1]
		r := measure(bt, lt, out[0], out[1+i], start, until)
		r.Lever, r.Side, r.Unit, r.Intensity, r.From, r.Until = l.Name, l.Side, l.Unit, l.Standard, ev.From, ev.Until
		rk.Rows = append(rk.Rows, r)
	}
	rk.RegionNote = regionNote(bt)
	rankRows(rk.Rows)
	return rk, nil
}

func regionNote(t *results.Table) string {
	for _, m := range RegionMetrics {
		if regionColumns(t, m) != nil {
			return "hardest-hit region by " + m + "_<region>"
		}
	}
	return "n/a: the results have no per-region columns (" + strings.Join(RegionMetrics, "_<region>, ") + "_<region>)"
}

// regionColumns returns the column index of metric_<region> for every
// region, or nil unless all are present.
func regionColumns(t *results.Table, metric string) []int {
	var idx []int
	for _, r := range Regions {
		j := t.Index(metric + "_" + r)
		if j < 0 {
			return nil
		}
		idx = append(idx, j)
	}
	return idx
}

// measure computes the costs of lever run l against base run b over
// months start..until of the monthly tables.
func measure(b, l *results.Table, rb, rl *scenario.Result, start, until calendar.Month) Row {
	var r Row
	col := func(name string) int { return b.Index(name) }
	sum := func(name string, sign float64) float64 {
		j := col(name)
		if j < 0 {
			return 0
		}
		s := 0.0
		for i := range b.Rows {
			if m := calendar.Month(b.Rows[i][0]); m >= start && m <= until {
				s += sign * (l.Rows[i][j] - b.Rows[i][j])
			}
		}
		return s
	}
	peak := func(name string) float64 {
		j := col(name)
		best := 0.0
		if j < 0 {
			return 0
		}
		for i := range b.Rows {
			if m := calendar.Month(b.Rows[i][0]); m >= start && m <= until {
				best = max(best, l.Rows[i][j]-b.Rows[i][j])
			}
		}
		return best
	}
	gdp := 0.0
	if j := col("gdp_usd"); j >= 0 {
		for i := range b.Rows {
			if m := calendar.Month(b.Rows[i][0]); m >= start && m <= until {
				gdp += b.Rows[i][j]
			}
		}
	}
	r.RemittancesLostUSD = sum("remittances_usd", -1)
	if gdp > 0 {
		r.RemittancesLostPctGDP = r.RemittancesLostUSD / gdp * 100
	}
	r.ExtraPoorPersonYears = sum("poor_persons", 1) / 12
	r.PeakExtraPoorPersons = peak("poor_persons")
	r.PeakJoblessReturnees = peak("returnees_jobless")
	for k, s := range Sectors {
		r.LabourLostPersonYears[k] = sum("employed_"+s, -1) / 12
		r.LabourLostTotal += r.LabourLostPersonYears[k]
	}
	r.WageBillLostUSD = sum("migrant_earnings_usd", -1)
	r.PatentRevenueLostRUB = sum("patent_revenue_rub", -1)
	if j := col("patent_revenue_rub"); j >= 0 {
		for i := range b.Rows {
			m := calendar.Month(b.Rows[i][0])
			if m < start || m > until {
				continue
			}
			r.PatentRevenueLostUSD += b.Rows[i][j]/rb.Inputs.Drivers.At(m).RubPerUSD - l.Rows[i][j]/rl.Inputs.Drivers.At(m).RubPerUSD
		}
	}
	r.HardestRegion, r.HardestRegionChangePct = "n/a", math.NaN()
	for _, metric := range RegionMetrics {
		idx := regionColumns(b, metric)
		if idx == nil {
			continue
		}
		sign := -1.0 // remittances: a loss is base − lever
		if metric == "poor_persons" {
			sign = 1
		}
		best := math.Inf(-1)
		for k, j := range idx {
			d, base := 0.0, 0.0
			for i := range b.Rows {
				if m := calendar.Month(b.Rows[i][0]); m >= start && m <= until {
					d += sign * (l.Rows[i][j] - b.Rows[i][j])
					base += b.Rows[i][j]
				}
			}
			if base == 0 {
				continue
			}
			if pct := d / base * 100; pct > best {
				best, r.HardestRegion = pct, Regions[k]
			}
		}
		if r.HardestRegion != "n/a" {
			r.HardestRegionMetric, r.HardestRegionChangePct = metric, best
		}
		break
	}
	r.OriginCostUSD = r.RemittancesLostUSD
	r.DestinationCostUSD = r.WageBillLostUSD + r.PatentRevenueLostUSD
	r.LeverageRatio = Ratio(r.OriginCostUSD, r.DestinationCostUSD)
	return r
}

// rankRows sorts rows by leverage ratio (largest first, undefined last,
// ties by origin cost then name) and numbers both rankings.
func rankRows(rows []Row) {
	byOrigin := slices.Clone(rows)
	slices.SortStableFunc(byOrigin, func(a, b Row) int {
		if c := cmpDesc(a.RemittancesLostUSD, b.RemittancesLostUSD); c != 0 {
			return c
		}
		return strings.Compare(a.Lever, b.Lever)
	})
	originRank := map[string]int{}
	for i, r := range byOrigin {
		originRank[r.Lever] = i + 1
	}
	slices.SortStableFunc(rows, func(a, b Row) int {
		if c := cmpDesc(a.LeverageRatio, b.LeverageRatio); c != 0 {
			return c
		}
		if c := cmpDesc(a.RemittancesLostUSD, b.RemittancesLostUSD); c != 0 {
			return c
		}
		return strings.Compare(a.Lever, b.Lever)
	})
	for i := range rows {
		rows[i].Rank = i + 1
		rows[i].RankOriginCost = originRank[rows[i].Lever]
	}
}

// cmpDesc orders larger values first and NaN last.
func cmpDesc(a, b float64) int {
	switch an, bn := math.IsNaN(a), math.IsNaN(b); {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

// Columns of leverage.csv, in order.
func csvHeader() []string {
	h := []string{"rank", "lever", "side", "intensity", "unit", "from", "until",
		"remittances_lost_usd", "remittances_lost_pct_gdp", "extra_poor_person_years", "peak_extra_poor_persons",
		"peak_extra_jobless_returnees", "hardest_hit_region", "hardest_hit_region_metric", "hardest_hit_region_change_pct"}
	for _, s := range Sectors {
		h = append(h, "labour_lost_person_years_"+s)
	}
	return append(h, "labour_lost_person_years_total", "migrant_wage_bill_lost_usd", "patent_revenue_lost_rub",
		"patent_revenue_lost_usd", "origin_cost_usd", "destination_cost_usd", "leverage_ratio", "rank_origin_cost")
}

func ratioCell(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	return compare.FormatNumber(v)
}

func csvField(s string) string {
	if strings.ContainsAny(s, ",\"\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

// WriteCSV writes leverage.csv: one row per lever, in rank order.
func (rk *Ranking) WriteCSV(w io.Writer) error {
	var b strings.Builder
	b.WriteString(strings.Join(csvHeader(), ",") + "\n")
	f := compare.FormatNumber
	for _, r := range rk.Rows {
		metric := r.HardestRegionMetric
		cells := []string{fmt.Sprint(r.Rank), r.Lever, csvField(r.Side), f(r.Intensity), csvField(r.Unit), r.From.String(), r.Until.String(),
			f(r.RemittancesLostUSD), f(r.RemittancesLostPctGDP), f(r.ExtraPoorPersonYears), f(r.PeakExtraPoorPersons),
			f(r.PeakJoblessReturnees), r.HardestRegion, metric, f(r.HardestRegionChangePct)}
		for _, v := range r.LabourLostPersonYears {
			cells = append(cells, f(v))
		}
		cells = append(cells, f(r.LabourLostTotal), f(r.WageBillLostUSD), f(r.PatentRevenueLostRUB), f(r.PatentRevenueLostUSD),
			f(r.OriginCostUSD), f(r.DestinationCostUSD), ratioCell(r.LeverageRatio), fmt.Sprint(r.RankOriginCost))
		b.WriteString(strings.Join(cells, ",") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteTable prints the ranking as an aligned table.
func (rk *Ranking) WriteTable(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "levers at standard intensity from %v against %s, effects %v..%v (seed %d, scale %d)\n",
		rk.Start, rk.Base, rk.Start, rk.Until, rk.Seed, rk.Scale)
	fmt.Fprintf(&b, "%4s  %-26s %-11s %12s %7s %11s %9s %11s %11s %9s  %s\n",
		"rank", "lever", "side", "remit $m", "% GDP", "poor p-y", "jobless", "labour p-y", "patent $m", "ratio", "hardest region")
	for _, r := range rk.Rows {
		ratio := "n/a"
		switch {
		case math.IsInf(r.LeverageRatio, 1):
			ratio = "inf"
		case !math.IsNaN(r.LeverageRatio):
			ratio = fmt.Sprintf("%.2f", r.LeverageRatio)
		}
		side := r.Side
		if len(side) > 11 {
			side = side[:11]
		}
		fmt.Fprintf(&b, "%4d  %-26s %-11s %12.1f %7.2f %11.0f %9.0f %11.0f %11.2f %9s  %s\n",
			r.Rank, r.Lever, side, r.RemittancesLostUSD/1e6, r.RemittancesLostPctGDP, r.ExtraPoorPersonYears,
			r.PeakJoblessReturnees, r.LabourLostTotal, r.PatentRevenueLostUSD/1e6, ratio, r.HardestRegion)
	}
	fmt.Fprintf(&b, "(costs are base − lever over %v..%v; ratio = remittances lost ÷ (migrant wage bill + patent revenue lost); %s)\n",
		rk.Start, rk.Until, rk.RegionNote)
	_, err := io.WriteString(w, b.String())
	return err
}

// StandardsMarkdown returns the table of the levers' standard uses in
// a ranking (docs/scenarios.md holds a copy that a test keeps in sync).
func StandardsMarkdown() string {
	var b strings.Builder
	b.WriteString("| lever | side | standard intensity | unit | months | default | range | what it does |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|\n")
	cell := func(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
	for _, l := range policy.Levers() {
		fmt.Fprintf(&b, "| `%s` | %s | %g | %s | %d | %g | %g–%g | %s |\n",
			l.Name, cell(l.Side), l.Standard, cell(l.Unit), l.Months, l.Default, l.Min, l.Max, cell(l.Summary))
	}
	return b.String()
}
