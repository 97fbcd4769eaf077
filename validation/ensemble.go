package validation

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"gonum.org/v1/gonum/stat"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/calibration"
	"github.com/corridor-sim/corridor/data"
	"github.com/corridor-sim/corridor/drivers"
	"github.com/corridor-sim/corridor/params"
	"github.com/corridor-sim/corridor/scenario"
)

// ForecastFrom and ForecastUntil bound the forecast years: after the last
// in-sample year, up to 2024. Their observed values are not in the data.
const (
	ForecastFrom  = data.LastInSampleYear + 1
	ForecastUntil = 2024
)

// TurningYears are the years whose change from the year before is a
// turning point of the corridor: the 2009 crisis, the 2014–16 ruble fall
// and the 2017 recovery.
var TurningYears = []int{2009, 2014, 2015, 2016, 2017}

// ForecastSeries are the statistics forecast for 2019–2024.
var ForecastSeries = []string{"remittances_usd", "remittances_pct_gdp", "migrants_in_russia", "departures",
	"entry_bans_active", "deportations", "poverty_rate", "households_with_migrant_share", "migrants_women_share"}

// wageBaselineSeries are the series the wage baseline predicts: the
// remittance series (a baseline of remittances, as the issue defines it).
var wageBaselineSeries = map[string]bool{"remittances_usd": true, "remittances_pct_gdp": true, "cbr_transfers_usd": true}

// Options are the settings of an ensemble validation.
type Options struct {
	Members  []params.Params // parameter sets (the shipped sample)
	Seeds    []uint64        // each member runs with each seed
	Scale    int
	Workers  int // runs at once (0: GOMAXPROCS); never changes the result
	Ref      *data.Reference
	Targets  []calibration.Target
	Progress func(done, total int)
}

// Band is the ensemble's median and 90% band of a statistic.
type Band struct {
	Median, P05, P95 float64
}

// TargetRow is one target against the ensemble.
type TargetRow struct {
	calibration.Target
	Sim Band
	// Error is (median − observed)/observed; for a bound, 0 when the median
	// is on the right side.
	Error float64
}

// SeriesRow holds the training errors of one series for the model and the
// two naive baselines, each on the exact targets it can predict.
type SeriesRow struct {
	Series                     string
	Points                     int     // exact targets
	ModelMAPE                  float64 // %, median against observed
	PersistencePoints          int     // targets with an earlier observation
	PersistenceMAPE            float64 // NaN if no points
	ModelMAPEOnPersistence     float64 // the model's MAPE on the persistence points
	WagePoints                 int
	WageMAPE                   float64 // NaN if the baseline does not apply
	Turning                    int     // turning points with observed years on both sides
	ModelRight, WageRight      int     // turning points whose sign each gets right (persistence predicts no change)
	BoundsHeld, BoundsViolated int
}

// TurningRow is one turning point of one series.
type TurningRow struct {
	Series          string
	Year            int
	Observed, Model float64 // change from the year before
	Wage            float64 // NaN if the wage baseline does not apply
}

// ForecastRow is the ensemble's forecast of a series in a year after 2018.
type ForecastRow struct {
	Series string
	Year   int
	Sim    Band
}

// Report is the outcome of Ensemble.
type Report struct {
	Runs     int
	Targets  []TargetRow
	Series   []SeriesRow
	Turning  []TurningRow
	Forecast []ForecastRow
}

// Ensemble runs every member with every seed up to December 2024 (each run
// on one worker, runs in parallel) and compares the ensemble with the
// targets, the two baselines and the forecast years.
func Ensemble(ctx context.Context, o Options) (*Report, error) {
	if len(o.Members) == 0 || len(o.Seeds) == 0 {
		return nil, errors.New("validation: no ensemble members or seeds")
	}
	if o.Scale < 1 {
		return nil, fmt.Errorf("validation: scale must be ≥ 1 (got %d)", o.Scale)
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	n := len(o.Members) * len(o.Seeds)
	hist := make([]*calibration.History, n)
	errs := make([]error, n)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		done int
	)
	jobs := make(chan int)
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				p := o.Members[i/len(o.Seeds)]
				res, err := scenario.Simulate(ctx, scenario.History(), scenario.Options{
					Seed: o.Seeds[i%len(o.Seeds)], Scale: o.Scale, Until: calendar.Of(ForecastUntil, 12), Workers: 1, Params: &p, Ref: o.Ref,
				})
				if err == nil {
					hist[i], err = calibration.NewHistory(res.Records)
				}
				errs[i] = err
				mu.Lock()
				done++
				if o.Progress != nil {
					o.Progress(done, n)
				}
				mu.Unlock()
			}
		}()
	}
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	band := func(series string, year int) Band {
		xs := make([]float64, 0, n)
		for _, h := range hist {
			xs = append(xs, h.Value(series, year))
		}
		return bandOf(xs)
	}
	wage, err := wageUSD(o.Ref)
	if err != nil {
		return nil, err
	}
	rep := &Report{Runs: n}
	for _, t := range o.Targets {
		b := band(t.Series, t.Year)
		rep.Targets = append(rep.Targets, TargetRow{Target: t, Sim: b, Error: boundError(t, b.Median)})
	}
	rep.Series, rep.Turning = errorsBySeries(rep.Targets, band, wage)
	for _, s := range ForecastSeries {
		for y := ForecastFrom; y <= ForecastUntil; y++ {
			rep.Forecast = append(rep.Forecast, ForecastRow{Series: s, Year: y, Sim: band(s, y)})
		}
	}
	return rep, nil
}

