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

// The policy's cells use the same regions and age bands as the tables here
// (a compile-time check: a negative array length does not compile).
var (
	_ [policy.NumRegions - population.NumRegions]struct{}
	_ [population.NumRegions - policy.NumRegions]struct{}
	_ [policy.NumAgeGroups - NumBands]struct{}
	_ [NumBands - policy.NumAgeGroups]struct{}
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

	// The following are in persons (not agents), for levers given as numbers.

	// RussiaCell is the stock of migrants in Russia by policy work cell
	// (sector × sex × age group) and RussiaIrregular the irregular ones, for
	// deportations by count and irregular_first.
	RussiaCell      [policy.NumWorkCells]float64
	Russia          float64
	RussiaIrregular float64
	// DemandRussia is the number of would-be entrants to Russia (after the
	// destination choice and the ban check, before refusals and quotas) and
	// LegalDemand the arrivals in Russia who would have been legal without
	// a permit quota, for visa and permit quotas.
	DemandRussia float64
	LegalDemand  float64
	// RegionHomeWorking is the number of working-age residents at home by
	// region, for jobs created at home.
	RegionHomeWorking [population.NumRegions]float64
	// TrailingWageUSD is the mean migrant wage in USD over the previous 12
	// months under the policy in force then (0: computed from the drivers).
	TrailingWageUSD float64
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
	M           calendar.Month
	MonthOfYear int
	Band        [population.MaxAge + 1]uint8 // age in years → band
	Working     [population.MaxAge + 1]uint8 // 1 at working age
	Fertile     [population.MaxAge + 1]uint8 // 1 at ages FertileMin..FertileMax
	Death       [population.MaxAge + 1]uint32
	Depart      [NumCells]uint32
	Birth       uint32
	FertileMin  int
	FertileMax  int
	EntryOpen   bool
	BannedKnow  float64
	Redirect    float64

	// Destination shares by policy home cell (region × sex × age group).
	ToKazakhstan [policy.NumHomeCells]float64
	ToElsewhere  [policy.NumHomeCells]float64
	// Refuse is the probability that a would-be entrant to Russia (not
	// banned) is turned back: border refusals and the visa quota.
	Refuse     [policy.NumHomeCells]float64
	AnyRefusal bool

	// Arrival: legal share without recruitment and quota, the permit quota's
	// pass rate, the recruited share by region, employment by sector.
	LegalOnArrival    float64
	PermitPass        float64
	Recruit           [population.NumRegions]float64
	EmployedOnArrival [policy.NumSectors]float64

	// Work abroad, by sector.
	JobFind, JobLoss [policy.NumSectors]uint32
	SectorRedraw     [policy.NumSectors]uint32 // a job found moves to another sector (sector bans)
	AnySectorBan     bool
	Lapse, LapseIdle uint32
	Regularise       uint32
	Check            [policy.NumWorkCells]uint32
	MassDeport       bool
	DeportIrregular  [policy.NumWorkCells]uint32
	DeportLegal      [policy.NumWorkCells]uint32
	ExitBans         bool
	ExitBanProb      float64
	BanExit          [3]int16 // ban months after an overstay: ≥ threshold, > 6 months, > 9 months
	DeportBan        int16
	OverstayBan      uint8
	Amnesty          uint32

	// Return probabilities (already multiplied by the exit factor).
	ReturnBase, ReturnWinter, ReturnTarget, ReturnJobless float64
	Winter                                                bool
	WorkingAgeMax                                         int

	// Money.
	MigrantWageRUB   float64    // average-productivity monthly earnings, RUB
	RubPerUSD        float64    // with the policy's devaluation factor
	DestWage         [4]float64 // earnings multiplier by location (1 Russia, 2 Kazakhstan, 3 elsewhere)
	PatentFeeRUB     float64    // paid by legal migrants when patents are required
	RemitShare       float64
	SaveShare        float64
	TransferCost     float64 // legal channel (incl. fees and taxes)
	IrregularCost    float64 // cost for irregular migrants (informal channel when barred from banks)
	HomeWageUSD      float64 // current USD: the departure decision's comparison
	HomeRealWageUSD  float64 // constant 2011 USD: household incomes
	UrbanWage        float64
	RuralWage        float64
	HomeEmployment   float64 // the parameter: share of working-age persons at home with work
	OtherIncomeUSD   float64 // per person at home
	PovertyLineUSD   float64
	TargetUSD        float64 // median savings target
	ReturneeJobFind  uint32
	SectorCumulative [6]float64
	GDPUSD           float64 // Tajik GDP of the month, with the policy's factors

	// Home economy by region and area (0 rural, 1 urban): earnings of a
	// working person and other income per person at home, constant USD,
	// with the policy's income factors; employment share and returnee job
	// finding by region.
	HomeWage          [population.NumRegions][2]float64
	HomeOther         [population.NumRegions][2]float64
	RegionEmployment  [population.NumRegions]float64
	RegionJobFind     [population.NumRegions]uint32
	UniformEmployment bool // every region at HomeEmployment

	// Gap is the expected earnings gap (abroad ÷ home) that drove departures.
	Gap float64
}

