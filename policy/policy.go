// Package policy holds the levers that governments and third parties pull
// on the corridor, as a monthly state: Russian entry, registration,
// work-permit and enforcement rules, bans and amnesties, border closures,
// the ruble and the Russian labour market, transfer costs, the home economy,
// advisories, recruitment and other patrons.
//
// The lever library (Levers, LookupLever) describes each lever: what it
// represents, the mechanism it acts on, its source, its intensity, settings,
// targets and standard dose (docs/levers.md). A LeverEvent is one dated use
// of a lever; Timeline.ApplyEvent applies it to the State of every month in
// force. State is a plain value with fixed-size arrays; targeted levers
// store their values per cell (HomeCell, WorkCell), which package behaviour
// turns into threshold tables once a month.
//
// History builds the reference timeline from the dated events of
// data/policy_events.csv and the rules in data/PARAMETERS.md, through the
// same library; each event cites its source. Scenarios add events on top.
package policy

import (
	"fmt"

	"github.com/corridor-sim/corridor/calendar"
)

// State is the set of lever values in force during one month. It is a plain
// value (fixed-size arrays, no maps or slices) because the Timeline stores one
// per month; targeted levers keep one value per cell (see HomeCell, WorkCell).
// The zero value is not neutral: start from Base.
type State struct {
	// Entry and departures.

	// EntryOpen is false while Russia admits no new migrants (border closure).
	EntryOpen bool
	// ExitFactor multiplies migrants' return probabilities (1 = normal; below 1
	// when flights are suspended).
	ExitFactor float64
	// Advisory multiplies the departure propensity to Russia by home cell
	// (travel advisories; 1 = none).
	Advisory [NumHomeCells]float64
	// Refusal is the share of would-be entrants to Russia (not banned) turned
	// back at the border, by home cell.
	Refusal [NumHomeCells]float64
	// Visa regime: Visa is true while Tajik citizens need a visa for Russia;
	// VisaApproval is the share of applications approved, VisaCostUSD and
	// VisaDelayMonths its cost and waiting time, VisaQuota the visas issued
	// per year (0 = no quota).
	Visa            bool
	VisaApproval    float64
	VisaCostUSD     float64
	VisaDelayMonths float64
	VisaQuota       float64
	// ForeignPassport is true when entry needs a foreign (international)
	// passport: the 2015 requirement, whose deterrent is the calibrated
	// parameter passport_deterrent.
	ForeignPassport bool
	// PassportShare is the share of would-be migrants without a foreign
	// passport under a foreign_passport lever; they pay PassportCostUSD and
	// wait PassportDelayMonths.
	PassportShare       float64
	PassportCostUSD     float64
	PassportDelayMonths float64
	// RailCostUSD and RailDelayMonths are the extra cost and time of a trip to
	// Russia while rail transit is obstructed.
	RailCostUSD     float64
	RailDelayMonths float64
	// DestShare[d] replaces the sourced share of departures going to
	// destination d (1 kazakhstan, 2 elsewhere) when DestSet[d];
	// DestWage[d] multiplies migrant earnings there (1 = the Russian wage).
	DestShare [3]float64
	DestSet   [3]bool
	DestWage  [3]float64
	// Recruit is the share of arrivals in Russia from a region who come
	// through organised recruitment (legal and employed on arrival);
	// RecruitBoost multiplies their region's departure propensity to Russia.
	Recruit      [NumRegions]float64
	RecruitBoost [NumRegions]float64

	// Arrival and legal status.

	// RegistrationGraceDays is the time a newly arrived Tajik citizen has to
	// register at the place of stay.
	RegistrationGraceDays float64
	// PatentRequired is true when legal work needs a patent paid monthly.
	PatentRequired bool
	// PatentFeeRUB is the monthly patent payment (Moscow price), RUB.
	PatentFeeRUB float64
	// Exam: the share passing the language, history and law exam needed for
	// a patent, its fee (RUB) and the months a certificate is valid.
	ExamPassRate    float64
	ExamFeeRUB      float64
	ExamValidMonths float64
	// PermitQuota is the number of work patents per year available to Tajik
	// citizens when PermitQuotaOn.
	PermitQuotaOn bool
	PermitQuota   float64

	// Work abroad.

	// SectorBan is the share of a sector's jobs closed to migrants;
	// SectorLayoff the share of migrants working in it who lose their job in
	// the month the ban starts.
	SectorBan    [NumSectors]float64
	SectorLayoff [NumSectors]float64
	// DemandShockPP is added to Russian real growth (percentage points) in
	// the job-finding and job-loss rates of a sector.
	DemandShockPP [NumSectors]float64

	// Enforcement and bans.

	// CheckIntensity multiplies the rate at which irregular migrants are
	// caught (1 = the calibrated 2005–2012 level); Check multiplies it
	// further by work cell (targeted campaigns).
	CheckIntensity float64
	Check          [NumWorkCells]float64
	// DeportShare is the monthly share of migrants in Russia deported by
	// work cell (mass deportation); DeportCount a number of persons per month
	// spread over the cells of DeportCountCells; DeportIrregularFirst
	// selects irregular migrants before legal ones.
	DeportShare          [NumWorkCells]float64
	DeportCount          float64
	DeportCountCells     [NumWorkCells]bool
	DeportIrregularFirst bool
	// ExitBans is true once overstayers are banned systematically on exit
	// (the 2013 ban regime); before, bans followed deportations mostly.
	ExitBans bool
	// BanMonths are the ban lengths (months) on exit after an overstay of at
	// least ban_overstay_months, of more than 180 days and of more than 270
	// days; DeportBanMonths the ban after a deportation.
	BanMonths       [3]float64
	DeportBanMonths float64
	// AmnestyShare is the share of active bans lifted in this month.
	AmnestyShare float64
	// AmnestyCount is a number of bans (persons) lifted in this month; it is
	// turned into a share of the month's ban stock by the simulation.
	AmnestyCount float64

	// Money.

	// TransferCost is the cost of sending money home, as a share of the amount.
	TransferCost float64
	// RemittanceFee is a fee or tax on formal transfers, as a share of the
	// amount, added to TransferCost.
	RemittanceFee float64
	// IrregularBankBar is true when irregular migrants are barred from bank
	// transfers (the 2025 registry of controlled persons) and send through
	// informal channels at InformalCost.
	IrregularBankBar bool
	InformalCost     float64
	// RubFactor multiplies the month's RUB/USD rate (a devaluation > 1).
	RubFactor float64

	// Home economy.

	// HomeIncome multiplies home earnings and other income by region and
	// area (0 rural, 1 urban): produce bans, energy prices, freight, hydro power.
	HomeIncome [NumRegions][2]float64
	// WageBill is investment paid as local wages by region (USD per year),
	// turned into jobs at the month's home wage; WageBillNational is spread
	// over the regions by working-age residents at home.
	WageBill         [NumRegions]float64
	WageBillNational float64
	// Jobs are jobs at home added (or lost) by region, persons;
	// JobsNational is spread like WageBillNational.
	Jobs         [NumRegions]float64
	JobsNational float64
	// GDPFactor multiplies Tajik GDP; GDPAddUSD adds to it (USD per year).
	GDPFactor float64
	GDPAddUSD float64
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

// applyEach sets a lever from month from to until (as Apply) with a setter
// that also receives the number of months since from (0 in the first month).
func (t *Timeline) applyEach(from, until calendar.Month, lever, value, source string, set func(s *State, k int)) {
	end := until
	if until < from {
		end = t.Span.Until
	}
	for m := max(from, t.Span.From); m <= min(end, t.Span.Until); m++ {
		set(&t.states[m-t.Span.From], int(m-from))
	}
	t.Events = append(t.Events, Event{from, until, lever, value, source})
}

// InformalTransferCost is the assumed cost of informal channels (cash
// carried, hawala) used by migrants barred from bank transfers, as a share of
// the amount. No source gives it; it is a named assumption (docs/levers.md).
const InformalTransferCost = 0.10

// Base is the policy in force at the start of 2005: visa-free entry on
// internal passports (data/policy_events.csv 2005), a 3-day registration
// deadline (2007-01-06), no patents, 5-year bans after deportation.
func Base() State {
	s := State{
		EntryOpen:             true,
		ExitFactor:            1,
		VisaApproval:          1,
		RegistrationGraceDays: 3,
		ExamPassRate:          1,
		CheckIntensity:        1,
		BanMonths:             [3]float64{60, 60, 60},
		DeportBanMonths:       60,
		InformalCost:          InformalTransferCost,
		RubFactor:             1,
		GDPFactor:             1,
		TransferCost:          0, // set from parameters by History
	}
	for i := range s.Advisory {
		s.Advisory[i] = 1
	}
	for i := range s.Check {
		s.Check[i] = 1
	}
	for i := range s.DestWage {
		s.DestWage[i] = 1
	}
	for i := range s.RecruitBoost {
		s.RecruitBoost[i] = 1
	}
	for r := range s.HomeIncome {
		s.HomeIncome[r] = [2]float64{1, 1}
	}
	return s
}

func mo(y, m int) calendar.Month { return calendar.Of(y, m) }

// History returns the reference timeline of sourced events over span: every
// row of data/policy_events.csv from 2005 to 2025 that maps onto a lever
// (docs/levers.md lists the rows that do not, and why), plus the ban regime
// of 2013 and the transfer costs of data/PARAMETERS.md. transferCostEarly is
// the assumed transfer cost before 2020 (a parameter).
func History(span calendar.Range, transferCostEarly float64) (*Timeline, error) {
	base := Base()
	base.TransferCost = transferCostEarly
	t, err := NewTimeline(span, base)
	if err != nil {
		return nil, err
	}
	open := calendar.Month(-1 << 30)
	lever := func(name string, from, until calendar.Month, intensity float64, settings map[string]float64, target Target, source string) {
		e := LeverEvent{Lever: name, From: from, Until: until, Intensity: intensity, Settings: settings, Target: target, Source: source}
		if err == nil {
			if err = t.ApplyEvent(e); err != nil {
				err = fmt.Errorf("policy: history event %s %v: %w", name, from, err)
			}
		}
	}

	// data/policy_events.csv 2007-01-06: "Registration deadline at the time: 3 days".
	lever("registration_grace_days", mo(2005, 1), open, 3, nil, Target{},
		ev+" 2007-01-06: registration deadline at the time: 3 days")
	// data/policy_events.csv 2011-11: Pilot (Sadovnichy) dispute, 57 Tajiks deported 11–16 Nov 2011.
	lever("mass_deportation", mo(2011, 11), mo(2011, 11), 0, map[string]float64{"count_per_month": 57, "irregular_first": 1}, Target{},
		ev+" 2011-11: FMS announces expulsion of several hundred Tajik migrants; 57 deported 11–16 Nov")
	// data/PARAMETERS.md §10: 90-in-180-days rule, 3-year bans for overstays (2013).
	lever("reentry_bans", mo(2013, 1), open, 3, map[string]float64{"years_270": 3, "years_base": 3, "years_deportation": 5}, Target{},
		pm+" §10: 90-in-180-days stay rule and 3-year bans for overstays (2013); 5-year ban on deportation ("+ev+" 2007-01-06)")
	// data/policy_events.csv 2013-02-08; first source document: 15-day grace from August 2013.
	lever("registration_grace_days", mo(2013, 8), open, 15, nil, Target{},
		ev+" 2013-02-08 (agreement signed) and the first source document (15-day grace granted August 2013)")
	// data/policy_events.csv 2014-06-17 and 2015-01-01: foreign-passport-only entry.
	t.Apply(mo(2015, 1), open, "foreign_passport", "required (deterrent: parameter passport_deterrent)",
		ev+" 2014-06-17 and 2015-01-01: foreign-passport-only entry (share without a passport and its cost not in the data; the calibrated passport_deterrent stands for them)",
		func(s *State) { s.ForeignPassport = true })
	// data/policy_events.csv 2015-01-01: patent system, language/history/law exam.
	lever("patent_exam", mo(2015, 1), open, 1, map[string]float64{"fee_rub": 3800, "valid_months": 36}, Target{},
		ev+" 2015-01-01: exam required for a patent; fee 3,800 RUB, certificate valid 3 years ("+pm+" §10, 2023–24 fee applied from 2015; no pass rate in the data, 1 assumed)")
	// data/policy_events.csv 2015-01-12: overstay >180 days ⇒ 5 years, >270 days ⇒ 10 years.
	lever("reentry_bans", mo(2015, 1), open, 5, map[string]float64{"years_270": 10, "years_base": 3, "years_deportation": 5}, Target{},
		ev+" 2015-01-12: overstay >180 days ⇒ 5-year ban; >270 days ⇒ 10-year ban")
	// Moscow patent price, RUB/month (data/policy_events.csv 2015, 2016, 2024,
	// 2025, 2026; data/PARAMETERS.md §10). Years without a sourced price are
	// linearly interpolated between sourced ones (2017: held at 2016;
	// 2020–2022 between 2019 and 2023).
	fees := []struct {
		year int
		fee  float64
		src  string
	}{
		{2015, 4000, ev + " 2015-01-01 (patent system extended to all visa-free migrants) and 2015 (Moscow 4,000 RUB) / " + pm + " §10"},
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
		lever("patent_fee", mo(f.year, 1), until, f.fee, nil, Target{}, f.src)
	}
	// data/policy_events.csv 2017 and data/PARAMETERS.md §10: ≈100,000 of ≈400,000 bans lifted.
	lever("ban_amnesty", mo(2017, 7), mo(2017, 7), 0.25, nil, Target{},
		ev+" 2017 and "+pm+" §10: ≈100,000 of ≈400,000 bans lifted under the 2017 agreement (month not given; mid-year assumed)")
	// data/PARAMETERS.md §7: transfer costs (a base value, not a lever).
	t.Apply(mo(2020, 1), mo(2021, 9), "transfer_cost", "0.010",
		pm+" §7: cost of sending from Russia 1.0% (2020, WB MDB 34)", func(s *State) { s.TransferCost = 0.010 })
	t.Apply(mo(2021, 10), open, "transfer_cost", "0.042",
		pm+" §7: RPW average cost Russia→Tajikistan 4.20% (2021Q4)", func(s *State) { s.TransferCost = 0.042 })
	// data/policy_events.csv 2020-03-16 to 2021-04-01: entry barred; flights suspended.
	lever("border_closure", mo(2020, 4), mo(2021, 3), 0.7, nil, Target{},
		ev+" 2020-03-16 (entry barred), 2020-03-20/27 (flights suspended; repatriation charters only, 2020-07-27) to 2021-04-01 (regular flights resume); the 70% of exits blocked is an assumption")
	// data/enforcement.csv and data/policy_events.csv 2022 (early): 120,590 bans lifted.
	lever("ban_amnesty", mo(2022, 2), mo(2022, 2), 0, map[string]float64{"count": 120590}, Target{},
		ev+" 2022 (early; verify) and data/enforcement.csv entry_ban_amnesty_tj: 120,590 bans lifted (month not given, February assumed)")
	// data/policy_events.csv 2024-03-22 and data/PARAMETERS.md §10: checks ×3.1.
	lever("enforcement_campaign", mo(2024, 4), open, 3.1, nil, Target{},
		pm+" §10: MVD checks ×3.1 (Jan–Jul 2024), after the Crocus attack ("+ev+" 2024-03-22)")
	// data/policy_events.csv 2024-04-22: mass entry refusals at the border.
	lever("border_refusals", mo(2024, 4), open, 0.05, nil, Target{},
		ev+" 2024-04-22: mass entry refusals (~1,000 people at one checkpoint); the 5% share refused is an assumption")
	// data/policy_events.csv 2024-04-22 (MFA advice 27 Apr) and 2024-09-10: travel advisories.
	lever("travel_advisory", mo(2024, 5), open, 0.95, nil, Target{},
		ev+" 2024-04-22: Tajik MFA advises citizens against travel (27 Apr 2024); the 5% fewer departures is an assumption")
	lever("travel_advisory", mo(2024, 9), open, 0.95, nil, Target{},
		ev+" 2024-09-10: Tajik embassy advises citizens to refrain from travel to Russia; a further 5% fewer departures is an assumption")
	// data/policy_events.csv 2024-07-31: regional sector bans (>10 regions in 2024).
	for _, sec := range []string{"services", "transport"} {
		lever("sector_ban", mo(2024, 7), open, 0.1, nil, Target{Sector: sec},
			ev+" 2024-07-31: >10 regions had sectoral bans on migrant labour in 2024 (transport, hotels, education, health) and a bill for medical, pharmaceutical and school jobs; the 10% of the sector's jobs closed is an assumption")
	}
	// data/policy_events.csv 2024-06 and 2025-02-05: registry of controlled persons.
	lever("bank_transfer_bar", mo(2025, 2), open, InformalTransferCost, nil, Target{},
		ev+" 2024-06 and 2025-02-05: registry of controlled persons, its members barred from bank transfers (informal cost 10% assumed)")
	if err != nil {
		return nil, err
	}
	return t, nil
}

// RubFactorAt returns the RUB/USD multiplier in force in month m (the
// nearest edge outside the span), without copying the whole State.
func (t *Timeline) RubFactorAt(m calendar.Month) float64 {
	i := int(m - t.Span.From)
	if i < 0 {
		i = 0
	}
	if i >= len(t.states) {
		i = len(t.states) - 1
	}
	return t.states[i].RubFactor
}
