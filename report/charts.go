package report

import (
	"fmt"
	"math"
	"slices"

	"github.com/corridor-sim/corridor/data"
	"github.com/corridor-sim/corridor/observed"
	"github.com/corridor-sim/corridor/policy"
	"github.com/corridor-sim/corridor/results"
	"github.com/corridor-sim/corridor/validation"
)

// A chartSpec names the columns a chart shows and how they are scaled.
type chartSpec struct {
	id, title, unit, note string
	div                   float64 // column value / div = plotted value
	series                []seriesSpec
}

type seriesSpec struct{ column, label string }

// charts are the report's charts, in order. Every observed target whose
// output is one of a chart's columns is drawn on that chart.
var charts = []chartSpec{
	{id: "remittances", title: "Remittances received", unit: "USD billion per year", div: 1e9,
		series: []seriesSpec{{"remittances_usd", "remittances (net of transfer costs)"}}},
	{id: "remittances_gdp", title: "Remittances, share of GDP", unit: "% of GDP", div: 1,
		series: []seriesSpec{{"remittances_pct_gdp", "remittances / GDP"}}},
	{id: "migrants", title: "Migrants abroad by destination", unit: "thousand persons (annual mean of month-end stocks)", div: 1e3,
		note:   "Observed stocks are peak-season or point counts; ≥ and ≤ mark bounds.",
		series: []seriesSpec{{"migrants_in_russia", "in Russia"}, {"migrants_in_kazakhstan", "in Kazakhstan"}, {"migrants_elsewhere", "elsewhere"}}},
	{id: "flows", title: "Departures and returns", unit: "thousand persons per year", div: 1e3,
		series: []seriesSpec{{"departures", "departures"}, {"returns", "returns (all reasons)"}}},
	{id: "enforcement", title: "Deportations and re-entry bans", unit: "thousand persons (deportations per year; bans: mean stock)", div: 1e3,
		series: []seriesSpec{{"deportations", "deportations"}, {"entry_bans_active", "persons under a ban"}}},
	{id: "poverty", title: "Poverty rate", unit: "% of residents at home", div: 0.01,
		series: []seriesSpec{{"poverty_rate", "poverty rate"}}},
	{id: "jobless", title: "Jobless returnees", unit: "thousand persons (annual mean)", div: 1e3,
		series: []seriesSpec{{"returnees_jobless", "returnees at home without work"}}},
}

// Chart is the data of one chart, in plotted units.
type Chart struct {
	ID       string     `json:"id"`
	Title    string     `json:"title"`
	Unit     string     `json:"unit"`
	Note     string     `json:"note,omitempty"`
	Years    []int      `json:"years"`
	Series   []Series   `json:"series"`
	Observed []Observed `json:"observed"`
}

// Series is one simulated series: the run's values, or for an ensemble
// the median with the p05–p95 and p25–p75 bands.
type Series struct {
	Label  string    `json:"label"`
	Column string    `json:"column"`
	Color  string    `json:"color"`
	Mid    []float64 `json:"mid"`
	Lo     []float64 `json:"lo,omitempty"`  // p05
	Hi     []float64 `json:"hi,omitempty"`  // p95
	Q25    []float64 `json:"q25,omitempty"` // p25
	Q75    []float64 `json:"q75,omitempty"` // p75
}

// Observed is the observed record of one output, in plotted units.
type Observed struct {
	Label  string     `json:"label"`
	Column string     `json:"column"`
	Color  string     `json:"color"` // the colour of the simulated series
	Points []ObsPoint `json:"points"`
}

// HasBounds reports whether some points are bounds.
func (o Observed) HasBounds() bool {
	return slices.ContainsFunc(o.Points, func(p ObsPoint) bool { return p.Bound != "" })
}

// SourceYears is one source of observed points and the years it gives.
type SourceYears struct {
	Source string
	Years  []int
}

// Sources groups the points by source, in order of first appearance.
func (o Observed) Sources() []SourceYears {
	var out []SourceYears
	for _, p := range o.Points {
		i := slices.IndexFunc(out, func(s SourceYears) bool { return s.Source == p.Source })
		if i < 0 {
			out = append(out, SourceYears{Source: p.Source})
			i = len(out) - 1
		}
		out[i].Years = append(out[i].Years, p.Year)
	}
	return out
}

// ObsPoint is one observed value with its provenance.
type ObsPoint struct {
	Year   int     `json:"year"`
	Value  float64 `json:"value"`
	Bound  string  `json:"bound,omitempty"` // "lower", "upper" or ""
	Source string  `json:"source"`
	Where  string  `json:"where"` // file:line of the data row
}

// FitRow is one row of the fit table.
type FitRow struct {
	Label     string
	Column    string
	Unit      string
	Year      int
	Observed  float64 // in plotted units
	Bound     string
	Simulated float64 // the run's value, or the ensemble median
	Lo, Hi    float64 // ensemble p05 and p95 (equal to Simulated for a run)
	Error     float64 // (simulated − observed) / observed × 100
	Source    string
}

// FitSeries is the fit of one output: its rows and their MAPE.
type FitSeries struct {
	Label  string
	Column string
	Unit   string
	Rows   []FitRow
	MAPE   float64 // % over exact (non-bound) observations; NaN if none
	Exact  int     // number of exact observations
}

