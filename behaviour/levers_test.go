package behaviour

import (
	"math"
	"testing"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/drivers"
	"github.com/corridor-sim/corridor/economy"
	"github.com/corridor-sim/corridor/params"
	"github.com/corridor-sim/corridor/policy"
	"github.com/corridor-sim/corridor/population"
	"github.com/corridor-sim/corridor/rng"
)

func rngThreshold(p float64) uint32 { return rng.Threshold32(p) }

func TestEntryCostFactor(t *testing.T) {
	tests := []struct {
		cost, delay, gain, want float64
	}{
		{0, 0, 500, 1},
		{0, 0, -5, 1}, // no cost: nothing to weigh
		{350, 0, 500, 0.9},
		{0, 1, 500, 1 - 1.0/SeasonMonths},
		{350, 1, 500, 1 - (350+500)/3500.0},
		{10000, 0, 500, 0},
		{10, 0, 0, 0}, // a cost and nothing to gain
		{0, SeasonMonths, 500, 0},
	}
	for _, tc := range tests {
		if got := EntryCostFactor(tc.cost, tc.delay, tc.gain); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("EntryCostFactor(%v, %v, %v) = %v, want %v", tc.cost, tc.delay, tc.gain, got, tc.want)
		}
	}
}

func TestQuotaPass(t *testing.T) {
	tests := []struct{ quota, demand, want float64 }{
		{120000, 0, 1},
		{120000, 5000, 1},
		{120000, 20000, 0.5},
		{0, 20000, 0},
	}
	for _, tc := range tests {
		if got := quotaPass(tc.quota, tc.demand); got != tc.want {
			t.Errorf("quotaPass(%v, %v) = %v, want %v", tc.quota, tc.demand, got, tc.want)
		}
	}
}

