// Package ensemble runs a scenario many times — members that differ in
// their random seed and in their parameter set — and summarises the spread
// of the annual outputs as quantiles.
//
// Member i is defined by i alone (see [MemberKey]): its seed is the base
// seed plus i, and its parameter set is set i mod K of the K sets given. So
// the result does not depend on how many members run at once, an ensemble
// of N members is the first N members of any larger one, and two scenarios
// run with the same options have members with the same keys, which share
// every random draw their policies do not change (common random numbers;
// see package rng). [Diff] uses that to give quantiles of the member-wise
// difference between two scenarios.
package ensemble

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"gonum.org/v1/gonum/stat"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/data"
	"github.com/corridor-sim/corridor/params"
	"github.com/corridor-sim/corridor/results"
	"github.com/corridor-sim/corridor/scenario"
)

// Probs are the quantiles written for every annual output, and Suffixes
// the column-name suffixes that go with them.
var (
	Probs    = []float64{0.05, 0.25, 0.50, 0.75, 0.95}
	Suffixes = []string{"p05", "p25", "p50", "p75", "p95"}
)

// Options configure an ensemble.
type Options struct {
	Members int            // number of members, ≥ 1
	Seed    uint64         // base seed: member i runs with Seed + i
	Scale   int            // persons per agent, for every member
	Until   calendar.Month // last month simulated (zero: scenario.DefaultUntil)
	// Workers is the number of members simulated at once (0: GOMAXPROCS).
	// Each member runs on one goroutine. It never changes the results.
	Workers int
	// ParamSets are the plausible parameter sets; member i uses set
	// i mod len(ParamSets). At least one is required.
	ParamSets []params.Params
	// Ref is the reference data (nil: the embedded data).
	Ref *data.Reference
	// Progress, if set, is called once after each member completes, with
	// the number completed so far; calls are serialised.
	Progress func(done, total int)
}

// A Key identifies a member: its index, seed and parameter set.
type Key struct {
	Member   int    // index, 0 ≤ Member < Options.Members
	Seed     uint64 // random seed: Options.Seed + Member
	ParamSet int    // index into Options.ParamSets: Member mod len(ParamSets)
}

// MemberKey returns the key of member i of an ensemble with base seed seed
// and sets parameter sets.
func MemberKey(i int, seed uint64, sets int) Key {
	return Key{Member: i, Seed: seed + uint64(i), ParamSet: i % sets}
}

// A Member is one simulated run of the ensemble.
type Member struct {
	Key
	Agents int            // agents at the start of the run
	Annual *results.Table // the annual table of the run (results.Annual)
}

// Ensemble is the outcome of [Run].
type Ensemble struct {
	Scenario string
	Options  Options  // as given, with Until filled in
	Members  []Member // in member order
	// Inputs are the built inputs of member 0 (policy timeline, drivers,
	// parameters), for reports.
	Inputs *scenario.Inputs
}

// Run simulates opts.Members members of sc concurrently and returns them
// in member order. A failure of any member cancels the others and is
// returned with the member's key.
func Run(ctx context.Context, sc *scenario.Scenario, opts Options) (*Ensemble, error) {
	if sc == nil {
		return nil, errors.New("ensemble: no scenario")
	}
	if opts.Members < 1 {
		return nil, fmt.Errorf("ensemble: %d members; want at least 1", opts.Members)
	}
	if len(opts.ParamSets) == 0 {
		return nil, errors.New("ensemble: no parameter sets")
	}
	if opts.Workers < 0 {
		return nil, fmt.Errorf("ensemble: %d workers; want 0 (GOMAXPROCS) or more", opts.Workers)
	}
	if opts.Until == 0 {
		opts.Until = scenario.DefaultUntil
	}
	if opts.Ref == nil {
		ref, err := data.Embedded()
		if err != nil {
			return nil, err
		}
		opts.Ref = ref
	}
	workers := opts.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, opts.Members)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	members := make([]Member, opts.Members)
	inputs := make([]*scenario.Inputs, opts.Members)
	errs := make([]error, opts.Members)
	next := make(chan int)
	var mu sync.Mutex
	done := 0
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				key := MemberKey(i, opts.Seed, len(opts.ParamSets))
				p := opts.ParamSets[key.ParamSet]
				res, err := scenario.Simulate(ctx, sc, scenario.Options{
					Seed: key.Seed, Scale: opts.Scale, Until: opts.Until, Workers: 1, Params: &p, Ref: opts.Ref,
				})
				var tab *results.Table
				if err == nil {
					tab, err = results.Annual(res.Records)
				}
				if err != nil {
					errs[i] = fmt.Errorf("ensemble member %d (seed %d, parameter set %d): %w", i, key.Seed, key.ParamSet, err)
					cancel()
					continue
				}
				members[i] = Member{Key: key, Agents: res.Agents, Annual: tab}
				inputs[i] = res.Inputs
				mu.Lock()
				done++
				if opts.Progress != nil {
					opts.Progress(done, opts.Members)
				}
				mu.Unlock()
			}
		})
	}
feed:
	for i := range opts.Members {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	// Report the first member's own failure rather than the cancellation
	// it caused in the others.
	var first error
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return nil, err
		}
		if err != nil && first == nil {
			first = err
		}
	}
	if first == nil {
		first = ctx.Err() // cancelled before every member was started
	}
	if first != nil {
		return nil, first
	}
	return &Ensemble{Scenario: sc.Name, Options: opts, Members: members, Inputs: inputs[0]}, nil
}

// Tables returns the annual tables of the members, in member order.
func (e *Ensemble) Tables() []*results.Table {
	out := make([]*results.Table, len(e.Members))
	for i, m := range e.Members {
		out[i] = m.Annual
	}
	return out
}

