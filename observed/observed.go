// Package observed assembles the observed history that the model's annual
// outputs are compared with: for each output, the sourced series chosen to
// measure it, the points taken from it, and why.
//
// Only years up to data.LastInSampleYear (2018) are used: later outcomes
// are the out-of-sample test and must not shape the calibration. Years
// before 2000, when the model starts, are left out. Each target has at most
// one point per year.
package observed

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/corridor-sim/corridor/data"
)

// A Point is one observed value, traced to the row it came from.
type Point struct {
	Year   int
	Value  float64 // in Target.Unit
	Series string  // the data series, e.g. "personal_remittances_received_usd_derived"
	Source string
	File   string
	Line   int
	Note   string

	// Estimate is true when the source row is flagged estimate=yes.
	Estimate bool
	// Bound is "lower" or "upper" when the figure bounds the output's annual
	// value rather than measuring it, and "" otherwise.
	Bound string
}

// A Target is the observed history of one output column.
type Target struct {
	Output string  // the annual.csv column it is compared with, e.g. "remittances_usd"
	Label  string  // human label
	Unit   string  // unit of the points' values
	Scale  float64 // multiply Point.Value by this to get the output's unit (e.g. 0.01 for % → share)
	Points []Point // sorted by year, at most one per year
	Why    string  // which series was chosen and why
}

// Find returns the target for an output column.
func Find(ts []Target, output string) (Target, bool) {
	for _, t := range ts {
		if t.Output == output {
			return t, true
		}
	}
	return Target{}, false
}

const (
	remittancesFile = "remittances_tajikistan.csv"
	migrantsFile    = "migrants_tajikistan.csv"
	enforcementFile = "enforcement.csv"
	extractedFile   = "parameters_extracted.csv"
	tajikistan      = "Tajikistan"
	firstYear       = 2000 // the model starts in January 2000
)

// Targets returns the observed targets, in a fixed order. It fails if a
// selected row lies after data.LastInSampleYear, if a target has no points,
// or if the rules select two rows for one year.
func Targets(ref *data.Reference) ([]Target, error) {
	if ref == nil {
		return nil, errors.New("observed: no reference data")
	}
	builders := []func(*data.Reference) (Target, error){
		remittancesUSD,
		remittancesPctGDP,
		migrantsInRussia,
		departures,
		entryBans,
		deportations,
		povertyRate,
		householdsWithMigrant,
		migrantsWomenShare,
		cbrTransfers,
		departuresShareJanMay,
		departuresShareH1,
		returnsShareJanMay,
		migrantsWorkingJan,
		migrantsWorkingMayJul,
		migrantsWorkingNov,
	}
	ts := make([]Target, 0, len(builders))
	for _, build := range builders {
		t, err := build(ref)
		if err == nil {
			err = t.check()
		}
		if err != nil {
			return nil, fmt.Errorf("observed: %s: %w", t.Output, err)
		}
		ts = append(ts, t)
	}
	return ts, nil
}

func (t *Target) check() error {
	if len(t.Points) == 0 {
		return errors.New("no observed points: the data files lack the rows this target is built from")
	}
	for i, p := range t.Points {
		where := fmt.Sprintf("%s:%d", p.File, p.Line)
		switch {
		case p.Year > data.LastInSampleYear:
			return fmt.Errorf("%s: year %d is after %d, the last in-sample year (later outcomes are the out-of-sample test)", where, p.Year, data.LastInSampleYear)
		case p.Year < firstYear:
			return fmt.Errorf("%s: year %d is before %d", where, p.Year, firstYear)
		case math.IsNaN(p.Value) || math.IsInf(p.Value, 0):
			return fmt.Errorf("%s: value %v is not a finite number", where, p.Value)
		case i > 0 && p.Year == t.Points[i-1].Year:
			return fmt.Errorf("%s and line %d both give %d; a target has one point per year", where, t.Points[i-1].Line, p.Year)
		case i > 0 && p.Year < t.Points[i-1].Year:
			return fmt.Errorf("%s: points out of year order", where)
		}
	}
	return nil
}

// rows returns the observations of a series in a file with a single year
// from firstYear on that keep accepts (nil keeps all), in line order.
func rows(ref *data.Reference, file, series, country string, keep func(data.Observation) bool) []data.Observation {
	var out []data.Observation
	for _, o := range ref.Find(series, country) {
		if o.File == file && o.Year >= firstYear && (keep == nil || keep(o)) {
			out = append(out, o)
		}
	}
	return out
}

