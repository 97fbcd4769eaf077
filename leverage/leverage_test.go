package leverage

import (
	"bytes"
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/policy"
	"github.com/corridor-sim/corridor/results"
)

func TestRatio(t *testing.T) {
	for _, c := range []struct{ o, d, want float64 }{
		{10, 5, 2}, {-10, 5, -2}, {10, 0, math.Inf(1)}, {10, -3, math.Inf(1)}, {0, 0, math.NaN()}, {-1, -1, math.NaN()},
	} {
		got := Ratio(c.o, c.d)
		if got != c.want && !(math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("Ratio(%v, %v) = %v, want %v", c.o, c.d, got, c.want)
		}
	}
}

func TestRankRows(t *testing.T) {
	rows := []Row{
		{Lever: "a", LeverageRatio: 0.5, RemittancesLostUSD: 100},
		{Lever: "b", LeverageRatio: math.NaN(), RemittancesLostUSD: 0},
		{Lever: "c", LeverageRatio: math.Inf(1), RemittancesLostUSD: 10},
		{Lever: "d", LeverageRatio: 2, RemittancesLostUSD: 50},
		{Lever: "e", LeverageRatio: 2, RemittancesLostUSD: 60},
	}
	rankRows(rows)
	var order []string
	for _, r := range rows {
		order = append(order, r.Lever)
	}
	if want := []string{"c", "e", "d", "a", "b"}; !slices.Equal(order, want) {
		t.Errorf("rank order %v, want %v", order, want)
	}
	origin := map[string]int{}
	for i, r := range rows {
		if r.Rank != i+1 {
			t.Errorf("%s: rank %d at position %d", r.Lever, r.Rank, i+1)
		}
		origin[r.Lever] = r.RankOriginCost
	}
	if want := map[string]int{"a": 1, "e": 2, "d": 3, "c": 4, "b": 5}; !equalMaps(origin, want) {
		t.Errorf("origin ranks %v, want %v", origin, want)
	}
}

func equalMaps(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestRank runs the ranking of this build's levers coarsely: one row per
// lever, results independent of the number of parallel runs, costs with
// the signs the levers imply.
func TestRank(t *testing.T) {
	o := Options{Start: calendar.Of(2013, 3), Years: 2, Seed: 1, Scale: 1000}
	var csvs []string
	var rk *Ranking
	for _, par := range []int{1, 3} {
		o.Parallel = par
		r, err := Rank(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := r.WriteCSV(&buf); err != nil {
			t.Fatal(err)
		}
		csvs = append(csvs, buf.String())
		rk = r
	}
	if csvs[0] != csvs[1] {
		t.Error("leverage.csv depends on the number of parallel runs")
	}
	if len(rk.Rows) != len(policy.Levers()) {
		t.Fatalf("%d rows for %d levers", len(rk.Rows), len(policy.Levers()))
	}
	if rk.Until != calendar.Of(2015, 2) {
		t.Errorf("until %v, want 2015-02", rk.Until)
	}
	lines := strings.Split(strings.TrimSpace(csvs[0]), "\n")
	if lines[0] != strings.Join(csvHeader(), ",") || len(lines) != 1+len(rk.Rows) {
		t.Errorf("leverage.csv header %q, %d lines", lines[0], len(lines))
	}
	for _, r := range rk.Rows {
		l, _ := policy.LookupLever(r.Lever)
		if r.Intensity != l.Standard || r.From != o.Start || r.Until != o.Start+calendar.Month(l.Months)-1 {
			t.Errorf("%s: intensity %v from %v until %v; want the standard %v for %d months", r.Lever, r.Intensity, r.From, r.Until, l.Standard, l.Months)
		}
		sum := 0.0
		for _, v := range r.LabourLostPersonYears {
			sum += v
		}
		if math.Abs(sum-r.LabourLostTotal) > 1e-6 {
			t.Errorf("%s: sectors sum to %v, total %v", r.Lever, sum, r.LabourLostTotal)
		}
		if r.OriginCostUSD != r.RemittancesLostUSD || r.DestinationCostUSD != r.WageBillLostUSD+r.PatentRevenueLostUSD {
			t.Errorf("%s: cost totals do not add up", r.Lever)
		}
	}
	// Raids and a border closure cost Tajikistan remittances and Russia
	// migrant labour.
	for _, name := range []string{"enforcement_campaign", "border_closure"} {
		i := slices.IndexFunc(rk.Rows, func(r Row) bool { return r.Lever == name })
		if i < 0 {
			t.Fatalf("no row for %s", name)
		}
		if r := rk.Rows[i]; !(r.RemittancesLostUSD > 0 && r.LabourLostTotal > 0) {
			t.Errorf("%s: remittances lost %v, labour lost %v; want both > 0", name, r.RemittancesLostUSD, r.LabourLostTotal)
		}
	}
	var buf bytes.Buffer
	if err := rk.WriteTable(&buf); err != nil {
		t.Fatal(err)
	}
	// The results have per-region columns, so every lever with a cost
	// names a hardest-hit region.
	if strings.Contains(buf.String(), "n/a: the results have no per-region columns") {
		t.Errorf("table says regions are not available although the results have them:\n%s", buf.String())
	}
	for _, r := range rk.Rows {
		if r.RemittancesLostUSD > 0 && (r.HardestRegion == "" || r.HardestRegion == "n/a") {
			t.Errorf("%s loses remittances but names no hardest-hit region", r.Lever)
		}
	}
}

func TestRankErrors(t *testing.T) {
	if _, err := Rank(context.Background(), Options{Start: calendar.Of(2039, 1), Years: 5}); err == nil {
		t.Error("a ranking beyond the model's range succeeded")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Rank(ctx, Options{Scale: 5000, Years: 1}); err == nil {
		t.Error("a cancelled ranking succeeded")
	}
}

// TestHardestRegion checks the naming convention <metric>_<region> on a
// synthetic table: the region losing the largest share of its remittances
// is the hardest hit.
func TestHardestRegion(t *testing.T) {
	cols := []results.Column{{Name: "month"}, {Name: "remittances_usd"}, {Name: "gdp_usd"}}
	for _, r := range Regions {
		cols = append(cols, results.Column{Name: "remittances_usd_" + r})
	}
	start := calendar.Of(2013, 3)
	mk := func(loss map[string]float64) *results.Table {
		t := &results.Table{Columns: cols}
		for i := range 12 {
			row := []float64{float64(start + calendar.Month(i)), 500, 1000}
			for _, r := range Regions {
				row = append(row, 100-loss[r])
			}
			t.Rows = append(t.Rows, row)
		}
		return t
	}
	base := mk(nil)
	lever := mk(map[string]float64{"khatlon": 10, "gbao": 20, "sughd": 5})
	r := measure(base, lever, nil, nil, start, start+11)
	if r.HardestRegion != "gbao" || r.HardestRegionMetric != "remittances_usd" || math.Abs(r.HardestRegionChangePct-20) > 1e-9 {
		t.Errorf("hardest region %s (%s, %v%%), want gbao (remittances_usd, 20%%)", r.HardestRegion, r.HardestRegionMetric, r.HardestRegionChangePct)
	}
	// Without the columns: n/a.
	plain := &results.Table{Columns: cols[:3]}
	for _, row := range base.Rows {
		plain.Rows = append(plain.Rows, row[:3])
	}
	if r := measure(plain, plain, nil, nil, start, start+11); r.HardestRegion != "n/a" {
		t.Errorf("hardest region without region columns: %s", r.HardestRegion)
	}
}
