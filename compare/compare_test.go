package compare

import (
	"bytes"
	"context"
	"flag"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/internal/goldenfile"
	"github.com/corridor-sim/corridor/policy"
	"github.com/corridor-sim/corridor/scenario"
	"github.com/corridor-sim/corridor/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var from = calendar.Of(2013, 1)

// synthetic returns n monthly records from 2013-01 with every value set.
func synthetic(n int) []sim.Record {
	recs := make([]sim.Record, n)
	for i := range recs {
		v := reflect.ValueOf(&recs[i]).Elem()
		for j := 1; j < v.NumField(); j++ {
			v.Field(j).SetFloat(1000 + float64(j) + float64(i))
		}
		recs[i].Month = from + calendar.Month(i)
		recs[i].GDPUSD = 1e6
	}
	return recs
}

func measure(t *testing.T, r *Result, name string) Measure {
	t.Helper()
	i := slices.IndexFunc(r.Headline, func(m Measure) bool { return m.Name == name })
	if i < 0 {
		t.Fatalf("no headline measure %s", name)
	}
	return r.Headline[i]
}

func TestIdenticalIsZero(t *testing.T) {
	a := synthetic(24)
	r, err := Compare(a, slices.Clone(a), Options{EffectEnd: from - 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Annual) == 0 {
		t.Fatal("no rows")
	}
	for _, row := range r.Annual {
		if row.Difference != 0 || row.A != row.B {
			t.Fatalf("%d %s: difference %v", row.Year, row.Output, row.Difference)
		}
	}
	for _, m := range r.Headline {
		if m.Value != 0 {
			t.Errorf("%s = %v, want 0", m.Name, m.Value)
		}
	}
}

func TestKnownDifference(t *testing.T) {
	a := synthetic(36)
	b := slices.Clone(a)
	// Remittances 100 lower in months 3..8 (2013-04..2013-09), migrants 50
	// fewer in 2013-05, 20 more jobless returnees in months 3..30.
	for i := 3; i <= 8; i++ {
		b[i].RemittancesUSD -= 100
	}
	b[4].MigrantsAbroad -= 50
	for i := 3; i <= 30; i++ {
		b[i].ReturneesJobless += 20
	}
	// The change runs from 2013-04 (month 3) to 2013-06 (month 5).
	r, err := Compare(a, b, Options{EffectStart: from + 3, EffectEnd: from + 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		want float64
	}{
		{"remittances_lost_usd", 600},
		{"remittances_lost_pct_gdp", 600 / 33e6 * 100}, // GDP from 2013-04 (EffectStart)
		{"peak_fall_migrants_abroad", 50},
		{"peak_extra_jobless_returnees", 20},
		{"extra_deportations", 0},
		{"recovery_months_remittances_usd", 3},    // months 6, 7, 8 outside 1%
		{"recovery_months_migrants_abroad", 0},    // back within at once
		{"recovery_months_returnees_jobless", 25}, // months 6..30: 20 > 1% of ≈1040
	} {
		if got := measure(t, r, c.name).Value; math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s = %v, want %v", c.name, got, c.want)
		}
	}
	if n := measure(t, r, "peak_fall_migrants_abroad").Note; !strings.Contains(n, "2013-05") {
		t.Errorf("peak note %q does not name 2013-05", n)
	}
	// Annual rows: 2013 remittances differ by −600, 2014 by 0.
	for _, row := range r.Annual {
		if row.Output != "remittances_usd" {
			continue
		}
		want := map[int]float64{2013: -600, 2014: 0, 2015: 0}[row.Year]
		if row.Difference != want {
			t.Errorf("%d remittances difference %v, want %v", row.Year, row.Difference, want)
		}
		if math.Abs(row.Percent-want/row.A*100) > 1e-12 {
			t.Errorf("%d percent %v", row.Year, row.Percent)
		}
	}
	// A wider tolerance shortens recovery: 20 is within 5% of ≈1040.
	r5, err := Compare(a, b, Options{EffectEnd: from + 5, Tolerance: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	if got := measure(t, r5, "recovery_months_returnees_jobless").Value; got != 0 {
		t.Errorf("recovery at 5%% = %v, want 0", got)
	}
	var buf bytes.Buffer
	if err := r.WriteAnnualCSV(&buf); err != nil {
		t.Fatal(err)
	}
	golden(t, "difference_annual.csv", buf.Bytes())
	buf.Reset()
	if err := r.WriteHeadlineCSV(&buf); err != nil {
		t.Fatal(err)
	}
	golden(t, "headline.csv", buf.Bytes())
	buf.Reset()
	if err := r.WriteHeadline(&buf, "a", "b"); err != nil {
		t.Fatal(err)
	}
	golden(t, "headline.txt", buf.Bytes())
}

func TestRecoveryUndefined(t *testing.T) {
	a := synthetic(24)
	b := slices.Clone(a)
	for i := 6; i < 24; i++ {
		b[i].RemittancesUSD *= 0.5
	}
	r, err := Compare(a, b, Options{EffectEnd: from + 6})
	if err != nil {
		t.Fatal(err)
	}
	m := measure(t, r, "recovery_months_remittances_usd")
	if !math.IsNaN(m.Value) || !strings.Contains(m.Note, "not recovered by 2014-12") {
		t.Errorf("not recovered: %v %q", m.Value, m.Note)
	}
	r, err = Compare(a, b, Options{Open: true})
	if err != nil {
		t.Fatal(err)
	}
	if m := measure(t, r, "recovery_months_remittances_usd"); !math.IsNaN(m.Value) || !strings.Contains(m.Note, "never ends") {
		t.Errorf("open: %v %q", m.Value, m.Note)
	}
	r, err = Compare(a, b, Options{EffectEnd: from + 30})
	if err != nil {
		t.Fatal(err)
	}
	if m := measure(t, r, "recovery_months_remittances_usd"); !math.IsNaN(m.Value) {
		t.Errorf("change ending after the run: %v %q", m.Value, m.Note)
	}
}

func TestCompareErrors(t *testing.T) {
	a := synthetic(12)
	if _, err := Compare(a, a[:11], Options{}); err == nil {
		t.Error("runs of different lengths compared")
	}
	if _, err := Compare(nil, nil, Options{}); err == nil {
		t.Error("empty runs compared")
	}
	if _, err := Compare(a, a, Options{Tolerance: 2}); err == nil {
		t.Error("tolerance 2 accepted")
	}
}

func TestFormatNumber(t *testing.T) {
	for v, want := range map[float64]string{0: "0", math.Copysign(0, -1): "0", -1e-9: "0", 1.5: "1.5", 1234567.0: "1234567",
		-2.25: "-2.25", 1.0 / 3: "0.333333", math.NaN(): "", math.Inf(1): "", 3e9: "3000000000"} {
		if got := FormatNumber(v); got != want {
			t.Errorf("FormatNumber(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestEffect(t *testing.T) {
	ev := func(lever string, from, until calendar.Month) policy.LeverEvent {
		return policy.LeverEvent{Lever: lever, From: from, Until: until, Intensity: 2}
	}
	raids := ev("enforcement_campaign", calendar.Of(2013, 3), calendar.Of(2013, 8))
	base := &scenario.Scenario{Name: "a", Events: []policy.LeverEvent{raids}}
	tests := []struct {
		name string
		b    *scenario.Scenario
		want Options
	}{
		{"same", &scenario.Scenario{Name: "b", Events: []policy.LeverEvent{raids}}, Options{EffectEnd: scenario.ModelStart - 1}},
		{"one more", &scenario.Scenario{Name: "b", Events: []policy.LeverEvent{raids, ev("border_closure", calendar.Of(2014, 1), calendar.Of(2014, 6))}},
			Options{EffectStart: calendar.Of(2014, 1), EffectEnd: calendar.Of(2014, 6)}},
		{"one less", &scenario.Scenario{Name: "b"}, Options{EffectStart: calendar.Of(2013, 3), EffectEnd: calendar.Of(2013, 8)}},
		{"open", &scenario.Scenario{Name: "b", Events: []policy.LeverEvent{raids, ev("border_closure", calendar.Of(2014, 1), 0)}},
			Options{EffectStart: calendar.Of(2014, 1), EffectEnd: scenario.ModelStart - 1, Open: true}},
		{"params", &scenario.Scenario{Name: "b", Events: []policy.LeverEvent{raids}, Params: map[string]float64{"remit_share": 0.4}},
			Options{EffectStart: scenario.ModelStart, EffectEnd: scenario.ModelStart - 1, Open: true}},
	}
	for _, tc := range tests {
		if got := Effect(base, tc.b); got != tc.want {
			t.Errorf("%s: Effect = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// TestCommonRandomNumbers runs the model: a scenario identical to its base
// gives a difference of exactly zero, byte for byte; and a lever changes
// nothing before it starts.
func TestCommonRandomNumbers(t *testing.T) {
	until := calendar.Of(2016, 12)
	o := scenario.Options{Seed: 3, Scale: 2000, Until: until, Workers: 2}
	run := func(sc *scenario.Scenario) []sim.Record {
		t.Helper()
		r, err := scenario.Simulate(context.Background(), sc, o)
		if err != nil {
			t.Fatal(err)
		}
		return r.Records
	}
	base := run(scenario.History())
	same, err := scenario.Parse("same.yaml", []byte("name: same\nextends: history\n"))
	if err != nil {
		t.Fatal(err)
	}
	// Restating a rule of the history (15-day grace from 2013-08) changes
	// no state, so no draw and no outcome.
	noop, err := scenario.Parse("noop.yaml", []byte("name: noop\nevents:\n  - lever: registration_grace_days\n    from: 2013-08\n    intensity: 15\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range []*scenario.Scenario{same, noop} {
		b := run(sc)
		if !reflect.DeepEqual(base, b) {
			t.Fatalf("%s: records differ from history's", sc.Name)
		}
		r, err := Compare(base, b, Effect(scenario.History(), sc))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := r.WriteAnnualCSV(&buf); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(buf.String()), "\n")[1:]
		for _, l := range lines {
			cells := strings.Split(l, ",")
			if d := cells[5]; d != "0" {
				t.Fatalf("%s: difference %q in %s", sc.Name, d, l)
			}
			if cells[3] != cells[4] {
				t.Fatalf("%s: a %q and b %q differ in %s", sc.Name, cells[3], cells[4], l)
			}
		}
	}
	raids, err := scenario.Lookup("raids-2013")
	if err != nil {
		t.Fatal(err)
	}
	b := run(raids)
	start := calendar.Of(2013, 3)
	if !reflect.DeepEqual(base[:start-scenario.ModelStart], b[:start-scenario.ModelStart]) {
		t.Error("raids-2013 changes months before the raids start")
	}
	if reflect.DeepEqual(base, b) {
		t.Error("raids-2013 changes nothing")
	}
	r, err := Compare(base, b, Effect(scenario.History(), raids))
	if err != nil {
		t.Fatal(err)
	}
	if m := measure(t, r, "extra_deportations"); !(m.Value > 0) {
		t.Errorf("raids bring %v extra deportations", m.Value)
	}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, name, got, *update)
}