func bandOf(xs []float64) Band {
	xs = slices.Clone(xs)
	for _, x := range xs {
		if math.IsNaN(x) {
			return Band{math.NaN(), math.NaN(), math.NaN()}
		}
	}
	slices.Sort(xs)
	q := func(p float64) float64 { return stat.Quantile(p, stat.Empirical, xs, nil) }
	if len(xs) == 1 {
		return Band{xs[0], xs[0], xs[0]}
	}
	return Band{Median: q(0.5), P05: q(0.05), P95: q(0.95)}
}

// boundError is the relative error of sim against an exact target, and
// for a bound the relative error on the wrong side only.
func boundError(t calibration.Target, sim float64) float64 {
	e := (sim - t.Value) / t.Value
	switch t.Kind {
	case calibration.Lower:
		e = min(e, 0)
	case calibration.Upper:
		e = max(e, 0)
	}
	return e
}

// yearly holds, per series, the observed exact values by year.
type yearly map[string]map[int]float64

// errorsBySeries computes the per-series errors of the model (ensemble
// median) and of the two baselines, and the turning points.
func errorsBySeries(rows []TargetRow, band func(string, int) Band, wage map[int]wageYear) ([]SeriesRow, []TurningRow) {
	obs := yearly{}
	var order []string
	for _, r := range rows {
		if _, ok := obs[r.Series]; !ok {
			obs[r.Series] = map[int]float64{}
			order = append(order, r.Series)
		}
		if r.Kind == calibration.Exact {
			obs[r.Series][r.Year] = r.Value
		}
	}
	var out []SeriesRow
	var turning []TurningRow
	for _, s := range order {
		sr := SeriesRow{Series: s, PersistenceMAPE: math.NaN(), WageMAPE: math.NaN(), ModelMAPEOnPersistence: math.NaN()}
		years := sortedYears(obs[s])
		// The wage baseline: k × W_t (W/GDP for % of GDP), k the geometric
		// mean ratio over the series' own training points.
		pred := func(y int) float64 { return math.NaN() }
		if wageBaselineSeries[s] && len(years) >= 2 {
			base := func(y int) float64 {
				w := wage[y]
				if s == "remittances_pct_gdp" {
					return w.usd / w.gdp
				}
				return w.usd
			}
			lk := 0.0
			for _, y := range years {
				lk += math.Log(obs[s][y] / base(y))
			}
			k := math.Exp(lk / float64(len(years)))
			pred = func(y int) float64 { return k * base(y) }
		}
		var mm, pm, mpm, wm float64
		for i, y := range years {
			o := obs[s][y]
			m := band(s, y).Median
			sr.Points++
			mm += math.Abs(m-o) / o
			if i > 0 {
				prev := obs[s][years[i-1]]
				sr.PersistencePoints++
				pm += math.Abs(prev-o) / o
				mpm += math.Abs(m-o) / o
			}
			if w := pred(y); !math.IsNaN(w) {
				sr.WagePoints++
				wm += math.Abs(w-o) / o
			}
		}
		if sr.Points > 0 {
			sr.ModelMAPE = 100 * mm / float64(sr.Points)
		}
		if sr.PersistencePoints > 0 {
			sr.PersistenceMAPE = 100 * pm / float64(sr.PersistencePoints)
			sr.ModelMAPEOnPersistence = 100 * mpm / float64(sr.PersistencePoints)
		}
		if sr.WagePoints > 0 {
			sr.WageMAPE = 100 * wm / float64(sr.WagePoints)
		}
		for _, r := range rows {
			if r.Series == s && r.Kind != calibration.Exact {
				if r.Error == 0 {
					sr.BoundsHeld++
				} else {
					sr.BoundsViolated++
				}
			}
		}
		for _, y := range TurningYears {
			o1, ok1 := obs[s][y]
			o0, ok0 := obs[s][y-1]
			if !ok0 || !ok1 {
				continue
			}
			tr := TurningRow{Series: s, Year: y, Observed: o1 - o0, Model: band(s, y).Median - band(s, y-1).Median, Wage: pred(y) - pred(y-1)}
			sr.Turning++
			if sameSign(tr.Model, tr.Observed) {
				sr.ModelRight++
			}
			if sameSign(tr.Wage, tr.Observed) {
				sr.WageRight++
			}
			turning = append(turning, tr)
		}
		out = append(out, sr)
	}
	return out, turning
}

func sameSign(a, b float64) bool { return a*b > 0 }

func sortedYears(m map[int]float64) []int {
	var ys []int
	for y := range m {
		ys = append(ys, y)
	}
	slices.Sort(ys)
	return ys
}

type wageYear struct{ usd, gdp float64 }

// wageUSD returns, per year, the mean Russian nominal wage in USD (each
// month's RUB wage at the month's RUB/USD rate) and Tajik GDP in USD.
func wageUSD(ref *data.Reference) (map[int]wageYear, error) {
	span := calendar.Range{From: calendar.Of(2000, 1), Until: calendar.Of(ForecastUntil, 12)}
	paths, err := drivers.Build(ref, span)
	if err != nil {
		return nil, err
	}
	out := map[int]wageYear{}
	for m := span.From; m <= span.Until; m++ {
		v := paths.At(m)
		w := out[m.Year()]
		w.usd += v.RuWageRUB / v.RubPerUSD / 12
		w.gdp = v.TjGDPUSD
		out[m.Year()] = w
	}
	return out, nil
}
