package sim

import (
	"reflect"
	"testing"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/policy"
)

// Direction-of-effect tests: every lever of the library, at its standard
// intensity from a fixed month, moves its key outputs the way its mechanism
// says, against the same run without it (same seed, so common random
// numbers), and leaves every month before it identical.

var (
	leverFrom  = calendar.Of(2012, 1)
	leverUntil = calendar.Of(2014, 12)
	leverStart = calendar.Of(2013, 1)
)

const leverScale = 100

// effect is one expected sign: the sum of a column over the months from the
// event on rises (+1) or falls (−1).
type effect struct {
	col  string
	sign int
}

func (e effect) String() string {
	if e.sign > 0 {
		return e.col + " rises"
	}
	return e.col + " falls"
}

var up = func(c string) effect { return effect{c, +1} }
var down = func(c string) effect { return effect{c, -1} }

// column returns the value of the csv column name of r.
func column(t *testing.T, r *Record, name string) float64 {
	t.Helper()
	v := reflect.ValueOf(r).Elem()
	for i := range v.NumField() {
		if v.Type().Field(i).Tag.Get("csv") == name {
			return v.Field(i).Float()
		}
	}
	t.Fatalf("no column %q", name)
	return 0
}

func leverRun(t *testing.T, events ...policy.LeverEvent) []Record {
	t.Helper()
	cfg := testConfig(t, leverScale, leverFrom, leverUntil)
	for _, e := range events {
		if err := cfg.Policy.ApplyEvent(e); err != nil {
			t.Fatal(err)
		}
	}
	return runAll(t, cfg)
}

func TestLeverDirections(t *testing.T) {
	base := leverRun(t)
	tests := []struct {
		lever    string
		target   policy.Target
		settings map[string]float64
		from     calendar.Month // zero: leverStart
		effects  []effect
	}{
		{lever: "enforcement_campaign", effects: []effect{up("deportations"), down("migrants_in_russia"), up("entry_bans_active")}},
		{lever: "enforcement_campaign", target: policy.Target{Sector: "construction"}, effects: []effect{up("deportations"), down("employed_construction")}},
		{lever: "mass_deportation", effects: []effect{up("deportations"), down("migrants_in_russia"), down("remittances_usd")}},
		{lever: "mass_deportation", settings: map[string]float64{"count_per_month": 20000}, effects: []effect{up("deportations"), down("migrants_in_russia")}},
		// Before the 2013 regime, the standard ban rules turn on exit bans.
		{lever: "reentry_bans", from: calendar.Of(2012, 1), effects: []effect{up("bans_issued"), up("entry_bans_active"), up("refused_entry")}},
		{lever: "border_refusals", effects: []effect{up("refused_entry"), down("departures_russia"), down("migrants_in_russia")}},
		{lever: "visa_regime", effects: []effect{down("departures_russia"), down("migrants_in_russia")}},
		{lever: "visa_regime", settings: map[string]float64{"quota_per_year": 100000}, effects: []effect{down("departures_russia"), up("refused_entry")}},
		{lever: "foreign_passport", effects: []effect{down("departures_russia"), down("migrants_in_russia")}},
		// 3 days instead of the history's 15 from August 2013.
		{lever: "registration_grace_days", effects: []effect{down("migrants_legal"), up("migrants_irregular"), up("deportations")}},
		{lever: "patent_fee", effects: []effect{up("patent_revenue_rub"), down("migrants_legal")}},
		{lever: "patent_exam", effects: []effect{down("migrants_legal"), up("deportations")}},
		{lever: "work_permit_quota", effects: []effect{down("migrants_legal"), up("migrants_irregular")}},
		{lever: "sector_ban", effects: []effect{down("migrants_employed"), up("returns_job_loss")}},
		{lever: "sector_ban", target: policy.Target{Sector: "construction"}, effects: []effect{down("employed_construction"), up("employed_services")}},
		{lever: "ban_amnesty", effects: []effect{up("bans_lifted"), down("entry_bans_active")}},
		{lever: "bank_transfer_bar", effects: []effect{up("transfer_costs_usd"), down("remittances_usd")}},
		{lever: "border_closure", effects: []effect{down("departures_russia"), down("returns")}},
		{lever: "produce_ban", target: policy.Target{Region: "sughd"}, effects: []effect{up("poor_persons_sughd"), up("poverty_rate_sughd")}},
		{lever: "rail_obstruction", effects: []effect{down("departures_russia"), up("poor_persons")}},
		{lever: "energy_price_shock", effects: []effect{up("poor_persons"), up("poverty_rate")}},
		{lever: "labour_demand_shock", effects: []effect{down("migrants_employed"), up("returns_job_loss"), down("remittances_usd")}},
		{lever: "ruble_devaluation", effects: []effect{down("remittances_usd"), down("migrant_earnings_usd"), down("departures")}},
		{lever: "alternative_destination", target: policy.Target{Destination: "elsewhere"}, effects: []effect{up("migrants_elsewhere"), down("departures_russia")}},
		{lever: "alternative_destination", target: policy.Target{Destination: "kazakhstan"}, settings: map[string]float64{"wage_ratio": 1.5}, effects: []effect{up("migrants_in_kazakhstan"), down("migrants_in_russia")}},
		{lever: "patron_investment", target: policy.Target{Region: "sughd"}, effects: []effect{down("poor_persons_sughd"), up("gdp_usd"), up("home_employed"), down("returnees_jobless")}},
		{lever: "hydro_power", effects: []effect{down("gdp_usd"), up("poor_persons")}},
		{lever: "travel_advisory", effects: []effect{down("departures_russia"), down("migrants_in_russia")}},
		{lever: "remittance_fee", effects: []effect{down("remittances_usd"), up("transfer_costs_usd")}},
		{lever: "organised_recruitment", effects: []effect{up("migrants_legal"), down("migrants_irregular")}},
	}
	covered := map[string]bool{}
	for _, tc := range tests {
		covered[tc.lever] = true
		l, ok := policy.LookupLever(tc.lever)
		if !ok {
			t.Fatalf("no lever %q", tc.lever)
		}
		from := tc.from
		if from == 0 {
			from = leverStart
		}
		ev := policy.LeverEvent{Lever: tc.lever, From: from, Until: from + calendar.Month(l.Months) - 1,
			Intensity: l.Standard, Settings: tc.settings, Target: tc.target, Source: "test"}
		recs := leverRun(t, ev)
		for i := range recs {
			if recs[i].Month < from && !reflect.DeepEqual(recs[i], base[i]) {
				t.Errorf("%s: %v, before the event, differs from the base run", tc.lever, recs[i].Month)
				break
			}
		}
		for _, e := range tc.effects {
			var with, without float64
			for i := range recs {
				if recs[i].Month >= from {
					with += column(t, &recs[i], e.col)
					without += column(t, &base[i], e.col)
				}
			}
			if d := with - without; d*float64(e.sign) <= 0 {
				t.Errorf("%s %+v at %g: want %v; with %.6g, without %.6g", tc.lever, tc.target, l.Standard, e, with, without)
			}
		}
	}
	for _, name := range policy.LeverNames() {
		if !covered[name] {
			t.Errorf("lever %s has no direction-of-effect test", name)
		}
	}
}

