package calibration

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"slices"
	"sync"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"

	"github.com/corridor-sim/corridor/data"
	"github.com/corridor-sim/corridor/params"
)

// Settings are what an evaluation and the optimiser's path depend on. A
// journal is replayed only under the same settings (see Config for what
// may change between a run and its resumption).
type Settings struct {
	Scale      int     `json:"scale"`      // persons per agent
	Replicates int     `json:"replicates"` // seeds 1..Replicates, the same for every candidate
	Population int     `json:"population"` // CMA-ES candidates per generation
	Seed       uint64  `json:"seed"`       // seed of the optimiser's own draws
	Step       float64 `json:"step"`       // initial CMA-ES step size in the logit space
}

// DefaultSettings are the settings of `corridor calibrate` without flags.
// At scale 50 a 2005–2018 replay takes about 0.6 s on one core, so an
// evaluation (3 replicates) takes about 2 core-seconds, and the default
// budget of 900 evaluations about 15 minutes on 2 idle cores.
var DefaultSettings = Settings{Scale: 50, Replicates: 3, Population: 12, Seed: 1, Step: 0.15}

// DefaultBudget is the default number of candidate evaluations.
const DefaultBudget = 900

// Sample rule: the SampleSize best distinct candidates whose objective is
// within SampleTolerance (relative) of the best.
const (
	DefaultSampleSize      = 20
	DefaultSampleTolerance = 0.25
)

// Config is a calibration run.
type Config struct {
	Settings
	// Budget is the number of candidate evaluations, rounded up to whole
	// generations; the start point is evaluated in addition. A resumed run
	// may raise the budget: the optimiser's path does not depend on it.
	Budget     int
	Targets    []Target
	TargetsCSV []byte // the targets file, hashed into the journal header
	Ref        *data.Reference
	Free       []Free        // default FreeParameters
	Start      params.Params // default params.Reference()
	Dir        string        // output folder (journal and results)
	Workers    int           // candidates evaluated at once (0: GOMAXPROCS)
	// Progress, if set, is called after each finished evaluation with the
	// number done (replayed ones included), the total and the best
	// objective so far. It is called from one goroutine at a time.
	Progress func(done, total int, best float64)
	// CheckScale, if > 0, re-runs the best parameter set at this scale
	// (1: full scale) with seed 1 after the search, to check that the fit
	// found at reduced scale holds (Result.Check).
	CheckScale int
	// SampleSize and SampleTolerance select the sample (defaults above).
	SampleSize      int
	SampleTolerance float64
}

// Result is the outcome of a calibration.
type Result struct {
	Config      Config
	Start, Best Evaluation
	// Visited are the candidates evaluated by this run (not counting the
	// start), best first.
	Visited []Evaluation
	// Replayed counts evaluations read back from the journal.
	Replayed    int
	Generations int
	Sample      []Evaluation
	Check       *Check
	DataHash    string
	TargetsHash string
}

// TargetsHash is the SHA-256 (hex) of a targets file.
func TargetsHash(src []byte) string {
	h := sha256.Sum256(src)
	return hex.EncodeToString(h[:])
}

// ErrInterrupted is returned (wrapped) when the context ends a run early;
// the journal holds every finished evaluation.
var ErrInterrupted = errors.New("calibration interrupted")

