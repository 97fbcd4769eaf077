package policy

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/corridor-sim/corridor/calendar"
)

// The lever names fixed in the project's common brief.
var briefNames = []string{
	"enforcement_campaign", "mass_deportation", "reentry_bans", "border_refusals", "visa_regime",
	"foreign_passport", "registration_grace_days", "patent_fee", "patent_exam", "work_permit_quota", "sector_ban",
	"ban_amnesty", "bank_transfer_bar", "border_closure", "produce_ban", "rail_obstruction", "energy_price_shock",
	"labour_demand_shock", "ruble_devaluation",
	"alternative_destination", "patron_investment", "hydro_power", "travel_advisory", "remittance_fee", "organised_recruitment",
}

func TestLibraryHasEveryLever(t *testing.T) {
	want := slices.Clone(briefNames)
	slices.Sort(want)
	if got := LeverNames(); !slices.Equal(got, want) {
		t.Fatalf("LeverNames() = %v\nwant %v", got, want)
	}
}

func TestLeversDocumented(t *testing.T) {
	kinds := []string{"destination", "region", "sector", "sex", "age_group"}
	for _, l := range Levers() {
		switch {
		case l.Side != "destination" && l.Side != "origin" && l.Side != "third party":
			t.Errorf("%s: side %q", l.Name, l.Side)
		case l.Summary == "" || l.Mechanism == "" || l.Source == "" || l.Unit == "" || l.Combine == "":
			t.Errorf("%s: missing summary, mechanism, source, unit or combine rule", l.Name)
		case !(l.Min <= l.Default && l.Default <= l.Max) || !(l.Min <= l.Standard && l.Standard <= l.Max):
			t.Errorf("%s: default %g or standard %g outside %g..%g", l.Name, l.Default, l.Standard, l.Min, l.Max)
		case l.Months < 1:
			t.Errorf("%s: standard duration %d months", l.Name, l.Months)
		}
		for _, k := range l.Targets {
			if !slices.Contains(kinds, k) {
				t.Errorf("%s: unknown target kind %q", l.Name, k)
			}
		}
		for _, s := range l.Settings {
			if s.Name == "" || s.Unit == "" || s.Doc == "" || !(s.Min <= s.Default && s.Default <= s.Max) {
				t.Errorf("%s: setting %+v incomplete or default out of range", l.Name, s)
			}
		}
		// The standard dose is a valid event of Months months.
		e := l.StandardEvent(calendar.Of(2013, 1))
		if err := e.Check(); err != nil {
			t.Errorf("%s: standard dose rejected: %v", l.Name, err)
		}
		if int(e.Until-e.From)+1 != l.Months || e.Intensity != l.Standard || e.Source == "" {
			t.Errorf("%s: standard event %+v", l.Name, e)
		}
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		e    LeverEvent
		want string // substring of the error; "" for valid
	}{
		{"valid", LeverEvent{Lever: "enforcement_campaign", Intensity: 3, Target: Target{Sector: "construction", Sex: "male"}}, ""},
		{"unknown lever", LeverEvent{Lever: "no_such"}, "unknown lever"},
		{"intensity too high", LeverEvent{Lever: "border_refusals", Intensity: 1.5}, "outside 0..1"},
		{"intensity NaN", LeverEvent{Lever: "border_refusals", Intensity: math.NaN()}, "outside"},
		{"unknown setting", LeverEvent{Lever: "visa_regime", Intensity: 0.5, Settings: map[string]float64{"fee": 1}}, `no setting "fee"`},
		{"setting out of range", LeverEvent{Lever: "visa_regime", Intensity: 0.5, Settings: map[string]float64{"delay_months": -1}}, "delay_months = -1"},
		{"setting NaN", LeverEvent{Lever: "ruble_devaluation", Intensity: 10, Settings: map[string]float64{"ramp_months": math.NaN()}}, "ramp_months"},
		{"target kind refused", LeverEvent{Lever: "patent_fee", Intensity: 5000, Target: Target{Region: "sughd"}}, "takes no target"},
		{"target kind not accepted", LeverEvent{Lever: "produce_ban", Intensity: 0.1, Target: Target{Sector: "trade"}}, "cannot target by sector"},
		{"unknown region", LeverEvent{Lever: "produce_ban", Intensity: 0.1, Target: Target{Region: "pamir"}}, `unknown region "pamir"`},
		{"unknown age group", LeverEvent{Lever: "travel_advisory", Intensity: 0.9, Target: Target{AgeGroup: "18-29"}}, "unknown age_group"},
		{"russia is no alternative", LeverEvent{Lever: "alternative_destination", Intensity: 0.1, Target: Target{Destination: "russia"}}, "kazakhstan or elsewhere"},
	}
	for _, tc := range tests {
		err := tc.e.Check()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}

// Two events of one lever in force in the same month combine as each
// lever's Combine rule says.
func TestCombine(t *testing.T) {
	span := calendar.Range{From: calendar.Of(2012, 1), Until: calendar.Of(2012, 12)}
	m := calendar.Of(2012, 6)
	run := func(events ...LeverEvent) State {
		tl, err := NewTimeline(span, Base())
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			e.From, e.Until = span.From, span.Until
			if err := tl.ApplyEvent(e); err != nil {
				t.Fatal(err)
			}
		}
		return tl.At(m)
	}
	c := WorkCell(0, 0, 2)
	if s := run(LeverEvent{Lever: "enforcement_campaign", Intensity: 2}, LeverEvent{Lever: "enforcement_campaign", Intensity: 3}); s.Check[c] != 6 {
		t.Errorf("enforcement factors: %v, want 6", s.Check[c])
	}
	h := HomeCell(1, 0, 2)
	if s := run(LeverEvent{Lever: "border_refusals", Intensity: 0.5}, LeverEvent{Lever: "border_refusals", Intensity: 0.5}); s.Refusal[h] != 0.75 {
		t.Errorf("refusal shares: %v, want 0.75", s.Refusal[h])
	}
	if s := run(LeverEvent{Lever: "patent_fee", Intensity: 5000}, LeverEvent{Lever: "patent_fee", Intensity: 3000}); s.PatentFeeRUB != 3000 || !s.PatentRequired {
		t.Errorf("patent fee: %v, want the later 3000", s.PatentFeeRUB)
	}
	if s := run(LeverEvent{Lever: "work_permit_quota", Intensity: 5e5}, LeverEvent{Lever: "work_permit_quota", Intensity: 2e5}, LeverEvent{Lever: "work_permit_quota", Intensity: 3e5}); s.PermitQuota != 2e5 {
		t.Errorf("permit quota: %v, want the smallest", s.PermitQuota)
	}
	if s := run(LeverEvent{Lever: "remittance_fee", Intensity: 0.01}, LeverEvent{Lever: "remittance_fee", Intensity: 0.02}); math.Abs(s.RemittanceFee-0.03) > 1e-15 {
		t.Errorf("fees: %v, want 0.03", s.RemittanceFee)
	}
	if s := run(LeverEvent{Lever: "ban_amnesty", Intensity: 0, Settings: map[string]float64{"count": 100}}, LeverEvent{Lever: "ban_amnesty", Intensity: 0, Settings: map[string]float64{"count": 50}}); s.AmnestyCount != 150 {
		t.Errorf("amnesty counts: %v, want 150", s.AmnestyCount)
	}
}

