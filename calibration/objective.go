package calibration

import (
	"context"
	"fmt"
	"math"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/data"
	"github.com/corridor-sim/corridor/params"
	"github.com/corridor-sim/corridor/scenario"
)

// FitUntil is the last month simulated when fitting: the end of the last
// in-sample year.
var FitUntil = calendar.Of(data.LastInSampleYear, 12)

// Loss returns a target's weighted loss for a simulated value: the squared
// log error for an exact target, and for a bound the squared log error on
// the wrong side only. A simulated value that is not positive counts as a
// thousandth of the observed value.
func (t Target) Loss(sim float64) float64 {
	r := LogError(sim, t.Value)
	switch t.Kind {
	case Lower:
		r = min(r, 0)
	case Upper:
		r = max(r, 0)
	}
	return t.Weight * r * r
}

// LogError is log(sim/obs), with sim floored at obs/1000 (NaN stays NaN).
func LogError(sim, obs float64) float64 {
	if math.IsNaN(sim) {
		return math.NaN()
	}
	return math.Log(max(sim, obs/1000) / obs)
}

// Objective is the weighted sum of the targets' losses for the simulated
// values sims (one per target). A target whose simulated value is NaN (its
// year was not simulated) makes the objective +Inf.
func Objective(ts []Target, sims []float64) float64 {
	sum := 0.0
	for i, t := range ts {
		l := t.Loss(sims[i])
		if math.IsNaN(l) {
			return math.Inf(1)
		}
		sum += l
	}
	return sum
}

// Values returns the simulated value of each target in the history h.
func Values(ts []Target, h *History) []float64 {
	out := make([]float64, len(ts))
	for i, t := range ts {
		out[i] = h.Value(t.Series, t.Year)
	}
	return out
}

// Replicates simulates the history scenario with parameters p for each
// seed at scale (one worker each, one after the other) up to until, and
// returns each target's simulated value averaged over the seeds. With the
// same seeds every candidate shares its random numbers (common random
// numbers), so differences between candidates are not sampling noise.
func Replicates(ctx context.Context, ref *data.Reference, p params.Params, ts []Target, seeds []uint64, scale int) ([]float64, error) {
	return replicates(ctx, ref, p, ts, seeds, scale, 1)
}

// replicates is Replicates with workers simulation workers per run (the
// results do not depend on it).
func replicates(ctx context.Context, ref *data.Reference, p params.Params, ts []Target, seeds []uint64, scale, workers int) ([]float64, error) {
	mean := make([]float64, len(ts))
	for _, seed := range seeds {
		res, err := scenario.Simulate(ctx, scenario.History(), scenario.Options{
			Seed: seed, Scale: scale, Until: FitUntil, Workers: workers, Params: &p, Ref: ref,
		})
		if err != nil {
			return nil, err
		}
		h, err := NewHistory(res.Records)
		if err != nil {
			return nil, err
		}
		for i, v := range Values(ts, h) {
			mean[i] += v / float64(len(seeds))
		}
	}
	return mean, nil
}

// Seeds returns the replicate seeds 1..r.
func Seeds(r int) []uint64 {
	out := make([]uint64, r)
	for i := range out {
		out[i] = uint64(i + 1)
	}
	return out
}

// SeriesFit is the fit of one series: its loss and the mean absolute
// percentage error of its exact targets.
type SeriesFit struct {
	Series string  `json:"series"`
	Points int     `json:"points"` // exact targets
	Bounds int     `json:"bounds"` // bound targets
	MAPE   float64 `json:"mape_pct"`
	Loss   float64 `json:"loss"`
	// Violated counts bounds on the wrong side.
	Violated int `json:"bounds_violated"`
}

// TargetFit is the fit of one target.
type TargetFit struct {
	Series    string  `json:"series"`
	Year      int     `json:"year"`
	Kind      string  `json:"kind"`
	Observed  float64 `json:"observed"`
	Simulated float64 `json:"simulated"`
	Weight    float64 `json:"weight"`
	Loss      float64 `json:"loss"`
}

// Fit summarises simulated values against the targets.
func Fit(ts []Target, sims []float64) ([]TargetFit, []SeriesFit) {
	var tf []TargetFit
	byName := map[string]*SeriesFit{}
	var order []string
	for i, t := range ts {
		l := t.Loss(sims[i])
		tf = append(tf, TargetFit{t.Series, t.Year, t.Kind, t.Value, sims[i], t.Weight, l})
		s, ok := byName[t.Series]
		if !ok {
			s = &SeriesFit{Series: t.Series}
			byName[t.Series] = s
			order = append(order, t.Series)
		}
		s.Loss += l
		if t.Kind == Exact {
			s.Points++
			s.MAPE += 100 * math.Abs(sims[i]-t.Value) / t.Value
		} else {
			s.Bounds++
			if l > 0 {
				s.Violated++
			}
		}
	}
	var sf []SeriesFit
	for _, name := range order {
		s := byName[name]
		if s.Points > 0 {
			s.MAPE /= float64(s.Points)
		}
		sf = append(sf, *s)
	}
	return tf, sf
}

// MAPE returns the mean absolute percentage error of the exact targets of
// series in ts for the simulated values sims.
func MAPE(ts []Target, sims []float64, series string) (float64, error) {
	sum, n := 0.0, 0
	for i, t := range ts {
		if t.Series == series && t.Kind == Exact {
			sum += math.Abs(sims[i]-t.Value) / t.Value
			n++
		}
	}
	if n == 0 {
		return 0, fmt.Errorf("calibration: no exact targets of %s", series)
	}
	return 100 * sum / float64(n), nil
}
