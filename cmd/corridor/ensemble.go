package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/ensemble"
	"github.com/corridor-sim/corridor/params"
	"github.com/corridor-sim/corridor/results"
	"github.com/corridor-sim/corridor/scenario"
)

type ensembleOptions struct {
	scenario string
	members  int
	seed     uint64
	scale    int
	until    string
	out      string
	dataDir  string
	workers  int
	quiet    bool
	report   bool
}

func newEnsembleCmd(stdout, stderr io.Writer) *cobra.Command {
	o := ensembleOptions{}
	cmd := &cobra.Command{
		Use:   "ensemble",
		Short: "Run many members (seeds × parameter sets) and write quantile bands",
		Long: `Ensemble runs a scenario N times and summarises the spread of every annual
output. Member i is fixed by its index alone: it runs with seed --seed + i and
parameter set i mod K (of the K plausible parameter sets), so the results do not
depend on --workers, an ensemble of N members is the first N members of a larger
one, and two scenarios run with the same --seed and --members share their
members' random numbers (see docs/report.md).

The output folder holds:

  annual_quantiles.csv  one row per year: year, months, members, then for every
                        annual column c of annual.csv the columns c_p05, c_p25,
                        c_p50, c_p75, c_p95 (quantiles across members)
  members.parquet       every member's annual table in long form: member, seed,
                        param_set, year, months and every annual column
  ensemble.json         the member keys (index, seed, parameter set) and the rules
  manifest.json         version, seed, scale, scenario, parameters, checksums

Members run concurrently, each on one core, at a coarse --scale (default 20):
20 members 2005–2030 take about a minute on two cores. Add --report to write
report.html into the folder.`,
		Example: `  corridor ensemble                                  # 20 members, scale 20, into corridor-ensemble/
  corridor ensemble --members 50 --seed 7 --out bands/
  corridor ensemble --members 8 --scale 50 --until 2018-12 --report
  python -c "import pandas as pd; print(pd.read_parquet('corridor-ensemble/members.parquet').head())"`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return executeEnsemble(cmd.Context(), o, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.scenario, "scenario", "history", "scenario to run: a name from the scenario library or a scenario file (.yaml)")
	f.IntVar(&o.members, "members", 20, "number of members")
	f.Uint64Var(&o.seed, "seed", 1, "base seed: member i runs with seed + i")
	f.IntVar(&o.scale, "scale", 20, "persons per agent in every member (coarse by default; 1 is full scale)")
	f.StringVar(&o.until, "until", DefaultUntil.String(), "last month simulated, YYYY-MM (at most "+MaxUntil.String()+")")
	f.StringVar(&o.out, "out", "corridor-ensemble", "output folder (replaced if it holds an earlier corridor output)")
	f.StringVar(&o.dataDir, "data", "", "folder with a full set of replacement reference data files, as 'corridor data --export' writes (default: the embedded data)")
	f.IntVar(&o.workers, "workers", 0, "members simulated at once (0: all cores); never changes results")
	f.BoolVar(&o.quiet, "quiet", false, "no progress bar and no summary table")
	f.BoolVar(&o.report, "report", false, "also write report.html into the output folder (see 'corridor report')")
	return cmd
}

// lookupScenario resolves --scenario with scenario.Lookup.
func lookupScenario(name string) (*scenario.Scenario, error) {
	sc, err := scenario.Lookup(name)
	if err != nil {
		var names []string
		for _, s := range scenario.Library() {
			names = append(names, s.Name)
		}
		return nil, usageError{fmt.Errorf("--scenario: %v (available: %s)", err, strings.Join(names, ", "))}
	}
	return sc, nil
}

func executeEnsemble(ctx context.Context, o ensembleOptions, stdout, stderr io.Writer) error {
	switch {
	case o.members < 1:
		return usageError{fmt.Errorf("--members must be a whole number ≥ 1 (got %d)", o.members)}
	case o.scale < 1:
		return usageError{fmt.Errorf("--scale must be a whole number ≥ 1 (got %d)", o.scale)}
	case o.workers < 0:
		return usageError{fmt.Errorf("--workers must be ≥ 0 (got %d)", o.workers)}
	}
	until, err := calendar.Parse(o.until)
	if err != nil {
		return usageError{fmt.Errorf("--until: %v", err)}
	}
	if until < ModelStart || until > MaxUntil {
		return usageError{fmt.Errorf("--until %v is outside the model's range %v..%v", until, ModelStart, MaxUntil)}
	}
	sc, err := lookupScenario(o.scenario)
	if err != nil {
		return err
	}
	ref, err := loadReference(o.dataDir)
	if err != nil {
		return err
	}
	if err := results.CheckOutput(o.out); err != nil {
		return usageError{err}
	}
	ctx, stopSignals := interruptible(ctx)
	defer stopSignals()

	// The plausible parameter sets: the shipped calibration's sample
	// (params/sample.csv, written by 'corridor calibrate --install'); the
	// shipped point estimate alone when no sample is shipped.
	sets, err := params.ShippedSample()
	if err != nil {
		return err
	}
	if len(sets) == 0 {
		sets = []params.Params{params.Defaults()}
	}
	bar := newMemberProgress(stderr, o.quiet, o.members)
	began := time.Now()
	e, err := ensemble.Run(ctx, sc, ensemble.Options{
		Members: o.members, Seed: o.seed, Scale: o.scale, Until: until, Workers: o.workers,
		ParamSets: sets, Ref: ref, Progress: bar.update,
	})
	bar.finish(err == nil)
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("interrupted; no results written to %s (%w)", o.out, err)
	}
	if err != nil {
		return err
	}
	elapsed := time.Since(began)
	files, err := e.Files()
	if err != nil {
		return err
	}
	m := results.NewManifest()
	m.Seed = o.seed
	m.Scale = o.scale
	m.Scenario = sc.Name
	m.From = ModelStart.String()
	m.Until = until.String()
	m.Agents = e.Members[0].Agents
	m.InputsSHA256 = ref.Hash
	m.Parameters = manifestParams(&e.Inputs.Params)
	if _, err := results.WriteOutput(o.out, m, files...); err != nil {
		return err
	}
	if !o.quiet {
		q, _ := e.Quantiles()
		printBands(stdout, q)
		abs, _ := filepath.Abs(o.out)
		used := min(o.members, len(sets)) // member i uses set i mod len(sets)
		fmt.Fprintf(stdout, "\n%d members (seeds %d..%d, %d of the %d calibrated parameter sets), scale %d, %v..%v simulated in %.1fs; results in %s\n",
			o.members, o.seed, o.seed+uint64(o.members-1), used, len(sets), o.scale, ModelStart, until, elapsed.Seconds(), abs)
	}
	if o.report {
		return writeReport(o.out, "", "", ref, stdout, o.quiet)
	}
	return nil
}