// Each lever's State fields reach the month's tables in the documented
// direction; the base state gives the tables of the unlevered model.
func TestLeverTables(t *testing.T) {
	p, d, e := setup(t)
	m := calendar.Of(2013, 4)
	base := policy.Base()
	// The previous month's stocks, in persons, for quotas and counts.
	var mort [population.MaxAge + 1]float64
	prev := Prev{Russia: 1e6, RussiaIrregular: 4e5, DemandRussia: 5e4, LegalDemand: 2e4}
	month := func(_ *testing.T, p *params.Params, d *drivers.Paths, e *economy.Economy, m calendar.Month, pol policy.State) Month {
		return NewMonth(m, p, d.At(m), pol, e, prev, 0.01, mort)
	}
	b := month(t, p, d, e, m, base)
	man := Cell(2, false, false, false, population.Sughd)
	hc := policy.HomeCell(population.Sughd, 0, 2)
	wc := policy.WorkCell(0, 0, 2)
	tests := []struct {
		name string
		set  func(s *policy.State)
		ok   func(t Month) bool
	}{
		{"devaluation lowers the gap and departures", func(s *policy.State) { s.RubFactor = 1.5 },
			func(t Month) bool {
				return t.Gap < b.Gap && t.Depart[man] < b.Depart[man] && t.RubPerUSD == 1.5*b.RubPerUSD
			}},
		{"a visa lowers departures to Russia and raises the others' share", func(s *policy.State) { s.Visa, s.VisaApproval, s.VisaCostUSD = true, 0.8, 100 },
			func(t Month) bool { return t.Depart[man] < b.Depart[man] && t.ToKazakhstan[hc] > b.ToKazakhstan[hc] }},
		{"a visa quota is refused when demand exceeds it", func(s *policy.State) { s.Visa, s.VisaApproval, s.VisaQuota = true, 1, 12 },
			func(t Month) bool { return t.AnyRefusal && t.Refuse[hc] > 0 }},
		{"an advisory in Sughd lowers Sughd only", func(s *policy.State) { s.Advisory[hc] = 0.5 },
			func(t Month) bool {
				return t.Depart[man] < b.Depart[man] && t.Depart[Cell(2, false, false, false, population.Khatlon)] == b.Depart[Cell(2, false, false, false, population.Khatlon)]
			}},
		{"a rural income loss in Sughd raises rural departures there", func(s *policy.State) { s.HomeIncome[population.Sughd][0] = 0.8 },
			func(t Month) bool {
				return t.Depart[man] > b.Depart[man] && t.HomeWage[population.Sughd][0] < b.HomeWage[population.Sughd][0] &&
					t.Depart[Cell(2, false, true, false, population.Sughd)] == b.Depart[Cell(2, false, true, false, population.Sughd)]
			}},
		{"an alternative destination takes its share", func(s *policy.State) { s.DestSet[2], s.DestShare[2] = true, 0.2 },
			func(t Month) bool { return t.ToElsewhere[hc] > 0.19 && b.ToElsewhere[hc] == 0 }},
		{"a sector ban closes the sector to arrivals", func(s *policy.State) { s.SectorBan[0] = 1; s.SectorLayoff[0] = 1 },
			func(t Month) bool {
				return t.SectorCumulative[0] == 0 && t.JobLoss[0] == math.MaxUint32 && t.SectorRedraw[0] > 0 && t.JobLoss[1] == b.JobLoss[1]
			}},
		{"a demand shock lowers job finding in its sector", func(s *policy.State) { s.DemandShockPP[2] = -5 },
			func(t Month) bool {
				return t.JobFind[2] < b.JobFind[2] && t.JobLoss[2] > b.JobLoss[2] && t.JobFind[0] == b.JobFind[0]
			}},
		{"a targeted campaign raises checks in its cells", func(s *policy.State) { s.Check[wc] = 3 },
			func(t Month) bool { return t.Check[wc] > b.Check[wc] && t.Check[wc+1] == b.Check[wc+1] }},
		{"mass deportation, irregular first", func(s *policy.State) { s.DeportShare[wc], s.DeportIrregularFirst = 0.1, true },
			func(t Month) bool {
				return t.MassDeport && t.DeportIrregular[wc] == rngThreshold(0.25) && t.DeportLegal[wc] == 0 && t.DeportIrregular[wc+1] == 0
			}},
		{"mass deportation beyond the irregular stock takes legal migrants", func(s *policy.State) { s.DeportShare[wc], s.DeportIrregularFirst = 0.7, true },
			func(t Month) bool {
				return t.DeportIrregular[wc] == math.MaxUint32 && math.Abs(float64(t.DeportLegal[wc])-float64(rngThreshold(0.5))) < 1000
			}},
		{"a permit quota rations legal status", func(s *policy.State) { s.PermitQuotaOn, s.PermitQuota = true, 12e4 },
			func(t Month) bool { return t.PermitPass < 1 && t.Regularise < b.Regularise }},
		{"the exam lowers the legal share", func(s *policy.State) { s.ExamPassRate, s.ExamFeeRUB, s.ExamValidMonths = 0.7, 3800, 36 },
			func(t Month) bool { return t.LegalOnArrival < 0.7*b.LegalOnArrival && t.Regularise < b.Regularise }},
		{"recruitment in Sughd", func(s *policy.State) { s.Recruit[population.Sughd] = 0.3 },
			func(t Month) bool { return t.Recruit[population.Sughd] == 0.3 && t.Recruit[population.Khatlon] == 0 }},
		{"a fee raises the formal transfer cost; the bank bar the irregular one", func(s *policy.State) {
			s.RemittanceFee, s.IrregularBankBar, s.InformalCost = 0.02, true, 0.1
		}, func(t Month) bool { return t.TransferCost == b.TransferCost+0.02 && t.IrregularCost == 0.1 }},
		{"GDP factors", func(s *policy.State) { s.GDPFactor, s.GDPAddUSD = 0.99, 12e6 },
			func(t Month) bool { return math.Abs(t.GDPUSD-(0.99*b.GDPUSD+1e6)) < 1e-3 }},
		{"ban lengths", func(s *policy.State) { s.BanMonths, s.DeportBanMonths = [3]float64{12, 24, 36}, 48 },
			func(t Month) bool {
				return t.BanMonths(5) == 12 && t.BanMonths(7) == 24 && t.BanMonths(10) == 36 && t.DeportBan == 48
			}},
	}
	for _, tc := range tests {
		s := base
		tc.set(&s)
		if !tc.ok(month(t, p, d, e, m, s)) {
			t.Errorf("%s: wrong", tc.name)
		}
	}
	// Jobs need the previous month's working-age residents at home.
	for r := range prev.RegionHomeWorking {
		prev.RegionHomeWorking[r] = 1e6
	}
	s := base
	s.Jobs[population.Sughd] = 50000
	tab := NewMonth(m, p, d.At(m), s, e, prev, 0.01, mort)
	ref := NewMonth(m, p, d.At(m), base, e, prev, 0.01, mort)
	if !(tab.RegionEmployment[population.Sughd] > ref.RegionEmployment[population.Sughd] &&
		tab.RegionJobFind[population.Sughd] > ref.RegionJobFind[population.Sughd] &&
		tab.Depart[man] < ref.Depart[man] && tab.RegionEmployment[population.Khatlon] == ref.RegionEmployment[population.Khatlon]) || tab.UniformEmployment {
		t.Errorf("jobs in Sughd: employment %v (base %v)", tab.RegionEmployment, ref.RegionEmployment)
	}
}

// The base state reproduces the unlevered tables exactly: every factor is 1
// and every share 0 (the history's fit depends on it).
func TestBaseIsNeutral(t *testing.T) {
	p, d, e := setup(t)
	m := calendar.Of(2013, 4)
	b := month(t, p, d, e, m, policy.Base())
	if !b.UniformEmployment || b.MassDeport || b.AnyRefusal || b.AnySectorBan || b.PermitPass != 1 {
		t.Fatal("base state switches a lever on")
	}
	if b.RubPerUSD != d.At(m).RubPerUSD || b.GDPUSD != e.MonthlyGDPUSD(m) {
		t.Fatal("base state changes the exchange rate or GDP")
	}
	for s := range b.JobFind {
		if b.JobFind[s] != b.JobFind[0] || b.JobLoss[s] != b.JobLoss[0] {
			t.Fatal("base state differs by sector")
		}
	}
}
