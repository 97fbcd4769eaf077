package observed

import (
	"math"
	"strings"
	"testing"

	"github.com/corridor-sim/corridor/data"
)

func embedded(t *testing.T) *data.Reference {
	t.Helper()
	ref, err := data.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func targets(t *testing.T) []Target {
	t.Helper()
	ts, err := Targets(embedded(t))
	if err != nil {
		t.Fatalf("Targets: %v", err)
	}
	return ts
}

func TestTargetsWellFormed(t *testing.T) {
	ts := targets(t)
	want := []string{"remittances_usd", "remittances_pct_gdp", "migrants_in_russia", "departures", "entry_bans_active",
		"deportations", "poverty_rate", "households_with_migrant_share", "migrants_women_share",
		"cbr_transfers_usd", "departures_share_jan_may", "departures_share_h1", "returns_share_jan_may",
		"migrants_working_share_jan", "migrants_working_share_may_jul", "migrants_working_share_nov"}
	if len(ts) != len(want) {
		t.Fatalf("%d targets, want %d", len(ts), len(want))
	}
	for i, tg := range ts {
		if tg.Output != want[i] {
			t.Errorf("target %d is %q, want %q", i, tg.Output, want[i])
		}
		if tg.Label == "" || tg.Unit == "" || tg.Why == "" || !(tg.Scale > 0) || len(tg.Points) == 0 {
			t.Errorf("%s: incomplete target %+v", tg.Output, tg)
		}
		for j, p := range tg.Points {
			if p.Year > data.LastInSampleYear {
				t.Errorf("%s: point for %d is after %d", tg.Output, p.Year, data.LastInSampleYear)
			}
			if p.Year < 2000 {
				t.Errorf("%s: point for %d is before 2000", tg.Output, p.Year)
			}
			if j > 0 && p.Year <= tg.Points[j-1].Year {
				t.Errorf("%s: points not sorted by year with one per year: %d after %d", tg.Output, p.Year, tg.Points[j-1].Year)
			}
			if math.IsNaN(p.Value) || math.IsInf(p.Value, 0) || p.Value <= 0 {
				t.Errorf("%s %d: value %v", tg.Output, p.Year, p.Value)
			}
			if p.File == "" || p.Line < 2 || p.Source == "" || p.Series == "" {
				t.Errorf("%s %d: point not traced to a row: %+v", tg.Output, p.Year, p)
			}
			if p.Bound != "" && p.Bound != "lower" && p.Bound != "upper" {
				t.Errorf("%s %d: bound %q", tg.Output, p.Year, p.Bound)
			}
		}
	}
}

func TestTargetValues(t *testing.T) {
	ts := targets(t)
	tests := []struct {
		output string
		year   int
		value  float64
		series string
		bound  string
	}{
		{"remittances_usd", 2002, 79e6, "migrant_remittance_inflows_usd", ""},
		{"remittances_usd", 2007, 1691e6, "migrant_remittance_inflows_usd", ""},
		{"remittances_usd", 2008, 2277681569, "personal_remittances_received_usd_derived", ""}, // not the old release's 2,544 m
		{"remittances_usd", 2012, 3222668180, "personal_remittances_received_usd_derived", ""},
		{"remittances_pct_gdp", 2010, 35.81, "personal_remittances_received_pct_gdp", ""}, // WDI, not the 31% news figure
		{"remittances_pct_gdp", 2018, 28.12, "personal_remittances_received_pct_gdp", ""}, // WDI, not 32.2
		{"migrants_in_russia", 2005, 400000, "migrant_stock_in_russia_estimate", "lower"},
		{"migrants_in_russia", 2011, 1030000, "migrant_stock_in_russia_estimate", ""},
		{"migrants_in_russia", 2014, 1137939, "tj_citizens_in_russia_fms", "upper"},
		{"departures", 2005, 412123, "labour_migrants_departed_total", "lower"},
		{"departures", 2013, 799698, "labour_migrants_departed_total", ""},
		{"departures", 2016, 517300, "labour_migrants_departed_total", ""}, // the annual row, not H1 or Jan–May
		{"entry_bans_active", 2014, 198000, "entry_bans_all_foreigners_stock × entry_bans_tj_share_pct", "upper"},
		{"entry_bans_active", 2017, 400000, "entry_bans_tj_stock", ""},
		{"deportations", 2006, 5600, "deportations_tj_from_russia", ""},
		{"poverty_rate", 2003, 72.4, "poverty_rate_national", ""},
		{"poverty_rate", 2013, 35.6, "poverty_rate_national", ""},
		{"households_with_migrant_share", 2018, 40, "households_with_migrant_share_pct", ""},
		{"migrants_women_share", 2014, 14.9, "women_share_of_tj_citizens_in_russia", ""},
		{"cbr_transfers_usd", 2012, 3651e6, "cbr_transfers_russia_to_tj_usd", ""}, // the CBR release, not the 3.8 bn report
		{"cbr_transfers_usd", 2015, 1278e6, "cbr_transfers_russia_to_tj_usd", ""}, // annual, not Jan–Sep
		{"departures_share_jan_may", 2016, 52.4, "seasonality_share_departures_jan_may_pct", ""},
		{"departures_share_h1", 2016, 59.7, "seasonality_share_departures_h1_pct", ""},
		{"returns_share_jan_may", 2016, 27.3, "seasonality_share_returns_jan_may_pct", "upper"},
		{"migrants_working_share_jan", 2016, 75, "migrants_currently_working_pct", ""},
		{"migrants_working_share_may_jul", 2016, 85.5, "migrants_currently_working_pct", ""},
		{"migrants_working_share_nov", 2015, 84, "migrants_currently_working_pct", ""},
	}
	for _, tc := range tests {
		tg, ok := Find(ts, tc.output)
		if !ok {
			t.Fatalf("no target %q", tc.output)
		}
		var got *Point
		for i := range tg.Points {
			if tg.Points[i].Year == tc.year {
				got = &tg.Points[i]
			}
		}
		if got == nil {
			t.Errorf("%s: no point for %d", tc.output, tc.year)
			continue
		}
		if math.Abs(got.Value-tc.value) > 1e-9*tc.value || got.Series != tc.series || got.Bound != tc.bound {
			t.Errorf("%s %d: %v from %s (bound %q), want %v from %s (bound %q)", tc.output, tc.year, got.Value, got.Series, got.Bound, tc.value, tc.series, tc.bound)
		}
	}

	years := func(output string) []int {
		tg, _ := Find(ts, output)
		var ys []int
		for _, p := range tg.Points {
			ys = append(ys, p.Year)
		}
		return ys
	}
	if got := years("remittances_usd"); len(got) != 17 || got[0] != 2002 || got[16] != 2018 {
		t.Errorf("remittances_usd years %v, want 2002–2018", got)
	}
	if got := years("cbr_transfers_usd"); len(got) != 9 || got[0] != 2010 || got[8] != 2018 {
		t.Errorf("cbr_transfers_usd years %v, want 2010–2018", got)
	}
	if got := years("poverty_rate"); len(got) != 9 || got[0] != 2003 {
		t.Errorf("poverty_rate years %v, want 2003…2017 without 1999", got)
	}
	if got := years("deportations"); len(got) != 1 {
		t.Errorf("deportations years %v, want [2006]", got)
	}
	for output, scale := range map[string]float64{"poverty_rate": 0.01, "households_with_migrant_share": 0.01, "migrants_women_share": 0.01, "remittances_pct_gdp": 1, "remittances_usd": 1} {
		if tg, _ := Find(ts, output); tg.Scale != scale {
			t.Errorf("%s: Scale %v, want %v", output, tg.Scale, scale)
		}
	}
}

func TestFind(t *testing.T) {
	ts := targets(t)
	if tg, ok := Find(ts, "departures"); !ok || tg.Output != "departures" {
		t.Errorf("Find(departures) = %v, %v", tg.Output, ok)
	}
	if _, ok := Find(ts, "no_such_output"); ok {
		t.Error("Find found an unknown output")
	}
}

// edited returns a copy of the embedded data with observations rewritten by
// edit (false drops one) and extra rows appended.
func edited(t *testing.T, edit func(o *data.Observation) bool, extra ...data.Observation) *data.Reference {
	ref := *embedded(t)
	ref.Observations = nil
	for _, o := range embedded(t).Observations {
		if edit(&o) {
			ref.Observations = append(ref.Observations, o)
		}
	}
	ref.Observations = append(ref.Observations, extra...)
	return &ref
}

func derivedRow(t *testing.T, year int) data.Observation {
	for _, o := range embedded(t).Find("personal_remittances_received_usd_derived", "Tajikistan") {
		if o.Year == year {
			return o
		}
	}
	t.Fatalf("no derived remittances row for %d", year)
	return data.Observation{}
}

func TestTargetsErrors(t *testing.T) {
	keep := func(*data.Observation) bool { return true }
	late := derivedRow(t, 2018)
	late.Year, late.Line = 2019, 900
	dup := derivedRow(t, 2012)
	dup.Line, dup.Value = 901, 1
	tests := []struct {
		name string
		ref  *data.Reference
		want string
	}{
		{"outcome after 2018", edited(t, keep, late),
			"observed: remittances_usd: remittances_tajikistan.csv:900: year 2019 is after 2018, the last in-sample year"},
		{"two rows for a year", edited(t, keep, dup),
			"observed: remittances_usd: remittances_tajikistan.csv lines 77 and 901 both give personal_remittances_received_usd_derived for 2012"},
		{"no deportations", edited(t, func(o *data.Observation) bool { return o.Series != "deportations_tj_from_russia" }),
			"observed: deportations: no observed points"},
		{"no ban share", edited(t, func(o *data.Observation) bool { return o.Series != "entry_bans_tj_share_pct" }),
			"observed: entry_bans_active: enforcement.csv: want one 2014 row each of entry_bans_all_foreigners_stock and entry_bans_tj_share_pct, found 1 and 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Targets(tc.ref)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %v, want %s", err, tc.want)
			}
		})
	}
	if _, err := Targets(nil); err == nil {
		t.Error("Targets(nil) succeeded")
	}
}

// A row flagged estimate=yes gives way to another row for the same year.
func TestEstimateGivesWay(t *testing.T) {
	est := derivedRow(t, 2012)
	est.Line, est.Value, est.Estimate = 902, 1, "yes"
	ts, err := Targets(edited(t, func(*data.Observation) bool { return true }, est))
	if err != nil {
		t.Fatal(err)
	}
	tg, _ := Find(ts, "remittances_usd")
	for _, p := range tg.Points {
		if p.Year == 2012 && (p.Value != 3222668180 || p.Line != 77) {
			t.Errorf("2012: %v from line %d, want the non-estimate row", p.Value, p.Line)
		}
	}
}