// SeasonMonths is the length of a migration season over which one-off entry
// costs are weighed: the median spell of ≈7 months (THPS 2009,
// data/PARAMETERS.md §4).
const SeasonMonths = 7

// EntryCostFactor is the share of would-be migrants still departing when a
// trip to Russia carries a one-off cost (USD) and a delay (months): with g
// the expected monthly gain from migrating (USD), max(0, 1 − (cost +
// delay·g) / (SeasonMonths·g)). It assumes that would-be migrants' net gains
// over a season are spread evenly between 0 and SeasonMonths·g, so that a
// cost removes those whose gain it exceeds (docs/levers.md).
func EntryCostFactor(costUSD, delayMonths, gainUSD float64) float64 {
	if costUSD == 0 && delayMonths == 0 {
		return 1
	}
	if gainUSD <= 0 {
		return 0
	}
	return math.Max(0, 1-(costUSD+delayMonths*gainUSD)/(SeasonMonths*gainUSD))
}

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
	t.RubPerUSD = d.RubPerUSD * pol.RubFactor
	t.MigrantWageRUB = e.MigrantWageRUB(m)
	t.DestWage = [4]float64{1, 1, pol.DestWage[1], pol.DestWage[2]}
	t.HomeWageUSD = e.HomeWageUSD(m)
	t.HomeRealWageUSD = e.HomeRealWageUSD(m)
	t.UrbanWage, t.RuralWage = p.UrbanWage, p.RuralWage
	t.HomeEmployment = p.HomeEmployment
	t.OtherIncomeUSD = p.OtherIncome * t.HomeRealWageUSD
	t.PovertyLineUSD = e.PovertyLineUSD(m)
	t.GDPUSD = e.MonthlyGDPUSD(m)*pol.GDPFactor + pol.GDPAddUSD/12
	// Compensating remittances: when the USD value of earnings falls below
	// what the family has come to expect, migrants send a larger share.
	t.RemitShare, t.SaveShare = p.RemitShare, p.SaveShare
	ref := prev.TrailingWageUSD
	if ref == 0 {
		ref = e.TrailingMigrantWageUSD(m)
	}
	if now := t.MigrantWageRUB / t.RubPerUSD; now > 0 && ref > now {
		t.RemitShare = math.Min(p.RemitShareMax, p.RemitShare*math.Pow(ref/now, p.RemitCompensation))
	}
	t.TransferCost = pol.TransferCost + pol.RemittanceFee
	t.IrregularCost = t.TransferCost
	if pol.IrregularBankBar {
		t.IrregularCost = pol.InformalCost
	}
	// Legal status: registration in time, patent and exam take-up, exam pass
	// rate; a permit quota rations the legal arrivals.
	takeup := 1.0
	cost := 0.0
	if pol.PatentRequired {
		t.PatentFeeRUB = pol.PatentFeeRUB
		cost = pol.PatentFeeRUB
	}
	if pol.ExamFeeRUB > 0 && pol.ExamValidMonths > 0 {
		cost += pol.ExamFeeRUB / pol.ExamValidMonths
	}
	if cost > 0 {
		takeup = math.Exp(-p.PatentAversion * cost / t.MigrantWageRUB)
	}
	t.LegalOnArrival = p.LegalMax * (1 - math.Exp(-pol.RegistrationGraceDays/p.RegistrationTau)) * takeup * pol.ExamPassRate
	season := p.DepartureSeason[t.MonthOfYear-1] * 12
	// Seasonal ratio of this month's demand to last month's, for quotas.
	prevMonth := (t.MonthOfYear+10)%12 + 1
	seasonRatio := 1.0
	if ps := p.DepartureSeason[prevMonth-1]; ps > 0 {
		seasonRatio = p.DepartureSeason[t.MonthOfYear-1] / ps
	}
	t.PermitPass = 1
	if pol.PermitQuotaOn {
		t.PermitPass = quotaPass(pol.PermitQuota, prev.LegalDemand*seasonRatio)
	}
	for r := range t.Recruit {
		t.Recruit[r] = pol.Recruit[r]
	}
	legalShare := t.LegalOnArrival * t.PermitPass
	expectedRUB := t.MigrantWageRUB - legalShare*t.PatentFeeRUB
	t.Gap = expectedRUB / t.RubPerUSD / t.HomeWageUSD
	t.TargetUSD = p.TargetMonths * t.HomeWageUSD

	// Home economy by region: income factors and jobs created or lost.
	t.UniformEmployment = true
	var homeWorking float64
	for _, w := range prev.RegionHomeWorking {
		homeWorking += w
	}
	for r := range t.HomeWage {
		for a, wage := range [2]float64{t.RuralWage, t.UrbanWage} {
			f := pol.HomeIncome[r][a]
			t.HomeWage[r][a] = t.HomeRealWageUSD * wage * f
			t.HomeOther[r][a] = t.OtherIncomeUSD * f
		}
		t.RegionEmployment[r] = p.HomeEmployment
		jobs := pol.Jobs[r] + pol.WageBill[r]/(12*t.HomeWageUSD)
		if homeWorking > 0 {
			jobs += (pol.JobsNational + pol.WageBillNational/(12*t.HomeWageUSD)) * prev.RegionHomeWorking[r] / homeWorking
		}
		if w := prev.RegionHomeWorking[r]; jobs != 0 && w > 0 {
			t.RegionEmployment[r] = math.Max(0, math.Min(1, p.HomeEmployment+jobs/w))
			t.UniformEmployment = false
		}
		t.RegionJobFind[r] = rng.Threshold32(math.Min(1, p.ReturneeJobFind*t.RegionEmployment[r]/p.HomeEmployment))
	}

	// Departures.
	t.EntryOpen = pol.EntryOpen
	passport := 1.0
	if pol.ForeignPassport {
		passport = p.PassportDeterrent
	}
	// One-off costs of a trip to Russia: visa, foreign passport, rail.
	gain := expectedRUB/t.RubPerUSD - t.HomeWageUSD
	entry := passport
	if pol.Visa {
		entry *= pol.VisaApproval * EntryCostFactor(pol.VisaCostUSD, pol.VisaDelayMonths, gain)
	}
	if pol.PassportShare > 0 {
		entry *= 1 - pol.PassportShare*(1-EntryCostFactor(pol.PassportCostUSD, pol.PassportDelayMonths, gain))
	}
	entry *= EntryCostFactor(pol.RailCostUSD, pol.RailDelayMonths, gain)
	kz, el := p.ShareKazakhstan, p.ShareElsewhere
	if pol.DestSet[1] {
		kz = pol.DestShare[1]
	}
	if pol.DestSet[2] {
		el = pol.DestShare[2]
	}
	if kz+el > 1 {
		kz, el = kz/(kz+el), el/(kz+el)
	}
	toRussia := 1 - kz - el
	quota := 1.0
	if pol.Visa && pol.VisaQuota > 0 {
		quota = quotaPass(pol.VisaQuota, prev.DemandRussia*seasonRatio)
	}
	// The destination mix scales the hazard: a lever that deters departures
	// to Russia lowers the Russian part only.
	var destFactor [policy.NumHomeCells]float64
	for r := 0; r < population.NumRegions; r++ {
		for f := 0; f < policy.NumSexes; f++ {
			for g := 0; g < policy.NumAgeGroups; g++ {
				c := policy.HomeCell(r, f, g)
				russiaFactor := pol.Advisory[c] * entry * pol.RecruitBoost[r]
				destFactor[c] = kz + el + toRussia*russiaFactor
				t.ToKazakhstan[c], t.ToElsewhere[c] = kz, el
				if destFactor[c] > 0 {
					// Renormalise the destination shares to the deterred mix.
					t.ToKazakhstan[c] = kz / destFactor[c]
					t.ToElsewhere[c] = el / destFactor[c]
				}
				t.Refuse[c] = policy.OrShare(pol.Refusal[c], 1-quota)
				if t.Refuse[c] > 0 {
					t.AnyRefusal = true
				}
			}
		}
	}
	t.BannedKnow, t.Redirect = p.BannedKnow, p.BannedRedirect
	var regional [population.NumRegions]float64
	for r := range regional {
		regional[r] = 1
		if prev.NationalPrevalence > 0 && prev.RegionPrevalence[r] > 0 {
			regional[r] = math.Pow(prev.RegionPrevalence[r]/prev.NationalPrevalence, p.RegionalNetwork)
		}
	}
	// The gap by region and area: home earnings move with the income factors
	// and the region's employment.
	var gapFactor [population.NumRegions][2]float64
	for r := range gapFactor {
		for a := range gapFactor[r] {
			gap := t.Gap / (pol.HomeIncome[r][a] * (t.RegionEmployment[r] / p.HomeEmployment))
			gapFactor[r][a] = math.Pow(math.Max(gap, 1e-6)/p.GapReference, p.GapElasticity)
		}
	}
	for band := 1; band < NumBands; band++ {
		for _, female := range []bool{false, true} {
			for _, urban := range []bool{false, true} {
				for _, net := range []bool{false, true} {
					for r := 0; r < population.NumRegions; r++ {
						c := policy.HomeCell(r, b2i(female), band)
						pr := p.DepartureBase * season * p.AgeProfile[band-1] * gapFactor[r][b2i(urban)] * destFactor[c] * regional[r]
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

	// Work abroad, by sector.
	t.Winter = t.MonthOfYear == 12 || t.MonthOfYear <= 2
	for s := range t.JobFind {
		dg := d.RuRealGrowthPct + pol.DemandShockPP[s] - p.GrowthReference
		find := p.JobFind * math.Exp(p.DemandElasticity*dg)
		if t.Winter {
			find *= p.WinterJobFactor
		}
		t.JobFind[s] = rng.Threshold32(math.Min(find, 1))
		loss := math.Min(p.JobLoss*math.Exp(-p.DemandElasticity*dg), 1)
		if l := pol.SectorLayoff[s]; l > 0 {
			loss = 1 - (1-loss)*(1-l)
		}
		t.JobLoss[s] = rng.Threshold32(loss)
		t.EmployedOnArrival[s] = math.Min(p.EmployedOnArrival*math.Exp(p.DemandElasticity*dg), 1)
		if t.Winter {
			t.EmployedOnArrival[s] *= p.WinterJobFactor
		}
		t.SectorRedraw[s] = rng.Threshold32(pol.SectorBan[s])
		if pol.SectorBan[s] > 0 {
			t.AnySectorBan = true
		}
	}

	// Legal status and enforcement.
	t.Lapse = rng.Threshold32(p.StatusLapse)
	t.LapseIdle = rng.Threshold32(math.Min(3*p.StatusLapse, 1))
	t.Regularise = rng.Threshold32(p.Regularise * takeup * pol.ExamPassRate * t.PermitPass)
	for c := range t.Check {
		t.Check[c] = rng.Threshold32(math.Min(p.CheckRate*pol.CheckIntensity*pol.Check[c], 1))
	}
	// Mass deportation: shares by cell plus a count spread over its cells.
	countShare := 0.0
	if pol.DeportCount > 0 {
		stock := 0.0
		for c, on := range pol.DeportCountCells {
			if on {
				stock += prev.RussiaCell[c]
			}
		}
		if stock > 0 {
			countShare = math.Min(1, pol.DeportCount/stock)
		}
	}
	irr := 1.0
	if pol.DeportIrregularFirst && prev.Russia > 0 {
		irr = prev.RussiaIrregular / prev.Russia
	}
	for c := range t.DeportIrregular {
		s := pol.DeportShare[c]
		if pol.DeportCountCells[c] {
			s = policy.OrShare(s, countShare)
		}
		if s <= 0 {
			continue
		}
		t.MassDeport = true
		pIrr, pLeg := s, s
		if pol.DeportIrregularFirst {
			// Irregular migrants first; legal ones only for the remainder.
			// Without a previous month (irr = 1) only irregular ones go.
			pIrr, pLeg = 1, 0
			if irr > 0 {
				pIrr = math.Min(1, s/irr)
			}
			if irr < 1 {
				pLeg = math.Max(0, (s-irr)/(1-irr))
			}
		}
		t.DeportIrregular[c] = rng.Threshold32(pIrr)
		t.DeportLegal[c] = rng.Threshold32(pLeg)
	}
	t.ExitBans = pol.ExitBans
	t.ExitBanProb = p.ExitBanEarly
	if pol.ExitBans {
		t.ExitBanProb = p.ExitBanLate
	}
	for k, v := range pol.BanMonths {
		t.BanExit[k] = int16(math.Min(math.Round(v), 1200))
	}
	t.DeportBan = int16(math.Min(math.Round(pol.DeportBanMonths), 1200))
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

	// Sectors of arrivals: the banned share of a sector is closed to them.
	shares := p.SectorShares
	if t.AnySectorBan {
		sum := 0.0
		for s := range shares {
			shares[s] *= 1 - pol.SectorBan[s]
			sum += shares[s]
		}
		if sum > 0 {
			for s := range shares {
				shares[s] /= sum
			}
		} else {
			shares = p.SectorShares
		}
	}
	acc := 0.0
	for s, sh := range shares {
		acc += sh
		t.SectorCumulative[s] = acc
	}
	return t
}

// quotaPass is the probability that a candidate gets one of quota per year
// when demand candidates are expected this month.
func quotaPass(quotaPerYear, demand float64) float64 {
	if demand <= 0 {
		return 1
	}
	return math.Min(1, quotaPerYear/12/demand)
}

// BanMonths returns the length of the ban, in months, imposed on an
// overstayer leaving Russia after overstay months without status: the
// policy's lengths for an overstay of at least the threshold, more than 6
// months (180 days) and more than 9 months (270 days).
func (t *Month) BanMonths(overstay uint8) int {
	switch {
	case overstay > 9:
		return int(t.BanExit[2])
	case overstay > 6:
		return int(t.BanExit[1])
	}
	return int(t.BanExit[0])
}