// Quantiles returns the quantile table of the ensemble (see [Quantiles]).
func (e *Ensemble) Quantiles() (*results.Table, error) { return Quantiles(e.Tables()) }

// Quantiles summarises annual tables with the same rows and columns (the
// members of an ensemble) in one wide table: the key columns year and
// months, then members (how many tables were summarised), then for every
// other column c the columns c_p05, c_p25, c_p50, c_p75 and c_p95, in the
// order of the input columns. Each cell is the quantile, across tables, of
// c in that year; quantiles are those of R's quantile(x, type = 4), the
// linear interpolation of the empirical distribution function
// (gonum stat.Quantile with stat.LinInterp). A ratio column such as
// remittances_pct_gdp is summarised like any other: its p50 is the median
// of the members' ratios, not the ratio of medians.
func Quantiles(tabs []*results.Table) (*results.Table, error) {
	if len(tabs) == 0 {
		return nil, errors.New("ensemble: no tables to summarise")
	}
	if err := sameShape(tabs); err != nil {
		return nil, err
	}
	base := tabs[0]
	nKey := keyColumns(base)
	out := &results.Table{Columns: slices.Clone(base.Columns[:nKey])}
	out.Columns = append(out.Columns, results.Column{Name: "members", Unit: "members",
		Doc: "number of ensemble members summarised"})
	for _, c := range base.Columns[nKey:] {
		for k, s := range Suffixes {
			out.Columns = append(out.Columns, results.Column{
				Name: c.Name + "_" + s, Unit: c.Unit, Agg: c.Agg,
				Doc: fmt.Sprintf("%s: %g%% quantile across members", c.Doc, Probs[k]*100),
			})
		}
	}
	x := make([]float64, len(tabs))
	for i, row := range base.Rows {
		q := make([]float64, 0, len(out.Columns))
		q = append(q, row[:nKey]...)
		q = append(q, float64(len(tabs)))
		for j := nKey; j < len(base.Columns); j++ {
			for m, t := range tabs {
				x[m] = t.Rows[i][j]
			}
			slices.Sort(x)
			for _, p := range Probs {
				q = append(q, stat.Quantile(p, stat.LinInterp, x, nil))
			}
		}
		out.Rows = append(out.Rows, q)
	}
	return out, nil
}

// keyColumns returns the number of leading key columns of an annual table
// (year and months), which are the same in every member.
func keyColumns(t *results.Table) int {
	n := 0
	for _, c := range t.Columns {
		if c.Name != "year" && c.Name != "months" {
			break
		}
		n++
	}
	return n
}

// sameShape checks that the tables have the same columns and the same key
// values in every row.
func sameShape(tabs []*results.Table) error {
	base := tabs[0]
	nKey := keyColumns(base)
	for m, t := range tabs[1:] {
		if len(t.Columns) != len(base.Columns) || len(t.Rows) != len(base.Rows) {
			return fmt.Errorf("ensemble: table %d has %d columns and %d rows, table 0 %d and %d",
				m+1, len(t.Columns), len(t.Rows), len(base.Columns), len(base.Rows))
		}
		for j, c := range t.Columns {
			if c.Name != base.Columns[j].Name {
				return fmt.Errorf("ensemble: table %d column %d is %s, table 0 has %s", m+1, j+1, c.Name, base.Columns[j].Name)
			}
		}
		for i, row := range t.Rows {
			for j := range nKey {
				if row[j] != base.Rows[i][j] {
					return fmt.Errorf("ensemble: table %d row %d has %s %v, table 0 has %v",
						m+1, i+1, base.Columns[j].Name, row[j], base.Rows[i][j])
				}
			}
		}
	}
	return nil
}

// Diff returns the quantiles of the member-wise difference b − a between
// two ensembles of the same size run with the same member keys (the same
// base seed, member count and parameter sets, usually two scenarios): for
// each member, its annual table in b minus its table in a, summarised by
// [Quantiles]. Because the members of a pair share their seed and
// parameter set, the difference is the effect of the scenario with the
// noise of the members removed as far as common random numbers allow.
func Diff(a, b *Ensemble) (*results.Table, error) {
	if len(a.Members) != len(b.Members) {
		return nil, fmt.Errorf("ensemble: cannot difference %d members against %d", len(b.Members), len(a.Members))
	}
	diffs := make([]*results.Table, len(a.Members))
	for i := range a.Members {
		ma, mb := a.Members[i], b.Members[i]
		if ma.Key != mb.Key {
			return nil, fmt.Errorf("ensemble: member %d has key %+v in %s but %+v in %s; run both with the same seed, members and parameter sets",
				i, ma.Key, a.Scenario, mb.Key, b.Scenario)
		}
		d, err := subtract(mb.Annual, ma.Annual)
		if err != nil {
			return nil, fmt.Errorf("ensemble: member %d: %w", i, err)
		}
		diffs[i] = d
	}
	return Quantiles(diffs)
}

// subtract returns b − a cell by cell, keeping the key columns.
func subtract(b, a *results.Table) (*results.Table, error) {
	if err := sameShape([]*results.Table{a, b}); err != nil {
		return nil, err
	}
	nKey := keyColumns(a)
	out := &results.Table{Columns: a.Columns, Rows: make([][]float64, len(a.Rows))}
	for i := range a.Rows {
		row := slices.Clone(b.Rows[i])
		for j := nKey; j < len(row); j++ {
			row[j] -= a.Rows[i][j]
		}
		out.Rows[i] = row
	}
	return out, nil
}