// printBands prints the median and the p05–p95 band of a few outputs.
func printBands(w io.Writer, q *results.Table) {
	if q == nil {
		return
	}
	cols := []struct {
		name, label string
		div         float64
		format      string
	}{
		{"remittances_usd", "remit $bn", 1e9, "%.2f"},
		{"migrants_in_russia", "in RU (k)", 1e3, "%.0f"},
		{"departures", "depart (k)", 1e3, "%.0f"},
		{"poverty_rate", "poor %", 0.01, "%.1f"},
	}
	tw := tabwriter.NewWriter(w, 2, 0, 2, ' ', tabwriter.AlignRight)
	head := "year\t"
	for _, c := range cols {
		head += c.label + " p50 [p05–p95]\t"
	}
	fmt.Fprintln(tw, head)
	yc := q.Index("year")
	for _, row := range q.Rows {
		line := fmt.Sprintf("%.0f\t", row[yc])
		for _, c := range cols {
			lo, mid, hi := q.Index(c.name+"_p05"), q.Index(c.name+"_p50"), q.Index(c.name+"_p95")
			if lo < 0 || mid < 0 || hi < 0 {
				line += "–\t"
				continue
			}
			f := c.format
			line += fmt.Sprintf(f+" ["+f+"–"+f+"]\t", row[mid]/c.div, row[lo]/c.div, row[hi]/c.div)
		}
		fmt.Fprintln(tw, line)
	}
	tw.Flush()
	fmt.Fprintln(w, "(median and 5–95% range across members; observed values: corridor report)")
}

// memberProgress counts completed members: an mpb bar on a terminal, one
// line per member otherwise, nothing with --quiet.
type memberProgress struct {
	w     io.Writer
	p     *mpb.Progress
	bar   *mpb.Bar
	quiet bool
}

func newMemberProgress(w io.Writer, quiet bool, total int) *memberProgress {
	pr := &memberProgress{w: w, quiet: quiet}
	if quiet || !isTerminal(w) {
		return pr
	}
	pr.p = mpb.New(mpb.WithOutput(w), mpb.WithWidth(48))
	pr.bar = pr.p.AddBar(int64(total),
		mpb.PrependDecorators(decor.Name("ensemble "), decor.CountersNoUnit("%d/%d members")),
		mpb.AppendDecorators(decor.Percentage(), decor.Name(" "), decor.AverageETA(decor.ET_STYLE_GO)),
	)
	return pr
}

func (pr *memberProgress) update(done, total int) {
	switch {
	case pr.quiet:
	case pr.bar != nil:
		pr.bar.SetCurrent(int64(done))
	default:
		fmt.Fprintf(pr.w, "member %d/%d done\n", done, total)
	}
}

func (pr *memberProgress) finish(ok bool) {
	if pr.p == nil {
		return
	}
	if !ok {
		pr.bar.Abort(true)
	}
	pr.p.Wait()
}
