// Package policy holds the levers that governments pull on the corridor, as
// a monthly state: Russian entry, registration, work-permit and enforcement
// rules, ban amnesties, border closures, transfer costs and advisories.
//
// A Timeline gives the State in force in every month of a run. History
// builds the reference timeline from the dated events in
// data/policy_events.csv and the rules in data/PARAMETERS.md; each change in
// it cites its source. Scenarios (a later layer) edit a Timeline.
package policy

import (
	"fmt"

	"github.com/corridor-sim/corridor/calendar"
)

// State is the set of lever values in force during one month.
type State struct {
	// EntryOpen is false while Russia admits no new migrants (border closure).
	EntryOpen bool
	// ExitFactor multiplies migrants' return probabilities (1 = normal; below 1
	// when flights are suspended).
	ExitFactor float64
	// RegistrationGraceDays is the time a newly arrived Tajik citizen has to
	// register at the place of stay.
	RegistrationGraceDays float64
	// ForeignPassport is true when entry needs a foreign (international) passport.
	ForeignPassport bool
	// PatentRequired is true when legal work needs a patent paid monthly.
	PatentRequired bool
	// PatentFeeRUB is the monthly patent payment (Moscow price), RUB.
	PatentFeeRUB float64
	// CheckIntensity multiplies the rate at which irregular migrants are
	// caught (1 = the calibrated 2005–2012 level).
	CheckIntensity float64
	// ExitBans is true once overstayers are banned systematically on exit
	// (the 2013 ban regime); before, bans followed deportations mostly.
	ExitBans bool
	// LongBans is true under the January 2015 rules: overstay >180 days ⇒
	// 5-year ban, >270 days ⇒ 10 years (otherwise 3 years).
	LongBans bool
	// AmnestyShare is the share of active bans lifted in this month.
	AmnestyShare float64
	// AmnestyCount is a number of bans (persons) lifted in this month; it is
	// turned into a share of the month's ban stock by the simulation.
	AmnestyCount float64
	// TransferCost is the cost of sending money home, as a share of the amount.
	TransferCost float64
	// IrregularBankBar is true when irregular migrants are barred from bank
	// transfers (the 2025 registry of controlled persons) and send through
	// costlier informal channels.
	IrregularBankBar bool
	// DepartureFactor multiplies departure propensities to Russia (travel
	// advisories, mass entry refusals).
	DepartureFactor float64
}

// Timeline is the policy state month by month over a span.
type Timeline struct {
	Span   calendar.Range
	states []State
	Events []Event // the changes that built it, in order
}

// Event is one dated change of the timeline with its source.
type Event struct {
	From, Until calendar.Month // Until is inclusive; Until < From means open-ended
	Lever       string
	Value       string
	Source      string
}

// At returns the state in force in month m (the nearest edge outside the span).
func (t *Timeline) At(m calendar.Month) State {
	i := int(m - t.Span.From)
	if i < 0 {
		i = 0
	}
	if i >= len(t.states) {
		i = len(t.states) - 1
	}
	return t.states[i]
}

// NewTimeline returns a timeline over span with base in force throughout.
func NewTimeline(span calendar.Range, base State) (*Timeline, error) {
	if span.Len() <= 0 {
		return nil, fmt.Errorf("policy: empty span %v", span)
	}
	t := &Timeline{Span: span, states: make([]State, span.Len())}
	for i := range t.states {
		t.states[i] = base
	}
	return t, nil
}

// Apply sets a lever from month from to until (inclusive; an open end when
// until < from) with set, and records the change.
func (t *Timeline) Apply(from, until calendar.Month, lever, value, source string, set func(*State)) {
	end := until
	if until < from {
		end = t.Span.Until
	}
	for m := max(from, t.Span.From); m <= min(end, t.Span.Until); m++ {
		set(&t.states[m-t.Span.From])
	}
	t.Events = append(t.Events, Event{from, until, lever, value, source})
}

// Base is the policy in force at the start of 2005.
func Base() State {
	return State{
		EntryOpen:             true,
		ExitFactor:            1,
		RegistrationGraceDays: 3,
		CheckIntensity:        1,
		TransferCost:          0, // set from parameters by History
		DepartureFactor:       1,
	}
}

func mo(y, m int) calendar.Month { return calendar.Of(y, m) }

