package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/calibration"
	"github.com/corridor-sim/corridor/results"
	"github.com/corridor-sim/corridor/validation"
)

type validateOptions struct {
	scale   int
	members int
	seeds   int
	out     string
	workers int
	quiet   bool
	noGuard bool
}

func newValidateCmd(stdout, stderr io.Writer) *cobra.Command {
	o := validateOptions{}
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Compare the shipped calibration with the record, two naive baselines and the forecast years",
		Long: `Validate runs the shipped calibration as an ensemble (each parameter set of the
shipped sample, params/sample.csv, with each of --seeds seeds) from 2005 to 2024 and prints:

  - per target (calibration/targets.csv, years up to 2018): the observed value and its
    source, the ensemble median and 90% band (5th–95th percentile), and the error
    (for a bound, the error on the wrong side only);
  - per series: the training MAPE of the model and of two naive baselines on the same
    targets: persistence (each year's value is the last observed one) and, for the
    remittance series, remittances proportional to the Russian wage in USD (the factor
    fitted to the same years); and whether each turning point (the change in 2009,
    2014, 2015, 2016 and 2017) has the observed sign;
  - the forecast for 2019–2024, without comparison: those outcomes are not in the data.

It writes DIR/validation.csv (targets and forecast), DIR/errors.csv (errors per
series) and DIR/manifest.json.

Last, the regression guard re-runs the shipped calibration at its recorded scale and
seeds and compares the fit with the one recorded in params/calibrated.json
(objective within 2%, remittance MAPE within 0.5 percentage points). If the model, the
data or the targets have changed since the calibration, validate says so and exits
with status 2: re-run 'make calibrate'.`,
		Example: `  corridor validate                          # 10 sample sets × 2 seeds at scale 50, into validation-out/
  corridor validate --scale 20 --seeds 3     # finer, slower
  corridor validate --no-guard --out v/      # the tables only`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return executeValidate(cmd.Context(), o, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.scale, "scale", 50, "persons per agent in the ensemble runs")
	f.IntVar(&o.members, "members", 10, "parameter sets taken from the shipped sample (best first)")
	f.IntVar(&o.seeds, "seeds", 2, "seeds per parameter set (1..N)")
	f.StringVar(&o.out, "out", "validation-out", "output folder (replaced if it holds an earlier corridor output)")
	f.IntVar(&o.workers, "workers", 0, "runs at once (0: all cores); never changes results")
	f.BoolVar(&o.quiet, "quiet", false, "no progress bar and no tables (the guard still runs)")
	f.BoolVar(&o.noGuard, "no-guard", false, "skip the regression guard")
	return cmd
}

func executeValidate(ctx context.Context, o validateOptions, stdout, stderr io.Writer) error {
	switch {
	case o.scale < 1:
		return usageError{fmt.Errorf("--scale must be ≥ 1 (got %d)", o.scale)}
	case o.members < 1:
		return usageError{fmt.Errorf("--members must be ≥ 1 (got %d)", o.members)}
	case o.seeds < 1:
		return usageError{fmt.Errorf("--seeds must be ≥ 1 (got %d)", o.seeds)}
	case o.workers < 0:
		return usageError{fmt.Errorf("--workers must be ≥ 0 (got %d)", o.workers)}
	}
	if err := results.CheckOutput(o.out); err != nil {
		return usageError{err}
	}
	doc, err := calibration.Shipped()
	if err != nil {
		return err
	}
	members, err := calibration.Sample()
	if err != nil {
		return err
	}
	members = members[:min(o.members, len(members))]
	ts, err := calibration.DefaultTargets()
	if err != nil {
		return err
	}
	ref, err := loadReference("")
	if err != nil {
		return err
	}
	ctx, stop := interruptible(ctx)
	defer stop()

	began := time.Now()
	bar := newCountProgress(stderr, o.quiet, "validating ", "runs")
	rep, err := validation.Ensemble(ctx, validation.Options{
		Members: members, Seeds: calibration.Seeds(o.seeds), Scale: o.scale, Workers: o.workers,
		Ref: ref, Targets: ts, Progress: bar.update,
	})
	bar.finish(err == nil)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("interrupted; nothing written to %s", o.out)
		}
		return err
	}
	m := results.NewManifest()
	m.Seed = 1
	m.Scale = o.scale
	m.Scenario = "history"
	m.From = calendar.Of(calibration.FirstTargetYear, 1).String()
	m.Until = calendar.Of(validation.ForecastUntil, 12).String()
	m.InputsSHA256 = ref.Hash
	p := members[0]
	m.Parameters = manifestParams(&p)
	if _, err := results.WriteOutput(o.out, m,
		results.File{Name: "validation.csv", Write: func(w io.Writer) error { return writeValidationCSV(w, rep) }},
		results.File{Name: "errors.csv", Write: func(w io.Writer) error { return writeErrorsCSV(w, rep) }},
	); err != nil {
		return err
	}
	if !o.quiet {
		fmt.Fprintf(stdout, "shipped calibration of %s (%s), objective %.4f\n", doc.Date, doc.Command, doc.Objective)
		fmt.Fprintf(stdout, "ensemble: %d parameter sets × %d seeds = %d runs at scale %d, 2005–%d, %.0fs\n\n",
			len(members), o.seeds, rep.Runs, o.scale, validation.ForecastUntil, time.Since(began).Seconds())
		printValidation(stdout, rep)
		abs, _ := filepath.Abs(o.out)
		fmt.Fprintf(stdout, "\ntables in %s\n", abs)
	}
	if o.noGuard {
		return nil
	}
	g, err := validation.Guard(ctx, ref, doc, ts, calibration.DefaultTargetsCSV())
	if err != nil {
		return err
	}
	if !g.OK {
		return fmt.Errorf("regression guard: %s", g.Reason)
	}
	if !o.quiet {
		fmt.Fprintf(stdout, "regression guard: ok (objective %.4f, recorded %.4f; remittance MAPE %.2f%%, recorded %.2f%%; scale %d, seeds %v)\n",
			g.Objective, g.Recorded, g.MAPE, g.RecordedMAPE, doc.Settings.Scale, doc.Settings.Seeds)
	}
	return nil
}

