// Package economy holds the money side of the corridor: earnings at home
// and abroad in USD, the poverty line, and Tajik GDP month by month.
//
// Home earnings follow Tajik GDP per person in current USD (which carries
// both real growth and the somoni's exchange rate), anchored to the sourced
// average wage of March 2011. Migrant earnings are the Russian average
// nominal wage times the migrant pay ratio, converted at the month's RUB/USD.
package economy

import (
	"fmt"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/drivers"
	"github.com/corridor-sim/corridor/params"
)

// AnchorMonth is the month of the sourced home-wage figure (472 TJS ≈ 103 USD, March 2011).
var AnchorMonth = calendar.Of(2011, 3)

// Economy converts drivers into earnings.
type Economy struct {
	p           *params.Params
	d           *drivers.Paths
	gdpPCAnchor float64
	realAnchor  float64
}

// New returns the economy of parameter set p over driver paths d.
func New(p *params.Params, d *drivers.Paths) (*Economy, error) {
	if !d.Span.Contains(AnchorMonth) {
		return nil, fmt.Errorf("economy: driver paths %v do not cover the home-wage anchor %v", d.Span, AnchorMonth)
	}
	v := d.At(AnchorMonth)
	if !(v.TjGDPUSD > 0 && v.TjPopulation > 0) {
		return nil, fmt.Errorf("economy: no Tajik GDP or population for %v", AnchorMonth)
	}
	e := &Economy{p: p, d: d, gdpPCAnchor: v.TjGDPUSD / v.TjPopulation}
	e.realAnchor = e.realPerPerson(AnchorMonth)
	return e, nil
}

// realPerPerson is an index of real GDP per person: real output chained
// from the sourced annual growth rates (the level of year y is the product
// of (1+g) over 2001..y), divided by the population.
func (e *Economy) realPerPerson(m calendar.Month) float64 {
	level := 1.0
	for y := 2001; y <= m.Year(); y++ {
		level *= 1 + e.d.At(calendar.Of(y, 7)).TjRealGrowthPct/100
	}
	return level / e.d.At(m).TjPopulation
}

// HomeRealWageUSD returns the average monthly earnings at home in month m
// in constant March-2011 USD: the sourced 2011 wage moved with real GDP per
// person. Household incomes and the poverty line are compared in these
// units, so a devaluation of the somoni does not by itself make people poor.
func (e *Economy) HomeRealWageUSD(m calendar.Month) float64 {
	return e.p.HomeWageAnchor * e.realPerPerson(m) / e.realAnchor
}

// GDPPerPerson returns Tajik GDP per person in current USD in month m (annual rate).
func (e *Economy) GDPPerPerson(m calendar.Month) float64 {
	v := e.d.At(m)
	return v.TjGDPUSD / v.TjPopulation
}

// HomeWageUSD returns the national average monthly earnings of a working
// person at home in month m, USD.
func (e *Economy) HomeWageUSD(m calendar.Month) float64 {
	return e.p.HomeWageAnchor * e.GDPPerPerson(m) / e.gdpPCAnchor
}

// MigrantWageRUB returns the monthly earnings of a migrant of average
// productivity working in Russia in month m, RUB.
func (e *Economy) MigrantWageRUB(m calendar.Month) float64 {
	return e.d.At(m).RuWageRUB * e.p.PayRatio
}

// MonthlyGDPUSD returns Tajik GDP produced in month m: the annual level
// spread evenly over the twelve months.
func (e *Economy) MonthlyGDPUSD(m calendar.Month) float64 { return e.d.At(m).TjGDPUSD / 12 }

// PovertyLineUSD returns the poverty line per person and month, in constant
// March-2011 USD (see HomeRealWageUSD). Remittances are counted at their USD
// value: most are spent on food (81%, WFP 2015), largely traded goods whose
// somoni prices follow the exchange rate.
func (e *Economy) PovertyLineUSD(calendar.Month) float64 { return e.p.PovertyLine }

// MigrantWageUSD returns the average-productivity earnings of a migrant in
// Russia in month m, converted to USD at the month's rate.
func (e *Economy) MigrantWageUSD(m calendar.Month) float64 {
	v := e.d.At(m)
	return v.RuWageRUB * e.p.PayRatio / v.RubPerUSD
}

// TrailingMigrantWageUSD returns the mean of MigrantWageUSD over the twelve
// months before m: the earnings in USD a migrant and the family at home have
// come to expect.
func (e *Economy) TrailingMigrantWageUSD(m calendar.Month) float64 {
	sum := 0.0
	for k := calendar.Month(1); k <= 12; k++ {
		sum += e.MigrantWageUSD(m - k)
	}
	return sum / 12
}
