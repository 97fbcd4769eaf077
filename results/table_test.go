package results

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/sim"
)

// lastRec has a column aggregated with "last", which sim.Record lacks.
type lastRec struct {
	Month calendar.Month `csv:"month" agg:"none" unit:"YYYY-MM" doc:"m"`
	Stock float64        `csv:"stock" agg:"mean" unit:"persons" doc:"s"`
	Remit float64        `csv:"remittances_usd" agg:"sum" unit:"USD" doc:"r"`
	GDP   float64        `csv:"gdp_usd" agg:"sum" unit:"USD" doc:"g"`
	Pct   float64        `csv:"remittances_pct_gdp" agg:"none" unit:"% of GDP" doc:"p"`
	End   float64        `csv:"end" agg:"last" unit:"persons" doc:"e"`
}

func TestAnnual(t *testing.T) {
	type row = map[string]float64
	tests := []struct {
		name  string
		table func() (*Table, error)
		want  []row
	}{
		{
			name: "partial years at both ends",
			table: func() (*Table, error) {
				return Annual([]sim.Record{
					{Month: calendar.Of(2012, 11), Population: 100, Births: 5, RemittancesUSD: 10, GDPUSD: 400, HouseholdsWithMigrantShare: 0.2, PovertyRate: 0.5},
					{Month: calendar.Of(2012, 12), Population: 300, Births: 7, RemittancesUSD: 30, GDPUSD: 400, HouseholdsWithMigrantShare: 0.4, PovertyRate: 0.3},
					{Month: calendar.Of(2013, 1), Population: 1000, Births: 2, RemittancesUSD: 50, GDPUSD: 200, HouseholdsWithMigrantShare: 0.1, PovertyRate: 0.2},
				})
			},
			want: []row{
				// Means and sums over the two simulated months only.
				{"year": 2012, "months": 2, "population": 200, "births": 12, "remittances_usd": 40, "gdp_usd": 800,
					"remittances_pct_gdp": 5, "households_with_migrant_share": 0.3, "poverty_rate": 0.4},
				{"year": 2013, "months": 1, "population": 1000, "births": 2, "remittances_usd": 50, "gdp_usd": 200,
					"remittances_pct_gdp": 25, "households_with_migrant_share": 0.1, "poverty_rate": 0.2},
			},
		},
		{
			name: "full year",
			table: func() (*Table, error) {
				var recs []sim.Record
				for m := 1; m <= 12; m++ {
					x := float64(m)
					recs = append(recs, sim.Record{Month: calendar.Of(2013, m), Population: 100 * x, Births: x,
						RemittancesUSD: x, GDPUSD: 13 - x, RemittancesPctGDP: -1})
				}
				return Annual(recs)
			},
			want: []row{
				// remittances_pct_gdp is 78/78 × 100 from the annual sums,
				// not the mean of the monthly ratios (≈ 218).
				{"year": 2013, "months": 12, "population": 650, "births": 78, "remittances_usd": 78, "gdp_usd": 78,
					"remittances_pct_gdp": 100},
			},
		},
		{
			name: "last month, with gaps",
			table: func() (*Table, error) {
				s, err := parseSchema(reflect.TypeFor[lastRec]())
				if err != nil {
					return nil, err
				}
				return annual(s, []lastRec{
					{Month: calendar.Of(2013, 3), Stock: 1, Remit: 1, GDP: 10, End: 5},
					{Month: calendar.Of(2013, 7), Stock: 2, Remit: 2, GDP: 10, End: 9},
					{Month: calendar.Of(2013, 8), Stock: 6, Remit: 3, GDP: 20, End: 7},
					{Month: calendar.Of(2014, 1), Stock: 4, Remit: 1, GDP: 4, End: 4},
				})
			},
			want: []row{
				{"year": 2013, "months": 3, "stock": 3, "remittances_usd": 6, "gdp_usd": 40, "remittances_pct_gdp": 15, "end": 7},
				{"year": 2014, "months": 1, "stock": 4, "remittances_usd": 1, "gdp_usd": 4, "remittances_pct_gdp": 25, "end": 4},
			},
		},
		{
			name:  "no records",
			table: func() (*Table, error) { return Annual(nil) },
			want:  nil,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := tc.table()
			if err != nil {
				t.Fatal(err)
			}
			if tab.Columns[0].Name != "year" || tab.Columns[1].Name != "months" {
				t.Errorf("first columns = %s, %s; want year, months", tab.Columns[0].Name, tab.Columns[1].Name)
			}
			if len(tab.Rows) != len(tc.want) {
				t.Fatalf("%d rows, want %d", len(tab.Rows), len(tc.want))
			}
			for i, want := range tc.want {
				for name, w := range want {
					j := tab.Index(name)
					if j < 0 {
						t.Fatalf("no column %s", name)
					}
					if got := tab.Rows[i][j]; !approxEqual(got, w) {
						t.Errorf("row %d (%v): %s = %v, want %v", i, tab.Rows[i][0], name, got, w)
					}
				}
			}
		})
	}
}

func approxEqual(a, b float64) bool {
	return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b))
}

func TestMonthly(t *testing.T) {
	recs := synthetic(calendar.Of(2012, 11), 15)
	tab, err := Monthly(recs)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(tab.Columns, Columns()) {
		t.Errorf("columns of the monthly table differ from Columns()")
	}
	if len(tab.Rows) != len(recs) {
		t.Fatalf("%d rows, want %d", len(tab.Rows), len(recs))
	}
	pop, pct := tab.Index("population"), tab.Index("remittances_pct_gdp")
	for i, row := range tab.Rows {
		if m := calendar.Month(row[0]); m != recs[i].Month {
			t.Errorf("row %d: month %s, want %s", i, m, recs[i].Month)
		}
		if row[pop] != recs[i].Population {
			t.Errorf("row %d: population %v, want %v", i, row[pop], recs[i].Population)
		}
		// Recomputed, not the record's 999.
		if want := recs[i].RemittancesUSD / recs[i].GDPUSD * 100; row[pct] != want {
			t.Errorf("row %d: remittances_pct_gdp %v, want %v", i, row[pct], want)
		}
	}
	if recs[0].RemittancesPctGDP != 999 {
		t.Errorf("Monthly changed its input")
	}
}

func TestOrderErrors(t *testing.T) {
	tests := []struct {
		name   string
		months []string
		want   string
	}{
		{"duplicate", []string{"2013-01", "2013-02", "2013-02"}, "month 2013-02 appears twice"},
		{"backwards", []string{"2013-01", "2013-03", "2013-02"}, "2013-02 follows 2013-03"},
	}
	for _, tc := range tests {
		var recs []sim.Record
		for _, m := range tc.months {
			mo, err := calendar.Parse(m)
			if err != nil {
				t.Fatal(err)
			}
			recs = append(recs, sim.Record{Month: mo, GDPUSD: 1})
		}
		for name, f := range map[string]func([]sim.Record) (*Table, error){"Monthly": Monthly, "Annual": Annual} {
			if _, err := f(recs); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: %s: error %v, want one containing %q", tc.name, name, err, tc.want)
			}
		}
	}
}
