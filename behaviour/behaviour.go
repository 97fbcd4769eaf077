// Package behaviour holds the decisions persons take each month: to leave,
// where to go, whether to register and buy a patent, whether they find or
// lose work abroad, how much they send home, and when they return.
//
// Decisions are probabilities computed once a month for a small number of
// cells (age band × sex × urban × household network × region) and stored as
// 32-bit thresholds, so that the per-person work in the monthly loop is a
// table lookup and one comparison against a keyed random draw.
package behaviour

import (
	"math"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/drivers"
	"github.com/corridor-sim/corridor/economy"
	"github.com/corridor-sim/corridor/params"
	"github.com/corridor-sim/corridor/policy"
	"github.com/corridor-sim/corridor/population"
	"github.com/corridor-sim/corridor/rng"
)

// Age bands of the departure profile: 0 is "not of working age".
const (
	NumBands = 7
	NumCells = NumBands * 2 * 2 * 2 * population.NumRegions
)

// Cell returns the departure-table index of a person: the household's part
// (HouseholdCell) plus the person's own part (CellOffset).
func Cell(band int, female, urban, network bool, region int) int {
	return HouseholdCell(urban, network, region) + CellOffset(band, b2i(female))
}

// HouseholdCell is the part of the departure-table index set by the
// household: area, network and region.
func HouseholdCell(urban, network bool, region int) int {
	return (b2i(urban)*2+b2i(network))*population.NumRegions + region
}

