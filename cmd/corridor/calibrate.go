package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/corridor-sim/corridor/calibration"
)

type calibrateOptions struct {
	targets string
	budget  int
	out     string
	dataDir string
	workers int
	install bool
	quiet   bool
	check   int
	calibration.Settings
}

func newCalibrateCmd(stdout, stderr io.Writer) *cobra.Command {
	o := calibrateOptions{Settings: calibration.DefaultSettings}
	cmd := &cobra.Command{
		Use:   "calibrate",
		Short: "Fit the free parameters to the sourced history up to 2018",
		Long: `Calibrate fits the model's free parameters (docs/calibration.md lists them with
their bounds and why each is free) to the observed record of 2005–2018: remittances
in USD and % of GDP, CBR transfers, the stock in Russia, departures, the ban stock,
deportations, poverty, the share of households with a migrant, the women's share and
the seasonal shares. Years from 2019 on are never fitted: they are the forecast test.

The objective is the weighted sum of squared log errors (bounds count only on the
wrong side) of each target's simulated value averaged over --replicates seeds
(1, 2, ...; the same seeds for every candidate). gonum's CMA-ES searches the
logit-transformed bounds, evaluating each generation's candidates in parallel.

DIR/evaluations.jsonl records every finished evaluation as it finishes. Stop the
run with Ctrl-C and start the same command again: finished evaluations are read
back, not repeated, and the result is the one an uninterrupted run gives. A larger
--budget continues a finished run.

At the end DIR holds:
  calibrated.json  the fitted values, date, data and targets hashes, settings and fit
  sample.csv       plausible parameter sets for ensembles (the best candidates
                   within 25% of the best objective; docs/calibration.md)
--install copies both to params/ (run from the repository root), where they become
the shipped defaults once corridor is rebuilt; 'make calibrate' also refreshes the
tables in the docs. Check the result with 'corridor validate'.`,
		Example: `  corridor calibrate                               # default budget (900 evaluations, scale 50), into calibration-out/
  corridor calibrate --budget 120 --out quick/     # a short search
  corridor calibrate --targets my-targets.csv      # fit other targets (same columns as calibration/targets.csv)
  corridor calibrate --install                     # fit and ship the result as the defaults`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return executeCalibrate(cmd.Context(), o, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.targets, "targets", "", "targets file replacing the shipped calibration/targets.csv (columns: "+strings.Join(calibration.TargetsHeader, ",")+")")
	f.IntVar(&o.budget, "budget", calibration.DefaultBudget, "candidate evaluations (rounded up to whole CMA-ES generations)")
	f.StringVar(&o.out, "out", "calibration-out", "folder for the journal, calibrated.json and sample.csv (an existing journal is resumed)")
	f.StringVar(&o.dataDir, "data", "", "folder with a full set of replacement reference data files, as 'corridor data --export' writes (default: the embedded data)")
	f.IntVar(&o.workers, "workers", 0, "candidates evaluated at once (0: all cores); never changes the result")
	f.BoolVar(&o.install, "install", false, "copy calibrated.json and sample.csv to params/ (run from the repository root)")
	f.BoolVar(&o.quiet, "quiet", false, "no progress bar and no fit table")
	f.IntVar(&o.check, "check-scale", 1, "after the search, re-run the fitted values at this scale with seed 1 to check the fit (1: full scale; 0: no check)")
	f.IntVar(&o.Scale, "scale", o.Scale, "persons per agent during the fit")
	f.IntVar(&o.Replicates, "replicates", o.Replicates, "seeds averaged per candidate (1..N, common to all candidates)")
	f.IntVar(&o.Population, "population", o.Population, "CMA-ES candidates per generation")
	f.Uint64Var(&o.Seed, "seed", o.Seed, "seed of the optimiser's own random draws")
	f.Float64Var(&o.Step, "step", o.Step, "initial CMA-ES step size in the logit-transformed space")
	return cmd
}

func executeCalibrate(ctx context.Context, o calibrateOptions, stdout, stderr io.Writer) error {
	switch {
	case o.budget < 1:
		return usageError{fmt.Errorf("--budget must be ≥ 1 (got %d)", o.budget)}
	case o.Scale < 1:
		return usageError{fmt.Errorf("--scale must be ≥ 1 (got %d)", o.Scale)}
	case o.Replicates < 1:
		return usageError{fmt.Errorf("--replicates must be ≥ 1 (got %d)", o.Replicates)}
	case o.Population < 2:
		return usageError{fmt.Errorf("--population must be ≥ 2 (got %d)", o.Population)}
	case !(o.Step > 0):
		return usageError{fmt.Errorf("--step must be > 0 (got %v)", o.Step)}
	case o.workers < 0:
		return usageError{fmt.Errorf("--workers must be ≥ 0 (got %d)", o.workers)}
	case o.check < 0:
		return usageError{fmt.Errorf("--check-scale must be ≥ 0 (got %d)", o.check)}
	case o.out == "":
		return usageError{errors.New("--out: empty path")}
	}
	src, name := calibration.DefaultTargetsCSV(), "calibration/targets.csv"
	if o.targets != "" {
		b, err := os.ReadFile(o.targets)
		if err != nil {
			return usageError{fmt.Errorf("--targets: %v", err)}
		}
		src, name = b, o.targets
	}
	ts, err := calibration.ParseTargets(name, src)
	if err != nil {
		return usageError{err}
	}
	paramsDir := "params"
	if o.install {
		if _, err := os.Stat(filepath.Join(paramsDir, "calibrated.go")); err != nil {
			return usageError{errors.New("--install: no params/calibrated.go here; run corridor calibrate --install from the repository root")}
		}
	}
	if st, err := os.Stat(o.out); err == nil && !st.IsDir() {
		return usageError{fmt.Errorf("--out %s is not a folder", o.out)}
	}
	ref, err := loadReference(o.dataDir)
	if err != nil {
		return err
	}
	ctx, stopSignals := interruptible(ctx)
	defer stopSignals()

	bar := newCalibrationProgress(stderr, o.quiet)
	began := time.Now()
	res, err := calibration.Run(ctx, calibration.Config{
		Settings: o.Settings, Budget: o.budget, Targets: ts, TargetsCSV: src, Ref: ref,
		Dir: o.out, Workers: o.workers, Progress: bar.update, CheckScale: o.check,
	})
	bar.finish(err == nil)
	if err != nil {
		return err
	}
	command := calibrateCommand(o)
	if err := res.Write(o.out, command, time.Now()); err != nil {
		return err
	}
	if o.install {
		if err := calibration.Install(o.out, paramsDir); err != nil {
			return err
		}
	}
	if !o.quiet {
		doc := res.Document(command, time.Now())
		printCalibration(stdout, &doc)
		abs, _ := filepath.Abs(o.out)
		fmt.Fprintf(stdout, "\n%d evaluations (%d read back from the journal), %d generations, %.0fs; results in %s\n",
			doc.Evaluations, res.Replayed, res.Generations, time.Since(began).Seconds(), abs)
		if o.install {
			fmt.Fprintln(stdout, "installed into params/; rebuild corridor, then refresh the docs tables: make calibrate-docs")
		}
	}
	return nil
}

// calibrateCommand is the command line recorded in calibrated.json.
func calibrateCommand(o calibrateOptions) string {
	parts := []string{"corridor calibrate"}
	d := calibration.DefaultSettings
	if o.targets != "" {
		parts = append(parts, "--targets "+o.targets)
	}
	if o.budget != calibration.DefaultBudget {
		parts = append(parts, fmt.Sprintf("--budget %d", o.budget))
	}
	if o.Scale != d.Scale {
		parts = append(parts, fmt.Sprintf("--scale %d", o.Scale))
	}
	if o.Replicates != d.Replicates {
		parts = append(parts, fmt.Sprintf("--replicates %d", o.Replicates))
	}
	if o.Population != d.Population {
		parts = append(parts, fmt.Sprintf("--population %d", o.Population))
	}
	if o.Seed != d.Seed {
		parts = append(parts, fmt.Sprintf("--seed %d", o.Seed))
	}
	if o.Step != d.Step {
		parts = append(parts, fmt.Sprintf("--step %v", o.Step))
	}
	if o.check != 1 {
		parts = append(parts, fmt.Sprintf("--check-scale %d", o.check))
	}
	if o.install {
		parts = append(parts, "--install")
	}
	return strings.Join(parts, " ")
}

func printCalibration(w io.Writer, doc *calibration.Calibrated) {
	fmt.Fprintf(w, "objective %.4f (reference values: %.4f); remittances (USD) training MAPE %.1f%%\n\n",
		doc.Objective, doc.StartObjective, doc.RemittanceMAPE)
	tw := tabwriter.NewWriter(w, 2, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "series\tpoints\tbounds\tMAPE %\tloss\tbounds violated")
	for _, s := range doc.Fit.Series {
		mape := "–"
		if s.Points > 0 {
			mape = fmt.Sprintf("%.1f", s.MAPE)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%.4f\t%d\n", s.Series, s.Points, s.Bounds, mape, s.Loss, s.Violated)
	}
	tw.Flush()
	if c := doc.ScaleCheck; c != nil {
		fmt.Fprintf(w, "check at scale %d (seed 1): objective %.4f, remittances (USD) MAPE %.1f%%\n", c.Scale, c.Objective, c.RemittanceMAPE)
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 2, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "parameter\tlower\tstart\tfitted\tupper")
	for _, f := range doc.Free {
		fmt.Fprintf(tw, "%s\t%.4g\t%.4g\t%.4g\t%.4g\n", f.Name, f.Lower, f.Start, f.Value, f.Upper)
	}
	tw.Flush()
}

// calibrationProgress shows finished evaluations: an mpb bar with the best
// objective on a terminal, a line per 10% otherwise, nothing with --quiet.
type calibrationProgress struct {
	w     io.Writer
	quiet bool
	p     *mpb.Progress
	bar   *mpb.Bar
	mu    sync.Mutex
	best  atomic.Uint64 // float64 bits, read by the bar's decorator
	last  int
}

func newCalibrationProgress(w io.Writer, quiet bool) *calibrationProgress {
	cp := &calibrationProgress{w: w, quiet: quiet}
	if quiet || !isTerminal(w) {
		return cp
	}
	cp.p = mpb.New(mpb.WithOutput(w), mpb.WithWidth(40))
	return cp
}

func (cp *calibrationProgress) update(done, total int, best float64) {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	cp.best.Store(math.Float64bits(best))
	switch {
	case cp.quiet:
	case cp.p != nil:
		if cp.bar == nil {
			cp.bar = cp.p.AddBar(int64(total),
				mpb.PrependDecorators(decor.Name("calibrating "), decor.CountersNoUnit("%d/%d evaluations")),
				mpb.AppendDecorators(decor.Any(func(decor.Statistics) string {
					return fmt.Sprintf("best %.4f ", math.Float64frombits(cp.best.Load()))
				}), decor.EwmaETA(decor.ET_STYLE_GO, 30)),
			)
		}
		cp.bar.EwmaSetCurrent(int64(done), time.Second)
	case done == total || done*10/total > cp.last*10/total:
		fmt.Fprintf(cp.w, "calibrated %d/%d evaluations, best objective %.4f\n", done, total, best)
		cp.last = done
	}
}

func (cp *calibrationProgress) finish(ok bool) {
	if cp.p == nil || cp.bar == nil {
		return
	}
	if ok {
		cp.bar.SetTotal(-1, true)
	} else {
		cp.bar.Abort(false)
	}
	cp.p.Wait()
}