// Ramps and one-off effects use the months since the event's start.
func TestRampAndFirstMonth(t *testing.T) {
	span := calendar.Range{From: calendar.Of(2012, 1), Until: calendar.Of(2012, 12)}
	tl, _ := NewTimeline(span, Base())
	from := calendar.Of(2012, 3)
	if err := tl.ApplyEvent(LeverEvent{Lever: "ruble_devaluation", From: from, Until: span.Until, Intensity: 40, Settings: map[string]float64{"ramp_months": 4}}); err != nil {
		t.Fatal(err)
	}
	if err := tl.ApplyEvent(LeverEvent{Lever: "sector_ban", From: from, Until: span.Until, Intensity: 0.5, Target: Target{Sector: "trade"}}); err != nil {
		t.Fatal(err)
	}
	for k, want := range []float64{1 / (1 - 0.1), 1 / (1 - 0.2), 1 / (1 - 0.3), 1 / (1 - 0.4), 1 / (1 - 0.4)} {
		if got := tl.RubFactorAt(from + calendar.Month(k)); math.Abs(got-want) > 1e-12 {
			t.Errorf("month %d of the devaluation: factor %v, want %v", k, got, want)
		}
	}
	if tl.RubFactorAt(from-1) != 1 {
		t.Error("devaluation before its start")
	}
	if s := tl.At(from); s.SectorLayoff[4] != 0.5 || s.SectorBan[4] != 0.5 || s.SectorBan[0] != 0 {
		t.Errorf("first month of the trade ban: layoff %v ban %v", s.SectorLayoff[4], s.SectorBan[4])
	}
	if s := tl.At(from + 1); s.SectorLayoff[4] != 0 || s.SectorBan[4] != 0.5 {
		t.Errorf("second month of the trade ban: layoff %v ban %v", s.SectorLayoff[4], s.SectorBan[4])
	}
}

