package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/leverage"
	"github.com/corridor-sim/corridor/policy"
	"github.com/corridor-sim/corridor/results"
	"github.com/corridor-sim/corridor/scenario"
)

type leverageOptions struct {
	base     string
	start    string
	years    int
	seed     uint64
	scale    int
	parallel int
	out      string
	quiet    bool
	// seedFromBase: --seed was not given, so a base file's seed applies.
	seedFromBase bool
}

func newLeverageCmd(stdout, stderr io.Writer) *cobra.Command {
	o := leverageOptions{}
	cmd := &cobra.Command{
		Use:   "leverage",
		Short: "Rank every lever by its cost to Tajikistan against its cost to Russia",
		Long: `Leverage pulls each lever of the library, one at a time, at its standard
intensity for its standard duration (both documented per lever in
docs/scenarios.md) from --start, on top of the base scenario and with the
base's random numbers, and measures the difference from the base over
--years years from the start:

  cost to the origin (Tajikistan)     remittances lost (USD and % of GDP),
                                      extra person-years in poverty, peak extra
                                      jobless returnees, the hardest-hit region
  cost to the destination (Russia)    migrant labour lost in person-years by
                                      sector, the migrants' wage bill lost,
                                      patent revenue lost (RUB and USD)

The ratio of the two (remittances lost ÷ (wage bill + patent revenue lost),
both in USD) ranks the levers: a ratio well above 1 means the lever hurts
Tajikistan far more than it costs Russia — leverage in the sense of the
sources. It writes leverage.csv (one row per lever, in rank order) and a
manifest into --out, and prints the ranked table. docs/scenarios.md explains
how to read it and what it leaves out.

The runs go in parallel (--parallel at a time, one thread each); results do
not depend on it. At the default scale of 50 the whole ranking takes about a
minute on two cores.`,
		Example: `  corridor leverage
  corridor leverage --base history --start 2024-04 --years 3
  corridor leverage --scale 20 --out leverage-fine/   # finer, slower
  corridor leverage --base my-scenario.yaml`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("seed") {
				o.seedFromBase = true
			}
			return executeLeverage(cmd.Context(), o, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.base, "base", "history", "base scenario: a library name or a .yaml/.yml file")
	f.StringVar(&o.start, "start", leverage.DefaultStart.String(), "first month of every lever, YYYY-MM")
	f.IntVar(&o.years, "years", leverage.DefaultYears, "years from --start over which effects are counted (the runs end there)")
	f.Uint64Var(&o.seed, "seed", 1, "random seed shared by every run (default: the base file's seed if it gives one, else 1)")
	f.IntVar(&o.scale, "scale", leverage.DefaultScale, "persons per agent")
	f.IntVar(&o.parallel, "parallel", 0, "runs at a time (0: all cores); never changes results")
	f.StringVar(&o.out, "out", "corridor-leverage", "output folder (replaced if it holds an earlier corridor output)")
	f.BoolVar(&o.quiet, "quiet", false, "no progress bar and no table")
	return cmd
}

func executeLeverage(ctx context.Context, o leverageOptions, stdout, stderr io.Writer) error {
	base, err := scenario.Lookup(o.base)
	if err != nil {
		return usageError{fmt.Errorf("--base: %v", err)}
	}
	if base.Seed != nil && o.seedFromBase {
		o.seed = *base.Seed
	}
	start, err := calendar.Parse(o.start)
	if err != nil {
		return usageError{fmt.Errorf("--start: %v", err)}
	}
	if o.years < 1 || o.years > 30 {
		return usageError{fmt.Errorf("--years must be between 1 and 30 (got %d)", o.years)}
	}
	if until := start + calendar.Month(12*o.years) - 1; start < ModelStart || until > MaxUntil {
		return usageError{fmt.Errorf("--start %v with --years %d runs to %v, outside the model's range %v..%v", start, o.years, until, ModelStart, MaxUntil)}
	}
	if o.scale < 1 {
		return usageError{fmt.Errorf("--scale must be a whole number ≥ 1 (got %d)", o.scale)}
	}
	if o.parallel < 0 {
		return usageError{fmt.Errorf("--parallel must be ≥ 0 (got %d)", o.parallel)}
	}
	if err := results.CheckOutput(o.out); err != nil {
		return usageError{err}
	}
	ctx, stop := interruptible(ctx)
	defer stop()
	// Progress in simulated months, summed over the runs.
	months := int(start + calendar.Month(12*o.years) - ModelStart)
	runs := 1 + len(policy.Levers())
	bar := newProgress(stderr, o.quiet, runs*months)
	began := time.Now()
	rk, err := leverage.Rank(ctx, leverage.Options{
		Base: base, Start: start, Years: o.years, Seed: o.seed, Scale: o.scale, Parallel: o.parallel,
		Progress: func(done, total int) { bar.update(done*months, total*months) },
	})
	if err != nil {
		bar.abort()
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("interrupted; no results written to %s (%w)", o.out, err)
		}
		return err
	}
	bar.finish()
	m := results.NewManifest()
	m.Seed, m.Scale = o.seed, o.scale
	m.Scenario = "leverage: " + base.Name
	m.From, m.Until = rk.Start.String(), rk.Until.String()
	m.Agents = rk.Agents
	m.ColumnsDoc = "docs/scenarios.md"
	m.InputsSHA256 = rk.InputsSHA256
	m.Parameters = manifestParams(&rk.Params)
	if _, err := results.WriteOutput(o.out, m, results.File{Name: "leverage.csv", Write: rk.WriteCSV}); err != nil {
		return err
	}
	if !o.quiet {
		if err := rk.WriteTable(stdout); err != nil {
			return err
		}
		abs, _ := filepath.Abs(o.out)
		fmt.Fprintf(stdout, "\n%d levers ranked in %.1fs; results in %s\n", len(rk.Rows), time.Since(began).Seconds(), abs)
	}
	return nil
}