func pointOf(o data.Observation) Point {
	return Point{
		Year:     o.Year,
		Value:    o.Value,
		Series:   o.Series,
		Source:   o.Source,
		File:     o.File,
		Line:     o.Line,
		Note:     o.Note,
		Estimate: o.Estimate == "yes",
	}
}

// points turns rows into points, one per year: rows flagged estimate=yes
// give way to other rows for the same year, and two remaining rows for a
// year are an error.
func points(obs []data.Observation) ([]Point, error) {
	byYear := map[int][]data.Observation{}
	var years []int
	for _, o := range obs {
		if _, ok := byYear[o.Year]; !ok {
			years = append(years, o.Year)
		}
		byYear[o.Year] = append(byYear[o.Year], o)
	}
	slices.Sort(years)
	var out []Point
	for _, y := range years {
		cand := byYear[y]
		if len(cand) > 1 {
			var firm []data.Observation
			for _, o := range cand {
				if o.Estimate != "yes" {
					firm = append(firm, o)
				}
			}
			if len(firm) > 0 {
				cand = firm
			}
		}
		if len(cand) > 1 {
			return nil, fmt.Errorf("%s lines %d and %d both give %s for %d; the selection rule needs one", cand[0].File, cand[0].Line, cand[1].Line, cand[0].Series, y)
		}
		out = append(out, pointOf(cand[0]))
	}
	return out, nil
}

func annual(o data.Observation) bool { return o.Period == "annual" }

func remittancesUSD(ref *data.Reference) (Target, error) {
	t := Target{
		Output: "remittances_usd",
		Label:  "Personal remittances received by Tajikistan",
		Unit:   "USD",
		Scale:  1,
		Why: "World Bank WDI personal remittances (balance of payments: all senders and channels), the concept closest to the model's " +
			"remittances received by households. 2008–2018: remittances_tajikistan.csv series personal_remittances_received_usd_derived " +
			"(WDI % of GDP × WDI GDP, Apr/Mar 2026 vintages). 2002–2007, which that series lacks: the World Bank's Nov 2012 release in USD " +
			"(migrant_remittance_inflows_usd), an older vintage of the same concept. For a year with several rows, rows flagged " +
			"estimate=yes give way. Not used: CBR transfers from Russia (money-transfer systems only, gross; they exceeded WDI in 2013–14) " +
			"and NBT transfers to banks (stopped in May 2013): other concepts (data/SOURCES.md, caveat 1).",
	}
	wdi := rows(ref, remittancesFile, "personal_remittances_received_usd_derived", tajikistan, annual)
	have := map[int]bool{}
	for _, o := range wdi {
		have[o.Year] = true
	}
	old := rows(ref, remittancesFile, "migrant_remittance_inflows_usd", tajikistan, func(o data.Observation) bool {
		return annual(o) && !have[o.Year]
	})
	var err error
	t.Points, err = points(append(wdi, old...))
	return t, err
}

func remittancesPctGDP(ref *data.Reference) (Target, error) {
	t := Target{
		Output: "remittances_pct_gdp",
		Label:  "Personal remittances received, % of GDP",
		Unit:   "% of GDP",
		Scale:  1,
		Why: "WDI personal remittances in % of GDP (BX.TRF.PWKR.DT.GD.ZS), the rows of remittances_tajikistan.csv whose source is the WDI " +
			"mirror (github:Fozich/uzbekistan-macro-tracker, vintage Apr 2026), 2008–2018: the same vintage as the USD target and the GDP " +
			"driver. News-report figures of other vintages (31% for 2010, 51.6% for about 2012, 32.2% for 2018) are not used: the WDI " +
			"series is revised often (data/PARAMETERS.md, warning 1).",
	}
	obs := rows(ref, remittancesFile, "personal_remittances_received_pct_gdp", tajikistan, func(o data.Observation) bool {
		return annual(o) && strings.Contains(o.Source, "Fozich/uzbekistan-macro-tracker")
	})
	var err error
	t.Points, err = points(obs)
	return t, err
}