// Run calibrates: it evaluates the start point, then runs CMA-ES for
// ceil(Budget/Population) generations, each generation's candidates in
// parallel (one simulation worker each). Evaluations are appended to
// Dir/evaluations.jsonl as they finish; evaluations already in the journal
// are not repeated, so a run resumed after an interruption follows the same
// path and gives the same result as an uninterrupted one. The result does
// not depend on Workers.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Free == nil {
		cfg.Free = FreeParameters
	}
	if cfg.Start == (params.Params{}) {
		cfg.Start = params.Reference()
	}
	if cfg.SampleSize == 0 {
		cfg.SampleSize = DefaultSampleSize
	}
	if cfg.SampleTolerance == 0 {
		cfg.SampleTolerance = DefaultSampleTolerance
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	switch {
	case cfg.Scale < 1:
		return nil, fmt.Errorf("calibration: scale must be ≥ 1 (got %d)", cfg.Scale)
	case cfg.Replicates < 1:
		return nil, fmt.Errorf("calibration: replicates must be ≥ 1 (got %d)", cfg.Replicates)
	case cfg.Population < 2:
		return nil, fmt.Errorf("calibration: population must be ≥ 2 (got %d)", cfg.Population)
	case cfg.Budget < 1:
		return nil, fmt.Errorf("calibration: budget must be ≥ 1 (got %d)", cfg.Budget)
	case !(cfg.Step > 0):
		return nil, fmt.Errorf("calibration: step must be > 0 (got %v)", cfg.Step)
	case len(cfg.Targets) == 0:
		return nil, errors.New("calibration: no targets")
	case cfg.Ref == nil:
		return nil, errors.New("calibration: no reference data")
	case cfg.Dir == "":
		return nil, errors.New("calibration: no output folder")
	}
	if err := checkFree(cfg.Free, cfg.Start); err != nil {
		return nil, err
	}
	if err := mkdirAll(cfg.Dir); err != nil {
		return nil, err
	}
	seeds := Seeds(cfg.Replicates)
	gens := (cfg.Budget + cfg.Population - 1) / cfg.Population
	total := 1 + gens*cfg.Population

	z0 := make([]float64, len(cfg.Free))
	for i, f := range cfg.Free {
		v, _ := get(&cfg.Start, f.Name)
		z0[i] = f.toZ(v)
	}
	eval := func(z []float64) (Evaluation, error) {
		p := cfg.Start
		if err := apply(&p, cfg.Free, z); err != nil {
			return Evaluation{}, err
		}
		vals, err := Replicates(ctx, cfg.Ref, p, cfg.Targets, seeds, cfg.Scale)
		if err != nil {
			return Evaluation{}, err
		}
		e := Evaluation{Z: floats(z), Params: map[string]float64{}, Seeds: seeds, Objective: Float(Objective(cfg.Targets, vals)), Values: floats(vals)}
		for i, f := range cfg.Free {
			e.Params[f.Name] = f.fromZ(z[i])
		}
		return e, nil
	}

	// The start point, which also fingerprints the model for the journal.
	start, err := eval(z0)
	if err != nil {
		return nil, interrupted(ctx, err, 0)
	}
	var want journalHeader
	want.Header.Settings = cfg.Settings
	want.Header.DataHash = cfg.Ref.Hash
	want.Header.TargetsHash = TargetsHash(cfg.TargetsCSV)
	want.Header.Free = cfg.Free
	for _, z := range z0 {
		want.Header.Start = append(want.Header.Start, z)
	}
	want.Header.StartValues = start.Values
	path := filepath.Join(cfg.Dir, JournalFile)
	j, have, err := openJournal(path, want)
	if err != nil {
		return nil, err
	}
	defer j.close()
	if have == nil {
		if err := j.writeLine(want); err != nil {
			return nil, err
		}
		if err := j.record(start); err != nil {
			return nil, err
		}
	} else if zKey(unfloats(have.Header.StartValues)) != zKey(unfloats(start.Values)) {
		return nil, fmt.Errorf("%s: the model gives other values at the start point than when the journal was written (the code or data changed); use another --out folder or delete the journal", path)
	}

	res := &Result{Config: cfg, Start: start, Best: start, Generations: gens, DataHash: cfg.Ref.Hash, TargetsHash: want.Header.TargetsHash}
	var (
		mu       sync.Mutex
		visited  = map[string]Evaluation{}
		done     = 1
		firstErr error
	)
	report := func() {
		if cfg.Progress != nil {
			cfg.Progress(done, total, float64(res.Best.Objective))
		}
	}
	report()
	better := func(a, b Evaluation) bool {
		return a.Objective < b.Objective || a.Objective == b.Objective && zKey(unfloats(a.Z)) < zKey(unfloats(b.Z))
	}
	f := func(z []float64) float64 {
		if ctx.Err() != nil {
			return math.Inf(1)
		}
		e, replayed := j.lookup(z)
		if !replayed {
			var err error
			if e, err = eval(z); err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
				return math.Inf(1)
			}
			if err := j.record(e); err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
				return math.Inf(1)
			}
		}
		mu.Lock()
		defer mu.Unlock()
		visited[zKey(z)] = e
		done++
		if replayed {
			res.Replayed++
		}
		if better(e, res.Best) {
			res.Best = e
		}
		report()
		return float64(e.Objective)
	}
	// gonum's CmaEsChol samples from N(mean, C) with C given by
	// InitCholesky (identity by default), not from N(mean, σ²C): the step
	// size enters the initial covariance here.
	var initChol mat.Cholesky
	diag := mat.NewDiagDense(len(z0), nil)
	for i := range z0 {
		diag.SetDiag(i, cfg.Step*cfg.Step)
	}
	if !initChol.Factorize(diag) {
		return nil, errors.New("calibration: initial covariance is not positive definite")
	}
	method := &optimize.CmaEsChol{
		InitStepSize: cfg.Step,
		InitCholesky: &initChol,
		Population:   cfg.Population,
		Src:          rand.NewPCG(cfg.Seed, 0x636d61657363686f), // "cmaescho"
		StopLogDet:   math.NaN(),                                // stop by the budget only
	}
	settings := &optimize.Settings{
		Concurrent:      cfg.Workers,
		MajorIterations: gens,
		Converger:       optimize.NeverTerminate{},
	}
	problem := optimize.Problem{
		Func: f,
		Status: func() (optimize.Status, error) {
			mu.Lock()
			defer mu.Unlock()
			if ctx.Err() != nil || firstErr != nil {
				return optimize.Failure, nil
			}
			return optimize.NotTerminated, nil
		},
	}
	_, merr := optimize.Minimize(problem, z0, settings, method)
	if ctx.Err() != nil {
		return nil, interrupted(ctx, ctx.Err(), done)
	}
	if firstErr != nil {
		return nil, firstErr
	}
	if merr != nil {
		return nil, fmt.Errorf("calibration: optimiser: %v", merr)
	}
	for _, e := range visited {
		res.Visited = append(res.Visited, e)
	}
	slices.SortFunc(res.Visited, func(a, b Evaluation) int {
		if better(a, b) {
			return -1
		}
		if better(b, a) {
			return 1
		}
		return 0
	})
	res.Sample = sample(append([]Evaluation{start}, res.Visited...), cfg.SampleSize, cfg.SampleTolerance)
	if cfg.CheckScale > 0 {
		p := cfg.Start
		if err := apply(&p, cfg.Free, unfloats(res.Best.Z)); err != nil {
			return nil, err
		}
		seeds := Seeds(1)
		vals, err := replicates(ctx, cfg.Ref, p, cfg.Targets, seeds, cfg.CheckScale, cfg.Workers)
		if err != nil {
			return nil, interrupted(ctx, err, done)
		}
		c := &Check{Scale: cfg.CheckScale, Seeds: seeds, Objective: Objective(cfg.Targets, vals)}
		_, c.Series = Fit(cfg.Targets, vals)
		c.RemittanceMAPE, _ = MAPE(cfg.Targets, vals, "remittances_usd")
		res.Check = c
	}
	return res, nil
}

