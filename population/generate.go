package population

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/rng"
)

// Setup describes the initial population.
type Setup struct {
	Seed          uint64
	Start         calendar.Month // month the population is created for
	Persons       int            // agents to create
	PersonCap     int            // person slots to reserve (≥ Persons; room for births)
	HouseholdCap  int            // household slots to reserve
	HouseholdSize float64        // mean persons per household
	MaleShare     float64
	Growth        float64 // growth rate of the stable age distribution, per year
	Mortality     Mortality
	RegionShares  [NumRegions]float64
	UrbanShare    float64 // national; Dushanbe is wholly urban
	IncomeSigma   float64 // dispersion of the household income multiplier
}

// HeadMinAge and HeadMaxAge bound the age of the adult who founds each
// household in the initial population (an assumption: every household has
// at least one adult).
const (
	HeadMinAge = 20
	HeadMaxAge = 64
)

// Generate creates the initial population: persons with ages from the
// stable age distribution and sexes from MaleShare, grouped in households of
// mean size HouseholdSize (one adult head each; the other members spread
// over households at random), placed in regions and urban or rural areas.
// Persons of one household occupy consecutive slots.
func Generate(s Setup) (*Population, error) {
	if s.Persons <= 0 {
		return nil, fmt.Errorf("population: %d persons requested", s.Persons)
	}
	if s.PersonCap < s.Persons {
		return nil, fmt.Errorf("population: capacity %d below %d persons", s.PersonCap, s.Persons)
	}
	nh := int(math.Round(float64(s.Persons) / s.HouseholdSize))
	if nh < 1 {
		nh = 1
	}
	if s.HouseholdCap < nh {
		return nil, fmt.Errorf("population: household capacity %d below %d households", s.HouseholdCap, nh)
	}
	ages := s.Mortality.StableAgeDistribution(s.Growth)
	cum := make([]float64, len(ages))
	acc := 0.0
	for a, c := range ages {
		acc += c
		cum[a] = acc
	}
	key := rng.NewKey(s.Seed, rng.Setup, int64(s.Start))
	n := s.Persons
	ageMonths := make([]int32, n)
	female := make([]bool, n)
	for i := 0; i < n; i++ {
		u := key.Float64(uint64(i))
		a := sort.SearchFloat64s(cum, u)
		if a >= len(ages) {
			a = len(ages) - 1
		}
		within := int32(key.Sub(1).Uint64(uint64(i)) % 12)
		ageMonths[i] = int32(a)*12 + within
		female[i] = key.Sub(2).Float64(uint64(i)) >= s.MaleShare
	}
	// Choose heads: a seeded permutation, taking the first nh adults.
	r := rand.New(rand.NewPCG(s.Seed, 0x5ee0_0001))
	perm := r.Perm(n)
	household := make([]int32, n)
	for i := range household {
		household[i] = -1
	}
	heads := 0
	for _, i := range perm {
		if heads == nh {
			break
		}
		if a := ageMonths[i] / 12; a >= HeadMinAge && a <= HeadMaxAge {
			household[i] = int32(heads)
			heads++
		}
	}
	if heads < nh {
		return nil, fmt.Errorf("population: only %d adults for %d households", heads, nh)
	}
	for i := range household {
		if household[i] < 0 {
			household[i] = int32(r.IntN(nh))
		}
	}
	pop := NewEmpty(s.PersonCap, s.HouseholdCap)
	// Households: region by shares; urban status (Dushanbe urban; elsewhere
	// with the probability that makes the national share right).
	dushanbe := s.RegionShares[Dushanbe]
	otherUrban := 0.0
	if dushanbe < 1 {
		otherUrban = math.Max(0, (s.UrbanShare-dushanbe)/(1-dushanbe))
	}
	hkey := rng.NewKey(s.Seed, rng.Household, int64(s.Start))
	var rcum [NumRegions]float64
	acc = 0
	for k, sh := range s.RegionShares {
		acc += sh
		rcum[k] = acc
	}
	for k := 0; k < nh; k++ {
		u := hkey.Float64(uint64(k)) * acc
		reg := 0
		for reg < NumRegions-1 && u >= rcum[reg] {
			reg++
		}
		var urban uint8
		if reg == Dushanbe || hkey.Sub(1).Float64(uint64(k)) < otherUrban {
			urban = 1
		}
		f := IncomeFactor(hkey, uint64(k), s.IncomeSigma)
		if _, err := pop.AddHousehold(uint8(reg), urban, f); err != nil {
			return nil, err
		}
	}
	// Lay persons out by household, heads first within each household: a
	// counting sort by household, heads placed before the others.
	order := make([]int, n)
	next := make([]int, nh+1)
	for i := 0; i < n; i++ {
		next[household[i]+1]++
	}
	for k := 1; k <= nh; k++ {
		next[k] += next[k-1]
	}
	isHead := make([]bool, n)
	seen := make([]bool, nh)
	for i := 0; i < n; i++ { // the head is the first adult assigned above
		if h := household[i]; !seen[h] && ageMonths[i]/12 >= HeadMinAge && ageMonths[i]/12 <= HeadMaxAge {
			isHead[i] = true
			seen[h] = true
		}
	}
	for pass := 0; pass < 2; pass++ {
		for i := 0; i < n; i++ {
			if isHead[i] == (pass == 0) {
				h := household[i]
				order[next[h]] = i
				next[h]++
			}
		}
	}
	for _, i := range order {
		j := pop.P.N
		pop.P.N++
		pop.P.ID[j] = uint32(j)
		pop.P.Birth[j] = int16(int32(s.Start) - ageMonths[i])
		pop.P.Household[j] = uint32(household[i])
		pop.P.Loc[j] = Home
		if female[i] {
			pop.P.Flags[j] = Female
		}
		pop.P.BanUntil[j] = NoBan
	}
	pop.P.NextID = uint32(pop.P.N)
	pop.Rebuild()
	return pop, nil
}

// IncomeFactor draws a household's persistent income multiplier: lognormal
// with mean 1 and log-dispersion sigma.
func IncomeFactor(k rng.Key, id uint64, sigma float64) float32 {
	z := k.Sub(7).Normal(id)
	return float32(math.Exp(sigma*z - sigma*sigma/2))
}

// SplitLarge splits every household with at least threshold living indexed
// members: every second member in slot order (identifier order) (the first, the head, stays)
// moves to a new household in the same region and area. It must run before
// Rebuild, which then indexes the new households. It returns the number of
// households created.
func (p *Population) SplitLarge(threshold int, seed uint64, m calendar.Month, sigma float64) (int, error) {
	if threshold < 2 {
		return 0, nil
	}
	created := 0
	n := p.H.N
	key := rng.NewKey(seed, rng.Household, int64(m))
	for k := 0; k < n; k++ {
		from, to := int(p.H.Start[k]), int(p.H.Start[k+1])
		living := 0
		for _, l := range p.P.Loc[from:to] {
			if l != Dead {
				living++
			}
		}
		if living < threshold {
			continue
		}
		nh, err := p.AddHousehold(p.H.Region[k], p.H.Urban[k], IncomeFactor(key, uint64(p.H.N), sigma))
		if err != nil {
			return created, err
		}
		created++
		pos := 0
		for i := from; i < to; i++ {
			if p.P.Loc[i] == Dead {
				continue
			}
			if pos%2 == 1 {
				p.P.Household[i] = nh
				if p.P.Loc[i] != Home && p.H.Abroad[k] > 0 {
					p.H.Abroad[k]--
					p.H.Abroad[nh]++
				}
			}
			pos++
		}
	}
	return created, nil
}