func migrantsInRussia(ref *data.Reference) (Target, error) {
	t := Target{
		Output: "migrants_in_russia",
		Label:  "Tajik labour migrants in Russia (stock)",
		Unit:   "persons",
		Scale:  1,
		Why: "Stocks, not departures, measure the population abroad (data/SOURCES.md, caveat 2). 2005: the ministry survey's \"more than " +
			"400,000\" staying in Russia in January 2006 (a lower bound, and a winter figure). 2011: the Tajik Migration Service's " +
			"\"about 1.03 million\" (Nov 2011: 1,032,620). 2014: the FMS count of Tajik citizens present on 4 May 2014 (1,137,939; " +
			"mid-2014: 1,170,825): peak season and all citizens present, not only workers, so an upper bound on the model's annual mean " +
			"of month-end stocks; the lower of the two 2014 counts is the tighter bound. Not used: the June 2015 figure (1,000,543, an " +
			"ambiguous reading flagged estimate=unclear) and UNSOURCED.csv's ≈1.0 m for 2016–2019 (an assumption).",
	}
	stock := rows(ref, migrantsFile, "migrant_stock_in_russia_estimate", tajikistan, func(o data.Observation) bool {
		return o.Period == "annual" || o.Period == "point: Jan 2006"
	})
	fms := rows(ref, migrantsFile, "tj_citizens_in_russia_fms", tajikistan, func(o data.Observation) bool {
		return o.Period == "point: 4 May 2014"
	})
	var err error
	t.Points, err = points(append(stock, fms...))
	for i := range t.Points {
		p := &t.Points[i]
		switch {
		case p.Year == 2005:
			p.Bound = "lower"
			p.Note = "\"more than 400,000\" staying in Russia in January 2006: a lower bound, and a winter figure. " + p.Note
		case p.Series == "tj_citizens_in_russia_fms":
			p.Bound = "upper"
			p.Note = "FMS citizens present in May, peak season, including non-workers: the model's annual mean is lower. " + p.Note
		}
	}
	return t, err
}

func departures(ref *data.Reference) (Target, error) {
	t := Target{
		Output: "departures",
		Label:  "Labour-migration departures (migration cards)",
		Unit:   "persons",
		Scale:  1,
		Why: "Tajik Ministry of Labour departures by migration card (labour_migrants_departed_total), the flow the model's departures " +
			"measure: the annual rows 2015–2018 (2015 and 2017 derived from stated year-on-year changes), 2005 counted to 1 December " +
			"(11 months, so a lower bound on the year), and 2013 derived as 484,176 + 315,522 (\"compared with five years ago\", " +
			"flagged estimate). Part-year counts (H1, Jan–May) are not used.",
	}
	obs := rows(ref, migrantsFile, "labour_migrants_departed_total", tajikistan, func(o data.Observation) bool {
		return o.Period == "annual" || o.Period == "annual (derived)" || o.Period == "Jan-Nov"
	})
	var err error
	t.Points, err = points(obs)
	for i := range t.Points {
		if p := &t.Points[i]; p.Year == 2005 {
			p.Bound = "lower"
			p.Note = "January–November only (11 months): December departures are missing. " + p.Note
		}
	}
	return t, err
}

func entryBans(ref *data.Reference) (Target, error) {
	t := Target{
		Output: "entry_bans_active",
		Label:  "Tajik citizens under a Russian re-entry ban",
		Unit:   "persons",
		Scale:  1,
		Why: "Ban counts mix court expulsions with administrative bans and were cut by amnesties (data/SOURCES.md, caveat 3). " +
			"2014: derived as Tajikistan's \"up to 20%\" of the >990,000 foreigners banned on 23 Sep 2014 = 198,000, an upper bound. " +
			"2017: \"around 400,000\" barred before the 2017 agreement, which lifted about 100,000 (PARAMETERS.md §10): the stock before " +
			"the amnesty, so above the model's mean for 2017. Not used: the undated \"more than 151 thousand\" (c. 2016–2018).",
	}
	stock := rows(ref, enforcementFile, "entry_bans_tj_stock", tajikistan, func(o data.Observation) bool {
		return o.Period == "before 2017 agreement"
	})
	var err error
	if t.Points, err = points(stock); err != nil {
		return t, err
	}
	all := rows(ref, enforcementFile, "entry_bans_all_foreigners_stock", "Russian Federation", func(o data.Observation) bool { return o.Year == 2014 })
	share := rows(ref, enforcementFile, "entry_bans_tj_share_pct", tajikistan, func(o data.Observation) bool { return o.Year == 2014 })
	if len(all) != 1 || len(share) != 1 {
		return t, fmt.Errorf("%s: want one 2014 row each of entry_bans_all_foreigners_stock and entry_bans_tj_share_pct, found %d and %d",
			enforcementFile, len(all), len(share))
	}
	a, s := all[0], share[0]
	derived := Point{
		Year:     2014,
		Value:    a.Value * s.Value / 100,
		Series:   a.Series + " × " + s.Series,
		Source:   a.Source,
		File:     a.File,
		Line:     a.Line,
		Note:     fmt.Sprintf("Derived: %v%% of %v (%s lines %d and %d); Tajikistan's share is \"up to 20%%\", so an upper bound.", s.Value, a.Value, a.File, a.Line, s.Line),
		Estimate: true,
		Bound:    "upper",
	}
	t.Points = append([]Point{derived}, t.Points...)
	return t, nil
}

