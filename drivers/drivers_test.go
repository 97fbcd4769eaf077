package drivers

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/data"
)

var full = calendar.Range{From: calendar.Of(2000, 1), Until: calendar.Of(2030, 12)}

func embedded(t *testing.T) *data.Reference {
	t.Helper()
	ref, err := data.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func build(t *testing.T, span calendar.Range) *Paths {
	t.Helper()
	p, err := Build(embedded(t), span)
	if err != nil {
		t.Fatalf("Build(%v): %v", span, err)
	}
	return p
}

func series(t *testing.T, p *Paths, name string) []float64 {
	t.Helper()
	s, ok := p.Series(name)
	if !ok {
		t.Fatalf("no series %q", name)
	}
	return s
}

// near reports whether got is within rel (relative) of want.
func near(got, want, rel float64) bool { return math.Abs(got-want) <= rel*math.Abs(want) }

func TestAllFiniteAndPositive(t *testing.T) {
	p := build(t, full)
	for _, name := range Names() {
		s := series(t, p, name)
		if len(s) != full.Len() {
			t.Fatalf("%s: %d months, want %d", name, len(s), full.Len())
		}
		growth := strings.Contains(name, "growth")
		for i, v := range s {
			m := full.From + calendar.Month(i)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%s %v = %v", name, m, v)
			}
			if !growth && v <= 0 {
				t.Fatalf("%s %v = %v, want positive", name, m, v)
			}
		}
	}
}

func TestRubPerUSD(t *testing.T) {
	ref := embedded(t)
	p := build(t, full)
	for _, r := range ref.RubPerUSDMonthly {
		if got := p.At(calendar.Of(r.Year, r.Month)).RubPerUSD; got != r.Value {
			t.Errorf("%04d-%02d: %v, want the monthly file's %v", r.Year, r.Month, got, r.Value)
		}
	}
	if got := p.At(calendar.Of(2013, 6)).RubPerUSD; got != 32.3068 {
		t.Errorf("2013-06: %v, want 32.3068", got)
	}
	for mo := 1; mo <= 12; mo++ {
		if got := p.At(calendar.Of(2024, mo)).RubPerUSD; got != 92.6 {
			t.Errorf("2024-%02d: %v, want the UNSOURCED 92.6", mo, got)
		}
		if got := p.At(calendar.Of(2025, mo)).RubPerUSD; got != 83.3 {
			t.Errorf("2025-%02d: %v, want 83.3", mo, got)
		}
	}
	if got := p.At(calendar.Of(2030, 12)).RubPerUSD; got != 83.3 {
		t.Errorf("2030-12: %v, want 83.3 held", got)
	}
	n := p.Notes[0]
	if n.Name != "rub_per_usd" || n.LastObserved != calendar.Of(2025, 12) ||
		!slices.Contains(n.Assumed, calendar.Range{From: calendar.Of(2024, 1), Until: calendar.Of(2024, 12)}) ||
		!slices.Contains(n.Assumed, calendar.Range{From: calendar.Of(2026, 1), Until: calendar.Of(2030, 12)}) ||
		!strings.Contains(n.Assumptions, "UNSOURCED.csv:2") {
		t.Errorf("note: %+v", n)
	}
}

func TestRuWage(t *testing.T) {
	p := build(t, full)
	w := series(t, p, "ru_wage_rub")
	at := func(y, m int) float64 { return w[calendar.Of(y, m)-full.From] }
	anchors := map[int]float64{
		2000: 2223, 2005: 8555, 2010: 20952, 2015: 34030, 2021: 57244,
		2022: 65338, // Rosstat table, not the 65,300 of a news report
		2023: 73709, // Rosstat table, not 74,854 or 73,700
		2024: 87952, // preliminary full-year figure
		2025: 100000,
	}
	for y, a := range anchors {
		if y == 2000 || y == 2025 {
			continue // held on one side
		}
		mid := (at(y, 6) + at(y, 7)) / 2
		if !near(mid, a, 0.005) {
			t.Errorf("mid-%d: %v, want ≈ %v", y, mid, a)
		}
	}
	if at(2000, 1) != 2223 || at(2000, 6) != 2223 {
		t.Errorf("before mid-2000: %v, %v, want 2223 held", at(2000, 1), at(2000, 6))
	}
	if at(2025, 7) != 100000 || at(2030, 12) != 100000 {
		t.Errorf("after mid-2025: %v, %v, want 100000 held", at(2025, 7), at(2030, 12))
	}
	// Between consecutive anchors the path runs monotonically from one to the other.
	for y := 2000; y < 2025; y++ {
		lo, hi := at(y, 7), at(y+1, 6)
		prev := lo
		for m := calendar.Of(y, 7); m <= calendar.Of(y+1, 6); m++ {
			v := w[m-full.From]
			if v < prev || v < lo || v > hi {
				t.Fatalf("%v: %v is not between %v and %v, or below the month before (%v)", m, v, lo, hi, prev)
			}
			prev = v
		}
	}
}