// unitOf returns the unit of a statistic.
func unitOf(series string) string {
	for _, s := range calibration.Statistics() {
		if s.Name == series {
			return s.Unit
		}
	}
	return ""
}

// human formats a value of a statistic for the terminal.
func human(series string, v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	switch unitOf(series) {
	case "USD":
		return fmt.Sprintf("%.2f bn", v/1e9)
	case "persons":
		if v < 1e5 {
			return fmt.Sprintf("%.1fk", v/1e3)
		}
		return fmt.Sprintf("%.0fk", v/1e3)
	case "share":
		return fmt.Sprintf("%.1f%%", 100*v)
	case "% of GDP":
		return fmt.Sprintf("%.1f%%", v)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

var kindMark = map[string]string{calibration.Exact: "", calibration.Lower: "≥ ", calibration.Upper: "≤ "}

func pct(x float64) string {
	if math.IsNaN(x) {
		return "–"
	}
	return fmt.Sprintf("%.1f", x)
}

func printValidation(w io.Writer, rep *validation.Report) {
	tw := tabwriter.NewWriter(w, 2, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "series\tyear\tobserved\tsim median\tsim 5–95%\terror\tsource")
	for _, r := range rep.Targets {
		src := r.Source
		if i := strings.IndexByte(src, ' '); i > 0 {
			src = src[:i]
		}
		fmt.Fprintf(tw, "%s\t%d\t%s%s\t%s\t%s – %s\t%+.0f%%\t%s\n", r.Series, r.Year, kindMark[r.Kind], human(r.Series, r.Value),
			human(r.Series, r.Sim.Median), human(r.Series, r.Sim.P05), human(r.Series, r.Sim.P95), 100*r.Error, src)
	}
	tw.Flush()
	fmt.Fprintln(w, "(≥ and ≤ mark bounds; a bound's error counts only on the wrong side; sources: calibration/targets.csv)")

	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 2, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "series\tpoints\tMAPE model %\tpersistence % (n; model on same)\twage baseline %\tturning points right: model / wage / persistence\tbounds held")
	for _, s := range rep.Series {
		turn := "–"
		if s.Turning > 0 {
			wage := "–"
			if !math.IsNaN(s.WageMAPE) {
				wage = strconv.Itoa(s.WageRight)
			}
			turn = fmt.Sprintf("%d / %s / 0 of %d", s.ModelRight, wage, s.Turning)
		}
		persist := "–"
		if s.PersistencePoints > 0 {
			persist = fmt.Sprintf("%s (%d; %s)", pct(s.PersistenceMAPE), s.PersistencePoints, pct(s.ModelMAPEOnPersistence))
		}
		bounds := "–"
		if s.BoundsHeld+s.BoundsViolated > 0 {
			bounds = fmt.Sprintf("%d of %d", s.BoundsHeld, s.BoundsHeld+s.BoundsViolated)
		}
		model := "–"
		if s.Points > 0 {
			model = pct(s.ModelMAPE)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\n", s.Series, s.Points, model, persist, pct(s.WageMAPE), turn, bounds)
	}
	tw.Flush()
	fmt.Fprintln(w, "(persistence predicts no change, so it never gets a turning point's sign)")
	for _, s := range rep.Series {
		if s.Series == "remittances_usd" {
			verdict := "reached"
			if !(s.ModelMAPE <= 10 && s.ModelMAPEOnPersistence < s.PersistenceMAPE && s.ModelMAPE < s.WageMAPE) {
				verdict = "NOT reached"
			}
			fmt.Fprintf(w, "goal (remittances USD, training MAPE ≤ 10%% and better than both baselines): %s — model %.1f%%, persistence %.1f%%, wage baseline %.1f%%\n",
				verdict, s.ModelMAPE, s.PersistenceMAPE, s.WageMAPE)
		}
	}

	fmt.Fprintln(w)
	fmt.Fprintf(w, "forecast %d–%d (ensemble median [5%%–95%%]; the observed values are not in the data)\n", validation.ForecastFrom, validation.ForecastUntil)
	tw = tabwriter.NewWriter(w, 2, 0, 2, ' ', 0)
	head := []string{"series"}
	for y := validation.ForecastFrom; y <= validation.ForecastUntil; y++ {
		head = append(head, strconv.Itoa(y))
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, s := range validation.ForecastSeries {
		cells := []string{s}
		for _, f := range rep.Forecast {
			if f.Series == s {
				cells = append(cells, fmt.Sprintf("%s [%s–%s]", human(s, f.Sim.Median), human(s, f.Sim.P05), human(s, f.Sim.P95)))
			}
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	tw.Flush()
}

func num(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', 10, 64)
}

func writeValidationCSV(w io.Writer, rep *validation.Report) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"section", "series", "year", "kind", "observed", "source", "sim_median", "sim_p05", "sim_p95", "error"})
	for _, r := range rep.Targets {
		cw.Write([]string{"training", r.Series, strconv.Itoa(r.Year), r.Kind, num(r.Value), r.Source,
			num(r.Sim.Median), num(r.Sim.P05), num(r.Sim.P95), num(r.Error)})
	}
	for _, f := range rep.Forecast {
		cw.Write([]string{"forecast", f.Series, strconv.Itoa(f.Year), "", "", "", num(f.Sim.Median), num(f.Sim.P05), num(f.Sim.P95), ""})
	}
	cw.Flush()
	return cw.Error()
}

func writeErrorsCSV(w io.Writer, rep *validation.Report) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"series", "points", "model_mape_pct", "persistence_points", "persistence_mape_pct", "model_mape_on_persistence_points_pct",
		"wage_points", "wage_mape_pct", "turning_points", "model_turning_right", "wage_turning_right", "persistence_turning_right", "bounds_held", "bounds_violated"})
	for _, s := range rep.Series {
		cw.Write([]string{s.Series, strconv.Itoa(s.Points), num(s.ModelMAPE), strconv.Itoa(s.PersistencePoints), num(s.PersistenceMAPE),
			num(s.ModelMAPEOnPersistence), strconv.Itoa(s.WagePoints), num(s.WageMAPE), strconv.Itoa(s.Turning), strconv.Itoa(s.ModelRight),
			strconv.Itoa(s.WageRight), "0", strconv.Itoa(s.BoundsHeld), strconv.Itoa(s.BoundsViolated)})
	}
	cw.Flush()
	return cw.Error()
}

