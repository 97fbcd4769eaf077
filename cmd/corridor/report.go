package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/corridor-sim/corridor/data"
	"github.com/corridor-sim/corridor/report"
)

type reportOptions struct {
	results string // existing results folder, or "" to run first
	html    string
	png     string
	dataDir string
	// Used only when running first:
	scenario string
	members  int
	seed     uint64
	scale    int
	until    string
	out      string
	workers  int
}

func newReportCmd(stdout, stderr io.Writer) *cobra.Command {
	o := reportOptions{}
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write a self-contained HTML report (and PNG charts) of a run or an ensemble",
		Long: `Report writes report.html: one self-contained page that opens offline (uPlot,
the styles and the data are inlined; nothing is fetched from the network). It shows

  - the simulated annual series against the observed record, 2005–2030:
    remittances in USD and in % of GDP, migrants abroad by destination,
    departures and returns, deportations and re-entry bans, poverty and
    jobless returnees; observed points carry their source, hollow points
    are bounds; for an ensemble, the median with p25–p75 and p05–p95 bands;
    a dashed line where the observed data stop (2018) and the forecast begins
  - the fit table: every observed point beside the simulated value, the
    error and the MAPE of each series
  - the policy timeline of the scenario (every lever change and its source)
  - the run manifest (seed, scale, version, input and file checksums, parameters)

With --results it reads an existing folder written by 'corridor run' or
'corridor ensemble'. Without it, it first runs the scenario into --out (a single
run, or an ensemble when --members is above 1) and reports on that.
--png DIR also writes each chart as DIR/<chart>.png for papers.`,
		Example: `  corridor report --results corridor-out              # → corridor-out/report.html
  corridor report --results corridor-ensemble --png figures/
  corridor report --scale 50 --until 2020-12          # run, then report, into corridor-report/
  corridor report --members 20 --out bands/           # ensemble, then report`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.results != "" {
				for _, name := range runOnlyFlags {
					if cmd.Flags().Changed(name) {
						return usageError{fmt.Errorf("--%s applies only when report runs the scenario itself; it cannot be combined with --results", name)}
					}
				}
			}
			return executeReport(cmd.Context(), o, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.results, "results", "", "results folder of an earlier run or ensemble (default: run first, into --out)")
	f.StringVar(&o.html, "html", "", "where to write the report (default: report.html in the results folder)")
	f.StringVar(&o.png, "png", "", "also write the charts as PNG files into this folder")
	f.StringVar(&o.dataDir, "data", "", "folder with replacement reference data (the run's --data), for the observed series")
	f.StringVar(&o.scenario, "scenario", "history", "when running: the scenario")
	f.IntVar(&o.members, "members", 1, "when running: 1 for a single run, more for an ensemble")
	f.Uint64Var(&o.seed, "seed", 1, "when running: the (base) seed")
	f.IntVar(&o.scale, "scale", 20, "when running: persons per agent")
	f.StringVar(&o.until, "until", DefaultUntil.String(), "when running: last month simulated, YYYY-MM")
	f.StringVar(&o.out, "out", "corridor-report", "when running: output folder")
	f.IntVar(&o.workers, "workers", 0, "when running: worker goroutines (0: all cores); never changes results")
	return cmd
}

// runOnlyFlags are the flags of report that only a run uses.
var runOnlyFlags = []string{"scenario", "members", "seed", "scale", "until", "out", "workers"}

func executeReport(ctx context.Context, o reportOptions, stdout, stderr io.Writer) error {
	if ctx == nil {
		ctx = context.Background()
	}
	dir := o.results
	if dir != "" {
		st, err := os.Stat(dir)
		if err != nil {
			return usageError{fmt.Errorf("--results: %v", err)}
		}
		if !st.IsDir() {
			return usageError{fmt.Errorf("--results %s is not a folder", dir)}
		}
	} else {
		dir = o.out
		var err error
		if o.members > 1 {
			err = executeEnsemble(ctx, ensembleOptions{scenario: o.scenario, members: o.members, seed: o.seed, scale: o.scale,
				until: o.until, out: o.out, dataDir: o.dataDir, workers: o.workers, quiet: true}, stdout, stderr)
		} else if o.members == 1 {
			err = executeRun(ctx, runOptions{scenario: o.scenario, seed: o.seed, scale: o.scale, from: ModelStart.String(),
				until: o.until, out: o.out, dataDir: o.dataDir, workers: o.workers, quiet: true}, stdout, stderr)
		} else {
			err = usageError{fmt.Errorf("--members must be a whole number ≥ 1 (got %d)", o.members)}
		}
		if err != nil {
			return err
		}
	}
	ref, err := loadReference(o.dataDir)
	if err != nil {
		return err
	}
	return writeReport(dir, o.html, o.png, ref, stdout, false)
}

// writeReport writes the report of the results folder dir to html
// (default dir/report.html) and, if png is set, the PNG charts.
func writeReport(dir, html, png string, ref *data.Reference, stdout io.Writer, quiet bool) error {
	src, err := report.Load(dir, ref)
	if err != nil {
		return err
	}
	r, err := report.Build(src)
	if err != nil {
		return err
	}
	if html == "" {
		html = filepath.Join(dir, report.HTMLFile)
	}
	if err := report.WriteHTMLFile(html, r); err != nil {
		return err
	}
	if !quiet {
		abs, _ := filepath.Abs(html)
		fmt.Fprintf(stdout, "report written to %s\n", abs)
	}
	if png != "" {
		paths, err := report.WritePNGs(png, r)
		if err != nil {
			return err
		}
		if !quiet {
			abs, _ := filepath.Abs(png)
			fmt.Fprintf(stdout, "%d PNG charts written to %s\n", len(paths), abs)
		}
	}
	return nil
}