// TestNeutralLeversChangeNothing: events at their neutral values leave every
// record identical (common random numbers, and no floating-point drift).
func TestNeutralLeversChangeNothing(t *testing.T) {
	base := leverRun(t)
	p := testConfig(t, leverScale, leverFrom, leverUntil).Params
	open := calendar.Month(-1 << 30)
	ev := func(name string, x float64, settings map[string]float64, target policy.Target) policy.LeverEvent {
		return policy.LeverEvent{Lever: name, From: leverStart, Until: open, Intensity: x, Settings: settings, Target: target, Source: "test"}
	}
	neutral := []policy.LeverEvent{
		ev("enforcement_campaign", 1, nil, policy.Target{}),
		ev("mass_deportation", 0, nil, policy.Target{}),
		ev("border_refusals", 0, nil, policy.Target{Region: "khatlon"}),
		ev("visa_regime", 1, map[string]float64{"cost_usd": 0, "delay_months": 0}, policy.Target{}),
		ev("foreign_passport", 0, nil, policy.Target{}),
		ev("patent_exam", 1, map[string]float64{"fee_rub": 0}, policy.Target{}),
		ev("work_permit_quota", 1e7, nil, policy.Target{}),
		ev("sector_ban", 0, nil, policy.Target{}),
		ev("ban_amnesty", 0, nil, policy.Target{}),
		ev("produce_ban", 0, nil, policy.Target{}),
		ev("rail_obstruction", 0, map[string]float64{"delay_days": 0, "freight_loss": 0}, policy.Target{}),
		ev("energy_price_shock", 0, nil, policy.Target{}),
		ev("labour_demand_shock", 0, nil, policy.Target{}),
		ev("ruble_devaluation", 0, nil, policy.Target{}),
		ev("alternative_destination", p.ShareKazakhstan, nil, policy.Target{Destination: "kazakhstan"}),
		ev("patron_investment", 0, nil, policy.Target{}),
		ev("hydro_power", 0, nil, policy.Target{}),
		ev("travel_advisory", 1, nil, policy.Target{}),
		ev("remittance_fee", 0, nil, policy.Target{}),
		ev("organised_recruitment", 0, nil, policy.Target{}),
		// Rules set to the values the history has in force anyway.
		ev("reentry_bans", 3, map[string]float64{"years_270": 3, "years_base": 3, "years_deportation": 5}, policy.Target{}),
		ev("patent_fee", 0, nil, policy.Target{}),
		ev("bank_transfer_bar", p.TransferCostEarly, nil, policy.Target{}),
	}
	grace := ev("registration_grace_days", 3, nil, policy.Target{})
	grace.Until = calendar.Of(2013, 7) // the 15-day grace starts in August 2013
	neutral = append(neutral, grace)
	// Every lever but border_closure (which closes entry at any intensity)
	// has a neutral use.
	seen := map[string]bool{}
	for _, e := range neutral {
		seen[e.Lever] = true
	}
	for _, name := range policy.LeverNames() {
		if !seen[name] && name != "border_closure" {
			t.Errorf("lever %s has no neutral event in this test", name)
		}
	}
	recs := leverRun(t, neutral...)
	for i := range recs {
		if !reflect.DeepEqual(recs[i], base[i]) {
			t.Fatalf("%v: neutral events changed the records", recs[i].Month)
		}
	}
}