func TestGrowth(t *testing.T) {
	p := build(t, full)
	tests := []struct {
		m      calendar.Month
		ru, tj float64
	}{
		{calendar.Of(2000, 1), 10.0, 8.3}, // UNSOURCED
		{calendar.Of(2005, 7), 6.4, 6.7},  // UNSOURCED
		{calendar.Of(2009, 1), -7.8, 3.9},
		{calendar.Of(2009, 12), -7.8, 3.9},
		{calendar.Of(2015, 6), -1.97, 6.02},
		{calendar.Of(2024, 12), 4.34, 8.4},
		{calendar.Of(2030, 12), 4.34, 8.4}, // held
	}
	for _, tc := range tests {
		v := p.At(tc.m)
		if v.RuRealGrowthPct != tc.ru || v.TjRealGrowthPct != tc.tj {
			t.Errorf("%v: growth RU %v TJ %v, want %v %v", tc.m, v.RuRealGrowthPct, v.TjRealGrowthPct, tc.ru, tc.tj)
		}
	}
	for _, n := range p.Notes {
		if n.Name != "ru_real_growth_pct" && n.Name != "tj_real_growth_pct" {
			continue
		}
		if n.Assumed[0] != (calendar.Range{From: calendar.Of(2000, 1), Until: calendar.Of(2007, 12)}) || !strings.Contains(n.Assumptions, "UNSOURCED.csv") {
			t.Errorf("%s note: %+v", n.Name, n)
		}
	}
}

func TestTjGDP(t *testing.T) {
	p := build(t, full)
	for mo := 1; mo <= 12; mo++ {
		if got := p.At(calendar.Of(2023, mo)).TjGDPUSD; got != 12060602009 {
			t.Errorf("2023-%02d: %v, want the annual 12060602009", mo, got)
		}
		if got := p.At(calendar.Of(2008, mo)).TjGDPUSD; got != 5161299725 {
			t.Errorf("2008-%02d: %v", mo, got)
		}
	}
	want := 12060602009.0
	for y := 2024; y <= 2030; y++ {
		want *= 1.084
		if got := p.At(calendar.Of(y, 6)).TjGDPUSD; !near(got, want, 1e-12) {
			t.Errorf("%d: %v, want %v (8.4%% a year)", y, got, want)
		}
	}
}

func TestTjPopulation(t *testing.T) {
	p := build(t, full)
	s := series(t, p, "tj_population")
	at := func(y, m int) float64 { return s[calendar.Of(y, m)-full.From] }
	if mid := (at(2010, 6) + at(2010, 7)) / 2; !near(mid, 7652141, 0.001) {
		t.Errorf("mid-2010: %v, want ≈ 7,652,141", mid)
	}
	if mid := (at(2024, 6) + at(2024, 7)) / 2; !near(mid, 10590927, 0.001) {
		t.Errorf("mid-2024: %v, want ≈ 10,590,927", mid)
	}
	for i := 1; i < len(s); i++ {
		if s[i] <= s[i-1] {
			t.Fatalf("population falls at %v", full.From+calendar.Month(i))
		}
	}
	// After mid-2024 the 2023→2024 growth compounds: a year on, ×(10590927/10389799).
	ratio := at(2025, 7) / at(2024, 7)
	if !near(ratio, 10590927.0/10389799.0, 1e-9) {
		t.Errorf("growth after 2024: %v", ratio)
	}
	// Before mid-2000 the 2000→2001 growth runs backward.
	if back := at(2000, 7) / at(2000, 1); !near(back, math.Pow(6407377.0/6284735.0, 6.0/12), 1e-3) {
		t.Errorf("backward growth: %v", back)
	}
}

