package behaviour

import (
	"testing"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/data"
	"github.com/corridor-sim/corridor/drivers"
	"github.com/corridor-sim/corridor/economy"
	"github.com/corridor-sim/corridor/params"
	"github.com/corridor-sim/corridor/policy"
	"github.com/corridor-sim/corridor/population"
)

func setup(t *testing.T) (*params.Params, *drivers.Paths, *economy.Economy) {
	t.Helper()
	ref, err := data.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	d, err := drivers.Build(ref, calendar.Range{From: calendar.Of(2000, 1), Until: calendar.Of(2030, 12)})
	if err != nil {
		t.Fatal(err)
	}
	p := params.Defaults()
	e, err := economy.New(&p, d)
	if err != nil {
		t.Fatal(err)
	}
	return &p, d, e
}

func month(t *testing.T, p *params.Params, d *drivers.Paths, e *economy.Economy, m calendar.Month, pol policy.State) Month {
	var mort [population.MaxAge + 1]float64
	return NewMonth(m, p, d.At(m), pol, e, Prev{}, 0.01, mort)
}

func rural18(t Month) uint32 { return t.Depart[Cell(2, false, false, false, population.Khatlon)] }

// The departure hazard rises with the earnings gap: a 20% higher Russian
// wage raises departures; a weaker ruble lowers them.
func TestDepartureFollowsGap(t *testing.T) {
	p, d, e := setup(t)
	m := calendar.Of(2012, 4)
	pol := policy.Base()
	base := month(t, p, d, e, m, pol)
	v := d.At(m)
	v.RubPerUSD *= 1.4 // ruble devaluation
	var mort [population.MaxAge + 1]float64
	weak := NewMonth(m, p, v, pol, e, Prev{}, 0.01, mort)
	if rural18(weak) >= rural18(base) {
		t.Fatalf("weaker ruble: departure threshold %d, base %d", rural18(weak), rural18(base))
	}
	if weak.Gap >= base.Gap {
		t.Fatalf("weaker ruble did not lower the gap (%v vs %v)", weak.Gap, base.Gap)
	}
}

func TestDepartureProfile(t *testing.T) {
	p, d, e := setup(t)
	tab := month(t, p, d, e, calendar.Of(2012, 4), policy.Base())
	man := tab.Depart[Cell(2, false, false, false, 0)]
	woman := tab.Depart[Cell(2, true, false, false, 0)]
	urban := tab.Depart[Cell(2, false, true, false, 0)]
	network := tab.Depart[Cell(2, false, false, true, 0)]
	old := tab.Depart[Cell(6, false, false, false, 0)]
	if !(woman < man && urban < man && network > man && old < man) {
		t.Fatalf("profile: man %d woman %d urban %d network %d old %d", man, woman, urban, network, old)
	}
	if tab.Depart[Cell(0, false, false, false, 0)] != 0 {
		t.Fatal("persons outside working age may depart")
	}
	// Seasonality: more departures in April than in December.
	dec := month(t, p, d, e, calendar.Of(2012, 12), policy.Base())
	if rural18(dec) >= rural18(tab) {
		t.Fatal("December departures not below April")
	}
}

func TestPolicyLevers(t *testing.T) {
	p, d, e := setup(t)
	m := calendar.Of(2016, 4)
	base := policy.Base()
	b := month(t, p, d, e, m, base)

	closed := base
	closed.EntryOpen = false
	if month(t, p, d, e, m, closed).EntryOpen {
		t.Fatal("border closure not passed on")
	}
	grace := base
	grace.RegistrationGraceDays = 15
	if month(t, p, d, e, m, grace).LegalOnArrival <= b.LegalOnArrival {
		t.Fatal("a longer registration grace did not raise the legal share")
	}
	patent := base
	patent.PatentRequired, patent.PatentFeeRUB = true, 4200
	pt := month(t, p, d, e, m, patent)
	if pt.LegalOnArrival >= b.LegalOnArrival || pt.PatentFeeRUB != 4200 {
		t.Fatal("a required patent did not lower the legal share")
	}
	checks := base
	checks.CheckIntensity = 3
	if month(t, p, d, e, m, checks).Check[0] <= b.Check[0] {
		t.Fatal("higher check intensity did not raise the check rate")
	}
	passport := base
	passport.ForeignPassport = true
	if rural18(month(t, p, d, e, m, passport)) >= rural18(b) {
		t.Fatal("the foreign-passport requirement did not deter departures")
	}
	exit := base
	exit.ExitFactor = 0.3
	if month(t, p, d, e, m, exit).ReturnBase >= b.ReturnBase {
		t.Fatal("limited exits did not lower returns")
	}
	bar := base
	bar.IrregularBankBar, bar.InformalCost = true, policy.InformalTransferCost
	if month(t, p, d, e, m, bar).IrregularCost != policy.InformalTransferCost {
		t.Fatal("bank bar did not raise irregular migrants' transfer cost")
	}
}

