package calibration

import (
	"fmt"
	"math"

	"github.com/corridor-sim/corridor/params"
)

// A Free parameter is fitted by the calibration within [Lower, Upper].
// The optimiser works on z = logit((x − Lower)/(Upper − Lower)), so every
// candidate lies strictly inside the bounds. The start is the parameter's
// reference (hand-set) value, params.Reference().
type Free struct {
	Name         string
	Lower, Upper float64
	Why          string // why it is free, and why these bounds
}

// FreeParameters is the documented table of free parameters
// (docs/calibration.md renders it; a test keeps the two in step).
var FreeParameters = []Free{
	{"departure_base", 0.01, 0.15, "sets the level of departures and of the stock abroad; no direct measurement of a monthly hazard exists"},
	{"women_propensity", 0.03, 0.4, "sets the women's share of migrants (14.9% of citizens in Russia, 2014); bounds span the departure shares 10.5–15.8%"},
	{"gap_elasticity", 0.1, 2.5, "sets how departures respond to the earnings gap (the 2009 and 2015 falls); no elasticity was found in the sources"},
	{"pay_ratio", 0.45, 1.0, "sets earnings and so remittances; prior from the raw migrant–native gap of 20–45% (Lokshin & Chernina 2013; parameters.md §5), upper bound parity"},
	{"job_find", 0.1, 0.8, "with job_loss sets the working share (75% in January, 85–86% in May–July 2016)"},
	{"job_loss", 0.01, 0.15, "see job_find"},
	{"demand_elasticity", 0.0, 0.1, "sets how employment abroad follows Russian growth; the prior is the IMF's −1.5% of remittances per −1 pp of growth (Behar 2014)"},
	{"winter_job_factor", 0.2, 1.0, "sets the winter dip of the working share (75% in January 2016)"},
	{"patent_aversion", 0.5, 10, "sets patent take-up and so the irregular share, deportations and bans; patent counts are not a target, so bounds are wide"},
	{"check_rate", 0.0003, 0.006, "sets deportations (5,600 in 2006) and, with exit_ban_late, the ban stock"},
	{"exit_ban_late", 0.05, 0.8, "sets the ban stock from 2013 (≤198,000 in Sep 2014; ≈400,000 before the 2017 amnesty)"},
	{"remit_share", 0.3, 0.7, "sets remittances per migrant; prior 40–60% of earnings (IRIN 2003; UNSOURCED.csv 50–60%), bounds a little wider"},
	{"remit_compensation", 0.0, 3.0, "sets how far migrants send more after a ruble fall (Kyrgyz remittances −2% in 2014 despite RUB −42%, IMF 2016)"},
	{"target_months", 10, 60, "sets spell lengths and so the stock per departure (median spell ≈7 months, THPS 2009)"},
	{"return_base", 0.002, 0.03, "returns for other reasons: with the other return hazards sets the stock per departure"},
	{"return_winter", 0.01, 0.2, "sets the winter return peak and so the seasonal shares of returns and departures"},
	{"poverty_line", 30, 80, "sets the level of poverty (53.5% in 2007 … 31.3% in 2016); the national line in constant USD is not in the data"},
	{"household_network", 1.0, 4.0, "an assumption, free because it decides how migrants concentrate in households, which the share of households with a migrant (40%, 2013 and 2018) measures"},
}

// checkFree validates the table against the parameter set: known scalar
// names, ordered bounds, and a start strictly inside them.
func checkFree(fs []Free, start params.Params) error {
	seen := map[string]bool{}
	for _, f := range fs {
		if seen[f.Name] {
			return fmt.Errorf("calibration: free parameter %s listed twice", f.Name)
		}
		seen[f.Name] = true
		v, err := get(&start, f.Name)
		if err != nil {
			return err
		}
		if !(f.Lower < f.Upper) {
			return fmt.Errorf("calibration: free parameter %s: bounds [%v, %v] are not ordered", f.Name, f.Lower, f.Upper)
		}
		if !(v > f.Lower && v < f.Upper) {
			return fmt.Errorf("calibration: free parameter %s: start %v is not strictly inside [%v, %v]", f.Name, v, f.Lower, f.Upper)
		}
	}
	return nil
}

// get returns the value of the scalar parameter name.
func get(p *params.Params, name string) (float64, error) {
	for _, pr := range p.List() {
		if pr.Name == name {
			v, ok := pr.Value.(float64)
			if !ok {
				return 0, fmt.Errorf("calibration: %s is a profile, not a scalar parameter", name)
			}
			return v, nil
		}
	}
	return 0, fmt.Errorf("calibration: unknown parameter %s", name)
}

// toZ maps a parameter value into the optimiser's unbounded space.
func (f Free) toZ(x float64) float64 {
	u := (x - f.Lower) / (f.Upper - f.Lower)
	u = min(max(u, 1e-12), 1-1e-12)
	return math.Log(u / (1 - u))
}

// fromZ maps an optimiser coordinate to a parameter value inside the bounds.
func (f Free) fromZ(z float64) float64 {
	u := 1 / (1 + math.Exp(-z))
	return f.Lower + (f.Upper-f.Lower)*u
}

// apply sets the free parameters of p from the optimiser's point z.
func apply(p *params.Params, fs []Free, z []float64) error {
	for i, f := range fs {
		if err := p.Set(f.Name, f.fromZ(z[i])); err != nil {
			return err
		}
	}
	return nil
}
