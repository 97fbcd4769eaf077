package validation

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/corridor-sim/corridor/calibration"
	"github.com/corridor-sim/corridor/data"
	"github.com/corridor-sim/corridor/params"
)

func TestBandOf(t *testing.T) {
	tests := []struct {
		xs   []float64
		want Band
	}{
		{[]float64{3}, Band{3, 3, 3}},
		{[]float64{1, 2, 3, 4, 5}, Band{3, 1, 5}},
		{[]float64{5, 4, 3, 2, 1}, Band{3, 1, 5}}, // order does not matter
	}
	for _, tc := range tests {
		got := bandOf(tc.xs)
		if math.Abs(got.Median-tc.want.Median) > 1e-12 || got.P05 < tc.want.P05 || got.P95 > tc.want.P95 || got.P05 > got.Median || got.P95 < got.Median {
			t.Errorf("bandOf(%v) = %+v, want median %v within [%v, %v]", tc.xs, got, tc.want.Median, tc.want.P05, tc.want.P95)
		}
	}
	if b := bandOf([]float64{1, math.NaN()}); !math.IsNaN(b.Median) {
		t.Errorf("a NaN member gave %+v", b)
	}
}

func TestBoundError(t *testing.T) {
	tests := []struct {
		kind     string
		obs, sim float64
		want     float64
	}{
		{calibration.Exact, 100, 110, 0.1},
		{calibration.Exact, 100, 90, -0.1},
		{calibration.Lower, 100, 110, 0},
		{calibration.Lower, 100, 90, -0.1},
		{calibration.Upper, 100, 90, 0},
		{calibration.Upper, 100, 110, 0.1},
	}
	for _, tc := range tests {
		got := boundError(calibration.Target{Kind: tc.kind, Value: tc.obs}, tc.sim)
		if math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s %v vs %v: %v, want %v", tc.kind, tc.sim, tc.obs, got, tc.want)
		}
	}
}

// TestErrorsBySeries checks the baselines and turning points on a made-up
// series: the model's values, persistence (last observed value) and the
// wage baseline (k × wage with k the geometric mean ratio).
func TestErrorsBySeries(t *testing.T) {
	obs := map[int]float64{2008: 100, 2009: 80, 2010: 90}
	model := map[int]float64{2008: 110, 2009: 88, 2010: 90}
	wage := map[int]wageYear{2008: {usd: 10, gdp: 1}, 2009: {usd: 8, gdp: 1}, 2010: {usd: 10, gdp: 1}}
	var rows []TargetRow
	for _, y := range []int{2008, 2009, 2010} {
		rows = append(rows, TargetRow{Target: calibration.Target{Series: "remittances_usd", Year: y, Value: obs[y], Kind: calibration.Exact}})
	}
	rows = append(rows, TargetRow{Target: calibration.Target{Series: "remittances_usd", Year: 2011, Value: 50, Kind: calibration.Upper}, Error: 0.2})
	band := func(s string, y int) Band { return Band{Median: model[y]} }
	sr, turning := errorsBySeries(rows, band, wage)
	if len(sr) != 1 {
		t.Fatalf("%d series", len(sr))
	}
	s := sr[0]
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	near("model MAPE", s.ModelMAPE, 100*(0.1+0.1+0)/3)
	near("persistence MAPE", s.PersistenceMAPE, 100*(20.0/80+10.0/90)/2)
	near("model MAPE on persistence points", s.ModelMAPEOnPersistence, 100*(0.1+0)/2)
	// k = geometric mean of 100/10, 80/8, 90/10 = (10·10·9)^(1/3).
	k := math.Cbrt(900)
	near("wage MAPE", s.WageMAPE, 100*(math.Abs(10*k-100)/100+math.Abs(8*k-80)/80+math.Abs(10*k-90)/90)/3)
	if s.Points != 3 || s.PersistencePoints != 2 || s.WagePoints != 3 || s.BoundsViolated != 1 || s.BoundsHeld != 0 {
		t.Errorf("counts %+v", s)
	}
	if len(turning) != 1 || turning[0].Year != 2009 || s.Turning != 1 || s.ModelRight != 1 || s.WageRight != 1 {
		t.Errorf("turning points %+v, series %+v", turning, s)
	}
}

// TestShippedCalibrationReproduces is the regression guard in CI: the
// shipped calibration, re-run at its recorded scale and seeds, must give
// the fit recorded in params/calibrated.json. It fails after a change to
// the model, the data or the targets until `make calibrate` is re-run.
func TestShippedCalibrationReproduces(t *testing.T) {
	ref, err := data.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := calibration.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	ts, err := calibration.DefaultTargets()
	if err != nil {
		t.Fatal(err)
	}
	g, err := Guard(context.Background(), ref, doc, ts, calibration.DefaultTargetsCSV())
	if err != nil {
		t.Fatal(err)
	}
	if !g.OK {
		t.Fatalf("regression guard: %s", g.Reason)
	}
	t.Logf("objective %.6f (recorded %.6f), remittance MAPE %.3f%% (recorded %.3f%%)", g.Objective, g.Recorded, g.MAPE, g.RecordedMAPE)

	// The guard fails when the calibration does not match: other data,
	// another targets file, or a parameter set that fits differently.
	other := *doc
	other.DataHash = "0000"
	if g, _ := Guard(context.Background(), ref, &other, ts, calibration.DefaultTargetsCSV()); g.OK || !strings.Contains(g.Reason, "data changed") {
		t.Errorf("other data hash: %+v", g)
	}
	if g, _ := Guard(context.Background(), ref, doc, ts, append(calibration.DefaultTargetsCSV(), ' ')); g.OK || !strings.Contains(g.Reason, "targets file changed") {
		t.Errorf("other targets: %+v", g)
	}
	other = *doc
	other.Parameters = append([]params.CalibratedValue(nil), doc.Parameters...)
	for i := range other.Parameters {
		if other.Parameters[i].Name == "remit_share" {
			other.Parameters[i].Value *= 0.8
		}
	}
	if g, _ := Guard(context.Background(), ref, &other, ts, calibration.DefaultTargetsCSV()); g.OK {
		t.Errorf("a 20%% lower remit_share passed the guard: %+v", g)
	}
}