// countProgress is a bar counting finished items on a terminal; a line at
// the end otherwise; nothing with --quiet.
type countProgress struct {
	w           io.Writer
	quiet       bool
	label, unit string
	p           *mpb.Progress
	bar         *mpb.Bar
	mu          sync.Mutex
}

func newCountProgress(w io.Writer, quiet bool, label, unit string) *countProgress {
	cp := &countProgress{w: w, quiet: quiet, label: label, unit: unit}
	if !quiet && isTerminal(w) {
		cp.p = mpb.New(mpb.WithOutput(w), mpb.WithWidth(40))
	}
	return cp
}

func (cp *countProgress) update(done, total int) {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	switch {
	case cp.quiet:
	case cp.p != nil:
		if cp.bar == nil {
			cp.bar = cp.p.AddBar(int64(total),
				mpb.PrependDecorators(decor.Name(cp.label), decor.CountersNoUnit("%d/%d "+cp.unit)),
				mpb.AppendDecorators(decor.Percentage(), decor.Name(" "), decor.EwmaETA(decor.ET_STYLE_GO, 30)))
		}
		cp.bar.EwmaSetCurrent(int64(done), time.Second)
	case done == total:
		fmt.Fprintf(cp.w, "%s%d/%d %s\n", cp.label, done, total, cp.unit)
	}
}

func (cp *countProgress) finish(ok bool) {
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