// The Russian recession lowers job finding and raises job loss.
func TestLabourDemand(t *testing.T) {
	p, d, e := setup(t)
	boom := month(t, p, d, e, calendar.Of(2008, 6), policy.Base())
	bust := month(t, p, d, e, calendar.Of(2009, 6), policy.Base()) // −7.8%
	if bust.JobFind[0] >= boom.JobFind[0] || bust.JobLoss[0] <= boom.JobLoss[0] {
		t.Fatalf("2009 job find %d loss %d vs 2008 %d %d", bust.JobFind, bust.JobLoss, boom.JobFind, boom.JobLoss)
	}
}

// Compensating remittances: in 2015, after the ruble fell, migrants send a
// larger share than in 2013; never above the maximum.
func TestCompensatingRemittances(t *testing.T) {
	p, d, e := setup(t)
	calm := month(t, p, d, e, calendar.Of(2013, 6), policy.Base())
	crash := month(t, p, d, e, calendar.Of(2015, 3), policy.Base())
	if calm.RemitShare != p.RemitShare {
		t.Fatalf("2013 share %v, want the base %v", calm.RemitShare, p.RemitShare)
	}
	if crash.RemitShare <= calm.RemitShare || crash.RemitShare > p.RemitShareMax {
		t.Fatalf("2015 share %v", crash.RemitShare)
	}
}

func TestBanMonths(t *testing.T) {
	p, d, e := setup(t)
	tl, err := policy.History(calendar.Range{From: calendar.Of(2005, 1), Until: calendar.Of(2016, 12)}, 0.02)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		m        calendar.Month
		overstay uint8
		want     int
	}{
		{calendar.Of(2010, 1), 12, 60},  // before 2013: bans follow deportation, 5 years
		{calendar.Of(2014, 1), 12, 36},  // 2013 regime: 3 years
		{calendar.Of(2016, 1), 5, 36},   // 2015 rules: short overstays 3 years
		{calendar.Of(2016, 1), 7, 60},   // >180 days: 5 years
		{calendar.Of(2016, 1), 10, 120}, // >270 days: 10 years
	}
	for _, tc := range tests {
		tab := month(t, p, d, e, tc.m, tl.At(tc.m))
		if got := tab.BanMonths(tc.overstay); got != tc.want {
			t.Errorf("%v overstay=%d: %d months, want %d", tc.m, tc.overstay, got, tc.want)
		}
	}
}

func TestLognormalTable(t *testing.T) {
	tab := NewLognormalTable(0.5)
	mean := 0.0
	for i, v := range tab {
		mean += float64(v) / 256
		if i > 0 && v < tab[i-1] {
			t.Fatal("quantiles not increasing")
		}
	}
	if mean < 0.97 || mean > 1.03 {
		t.Fatalf("mean %v, want ≈1", mean)
	}
}

func TestBand(t *testing.T) {
	p := params.Defaults()
	for _, tc := range []struct{ age, band int }{{15, 0}, {16, 1}, {18, 2}, {29, 3}, {30, 4}, {45, 5}, {62, 6}, {63, 0}} {
		if got := Band(tc.age, &p); got != tc.band {
			t.Errorf("Band(%d) = %d, want %d", tc.age, got, tc.band)
		}
	}
}

// Every cell index is distinct and inside the table.
func TestCellsDistinct(t *testing.T) {
	seen := map[int]bool{}
	for band := 0; band < NumBands; band++ {
		for _, f := range []bool{false, true} {
			for _, u := range []bool{false, true} {
				for _, n := range []bool{false, true} {
					for r := 0; r < population.NumRegions; r++ {
						c := Cell(band, f, u, n, r)
						if c < 0 || c >= NumCells || seen[c] {
							t.Fatalf("cell %d (band %d) repeated or out of range", c, band)
						}
						seen[c] = true
					}
				}
			}
		}
	}
}
