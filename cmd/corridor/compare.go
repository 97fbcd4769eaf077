package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/compare"
	"github.com/corridor-sim/corridor/ensemble"
	"github.com/corridor-sim/corridor/params"
	"github.com/corridor-sim/corridor/results"
	"github.com/corridor-sim/corridor/scenario"
)

type compareOptions struct {
	seed      uint64
	scale     int
	until     string
	out       string
	workers   int
	tolerance float64
	members   int
	quiet     bool
}

func newCompareCmd(stdout, stderr io.Writer) *cobra.Command {
	o := compareOptions{}
	cmd := &cobra.Command{
		Use:   "compare A B",
		Short: "Run two scenarios with one seed and measure B's effect against A",
		Long: `Compare runs scenario A (the base) and scenario B with the same seed, so that
they share every random draw their levers do not change: the difference
B − A is the effect of B's changes, not sampling noise (a scenario identical
to its base gives exactly zero). A and B are library names ('corridor
scenario list') or .yaml/.yml files.

It writes a folder:

  difference_annual.csv  one row per year and output: year, output, unit, a, b,
                         difference (b − a), percent ((b − a) / a × 100, empty when a is 0)
  headline.csv           measure, value, unit, note: cumulative remittances lost,
                         peak fall in migrants, extra poor persons, jobless returnees,
                         migrant labour and patent revenue lost, recovery months
  manifest.json          seed, scale, scenarios, parameters and file hashes

and prints the headline. With --members N (N ≥ 2) it also runs both scenarios
as ensembles of N members (seeds × the shipped calibration's parameter sets,
member i of A paired with member i of B, so each pair shares its random
numbers) and writes

  difference_bands.csv   one row per year: year, months, members, then
                         <output>_p05 … <output>_p95 of the member-wise
                         difference b − a for every annual output

so the effect comes with its uncertainty. Recovery time is the number of months, counted from
the month after B's last change ends, until the monthly difference of an output
stays within --tolerance of A's value to the end of the run ("n/a" when the
change is open-ended or the output has not recovered by the last month).
docs/scenarios.md explains how to read the tables.`,
		Example: `  corridor compare history pressure-2013
  corridor compare history mass-deportation --scale 50 --until 2020-12 --out deport/
  corridor compare pressure-2013 pressure-and-china   # what the Chinese hedge absorbs
  corridor compare history my-scenario.yaml --seed 7
  corridor compare history visa-regime --members 10 --scale 50   # with p05–p95 bands`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return usageError{fmt.Errorf("compare takes two scenarios, A (the base) and B, got %d arguments; see 'corridor compare --help'", len(args))}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return executeCompare(cmd.Context(), args[0], args[1], o, cmd.Flags().Changed, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.Uint64Var(&o.seed, "seed", 1, "random seed shared by both runs (default: B's seed if its file gives one, else 1)")
	f.IntVar(&o.scale, "scale", 20, "persons per agent for both runs (default: B's scale if its file gives one, else 20)")
	f.StringVar(&o.until, "until", "", "last month simulated, YYYY-MM (default: B's period, else A's, else "+DefaultUntil.String()+")")
	f.StringVar(&o.out, "out", "corridor-compare", "output folder (replaced if it holds an earlier corridor output)")
	f.IntVar(&o.workers, "workers", 0, "worker goroutines per run (0: all cores); never changes results")
	f.Float64Var(&o.tolerance, "tolerance", compare.DefaultTolerance, "recovery tolerance: share of A's monthly value within which the difference must stay")
	f.IntVar(&o.members, "members", 1, "also run both as ensembles of this many members and write difference_bands.csv (≥ 2 to take effect)")
	f.BoolVar(&o.quiet, "quiet", false, "no progress bar and no headline table")
	return cmd
}

func executeCompare(ctx context.Context, nameA, nameB string, o compareOptions, changed func(string) bool, stdout, stderr io.Writer) error {
	a, err := scenario.Lookup(nameA)
	if err != nil {
		return usageError{fmt.Errorf("scenario A: %v", err)}
	}
	b, err := scenario.Lookup(nameB)
	if err != nil {
		return usageError{fmt.Errorf("scenario B: %v", err)}
	}
	if b.Seed != nil && !changed("seed") {
		o.seed = *b.Seed
	}
	if b.Scale != 0 && !changed("scale") {
		o.scale = b.Scale
	}
	until := DefaultUntil
	switch {
	case o.until != "":
		if until, err = calendar.Parse(o.until); err != nil {
			return usageError{fmt.Errorf("--until: %v", err)}
		}
	case b.Until != 0:
		until = b.Until
	case a.Until != 0:
		until = a.Until
	}
	if until < ModelStart || until > MaxUntil {
		return usageError{fmt.Errorf("--until %v is outside the model's range %v..%v", until, ModelStart, MaxUntil)}
	}
	if o.scale < 1 {
		return usageError{fmt.Errorf("--scale must be a whole number ≥ 1 (got %d)", o.scale)}
	}
	if o.workers < 0 {
		return usageError{fmt.Errorf("--workers must be ≥ 0 (got %d)", o.workers)}
	}
	if !(o.tolerance > 0 && o.tolerance < 1) {
		return usageError{fmt.Errorf("--tolerance %v must lie strictly between 0 and 1", o.tolerance)}
	}
	if o.members < 1 {
		return usageError{fmt.Errorf("--members must be ≥ 1 (got %d)", o.members)}
	}
	if err := results.CheckOutput(o.out); err != nil {
		return usageError{err}
	}
	ctx, stop := interruptible(ctx)
	defer stop()

	span := calendar.Range{From: ModelStart, Until: until}
	bar := newProgress(stderr, o.quiet, 2*span.Len())
	var res [2]*scenario.Result
	for i, sc := range []*scenario.Scenario{a, b} {
		off := i * span.Len()
		r, err := scenario.Simulate(ctx, sc, scenario.Options{
			Seed: o.seed, Scale: o.scale, Until: until, Workers: o.workers,
			Progress: func(done, total int) { bar.update(off+done, 2*total) },
		})
		if err != nil {
			bar.abort()
			if errors.Is(err, context.Canceled) {
				return fmt.Errorf("interrupted; no results written to %s (%w)", o.out, err)
			}
			return fmt.Errorf("scenario %s: %w", sc.Name, err)
		}
		res[i] = r
	}
	bar.finish()
	opts := compare.Effect(a, b)
	opts.Tolerance = o.tolerance
	cmp, err := compare.Compare(res[0].Records, res[1].Records, opts)
	if err != nil {
		return err
	}
	m := results.NewManifest()
	m.Seed, m.Scale = o.seed, o.scale
	m.Scenario = fmt.Sprintf("%s vs %s", b.Name, a.Name)
	m.From, m.Until = ModelStart.String(), until.String()
	m.Agents = res[0].Agents
	m.InputsSHA256 = res[0].Inputs.Ref.Hash
	m.Parameters = manifestParams(&res[1].Inputs.Params)
	m.ColumnsDoc = "docs/scenarios.md"
	files := []results.File{
		{Name: "difference_annual.csv", Write: cmp.WriteAnnualCSV},
		{Name: "headline.csv", Write: cmp.WriteHeadlineCSV},
	}
	if o.members >= 2 {
		bands, err := compareBands(ctx, a, b, o, until, stderr)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return fmt.Errorf("interrupted; no results written to %s (%w)", o.out, err)
			}
			return err
		}
		files = append(files, results.File{Name: "difference_bands.csv", Write: bands.WriteCSV})
	}
	if _, err := results.WriteOutput(o.out, m, files...); err != nil {
		return err
	}
	if !o.quiet {
		if err := cmp.WriteHeadline(stdout, a.Name, b.Name); err != nil {
			return err
		}
		abs, _ := filepath.Abs(o.out)
		fmt.Fprintf(stdout, "\nseed %d, scale %d, %v..%v; results in %s\n", o.seed, o.scale, span.From, span.Until, abs)
	}
	return nil
}

// compareBands runs A and B as ensembles with the same member keys and
// returns the quantiles of the member-wise difference b − a.
func compareBands(ctx context.Context, a, b *scenario.Scenario, o compareOptions, until calendar.Month, stderr io.Writer) (*results.Table, error) {
	sets, err := params.ShippedSample()
	if err != nil {
		return nil, err
	}
	if len(sets) == 0 {
		sets = []params.Params{params.Defaults()}
	}
	var ens [2]*ensemble.Ensemble
	for i, sc := range []*scenario.Scenario{a, b} {
		bar := newMemberProgress(stderr, o.quiet, o.members)
		e, err := ensemble.Run(ctx, sc, ensemble.Options{
			Members: o.members, Seed: o.seed, Scale: o.scale, Until: until, Workers: o.workers,
			ParamSets: sets, Progress: bar.update,
		})
		bar.finish(err == nil)
		if err != nil {
			return nil, fmt.Errorf("ensemble of %s: %w", sc.Name, err)
		}
		ens[i] = e
	}
	return ensemble.Diff(ens[0], ens[1])
}