// Report is everything a report shows.
type Report struct {
	Title     string
	Source    *Source
	Ensemble  bool
	Members   int // ensemble members (0 for a run)
	ParamSets int // parameter sets of the ensemble
	LastYear  int // last year of observed outcomes (data.LastInSampleYear)
	Charts    []Chart
	Fit       []FitSeries
	Events    []policy.Event
	Notes     []string
	FirstYear int
	EndYear   int
}

// Build computes the report's charts and fit table from a source.
func Build(src *Source) (*Report, error) {
	tab := src.Annual
	if src.Ensemble() {
		tab = src.Quantiles
	}
	yc := tab.Index("year")
	if yc < 0 {
		return nil, fmt.Errorf("report: the table has no year column")
	}
	targets, err := observed.Targets(src.Ref)
	if err != nil {
		return nil, err
	}
	rep := &Report{
		Title:    fmt.Sprintf("corridor — scenario %s", src.Manifest.Scenario),
		Source:   src,
		Ensemble: src.Ensemble(),
		LastYear: data.LastInSampleYear,
		Events:   src.Events,
		Notes:    src.Notes,
	}
	rep.Members, rep.ParamSets = src.Members, src.ParamSets
	years := make([]int, len(tab.Rows))
	for i, row := range tab.Rows {
		years[i] = int(row[yc])
	}
	rep.FirstYear, rep.EndYear = years[0], years[len(years)-1]

	for _, cs := range charts {
		ch := Chart{ID: cs.id, Title: cs.title, Unit: cs.unit, Note: cs.note, Years: years, Observed: []Observed{}}
		for k, ss := range cs.series {
			s, err := series(tab, ss, cs.div, src.Ensemble())
			if err != nil {
				return nil, err
			}
			s.Color = palette[k%len(palette)]
			ch.Series = append(ch.Series, s)
			if t, ok := observed.Find(targets, ss.column); ok {
				ob := Observed{Label: "observed: " + ss.label, Column: ss.column, Color: s.Color}
				for _, p := range t.Points {
					if !slices.Contains(years, p.Year) {
						continue
					}
					ob.Points = append(ob.Points, ObsPoint{Year: p.Year, Value: p.Value * t.Scale / cs.div,
						Bound: p.Bound, Source: p.Source, Where: fmt.Sprintf("%s:%d", p.File, p.Line)})
				}
				if len(ob.Points) > 0 {
					ch.Observed = append(ch.Observed, ob)
				}
				rep.Fit = append(rep.Fit, fit(t, ss, cs, ch.Series[len(ch.Series)-1], years))
			}
		}
		rep.Charts = append(rep.Charts, ch)
	}
	return rep, nil
}

// series reads one simulated series from the table, scaled by div.
func series(tab *results.Table, ss seriesSpec, div float64, ens bool) (Series, error) {
	s := Series{Label: ss.label, Column: ss.column}
	col := func(name string) ([]float64, error) {
		j := tab.Index(name)
		if j < 0 {
			return nil, fmt.Errorf("report: the results have no column %s", name)
		}
		out := make([]float64, len(tab.Rows))
		for i, row := range tab.Rows {
			out[i] = row[j] / div
		}
		return out, nil
	}
	var err error
	if !ens {
		s.Mid, err = col(ss.column)
		return s, err
	}
	for _, q := range []struct {
		dst *[]float64
		suf string
	}{{&s.Mid, "p50"}, {&s.Lo, "p05"}, {&s.Hi, "p95"}, {&s.Q25, "p25"}, {&s.Q75, "p75"}} {
		if *q.dst, err = col(ss.column + "_" + q.suf); err != nil {
			return s, err
		}
	}
	return s, nil
}

// fit compares the simulated series with the target's points, in plotted
// units; the MAPE is validation.MAPE over the exact points.
func fit(t observed.Target, ss seriesSpec, cs chartSpec, s Series, years []int) FitSeries {
	fs := FitSeries{Label: cs.title + ": " + ss.label, Column: ss.column, Unit: cs.unit, MAPE: math.NaN()}
	var rows []validation.Row
	for _, p := range t.Points {
		i := slices.Index(years, p.Year)
		if i < 0 {
			continue
		}
		obs := p.Value * t.Scale / cs.div
		r := FitRow{Label: ss.label, Column: ss.column, Unit: cs.unit, Year: p.Year, Observed: obs, Bound: p.Bound,
			Simulated: s.Mid[i], Lo: s.Mid[i], Hi: s.Mid[i], Source: p.Source}
		if s.Lo != nil {
			r.Lo, r.Hi = s.Lo[i], s.Hi[i]
		}
		r.Error = 100 * (r.Simulated - obs) / obs
		fs.Rows = append(fs.Rows, r)
		rows = append(rows, validation.Row{Output: ss.column, Year: p.Year, Observed: obs, Simulated: s.Mid[i], Bound: p.Bound, Source: p.Source})
		if p.Bound == "" {
			fs.Exact++
		}
	}
	if m, err := validation.MAPE(rows, ss.column, 0, data.LastInSampleYear); err == nil {
		fs.MAPE = m
	}
	return fs
}