// Check is the fit of the best parameter set re-run at another scale.
type Check struct {
	Scale          int         `json:"scale"`
	Seeds          []uint64    `json:"seeds"`
	Objective      float64     `json:"objective"`
	RemittanceMAPE float64     `json:"remittances_usd_mape_pct"`
	Series         []SeriesFit `json:"series"`
}

func interrupted(ctx context.Context, err error, done int) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w after %d evaluations (kept in the journal; run the same command again to resume): %v", ErrInterrupted, done, ctx.Err())
	}
	return err
}

// sample returns up to k best distinct evaluations whose objective is at
// most (1+tol) × the best one, best first.
func sample(es []Evaluation, k int, tol float64) []Evaluation {
	es = slices.Clone(es)
	slices.SortStableFunc(es, func(a, b Evaluation) int {
		return cmp.Or(cmp.Compare(a.Objective, b.Objective), cmp.Compare(zKey(unfloats(a.Z)), zKey(unfloats(b.Z))))
	})
	var out []Evaluation
	seen := map[string]bool{}
	for _, e := range es {
		if len(out) == k || math.IsInf(float64(e.Objective), 0) || len(out) > 0 && float64(e.Objective) > (1+tol)*float64(out[0].Objective) {
			break
		}
		if k := zKey(unfloats(e.Z)); !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}
