// Package drivers builds the model's exogenous monthly paths (exchange
// rates, Russian wages and growth, Tajik GDP and population, oil) from the
// reference data.
//
// Each driver is built over the months from 2000-01 to the end of the
// requested span by the rule below. Months whose value rests on an
// assumption — a figure from UNSOURCED.csv, or a value held or extrapolated
// beyond the data — are listed in the driver's Note.
//
//   - rub_per_usd (RUB per USD): the monthly means of the CBR daily fixings
//     (rub_per_usd_monthly.csv, 2000-01 to 2023-12) as they are. Each month
//     after the monthly file takes its year's annual average: from
//     macro_russia.csv series rub_per_usd when it gives the year (the first
//     row in file order if several do; 2025 = 83.3), otherwise from
//     UNSOURCED.csv (2024 = 92.6, an assumption). After the last annual value
//     the rate is held.
//   - ru_wage_rub (RUB per month): Rosstat average nominal monthly wage,
//     macro_russia.csv series avg_nominal_monthly_wage. For each year the
//     annual row copied from the Rosstat table (source starting with
//     "github:LovesManuls") wins; a year without such a row takes its only
//     other annual row (2024: the preliminary full-year figure); a year with
//     no annual row takes its Q2 row (2025: 100,000). Each value is placed at
//     mid-year, between June and July, and months are interpolated linearly
//     between these anchors (each month at its own middle). Before the first
//     and after the last anchor the value is held.
//   - ru_real_growth_pct (% y/y): macro_russia.csv series real_gdp_growth
//     (2008–2024); years before the first sourced year from UNSOURCED.csv
//     (2000–2007, an assumption). Every month of a year takes the year's
//     value; after the last year the value is held.
//   - tj_gdp_usd (USD per year): Tajik GDP in current USD,
//     macro_tajikistan.csv series gdp_current_usd (2000–2023). Every month
//     carries the ANNUAL level of its year. After the last year GDP grows
//     each year by that year's tj_real_growth_pct (2024: 8.4, then held):
//     an assumption of constant prices and a constant exchange rate.
//   - tj_real_growth_pct (% y/y): as ru_real_growth_pct, from
//     macro_tajikistan.csv (2008–2024) and UNSOURCED.csv for Tajikistan
//     (2000–2007, an assumption).
//   - tj_population (persons): macro_tajikistan.csv series population
//     (mid-year, 2000–2024), placed at mid-year and interpolated linearly.
//     Before mid-2000 it is extrapolated backward with the 2000→2001 growth,
//     after mid-2024 forward with the 2023→2024 growth, compounded monthly
//     (assumptions).
//   - tjs_per_usd (TJS per USD): the annual averages in
//     parameters_extracted.csv (series tjs_per_usd: knoema, WDI official
//     rate; 2000, 2005, 2010–2024), placed at mid-year and interpolated
//     linearly between these anchors (so 2001–2004 and 2006–2009 are
//     interpolated); held before the first and after the last anchor.
//   - oil_brent_usd (USD per barrel): macro_russia.csv series
//     oil_price_brent (annual averages, 2000–2025); every month of a year
//     takes the year's value; held after the last year.
//
// A missing year, two rows where the rule needs one, or a non-positive
// level is an error that names the file and lines: a corrupt data file
// never yields a silently wrong path.
package drivers

import (
	"fmt"
	"slices"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/data"
)

// Values are the drivers for one month.
type Values struct {
	RubPerUSD       float64 // RUB per USD, monthly mean
	RuWageRUB       float64 // Russian average nominal monthly wage (Rosstat), RUB
	RuRealGrowthPct float64 // Russian real GDP growth, % y/y (annual value applied to each month of the year)
	TjGDPUSD        float64 // Tajik GDP, current USD, ANNUAL level of the month's year
	TjRealGrowthPct float64 // Tajik real GDP growth, % y/y
	TjPopulation    float64 // Tajik mid-year population interpolated monthly, persons
	TjsPerUSD       float64 // somoni per USD
	OilBrentUSD     float64 // Brent, USD per barrel (annual)
}

// Indexes of the drivers, in the order of the Values fields.
const (
	rubPerUSD = iota
	ruWageRUB
	ruRealGrowthPct
	tjGDPUSD
	tjRealGrowthPct
	tjPopulation
	tjsPerUSD
	oilBrentUSD
	numDrivers
)

var names = [numDrivers]string{
	"rub_per_usd",
	"ru_wage_rub",
	"ru_real_growth_pct",
	"tj_gdp_usd",
	"tj_real_growth_pct",
	"tj_population",
	"tjs_per_usd",
	"oil_brent_usd",
}