func TestTjsPerUSD(t *testing.T) {
	p := build(t, full)
	tests := []struct {
		m    calendar.Month
		want float64
	}{
		{calendar.Of(2000, 1), 2.1},
		{calendar.Of(2024, 7), 10.8},
		{calendar.Of(2030, 12), 10.8},
	}
	for _, tc := range tests {
		if got := p.At(tc.m).TjsPerUSD; !near(got, tc.want, 1e-12) {
			t.Errorf("%v: %v, want %v", tc.m, got, tc.want)
		}
	}
	s := series(t, p, "tjs_per_usd")
	at := func(y, m int) float64 { return s[calendar.Of(y, m)-full.From] }
	if mid := (at(2015, 6) + at(2015, 7)) / 2; !near(mid, 6.2, 0.01) {
		t.Errorf("mid-2015: %v, want ≈ 6.2", mid)
	}
	// 2000→2005 is one straight line: mid-2002 is 2/5 of the way from 2.1 to 3.1.
	if mid := (at(2002, 6) + at(2002, 7)) / 2; !near(mid, 2.5, 1e-9) {
		t.Errorf("mid-2002: %v, want 2.5", mid)
	}
}

func TestOil(t *testing.T) {
	p := build(t, full)
	if got := p.At(calendar.Of(2014, 3)).OilBrentUSD; got != 98.97 {
		t.Errorf("2014: %v", got)
	}
	if got := p.At(calendar.Of(2030, 1)).OilBrentUSD; got != 69.14 {
		t.Errorf("2030: %v, want 69.14 held", got)
	}
}

func TestAtClamps(t *testing.T) {
	span := calendar.Range{From: calendar.Of(2010, 1), Until: calendar.Of(2012, 12)}
	p := build(t, span)
	if p.At(span.From-30) != p.At(span.From) {
		t.Errorf("before the span: %+v, want %+v", p.At(span.From-30), p.At(span.From))
	}
	if p.At(span.Until+500) != p.At(span.Until) {
		t.Errorf("after the span: %+v, want %+v", p.At(span.Until+500), p.At(span.Until))
	}
	// A sub-span gives the same values as the full build.
	f := build(t, full)
	for m := span.From; m <= span.Until; m++ {
		if p.At(m) != f.At(m) {
			t.Fatalf("%v: %+v in the sub-span, %+v in the full span", m, p.At(m), f.At(m))
		}
	}
}

func TestZeroPaths(t *testing.T) {
	var p Paths
	if v := p.At(calendar.Of(2010, 1)); v != (Values{}) {
		t.Errorf("zero Paths: %+v", v)
	}
}

func TestSeries(t *testing.T) {
	p := build(t, full)
	if _, ok := p.Series("no_such_driver"); ok {
		t.Error("unknown name accepted")
	}
	s, _ := p.Series("rub_per_usd")
	s[0] = -1
	if p.At(full.From).RubPerUSD == -1 {
		t.Error("Series returned the internal slice")
	}
	if len(p.Notes) != len(Names()) {
		t.Fatalf("%d notes", len(p.Notes))
	}
	for i, n := range p.Notes {
		if n.Name != Names()[i] || n.Unit == "" || n.Rule == "" || len(n.Sources) == 0 || n.Assumptions == "" {
			t.Errorf("note %d: %+v", i, n)
		}
	}
}

func TestSpanErrors(t *testing.T) {
	ref := embedded(t)
	tests := []struct {
		span calendar.Range
		want string
	}{
		{calendar.Range{From: calendar.Of(2010, 1), Until: calendar.Of(2009, 12)}, "is empty"},
		{calendar.Range{From: calendar.Of(1999, 12), Until: calendar.Of(2009, 12)}, "starts before 2000-01"},
		{calendar.Range{From: calendar.Of(2000, 1), Until: calendar.Of(2061, 1)}, "ends after 2060-12"},
	}
	for _, tc := range tests {
		if _, err := Build(ref, tc.span); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Build(%v) error %v, want %q", tc.span, err, tc.want)
		}
	}
	if _, err := Build(ref, calendar.Range{From: calendar.Of(2060, 12), Until: calendar.Of(2060, 12)}); err != nil {
		t.Errorf("one-month span at the limit: %v", err)
	}
}

// corrupt returns a copy of the embedded data with the observations
// rewritten by edit (which returns false to drop one).
func corrupt(t *testing.T, edit func(o *data.Observation) bool) *data.Reference {
	ref := *embedded(t)
	ref.Observations = nil
	for _, o := range embedded(t).Observations {
		if edit(&o) {
			ref.Observations = append(ref.Observations, o)
		}
	}
	return &ref
}

