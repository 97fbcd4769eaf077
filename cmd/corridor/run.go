package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/data"
	"github.com/corridor-sim/corridor/drivers"
	"github.com/corridor-sim/corridor/params"
	"github.com/corridor-sim/corridor/policy"
	"github.com/corridor-sim/corridor/results"
	"github.com/corridor-sim/corridor/scenario"
	"github.com/corridor-sim/corridor/sim"
)

// The model's time limits. The simulation always starts from the
// calibrated state of January 2005; --from only sets the first month
// written. Drivers are held at their last values after the data end, and
// projections are refused beyond MaxUntil.
var (
	ModelStart   = scenario.ModelStart
	DefaultUntil = scenario.DefaultUntil
	MaxUntil     = scenario.MaxUntil
)

type runOptions struct {
	scenario string
	seed     uint64
	scale    int
	from     string
	until    string
	out      string
	dataDir  string
	workers  int
	quiet    bool
	set      []string
	// changed reports whether a flag was given on the command line (a
	// scenario file's period, seed and scale apply otherwise).
	changed func(name string) bool
	report  bool
}

func newRunCmd(stdout, stderr io.Writer) *cobra.Command {
	o := runOptions{}
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Replay the corridor 2005–2030 and write annual and monthly results",
		Long: `Run simulates the corridor month by month and writes a results folder:

  annual.csv       one row per year (stocks are means of month-end values, flows are sums)
  monthly.csv      one row per month
  annual.parquet   the same tables as Parquet (same columns and order, values
  monthly.parquet  unrounded; pandas.read_parquet, arrow::read_parquet, DuckDB)
  manifest.json    version, git commit, seed, scale, scenario, parameters and input hashes

The folder is written under a temporary name and renamed into place at the end,
so a killed run never leaves half-written results. Columns are documented in
docs/outputs.md.

The simulation always starts from the calibrated state of January 2005; --from
only sets the first month written. After the data end, drivers (exchange rate,
wages, growth) are held at their last values.`,
		Example: `  corridor run                          # full scale, 2005-01..2030-12, into corridor-out/
  corridor run --scale 20 --until 2018-12 --out quick/
  corridor run --seed 7 --from 2013-01 --until 2016-12
  corridor run --scenario pressure-2013 --scale 20   # a shipped scenario
  corridor run --scenario my-scenario.yaml           # your own file ('corridor scenario check' it first)
  corridor run --scale 20 --report                # and corridor-out/report.html`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.changed = cmd.Flags().Changed
			return executeRun(cmd.Context(), o, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.scenario, "scenario", "history", "scenario to run: a library name ('corridor scenario list') or a .yaml/.yml file; its period, seed and scale apply unless the flags are given")
	f.Uint64Var(&o.seed, "seed", 1, "random seed; the same seed gives byte-identical results")
	f.IntVar(&o.scale, "scale", 1, "persons per agent: 1 is full scale (about 10 million agents); 10 or 20 for quick runs")
	f.StringVar(&o.from, "from", ModelStart.String(), "first month written, YYYY-MM (the simulation itself starts in 2005-01)")
	f.StringVar(&o.until, "until", DefaultUntil.String(), "last month simulated, YYYY-MM (at most "+MaxUntil.String()+")")
	f.StringVar(&o.out, "out", "corridor-out", "output folder (replaced if it holds an earlier corridor run)")
	f.StringVar(&o.dataDir, "data", "", "folder with a full set of replacement reference data files, as 'corridor data --export' writes (default: the embedded data)")
	f.IntVar(&o.workers, "workers", 0, "worker goroutines (0: all cores); never changes results")
	f.BoolVar(&o.quiet, "quiet", false, "no progress bar and no summary table")
	f.StringArrayVar(&o.set, "set", nil, "override a parameter, name=value (repeatable; see 'corridor params')")
	f.BoolVar(&o.report, "report", false, "also write report.html into the output folder (see 'corridor report')")
	return cmd
}

// spec is a validated run request.
type spec struct {
	scenario    string
	seed        uint64
	scale       int
	from, until calendar.Month
	ref         *data.Reference
	paths       *drivers.Paths
	timeline    *policy.Timeline
	params      params.Params
}

