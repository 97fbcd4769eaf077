package drivers

import (
	"math"
	"strings"
	"testing"

	"github.com/corridor-sim/corridor/calendar"
)

func TestOverride(t *testing.T) {
	span := calendar.Range{From: calendar.Of(2010, 1), Until: calendar.Of(2012, 12)}
	base := build(t, span)
	m := calendar.Of
	open := func(from calendar.Month) calendar.Month { return from - 1 }
	tests := []struct {
		name string
		o    Override
		// want returns the expected value of month mo given the base value
		// v and the base path.
		want func(mo calendar.Month, v float64, path func(calendar.Month) float64) float64
	}{
		{"percent closed", Override{Series: "rub_per_usd", From: m(2011, 1), Until: m(2011, 6), Change: Percent, Value: 50},
			func(mo calendar.Month, v float64, _ func(calendar.Month) float64) float64 {
				if mo >= m(2011, 1) && mo <= m(2011, 6) {
					return v * 1.5
				}
				return v
			}},
		{"percent open with ramp", Override{Series: "rub_per_usd", From: m(2011, 1), Until: open(m(2011, 1)), Change: Percent, Value: 60, RampMonths: 3},
			func(mo calendar.Month, v float64, _ func(calendar.Month) float64) float64 {
				switch {
				case mo < m(2011, 1):
					return v
				case mo == m(2011, 1):
					return v * 1.2
				case mo == m(2011, 2):
					return v * 1.4
				}
				return v * 1.6
			}},
		{"set", Override{Series: "ru_wage_rub", From: m(2012, 1), Until: m(2012, 2), Change: Set, Value: 1000},
			func(mo calendar.Month, v float64, _ func(calendar.Month) float64) float64 {
				if mo == m(2012, 1) || mo == m(2012, 2) {
					return 1000
				}
				return v
			}},
		{"set with ramp", Override{Series: "oil_brent_usd", From: m(2012, 1), Until: open(m(2012, 1)), Change: Set, Value: 10, RampMonths: 2},
			func(mo calendar.Month, v float64, _ func(calendar.Month) float64) float64 {
				switch {
				case mo < m(2012, 1):
					return v
				case mo == m(2012, 1):
					return v + 0.5*(10-v)
				}
				return 10
			}},
		{"growth_pp on a growth series", Override{Series: "ru_real_growth_pct", From: m(2011, 1), Until: m(2011, 12), Change: GrowthPP, Value: -5},
			func(mo calendar.Month, v float64, _ func(calendar.Month) float64) float64 {
				if mo.Year() == 2011 {
					return v - 5
				}
				return v
			}},
		{"growth_pp on a level keeps the level after until", Override{Series: "tj_gdp_usd", From: m(2011, 1), Until: m(2011, 12), Change: GrowthPP, Value: 10},
			func(mo calendar.Month, v float64, _ func(calendar.Month) float64) float64 {
				switch {
				case mo < m(2011, 1):
					return v
				case mo.Year() == 2011:
					return v * math.Pow(1.1, float64(mo.MonthOfYear())/12)
				}
				return v * 1.1
			}},
		{"months outside the span are ignored", Override{Series: "rub_per_usd", From: m(2012, 6), Until: m(2013, 6), Change: Percent, Value: 10},
			func(mo calendar.Month, v float64, _ func(calendar.Month) float64) float64 {
				if mo >= m(2012, 6) {
					return v * 1.1
				}
				return v
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := build(t, span)
			if err := p.Apply(tc.o); err != nil {
				t.Fatal(err)
			}
			orig := series(t, base, tc.o.Series)
			got := series(t, p, tc.o.Series)
			path := func(mo calendar.Month) float64 { return orig[mo-span.From] }
			for i := range got {
				mo := span.From + calendar.Month(i)
				if want := tc.want(mo, orig[i], path); math.Abs(got[i]-want) > 1e-9*math.Abs(want) {
					t.Errorf("%v: got %v, want %v (base %v)", mo, got[i], want, orig[i])
				}
			}
			// Other drivers are untouched.
			for _, n := range Names() {
				if n == tc.o.Series {
					continue
				}
				a, b := series(t, base, n), series(t, p, n)
				for i := range a {
					if a[i] != b[i] {
						t.Fatalf("%s changed at %v", n, span.From+calendar.Month(i))
					}
				}
			}
			k := -1
			for i, nt := range p.Notes {
				if nt.Name == tc.o.Series {
					k = i
				}
			}
			if k < 0 || !strings.Contains(p.Notes[k].Assumptions, "Scenario override: "+tc.o.Change.String()) {
				t.Errorf("note of %s does not record the override: %+v", tc.o.Series, p.Notes)
			}
		})
	}
}