func deportations(ref *data.Reference) (Target, error) {
	t := Target{
		Output: "deportations",
		Label:  "Deportations of Tajik citizens from Russia",
		Unit:   "persons",
		Scale:  1,
		Why: "The Tajik Migration Service's 5,600 deportations in 2006, the only exact annual count (enforcement.csv). The same report's " +
			"\"nearly 18,000\" for 2004 (rounded, flagged estimate) and \">50,000\" over 2004–2006 (cumulative) are not used.",
	}
	obs := rows(ref, enforcementFile, "deportations_tj_from_russia", tajikistan, func(o data.Observation) bool {
		return annual(o) && o.Estimate != "yes"
	})
	var err error
	t.Points, err = points(obs)
	return t, err
}

func povertyRate(ref *data.Reference) (Target, error) {
	t := Target{
		Output: "poverty_rate",
		Label:  "National poverty rate",
		Unit:   "% of population",
		Scale:  0.01,
		Why: "National poverty rate (national poverty line) from PARAMETERS.md §8 (ADB CPS poverty analysis and news reports), via " +
			"parameters_extracted.csv series poverty_rate_national, annual figures 2003–2017. 1999 is before the model starts; the Q1 " +
			"2015 figure is quarterly (poverty is seasonal) and is not used. 2012 is given as \"38.3/37.4\": the first figure is used; " +
			"2017 is \"≈32\".",
	}
	obs := rows(ref, extractedFile, "poverty_rate_national", tajikistan, annual)
	var err error
	t.Points, err = points(obs)
	return t, err
}

func householdsWithMigrant(ref *data.Reference) (Target, error) {
	t := Target{
		Output: "households_with_migrant_share",
		Label:  "Share of households with an international migrant",
		Unit:   "% of households",
		Scale:  0.01,
		Why: "Panel prevalence of households with an international migrant, 40% in 2013 and 2018 (Shimizutani & Yamada 2022, " +
			"PARAMETERS.md §2, via parameters_extracted.csv). A panel sample, not a census, with many households moving in and out of " +
			"migrant status. Other measures differ in definition and are not used: households \"involved in migration\" 22% (2007) " +
			"and 35% (2009, TLSS), L2T 16–23% (2015–16).",
	}
	obs := rows(ref, extractedFile, "households_with_migrant_share_pct", tajikistan, nil)
	var err error
	t.Points, err = points(obs)
	return t, err
}

func migrantsWomenShare(ref *data.Reference) (Target, error) {
	t := Target{
		Output: "migrants_women_share",
		Label:  "Women's share of Tajik migrants in Russia",
		Unit:   "%",
		Scale:  0.01,
		Why: "Women's share of Tajik citizens present in Russia, FMS mid-2014 (174,396 of 1,170,825 = 14.9%; migrants_tajikistan.csv " +
			"series women_share_of_tj_citizens_in_russia). It counts all citizens present, not only labour migrants. The women's " +
			"shares of departures (10.5% H1 2015, 15.8% 2016, 13.3% 2018) measure the flow, not the stock, and are not used.",
	}
	obs := rows(ref, migrantsFile, "women_share_of_tj_citizens_in_russia", tajikistan, nil)
	var err error
	t.Points, err = points(obs)
	return t, err
}

