package population

import "math"

// MaxAge is the oldest age in years the model represents; the death
// probability at MaxAge is 1.
const MaxAge = 105

// Mortality is a Gompertz–Makeham life table with a separate first year of
// life. The data hold no age-specific mortality for Tajikistan, so all four
// parameters are named assumptions (see docs/model.md); the population total
// still follows the sourced series because births are set each month to
// close the gap (see the sim package).
type Mortality struct {
	Makeham, GompertzB, GompertzC, Infant float64
}

// AnnualHazard returns the annual death hazard at age a (years).
func (m Mortality) AnnualHazard(a int) float64 {
	if a >= MaxAge {
		return math.Inf(1)
	}
	if a == 0 {
		return -math.Log(1 - m.Infant)
	}
	return m.Makeham + m.GompertzB*math.Exp(m.GompertzC*float64(a))
}

// MonthlyProbabilities returns the probability of dying within a month at
// each age 0..MaxAge.
func (m Mortality) MonthlyProbabilities() [MaxAge + 1]float64 {
	var q [MaxAge + 1]float64
	for a := range q {
		h := m.AnnualHazard(a)
		q[a] = 1 - math.Exp(-h/12)
	}
	q[MaxAge] = 1
	return q
}

// StableAgeDistribution returns the age distribution (shares summing to 1,
// ages 0..MaxAge-1) of a stable population growing at rate r per year under
// this life table: c(a) ∝ exp(−r·a)·l(a) (Lotka).
func (m Mortality) StableAgeDistribution(r float64) []float64 {
	c := make([]float64, MaxAge)
	l := 1.0
	sum := 0.0
	for a := 0; a < MaxAge; a++ {
		h := m.AnnualHazard(a)
		// person-years lived in year a of life ≈ mid-year survival
		c[a] = math.Exp(-r*(float64(a)+0.5)) * l * math.Exp(-h/2)
		l *= math.Exp(-h)
		sum += c[a]
	}
	for a := range c {
		c[a] /= sum
	}
	return c
}

// MedianAge returns the median of an age distribution in years.
func MedianAge(c []float64) float64 {
	acc := 0.0
	for a, s := range c {
		if acc+s >= 0.5 {
			return float64(a) + (0.5-acc)/s
		}
		acc += s
	}
	return float64(len(c))
}