// TestRegionsAddUp: the regional columns add up to the national ones.
func TestRegionsAddUp(t *testing.T) {
	recs := leverRun(t, policy.LeverEvent{Lever: "produce_ban", From: leverStart, Until: leverUntil, Intensity: 0.2, Target: policy.Target{Region: "gbao"}, Source: "test"})
	for _, r := range recs {
		abroad := r.MigrantsAbroadKhatlon + r.MigrantsAbroadSughd + r.MigrantsAbroadDRS + r.MigrantsAbroadDushanbe + r.MigrantsAbroadGBAO
		home := r.AtHomeKhatlon + r.AtHomeSughd + r.AtHomeDRS + r.AtHomeDushanbe + r.AtHomeGBAO
		poor := r.PoorPersonsKhatlon + r.PoorPersonsSughd + r.PoorPersonsDRS + r.PoorPersonsDushanbe + r.PoorPersonsGBAO
		remit := r.RemittancesUSDKhatlon + r.RemittancesUSDSughd + r.RemittancesUSDDRS + r.RemittancesUSDDushanbe + r.RemittancesUSDGBAO
		if abroad != r.MigrantsAbroad || home != r.AtHome-r.Births || poor != r.PoorPersons || !approx(remit, r.RemittancesUSD, 1e-9) {
			t.Fatalf("%v: regions add up to abroad %v (national %v), at home %v (%v − births %v), poor %v (%v), remittances %v (%v)",
				r.Month, abroad, r.MigrantsAbroad, home, r.AtHome, r.Births, poor, r.PoorPersons, remit, r.RemittancesUSD)
		}
		if r.PovertyRateGBAO <= 0 || r.PovertyRateGBAO >= 1 || r.PovertyRateGBAO != r.PoorPersonsGBAO/r.AtHomeGBAO {
			t.Fatalf("%v: GBAO poverty rate %v", r.Month, r.PovertyRateGBAO)
		}
	}
}

// TestLeverCountsArePersons: levers given as numbers of persons act on
// persons, not agents, so the number is the same at every scale.
func TestLeverCountsArePersons(t *testing.T) {
	from, until := calendar.Of(2013, 3), calendar.Of(2013, 8)
	for _, scale := range []int{50, 100} {
		base := testConfig(t, scale, leverFrom, leverUntil)
		cfg := testConfig(t, scale, leverFrom, leverUntil)
		err := cfg.Policy.ApplyEvent(policy.LeverEvent{Lever: "mass_deportation", From: from, Until: until,
			Settings: map[string]float64{"count_per_month": 20000}, Source: "test"})
		if err != nil {
			t.Fatal(err)
		}
		a, b := runAll(t, base), runAll(t, cfg)
		for i := range b {
			if m := b[i].Month; m >= from && m <= until {
				if extra := b[i].Deportations - a[i].Deportations; extra < 0.85*20000 || extra > 1.15*20000 {
					t.Errorf("scale %d, %v: %v extra deportations, want ≈20,000", scale, m, extra)
				}
			}
		}
	}
}