func TestTargetCells(t *testing.T) {
	count := func(each func(func(int))) (n int) {
		each(func(int) { n++ })
		return n
	}
	tests := []struct {
		t          Target
		home, work int
	}{
		{Target{}, NumHomeCells, NumWorkCells},
		{Target{Region: "sughd"}, NumSexes * NumAgeGroups, NumWorkCells},
		{Target{Sex: "female", AgeGroup: "18-24"}, NumRegions, NumSectors},
		{Target{Sector: "trade", Sex: "male"}, NumRegions * NumAgeGroups, NumAgeGroups},
	}
	for _, tc := range tests {
		if got := count(tc.t.eachHome); got != tc.home {
			t.Errorf("%+v: %d home cells, want %d", tc.t, got, tc.home)
		}
		if got := count(tc.t.eachWork); got != tc.work {
			t.Errorf("%+v: %d work cells, want %d", tc.t, got, tc.work)
		}
	}
	seen := map[int]bool{}
	Target{}.eachHome(func(c int) {
		if c < 0 || c >= NumHomeCells || seen[c] {
			t.Fatalf("home cell %d repeated or out of range", c)
		}
		seen[c] = true
	})
	// The age group of "18-24" is band 2 of package behaviour.
	var got []int
	Target{Region: "khatlon", Sex: "male", AgeGroup: "18-24"}.eachHome(func(c int) { got = append(got, c) })
	if !slices.Equal(got, []int{HomeCell(0, 0, 2)}) {
		t.Errorf("khatlon men 18-24: cells %v", got)
	}
}

func TestOrShareExactForZero(t *testing.T) {
	for _, x := range []float64{0.05, 0.1, 0.3, 1e-9} {
		if OrShare(0, x) != x || OrShare(x, 0) != x {
			t.Errorf("orShare with zero changed %v", x)
		}
	}
	if OrShare(0.5, 0.5) != 0.75 {
		t.Error("OrShare(0.5, 0.5) != 0.75")
	}
}

// FuzzApplyEvent: any event either fails Check with an error or applies to
// a timeline without panicking, and never makes a state value NaN.
func FuzzApplyEvent(f *testing.F) {
	f.Add("enforcement_campaign", 3.0, "cost_usd", 10.0, "", "construction", 0, 6)
	f.Add("ruble_devaluation", 30.0, "ramp_months", 3.0, "", "", 2, 12)
	f.Add("patron_investment", 300.0, "local_wage_share", 0.3, "sughd", "", 0, 12)
	f.Add("alternative_destination", 0.2, "wage_ratio", 2.0, "", "", -3, 4)
	f.Fuzz(func(t *testing.T, lever string, x float64, setting string, v float64, region, sector string, from, months int) {
		span := calendar.Range{From: calendar.Of(2012, 1), Until: calendar.Of(2013, 12)}
		tl, _ := NewTimeline(span, Base())
		e := LeverEvent{Lever: lever, From: span.From + calendar.Month(from%30), Until: span.From + calendar.Month(from%30+months%30), Intensity: x,
			Settings: map[string]float64{setting: v}, Target: Target{Region: region, Sector: sector}}
		if err := tl.ApplyEvent(e); err != nil {
			return
		}
		for m := span.From; m <= span.Until; m++ {
			s := tl.At(m)
			for _, y := range []float64{s.RubFactor, s.GDPFactor, s.GDPAddUSD, s.VisaApproval, s.AmnestyShare, s.HomeIncome[0][0], s.Check[0], s.Refusal[0]} {
				if math.IsNaN(y) {
					t.Fatalf("%+v: NaN in the state of %v", e, m)
				}
			}
		}
	})
}

// TestStateIsPlainValue: State holds no maps, slices or pointers, so that a
// copy (the Timeline keeps one per month) shares nothing.
func TestStateIsPlainValue(t *testing.T) {
	var check func(t *testing.T, typ reflect.Type, path string)
	check = func(t *testing.T, typ reflect.Type, path string) {
		switch typ.Kind() {
		case reflect.Bool, reflect.Float64, reflect.Int, reflect.Uint32:
		case reflect.Array:
			check(t, typ.Elem(), path+"[]")
		case reflect.Struct:
			for i := range typ.NumField() {
				check(t, typ.Field(i).Type, path+"."+typ.Field(i).Name)
			}
		default:
			t.Errorf("State%s is a %s", path, typ.Kind())
		}
	}
	check(t, reflect.TypeFor[State](), "")
}