func TestOverrideErrors(t *testing.T) {
	span := calendar.Range{From: calendar.Of(2010, 1), Until: calendar.Of(2012, 12)}
	from := calendar.Of(2011, 1)
	tests := []struct {
		o    Override
		want string
	}{
		{Override{Series: "rub", From: from, Change: Percent, Value: 1}, `unknown driver series "rub"`},
		{Override{Series: "rub_per_usd", From: from, Value: 1}, "no change given"},
		{Override{Series: "rub_per_usd", From: from, Change: Percent, Value: math.NaN()}, "finite"},
		{Override{Series: "rub_per_usd", From: from, Change: Percent, Value: -100}, "zero or negative"},
		{Override{Series: "rub_per_usd", From: from, Change: Set, Value: 0}, "not a positive level"},
		{Override{Series: "rub_per_usd", From: from, Change: Set, Value: 1, RampMonths: -1}, "ramp_months"},
		{Override{Series: "ru_real_growth_pct", From: from, Change: GrowthPP, Value: -200}, "outside -100..1000"},
	}
	for _, tc := range tests {
		p := build(t, span)
		err := p.Apply(tc.o)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Apply(%+v) = %v, want an error with %q", tc.o, err, tc.want)
		}
	}
	// A growth series may be set to zero or below; a level may not.
	p := build(t, span)
	if err := p.Apply(Override{Series: "ru_real_growth_pct", From: from, Until: from, Change: Set, Value: -7.8}); err != nil {
		t.Errorf("set a growth rate to -7.8: %v", err)
	}
	var zero Paths
	if err := zero.Apply(Override{Series: "rub_per_usd", From: from, Change: Percent, Value: 1}); err == nil {
		t.Error("Apply on the zero Paths succeeded")
	}
}

func TestIsGrowthAndUnit(t *testing.T) {
	if !IsGrowth("ru_real_growth_pct") || IsGrowth("rub_per_usd") || IsGrowth("nope") {
		t.Error("IsGrowth")
	}
	if Unit("rub_per_usd") != "RUB per USD" || Unit("nope") != "" {
		t.Error("Unit")
	}
}

// TestOverrideCompose is a property test: two percent changes over the same
// months compose multiplicatively, and a change followed by its inverse
// gives back the original path.
func TestOverrideCompose(t *testing.T) {
	span := calendar.Range{From: calendar.Of(2010, 1), Until: calendar.Of(2011, 12)}
	base := series(t, build(t, span), "ru_wage_rub")
	for _, c := range []struct{ p, q float64 }{{10, 20}, {-40, 66.7}, {-50, 100}, {3.3, -7.1}, {0, 250}} {
		from, until := calendar.Of(2010, 4), calendar.Of(2011, 3)
		two := build(t, span)
		for _, v := range []float64{c.p, c.q} {
			if err := two.Apply(Override{Series: "ru_wage_rub", From: from, Until: until, Change: Percent, Value: v}); err != nil {
				t.Fatal(err)
			}
		}
		one := build(t, span)
		combined := ((1+c.p/100)*(1+c.q/100) - 1) * 100
		if err := one.Apply(Override{Series: "ru_wage_rub", From: from, Until: until, Change: Percent, Value: combined}); err != nil {
			t.Fatal(err)
		}
		a, b := series(t, two, "ru_wage_rub"), series(t, one, "ru_wage_rub")
		for i := range a {
			if math.Abs(a[i]-b[i]) > 1e-9*b[i] {
				t.Fatalf("%v then %v%%: %v, one change of %v%%: %v", c.p, c.q, a[i], combined, b[i])
			}
		}
		inv := build(t, span)
		for _, v := range []float64{c.p, (1/(1+c.p/100) - 1) * 100} {
			if err := inv.Apply(Override{Series: "ru_wage_rub", From: from, Until: until, Change: Percent, Value: v}); err != nil {
				t.Fatal(err)
			}
		}
		for i, v := range series(t, inv, "ru_wage_rub") {
			if math.Abs(v-base[i]) > 1e-9*base[i] {
				t.Fatalf("%v%% and its inverse: %v, original %v", c.p, v, base[i])
			}
		}
	}
}