func is(o *data.Observation, series, country string, year int) bool {
	return o.Series == series && o.Country == country && (year == 0 || o.Year == year)
}

func TestCorruptData(t *testing.T) {
	tests := []struct {
		name string
		ref  func(t *testing.T) *data.Reference
		want []string
	}{
		{"no Tajik GDP", func(t *testing.T) *data.Reference {
			return corrupt(t, func(o *data.Observation) bool { return !is(o, "gdp_current_usd", "Tajikistan", 0) })
		}, []string{"tj_gdp_usd", "macro_tajikistan.csv has no annual rows of gdp_current_usd"}},
		{"population year missing", func(t *testing.T) *data.Reference {
			return corrupt(t, func(o *data.Observation) bool { return !is(o, "population", "Tajikistan", 2005) })
		}, []string{"tj_population", "no population value for 2005"}},
		{"duplicate growth row", func(t *testing.T) *data.Reference {
			ref := corrupt(t, func(*data.Observation) bool { return true })
			for _, o := range ref.Find("real_gdp_growth", "Russian Federation") {
				if o.Year == 2012 {
					o.Line = 999
					o.Value = 99
					ref.Observations = append(ref.Observations, o)
				}
			}
			return ref
		}, []string{"ru_real_growth_pct", "macro_russia.csv lines 112 and 999 both give real_gdp_growth for 2012"}},
		{"Brent zero", func(t *testing.T) *data.Reference {
			return corrupt(t, func(o *data.Observation) bool {
				if is(o, "oil_price_brent", "World", 2010) {
					o.Value = 0
				}
				return true
			})
		}, []string{"oil_brent_usd", "macro_russia.csv:67: oil_price_brent for 2010 is 0, want a positive level"}},
		{"no 2025 ruble and no 2024 assumption", func(t *testing.T) *data.Reference {
			ref := corrupt(t, func(*data.Observation) bool { return true })
			ref.Unsourced = nil
			return ref
		}, []string{"rub_per_usd", "no RUB/USD value for 2024"}},
		{"monthly ruble gap", func(t *testing.T) *data.Reference {
			ref := corrupt(t, func(*data.Observation) bool { return true })
			ref.RubPerUSDMonthly = slices.Delete(slices.Clone(ref.RubPerUSDMonthly), 62, 63) // 2005-03
			return ref
		}, []string{"rub_per_usd", "rub_per_usd_monthly.csv:65: 2005-04 where 2005-03 was expected"}},
		{"two Rosstat wage rows", func(t *testing.T) *data.Reference {
			ref := corrupt(t, func(*data.Observation) bool { return true })
			for _, o := range ref.Find("avg_nominal_monthly_wage", "Russian Federation") {
				if o.Year == 2010 {
					o.Line = 500
					ref.Observations = append(ref.Observations, o)
				}
			}
			return ref
		}, []string{"ru_wage_rub", "macro_russia.csv lines 12 and 500 both give avg_nominal_monthly_wage for 2010"}},
		{"no 2000 somoni rate", func(t *testing.T) *data.Reference {
			return corrupt(t, func(o *data.Observation) bool { return !is(o, "tjs_per_usd", "Tajikistan", 2000) })
		}, []string{"tjs_per_usd", "the first tjs_per_usd value is for 2005; the rule needs 2000"}},
		{"Tajik growth year missing", func(t *testing.T) *data.Reference {
			return corrupt(t, func(o *data.Observation) bool { return !is(o, "real_gdp_growth", "Tajikistan", 2015) })
		}, []string{"tj_real_growth_pct", "no real_gdp_growth value for 2015 (macro_tajikistan.csv or UNSOURCED.csv (country Tajikistan) must give every year from 2000 to 2024)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Build(tc.ref(t), full)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
	// The edits above worked on copies.
	if _, err := Build(embedded(t), full); err != nil {
		t.Fatalf("embedded data no longer builds: %v", err)
	}
}

func TestLineRanges(t *testing.T) {
	tests := []struct {
		in   []int
		want string
	}{
		{nil, ""},
		{[]int{5}, "5"},
		{[]int{2, 3, 4, 6, 8, 9}, "2-4,6,8-9"},
		{[]int{9, 2, 3, 3}, "2-3,9"},
	}
	for _, tc := range tests {
		if got := lineRanges(tc.in); got != tc.want {
			t.Errorf("lineRanges(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