func cbrTransfers(ref *data.Reference) (Target, error) {
	t := Target{
		Output: "cbr_transfers_usd",
		Label:  "Transfers of individuals from Russia to Tajikistan (CBR)",
		Unit:   "USD",
		Scale:  1,
		Why: "Bank of Russia cross-border transfers of individuals to Tajikistan through money-transfer systems and Russian Post " +
			"(remittances_tajikistan.csv series cbr_transfers_russia_to_tj_usd, annual rows 2010–2018). Another concept than WDI: " +
			"gross, from Russia only, one channel, and including transfers by Russian residents (717 m of 2,536 m in 2017). It is " +
			"compared with the model's remittances received, which the model does not split by channel. For 2012 the CBR release " +
			"of March 2013 (3,651 m) is used; a secondary report's 3.8 bn, whose row notes that it differs from the CBR figure, is not.",
	}
	obs := rows(ref, remittancesFile, "cbr_transfers_russia_to_tj_usd", tajikistan, func(o data.Observation) bool {
		return annual(o) && !strings.Contains(o.Note, "differs from CBR")
	})
	var err error
	t.Points, err = points(obs)
	return t, err
}

// seasonal builds a one-point target from a derived seasonal share in
// migrants_tajikistan.csv (a percentage of the year's flow).
func seasonal(ref *data.Reference, output, label, series, why, bound string) (Target, error) {
	t := Target{Output: output, Label: label, Unit: "% of the year's total", Scale: 0.01, Why: why}
	obs := rows(ref, migrantsFile, series, tajikistan, nil)
	var err error
	t.Points, err = points(obs)
	for i := range t.Points {
		t.Points[i].Bound = bound
	}
	return t, err
}

func departuresShareJanMay(ref *data.Reference) (Target, error) {
	return seasonal(ref, "departures_share_jan_may", "Share of the year's departures in January–May",
		"seasonality_share_departures_jan_may_pct",
		"Tajik Ministry of Labour departures in January–May 2016 (≈271,000) over the year's 517,300 = 52.4% "+
			"(migrants_tajikistan.csv, derived from two reports of the same ministry).", "")
}

func departuresShareH1(ref *data.Reference) (Target, error) {
	return seasonal(ref, "departures_share_h1", "Share of the year's departures in January–June",
		"seasonality_share_departures_h1_pct",
		"Tajik Ministry of Labour departures in the first half of 2016 (308,676) over the year's 517,300 = 59.7% "+
			"(migrants_tajikistan.csv, derived).", "")
}

func returnsShareJanMay(ref *data.Reference) (Target, error) {
	return seasonal(ref, "returns_share_jan_may", "Share of the year's returns in January–May",
		"seasonality_share_returns_jan_may_pct",
		"Returns in January–May 2016 (≈109,000) over \"more than 400,000\" returns in the year = at most 27.3% "+
			"(migrants_tajikistan.csv, derived, flagged estimate): the annual total is a lower bound, so the share is an upper bound.", "upper")
}

// working builds a one-point target from the share of migrants abroad who
// are currently working (parameters_extracted.csv, L2T survey).
func working(ref *data.Reference, output, period, label string) (Target, error) {
	t := Target{
		Output: output,
		Label:  label,
		Unit:   "% of migrants abroad",
		Scale:  0.01,
		Why: "Share of migrants abroad who are currently working, World Bank Listening to Tajikistan survey via news reports " +
			"(parameters_extracted.csv series migrants_currently_working_pct, period " + period + "): the seasonal pattern of " +
			"employment abroad. May–July 2016 is given as 85–86%; the midpoint is recorded.",
	}
	obs := rows(ref, extractedFile, "migrants_currently_working_pct", tajikistan, func(o data.Observation) bool { return o.Period == period })
	var err error
	t.Points, err = points(obs)
	return t, err
}

func migrantsWorkingJan(ref *data.Reference) (Target, error) {
	return working(ref, "migrants_working_share_jan", "Jan 2016", "Share of migrants abroad working, January")
}

func migrantsWorkingMayJul(ref *data.Reference) (Target, error) {
	return working(ref, "migrants_working_share_may_jul", "May–Jul 2016", "Share of migrants abroad working, May–July")
}

func migrantsWorkingNov(ref *data.Reference) (Target, error) {
	return working(ref, "migrants_working_share_nov", "Nov 2015", "Share of migrants abroad working, November")
}