// CellOffset is the part of the departure-table index set by the person:
// age band and sex (female is 0 or 1).
func CellOffset(band, female int) int {
	return (band*2 + female) * 2 * 2 * population.NumRegions
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Band returns the age band (1–6) of a person aged a years, or 0 outside
// working age.
func Band(a int, p *params.Params) int {
	if a < int(p.WorkingAgeMin) || a > int(p.WorkingAgeMax) {
		return 0
	}
	switch {
	case a < 18:
		return 1
	case a < 25:
		return 2
	case a < 30:
		return 3
	case a < 40:
		return 4
	case a < 50:
		return 5
	}
	return 6
}

// Prev is what the previous month left that this month's decisions use.
type Prev struct {
	// Prevalence by region: migrants abroad ÷ working-age residents, and the national value.
	RegionPrevalence   [population.NumRegions]float64
	NationalPrevalence float64
	// BanStock is the number of persons (not agents) under a ban, for amnesties by count.
	BanStock float64
}

// QuantileTable holds 256 quantiles of a lognormal with mean 1, used to give
// persons persistent multipliers without evaluating exp in the loop.
type QuantileTable [256]float32

// NewLognormalTable returns the quantiles of a lognormal with log-sd sigma and mean 1.
func NewLognormalTable(sigma float64) QuantileTable {
	var t QuantileTable
	for i := range t {
		u := (float64(i) + 0.5) / 256
		z := math.Sqrt2 * math.Erfinv(2*u-1)
		t[i] = float32(math.Exp(sigma*z - sigma*sigma/2))
	}
	return t
}

// Month is the decision tables of one month.
type Month struct {
	M            calendar.Month
	MonthOfYear  int
	Band         [population.MaxAge + 1]uint8 // age in years → band
	Working      [population.MaxAge + 1]uint8 // 1 at working age
	Fertile      [population.MaxAge + 1]uint8 // 1 at ages FertileMin..FertileMax
	Death        [population.MaxAge + 1]uint32
	Depart       [NumCells]uint32
	Birth        uint32
	FertileMin   int
	FertileMax   int
	ToKazakhstan float64 // destination shares
	ToElsewhere  float64
	EntryOpen    bool
	BannedKnow   float64
	Redirect     float64

	LegalOnArrival    float64
	EmployedOnArrival float64
	JobFind, JobLoss  uint32
	Lapse, LapseIdle  uint32
	Regularise        uint32
	Check             uint32
	ExitBans          bool
	ExitBanProb       float64
	LongBans          bool
	OverstayBan       uint8
	Amnesty           uint32

	// Return probabilities (already multiplied by the exit factor).
	ReturnBase, ReturnWinter, ReturnTarget, ReturnJobless float64
	Winter                                                bool
	WorkingAgeMax                                         int

	// Money.
	MigrantWageRUB   float64 // average-productivity monthly earnings, RUB
	RubPerUSD        float64
	PatentFeeRUB     float64 // paid by legal migrants when patents are required
	RemitShare       float64
	SaveShare        float64
	TransferCost     float64 // legal channel
	IrregularCost    float64 // cost for irregular migrants (informal channel when barred from banks)
	HomeWageUSD      float64 // current USD: the departure decision's comparison
	HomeRealWageUSD  float64 // constant 2011 USD: household incomes
	UrbanWage        float64
	RuralWage        float64
	HomeEmployment   float64
	OtherIncomeUSD   float64 // per person at home
	PovertyLineUSD   float64
	TargetUSD        float64 // median savings target
	ReturneeJobFind  uint32
	SectorCumulative [6]float64

	// Gap is the expected earnings gap (abroad ÷ home) that drove departures.
	Gap float64
}

// InformalTransferCost is the assumed cost of informal channels (cash
// carried, hawala) used by migrants barred from bank transfers. No source
// gives it; it is a named assumption listed in docs/model.md.
const InformalTransferCost = 0.10

// NewMonth computes the decision tables for month m. birthProb is the
// monthly birth probability of a woman aged 15–49 at home, set by the
// simulation so that the population follows the sourced series.
func NewMonth(m calendar.Month, p *params.Params, d drivers.Values, pol policy.State, e *economy.Economy, prev Prev, birthProb float64, mort [population.MaxAge + 1]float64) Month {
	t := Month{M: m, MonthOfYear: m.MonthOfYear(), FertileMin: 15, FertileMax: 49, WorkingAgeMax: int(p.WorkingAgeMax)}
	for a := range t.Band {
		t.Band[a] = uint8(Band(a, p))
		if t.Band[a] != 0 {
			t.Working[a] = 1
		}
		if a >= t.FertileMin && a <= t.FertileMax {
			t.Fertile[a] = 1
		}
		t.Death[a] = rng.Threshold32(mort[a])
	}
	t.Birth = rng.Threshold32(birthProb)

	// Money first: departures depend on the expected gap.
	t.RubPerUSD = d.RubPerUSD
	t.MigrantWageRUB = e.MigrantWageRUB(m)
	t.HomeWageUSD = e.HomeWageUSD(m)
	t.HomeRealWageUSD = e.HomeRealWageUSD(m)
	t.UrbanWage, t.RuralWage = p.UrbanWage, p.RuralWage
	t.HomeEmployment = p.HomeEmployment
	t.OtherIncomeUSD = p.OtherIncome * t.HomeRealWageUSD
	t.PovertyLineUSD = e.PovertyLineUSD(m)
	// Compensating remittances: when the USD value of earnings falls below
	// what the family has come to expect, migrants send a larger share.
	t.RemitShare, t.SaveShare = p.RemitShare, p.SaveShare
	if now, ref := e.MigrantWageUSD(m), e.TrailingMigrantWageUSD(m); now > 0 && ref > now {
		t.RemitShare = math.Min(p.RemitShareMax, p.RemitShare*math.Pow(ref/now, p.RemitCompensation))
	}
	t.TransferCost = pol.TransferCost
	t.IrregularCost = pol.TransferCost
	if pol.IrregularBankBar {
		t.IrregularCost = InformalTransferCost
	}
	takeup := 1.0
	if pol.PatentRequired {
		t.PatentFeeRUB = pol.PatentFeeRUB
		takeup = math.Exp(-p.PatentAversion * pol.PatentFeeRUB / t.MigrantWageRUB)
	}
	t.LegalOnArrival = p.LegalMax * (1 - math.Exp(-pol.RegistrationGraceDays/p.RegistrationTau)) * takeup
	legalShare := t.LegalOnArrival
	expectedRUB := t.MigrantWageRUB - legalShare*t.PatentFeeRUB
	t.Gap = expectedRUB / t.RubPerUSD / t.HomeWageUSD
	gapFactor := math.Pow(math.Max(t.Gap, 1e-6)/p.GapReference, p.GapElasticity)
	t.TargetUSD = p.TargetMonths * t.HomeWageUSD

	// Departures.
	season := p.DepartureSeason[t.MonthOfYear-1] * 12
	russiaFactor := pol.DepartureFactor
	if pol.ForeignPassport {
		russiaFactor *= p.PassportDeterrent
	}
	t.ToKazakhstan, t.ToElsewhere = p.ShareKazakhstan, p.ShareElsewhere
	toRussia := 1 - p.ShareKazakhstan - p.ShareElsewhere
	t.EntryOpen = pol.EntryOpen
	// The destination mix scales the hazard: a lever that deters departures
	// to Russia lowers the Russian part only.
	destFactor := p.ShareKazakhstan + p.ShareElsewhere + toRussia*russiaFactor
	if destFactor > 0 {
		// Renormalise the destination shares to the deterred mix.
		t.ToKazakhstan = p.ShareKazakhstan / destFactor
		t.ToElsewhere = p.ShareElsewhere / destFactor
	}
	t.BannedKnow, t.Redirect = p.BannedKnow, p.BannedRedirect
	var regional [population.NumRegions]float64
	for r := range regional {
		regional[r] = 1
		if prev.NationalPrevalence > 0 && prev.RegionPrevalence[r] > 0 {
			regional[r] = math.Pow(prev.RegionPrevalence[r]/prev.NationalPrevalence, p.RegionalNetwork)
		}
	}
	for band := 1; band < NumBands; band++ {
		for _, female := range []bool{false, true} {
			for _, urban := range []bool{false, true} {
				for _, net := range []bool{false, true} {
					for r := 0; r < population.NumRegions; r++ {
						pr := p.DepartureBase * season * p.AgeProfile[band-1] * gapFactor * destFactor * regional[r]
						if female {
							pr *= p.WomenPropensity
						}
						if urban {
							pr *= p.UrbanPropensity
						}
						if net {
							pr *= p.HouseholdNetwork
						}
						t.Depart[Cell(band, female, urban, net, r)] = rng.Threshold32(math.Min(pr, 0.5))
					}
				}
			}
		}
	}

	// Work abroad.
	dg := d.RuRealGrowthPct - p.GrowthReference
	t.Winter = t.MonthOfYear == 12 || t.MonthOfYear <= 2
	find := p.JobFind * math.Exp(p.DemandElasticity*dg)
	if t.Winter {
		find *= p.WinterJobFactor
	}
	t.JobFind = rng.Threshold32(math.Min(find, 1))
	t.JobLoss = rng.Threshold32(math.Min(p.JobLoss*math.Exp(-p.DemandElasticity*dg), 1))
	t.EmployedOnArrival = math.Min(p.EmployedOnArrival*math.Exp(p.DemandElasticity*dg), 1)
	if t.Winter {
		t.EmployedOnArrival *= p.WinterJobFactor
	}

	// Legal status and enforcement.
	t.Lapse = rng.Threshold32(p.StatusLapse)
	t.LapseIdle = rng.Threshold32(math.Min(3*p.StatusLapse, 1))
	t.Regularise = rng.Threshold32(p.Regularise * takeup)
	t.Check = rng.Threshold32(math.Min(p.CheckRate*pol.CheckIntensity, 1))
	t.ExitBans, t.LongBans = pol.ExitBans, pol.LongBans
	t.ExitBanProb = p.ExitBanEarly
	if pol.ExitBans {
		t.ExitBanProb = p.ExitBanLate
	}
	t.OverstayBan = uint8(math.Max(1, math.Round(p.BanOverstayMonths)))
	amnesty := pol.AmnestyShare
	if pol.AmnestyCount > 0 && prev.BanStock > 0 {
		amnesty += pol.AmnestyCount / prev.BanStock
	}
	t.Amnesty = rng.Threshold32(math.Min(amnesty, 1))

	// Return.
	t.ReturnBase = p.ReturnBase * pol.ExitFactor
	if t.MonthOfYear >= 11 {
		t.ReturnWinter = p.ReturnWinter * pol.ExitFactor
	}
	t.ReturnTarget = p.ReturnOnTarget * pol.ExitFactor
	t.ReturnJobless = p.ReturnJobless * pol.ExitFactor
	t.ReturneeJobFind = rng.Threshold32(p.ReturneeJobFind)

	acc := 0.0
	for s, sh := range p.SectorShares {
		acc += sh
		t.SectorCumulative[s] = acc
	}
	return t
}

// BanMonths returns the length of the ban, in months, imposed on an
// overstayer leaving Russia after overstay months without status.
func (t *Month) BanMonths(overstay uint8) int {
	if !t.ExitBans {
		return 60 // before 2013, bans followed deportation: 5 years
	}
	if t.LongBans {
		switch {
		case overstay > 9:
			return 120
		case overstay > 6:
			return 60
		}
	}
	return 36
}

// DeportationBanMonths is the ban that follows a deportation: 5 years
// (data/policy_events.csv 2007-01-06: "deportation => 5-year ban").
const DeportationBanMonths = 60