var units = [numDrivers]string{
	"RUB per USD",
	"RUB per month",
	"% y/y",
	"USD per year",
	"% y/y",
	"persons",
	"TJS per USD",
	"USD per barrel",
}

// Names returns the drivers' names (the Values fields in snake_case), in
// field order.
func Names() []string { return slices.Clone(names[:]) }

// First (2000-01) and Last (2060-12) bound the months a span may cover.
const (
	First calendar.Month = (2000 - calendar.Origin) * 12
	Last  calendar.Month = (2060-calendar.Origin)*12 + 11
)

// A Note documents how one driver was built.
type Note struct {
	Name    string   // e.g. "rub_per_usd"
	Unit    string   // e.g. "RUB per USD"
	Sources []string // the rows used, as "file:lines", e.g. "macro_russia.csv:2-24,26"
	Rule    string   // how the months were filled

	// LastObserved is the last month whose value rests on data alone (not
	// on a held, extrapolated or unsourced value).
	LastObserved calendar.Month

	// Assumed lists the months of the span whose value rests on an
	// assumption: a figure from UNSOURCED.csv, or a value held or
	// extrapolated beyond the data. Assumptions says what was assumed.
	Assumed     []calendar.Range
	Assumptions string
}

// Paths holds the monthly drivers over a span.
type Paths struct {
	Span   calendar.Range
	Notes  []Note // one per driver, in the order of Names
	series [numDrivers][]float64
}

// At returns the drivers for month m. A month outside the span is clamped
// to the nearest edge: before Span.From it gets the values of Span.From,
// after Span.Until those of Span.Until. The zero Paths gives zero Values.
func (p *Paths) At(m calendar.Month) Values {
	if len(p.series[0]) == 0 {
		return Values{}
	}
	m = max(p.Span.From, min(m, p.Span.Until))
	i := int(m - p.Span.From)
	s := &p.series
	return Values{
		RubPerUSD:       s[rubPerUSD][i],
		RuWageRUB:       s[ruWageRUB][i],
		RuRealGrowthPct: s[ruRealGrowthPct][i],
		TjGDPUSD:        s[tjGDPUSD][i],
		TjRealGrowthPct: s[tjRealGrowthPct][i],
		TjPopulation:    s[tjPopulation][i],
		TjsPerUSD:       s[tjsPerUSD][i],
		OilBrentUSD:     s[oilBrentUSD][i],
	}
}

// Series returns a copy of one driver's path over the span, indexed by
// month minus Span.From, by its name (see Names), and whether the name is
// known.
func (p *Paths) Series(name string) ([]float64, bool) {
	i := slices.Index(names[:], name)
	if i < 0 {
		return nil, false
	}
	return slices.Clone(p.series[i]), true
}

// Build builds the drivers over span from the reference data. The span must
// be non-empty and lie within 2000-01..2060-12.
func Build(ref *data.Reference, span calendar.Range) (*Paths, error) {
	switch {
	case span.Until < span.From:
		return nil, fmt.Errorf("drivers: span %v is empty", span)
	case span.From < First:
		return nil, fmt.Errorf("drivers: span %v starts before %v, the first month of the data", span, First)
	case span.Until > Last:
		return nil, fmt.Errorf("drivers: span %v ends after %v", span, Last)
	}
	if ref == nil {
		return nil, fmt.Errorf("drivers: no reference data")
	}
	b := &builder{ref: ref, end: span.Until}
	steps := [numDrivers]func(*driver) error{
		rubPerUSD:       b.rubPerUSD,
		ruWageRUB:       b.ruWage,
		ruRealGrowthPct: b.ruGrowth,
		tjRealGrowthPct: b.tjGrowth, // before tj_gdp_usd, which uses it
		tjGDPUSD:        b.tjGDP,
		tjPopulation:    b.tjPopulation,
		tjsPerUSD:       b.tjsPerUSD,
		oilBrentUSD:     b.oil,
	}
	order := []int{rubPerUSD, ruWageRUB, ruRealGrowthPct, tjRealGrowthPct, tjGDPUSD, tjPopulation, tjsPerUSD, oilBrentUSD}
	for _, k := range order {
		d := &b.drivers[k]
		d.name = names[k]
		d.values = make([]float64, b.months())
		if err := steps[k](d); err != nil {
			return nil, fmt.Errorf("drivers: %s: %w", names[k], err)
		}
	}
	p := &Paths{Span: span}
	from := int(span.From - First)
	for k := range numDrivers {
		d := &b.drivers[k]
		p.series[k] = slices.Clone(d.values[from:])
		p.Notes = append(p.Notes, d.note(span, units[k]))
	}
	return p, nil
}