// History returns the reference timeline of sourced events over span.
// transferCostEarly is the assumed transfer cost before 2020 (a parameter).
func History(span calendar.Range, transferCostEarly float64) (*Timeline, error) {
	base := Base()
	base.TransferCost = transferCostEarly
	t, err := NewTimeline(span, base)
	if err != nil {
		return nil, err
	}
	open := calendar.Month(-1 << 30)
	const ev = "data/policy_events.csv"
	const pm = "data/PARAMETERS.md"

	t.Apply(mo(2005, 1), open, "registration_grace_days", "3",
		ev+" 2007-01-06: registration deadline at the time: 3 days", func(s *State) { s.RegistrationGraceDays = 3 })
	t.Apply(mo(2013, 1), open, "exit_bans", "on",
		pm+" §10: 90-in-180-days stay rule and 3-year bans for overstays (2013)", func(s *State) { s.ExitBans = true })
	t.Apply(mo(2013, 8), open, "registration_grace_days", "15",
		ev+" 2013-02-08 (agreement signed) and the first source document (15-day grace granted August 2013)", func(s *State) { s.RegistrationGraceDays = 15 })
	t.Apply(mo(2015, 1), open, "foreign_passport", "required",
		ev+" 2014-06-17 and 2015-01-01: foreign-passport-only entry", func(s *State) { s.ForeignPassport = true })
	t.Apply(mo(2015, 1), open, "patent_required", "yes",
		ev+" 2015-01-01: patent system extended to all visa-free migrants", func(s *State) { s.PatentRequired = true })
	t.Apply(mo(2015, 1), open, "long_bans", "5/10 years",
		ev+" 2015-01-12: overstay >180 days ⇒ 5-year ban; >270 days ⇒ 10-year ban", func(s *State) { s.LongBans = true })
	// Moscow patent price, RUB/month. Years without a sourced price are
	// linearly interpolated between sourced ones (2017: held at 2016;
	// 2020–2022 between 2019 and 2023).
	fees := []struct {
		year int
		fee  float64
		src  string
	}{
		{2015, 4000, ev + " 2015 / " + pm + " §10"},
		{2016, 4200, ev + " 2016 / " + pm + " §10"},
		{2017, 4200, "held at the 2016 price (no sourced 2017 price; UNSOURCED.csv gives 4,200)"},
		{2018, 4500, pm + " §10"},
		{2019, 5000, pm + " §10"},
		{2020, 5400, "interpolated between 2019 (5,000) and 2023 (6,600)"},
		{2021, 5800, "interpolated between 2019 (5,000) and 2023 (6,600)"},
		{2022, 6200, "interpolated between 2019 (5,000) and 2023 (6,600)"},
		{2023, 6600, pm + " §10"},
		{2024, 7500, ev + " 2024"},
		{2025, 8900, ev + " 2025"},
		{2026, 10000, ev + " 2026"},
	}
	for i, f := range fees {
		until := open
		if i+1 < len(fees) {
			until = mo(fees[i+1].year, 1) - 1
		}
		fee := f.fee
		t.Apply(mo(f.year, 1), until, "patent_fee_rub", fmt.Sprint(fee), f.src, func(s *State) { s.PatentFeeRUB = fee })
	}
	t.Apply(mo(2017, 7), mo(2017, 7), "amnesty_share", "0.25",
		ev+" 2017 and "+pm+" §10: ≈100,000 of ≈400,000 bans lifted under the 2017 agreement (month not given; mid-year assumed)",
		func(s *State) { s.AmnestyShare = 0.25 })
	t.Apply(mo(2020, 1), mo(2021, 9), "transfer_cost", "0.010",
		pm+" §7: cost of sending from Russia 1.0% (2020, WB MDB 34)", func(s *State) { s.TransferCost = 0.010 })
	t.Apply(mo(2021, 10), open, "transfer_cost", "0.042",
		pm+" §7: RPW average cost Russia→Tajikistan 4.20% (2021Q4)", func(s *State) { s.TransferCost = 0.042 })
	t.Apply(mo(2020, 4), mo(2021, 3), "entry_open", "closed",
		ev+" 2020-03-16 (entry barred) to 2021-04-01 (regular flights resume)", func(s *State) { s.EntryOpen = false })
	t.Apply(mo(2020, 4), mo(2021, 3), "exit_factor", "0.3",
		ev+" 2020-03-20/27 flights suspended; repatriation charters only (the factor is an assumption)", func(s *State) { s.ExitFactor = 0.3 })
	t.Apply(mo(2022, 2), mo(2022, 2), "amnesty_count", "120590",
		"data/enforcement.csv entry_ban_amnesty_tj (early 2022; month not given, February assumed)", func(s *State) { s.AmnestyCount = 120590 })
	t.Apply(mo(2024, 4), open, "check_intensity", "3.1",
		pm+" §10: MVD checks ×3.1 (Jan–Jul 2024), after the Crocus attack ("+ev+" 2024-03-22)", func(s *State) { s.CheckIntensity = 3.1 })
	t.Apply(mo(2024, 4), open, "departure_factor", "0.9",
		ev+" 2024-04-22 mass entry refusals and 2024-09-10 travel advisory (the factor is an assumption)", func(s *State) { s.DepartureFactor = 0.9 })
	t.Apply(mo(2025, 2), open, "irregular_bank_bar", "on",
		ev+" 2025-02-05: registry of controlled persons (bank transfers barred)", func(s *State) { s.IrregularBankBar = true })
	return t, nil
}