// prepare validates options and builds the inputs of a run.
func prepare(o runOptions) (*spec, error) {
	sc, err := scenario.Lookup(o.scenario)
	if err != nil {
		return nil, usageError{fmt.Errorf("--scenario: %v", err)}
	}
	given := func(name string) bool { return o.changed != nil && o.changed(name) }
	if sc.Scale != 0 && !given("scale") {
		o.scale = sc.Scale
	}
	if sc.Seed != nil && !given("seed") {
		o.seed = *sc.Seed
	}
	if sc.From != 0 && !given("from") {
		o.from = sc.From.String()
	}
	if sc.Until != 0 && !given("until") {
		o.until = sc.Until.String()
	}
	if o.scale < 1 {
		return nil, usageError{fmt.Errorf("--scale must be a whole number ≥ 1 (got %d)", o.scale)}
	}
	if o.workers < 0 {
		return nil, usageError{fmt.Errorf("--workers must be ≥ 0 (got %d)", o.workers)}
	}
	from, err := calendar.Parse(o.from)
	if err != nil {
		return nil, usageError{fmt.Errorf("--from: %v", err)}
	}
	until, err := calendar.Parse(o.until)
	if err != nil {
		return nil, usageError{fmt.Errorf("--until: %v", err)}
	}
	if from < ModelStart || from > MaxUntil {
		return nil, usageError{fmt.Errorf("--from %v is outside the model's range %v..%v", from, ModelStart, MaxUntil)}
	}
	if until > MaxUntil || until < ModelStart {
		return nil, usageError{fmt.Errorf("--until %v is outside the model's range %v..%v", until, ModelStart, MaxUntil)}
	}
	if until < from {
		return nil, usageError{fmt.Errorf("--until %v is before --from %v", until, from)}
	}
	ref, err := loadReference(o.dataDir)
	if err != nil {
		return nil, err
	}
	// The scenario's parameters first, so that --set overrides them.
	p := params.Defaults()
	for _, name := range slices.Sorted(maps.Keys(sc.Params)) {
		if err := p.Set(name, sc.Params[name]); err != nil {
			return nil, usageError{fmt.Errorf("--scenario %s: %v", sc.Name, err)}
		}
	}
	for _, kv := range o.set {
		name, val, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, usageError{fmt.Errorf("--set %q: want name=value", kv)}
		}
		x, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			return nil, usageError{fmt.Errorf("--set %s: %q is not a number", name, val)}
		}
		if err := p.Set(strings.TrimSpace(name), x); err != nil {
			return nil, usageError{fmt.Errorf("--set: %v", err)}
		}
	}
	sc = sc.Clone()
	sc.Params = nil // already in p
	in, err := sc.Build(scenario.Options{Until: until, Params: &p, Ref: ref})
	if err != nil {
		return nil, err
	}
	if o.out != "-bench-" {
		if err := results.CheckOutput(o.out); err != nil {
			return nil, usageError{err}
		}
	}
	return &spec{scenario: sc.Name, seed: o.seed, scale: o.scale, from: from, until: until, ref: ref, paths: in.Drivers, timeline: in.Timeline, params: in.Params}, nil
}

func loadReference(dir string) (*data.Reference, error) {
	if dir == "" {
		return data.Embedded()
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, usageError{fmt.Errorf("--data: %v", err)}
	}
	if !st.IsDir() {
		return nil, usageError{fmt.Errorf("--data %s is not a folder", dir)}
	}
	return data.LoadDir(dir)
}

func executeRun(ctx context.Context, o runOptions, stdout, stderr io.Writer) error {
	sp, err := prepare(o)
	if err != nil {
		return err
	}
	ctx, stopSignals := interruptible(ctx)
	defer stopSignals()

	span := calendar.Range{From: ModelStart, Until: sp.until}
	bar := newProgress(stderr, o.quiet, span.Len())
	began := time.Now()
	s, err := sim.New(sim.Config{
		Seed: sp.seed, Scale: sp.scale, Span: span, Params: sp.params,
		Drivers: sp.paths, Policy: sp.timeline, Workers: o.workers, Progress: bar.update,
	})
	if err != nil {
		bar.abort()
		return err
	}
	agents := s.Agents()
	recs, err := s.Run(ctx)
	bar.finish()
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("interrupted; no results written to %s (%w)", o.out, err)
	}
	if err != nil {
		return err
	}
	elapsed := time.Since(began)
	recs = recs[sp.from-ModelStart:]

	m := results.NewManifest()
	m.Seed = sp.seed
	m.Scale = sp.scale
	m.Scenario = sp.scenario
	m.From = sp.from.String()
	m.Until = sp.until.String()
	m.Agents = agents
	m.InputsSHA256 = sp.ref.Hash
	m.Parameters = manifestParams(&sp.params)
	if _, err := results.WriteOutput(o.out, m, results.TableFiles(recs)...); err != nil {
		return err
	}
	if !o.quiet {
		printSummary(stdout, recs, sp.ref)
		abs, _ := filepath.Abs(o.out)
		fmt.Fprintf(stdout, "\n%d agents (scale %d), %v..%v simulated in %.1fs; results in %s\n",
			agents, sp.scale, span.From, span.Until, elapsed.Seconds(), abs)
	}
	if o.report {
		return writeReport(o.out, "", "", sp.ref, stdout, o.quiet)
	}
	return nil
}

// manifestParams flattens the parameter list (profiles become name[i]).
func manifestParams(p *params.Params) []results.Parameter {
	var out []results.Parameter
	for _, pr := range p.List() {
		src := pr.Status
		if pr.Source != "" {
			src += ": " + pr.Source
		}
		switch v := pr.Value.(type) {
		case float64:
			out = append(out, results.Parameter{Name: pr.Name, Value: v, Unit: pr.Unit, Source: src})
		case [12]float64:
			for i, x := range v {
				out = append(out, results.Parameter{Name: fmt.Sprintf("%s[%d]", pr.Name, i), Value: x, Unit: pr.Unit, Source: src})
			}
		case [6]float64:
			for i, x := range v {
				out = append(out, results.Parameter{Name: fmt.Sprintf("%s[%d]", pr.Name, i), Value: x, Unit: pr.Unit, Source: src})
			}
		default:
			out = append(out, results.Parameter{Name: pr.Name, Unit: pr.Unit, Source: src + " (value: " + strings.TrimSpace(fmt.Sprint(v)) + ")"})
		}
	}
	return out
}
