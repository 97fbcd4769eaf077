package scenario

import (
	"strings"
	"testing"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/params"
)

// TestBuild checks that Build applies the scenario's driver overrides,
// parameters and events on top of the history.
func TestBuild(t *testing.T) {
	sc, err := Parse("b.yaml", []byte(`name: b
params:
  remit_share: 0.45
drivers:
  - series: rub_per_usd
    from: 2014-01
    until: 2014-12
    change: {percent: 100}
events:
  - lever: enforcement_campaign
    from: 2013-03
    until: 2013-08
    intensity: 4
`))
	if err != nil {
		t.Fatal(err)
	}
	until := calendar.Of(2016, 12)
	in, err := sc.Build(Options{Until: until})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := History().Build(Options{Until: until})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		m     calendar.Month
		ratio float64
	}{{calendar.Of(2013, 12), 1}, {calendar.Of(2014, 1), 2}, {calendar.Of(2014, 12), 2}, {calendar.Of(2015, 1), 1}} {
		if got := in.Drivers.At(c.m).RubPerUSD / ref.Drivers.At(c.m).RubPerUSD; got != c.ratio {
			t.Errorf("rub_per_usd %v: ratio to history %v, want %v", c.m, got, c.ratio)
		}
	}
	if in.Params.RemitShare != 0.45 {
		t.Errorf("remit_share = %v, want 0.45", in.Params.RemitShare)
	}
	for _, c := range []struct {
		m     calendar.Month
		ratio float64
	}{{calendar.Of(2013, 2), 1}, {calendar.Of(2013, 3), 4}, {calendar.Of(2013, 8), 4}, {calendar.Of(2013, 9), 1}} {
		// enforcement_campaign acts on the per-cell check multipliers.
		if got := in.Timeline.At(c.m).Check[0] / ref.Timeline.At(c.m).Check[0]; got != c.ratio {
			t.Errorf("check intensity %v: ratio to history %v, want %v", c.m, got, c.ratio)
		}
	}
	// A base parameter set is kept where the scenario does not override it.
	p := params.Defaults()
	if err := p.Set("remit_share_max", 0.9); err != nil {
		t.Fatal(err)
	}
	in2, err := sc.Build(Options{Until: until, Params: &p})
	if err != nil {
		t.Fatal(err)
	}
	if in2.Params.RemitShare != 0.45 || in2.Params.RemitShareMax != 0.9 {
		t.Errorf("params %v/%v, want 0.45/0.9", in2.Params.RemitShare, in2.Params.RemitShareMax)
	}
}

func TestBuildErrors(t *testing.T) {
	sc := &Scenario{Name: "bad", Params: map[string]float64{"no_such": 1}}
	if _, err := sc.Build(Options{Until: calendar.Of(2006, 1)}); err == nil || !strings.Contains(err.Error(), "no_such") {
		t.Errorf("Build with an unknown parameter: %v", err)
	}
	if _, err := History().Build(Options{Until: calendar.Of(2041, 1)}); err == nil {
		t.Error("Build beyond MaxUntil succeeded")
	}
}
