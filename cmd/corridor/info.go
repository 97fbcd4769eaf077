package main

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/data"
	"github.com/corridor-sim/corridor/params"
	"github.com/corridor-sim/corridor/results"
	"github.com/corridor-sim/corridor/sim"
)

func newDataCmd(stdout io.Writer) *cobra.Command {
	var dataDir, exportDir string
	cmd := &cobra.Command{
		Use:   "data",
		Short: "List the embedded reference data series with their sources, or export them to edit",
		Long: `Data lists every series in the reference data embedded in the binary (copied
from the project's sourced data files, with their provenance columns): the
file, the series, the years covered, the number of rows, the unit and the
sources. Outcome series stop at 2018 on purpose: later years are the
out-of-sample test and are never used for calibration.

With --export DIR it writes the embedded data files into DIR instead (the
folder is created; existing data files are never overwritten). Edit them, for
example to add a newer exchange-rate series, and pass the folder back with
'corridor run --data DIR': the run checks every file (errors name the file,
line and column) and records the files' hash in its manifest.`,
		Example: `  corridor data                          # the series and their sources
  corridor data --export mydata/         # the files, to edit
  corridor run --data mydata/ --scale 20 # a run on the edited files
  corridor data --data mydata/           # check an edited folder without running`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("export") {
				if dataDir != "" {
					return usageError{fmt.Errorf("--export writes the embedded data; it does not take --data")}
				}
				if exportDir == "" {
					return usageError{fmt.Errorf("--export needs a folder")}
				}
				paths, err := data.Export(exportDir)
				if err != nil {
					return usageError{fmt.Errorf("--export: %v", err)}
				}
				ref, err := data.Embedded()
				if err != nil {
					return err
				}
				fmt.Fprintf(stdout, "wrote %d data files to %s (inputs sha256 %s)\n", len(paths), exportDir, ref.Hash)
				fmt.Fprintf(stdout, "edit them, then: corridor run --data %s\n", exportDir)
				return nil
			}
			ref, err := loadReference(dataDir)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(stdout, 2, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "FILE\tSERIES\tCOUNTRY\tYEARS\tROWS\tUNIT\tSOURCES")
			for _, s := range ref.Catalog() {
				years := fmt.Sprintf("%d–%d", s.FirstYear, s.LastYear)
				if s.FirstYear == s.LastYear {
					years = fmt.Sprint(s.FirstYear)
				}
				sources := strings.Join(s.Sources, " ; ")
				if s.Assumption {
					sources = "ASSUMPTION (UNSOURCED.csv)"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", s.File, s.Series, s.Country, years, s.Rows,
					strings.Join(s.Units, "; "), shorten(sources, 90))
			}
			tw.Flush()
			fmt.Fprintf(stdout, "\ninputs sha256 %s\n", ref.Hash)
			return nil
		},
	}
	cmd.Flags().StringVar(&dataDir, "data", "", "folder with replacement reference data files (default: the embedded data)")
	cmd.Flags().StringVar(&exportDir, "export", "", "write the embedded data files into this folder, to edit and pass back with --data")
	return cmd
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func newParamsCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "params",
		Short: "List the model's parameters with value, unit, status and source",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			p := params.Defaults()
			tw := tabwriter.NewWriter(stdout, 2, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tVALUE\tUNIT\tSTATUS\tSOURCE")
			for _, pr := range p.List() {
				fmt.Fprintf(tw, "%s\t%v\t%s\t%s\t%s\n", pr.Name, formatValue(pr.Value), pr.Unit, pr.Status, shorten(pr.Source, 100))
			}
			return tw.Flush()
		},
	}
}

func formatValue(v any) string {
	switch x := v.(type) {
	case float64:
		return fmt.Sprintf("%.4g", x)
	case [12]float64:
		return fmtSlice(x[:])
	case [6]float64:
		return fmtSlice(x[:])
	}
	return fmt.Sprint(v)
}

func fmtSlice(x []float64) string {
	parts := make([]string, len(x))
	for i, v := range x {
		parts[i] = fmt.Sprintf("%.3g", v)
	}
	return strings.Join(parts, " ")
}

func newVersionCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version and build commit",
		Args:  noArgs,
		Run: func(cmd *cobra.Command, args []string) {
			fmt.Fprintf(stdout, "corridor %s (commit %s, %s)\n", results.Version, results.BuildCommit(), runtime.Version())
		},
	}
}

func newBenchCmd(stdout, stderr io.Writer) *cobra.Command {
	var scale, months, warmup, workers int
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure the speed and memory of the monthly step",
		Long: `Bench builds the population of January 2005 at the given scale, runs
--warmup months untimed (by default a year, which includes one yearly
update), then times the monthly step for --months months and prints
person-months per second, the milliseconds per month and where they go
(the parallel pass over the persons, the yearly update, the month's
tables, the serial remainder), the CPU time per month of all threads
together, bytes of state per person and the peak resident memory of the
process.

Person-months count every person slot the step visits: the living, and those
who died since the last yearly update. A later start (--warmup 240 times
2025–2026) measures a larger, older population with more households that
grew by births and splits. Figures depend on the machine and on its load;
the README lists the figures measured on the project's reference machine
(2 cores) with the commands that produced them.`,
		Example: `  corridor bench                       # full scale, 2006–2007
  corridor bench --warmup 240          # full scale, 2025–2026 (about 10 million persons)
  corridor bench --scale 20 --months 60
  corridor bench --workers 1           # one core: compare with the default to see the parallel speed-up`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if scale < 1 || months < 1 {
				return usageError{fmt.Errorf("--scale and --months must be ≥ 1")}
			}
			span := calendar.Range{From: ModelStart, Until: DefaultUntil}
			if warmup < 0 || warmup >= span.Len() {
				return usageError{fmt.Errorf("--warmup must be between 0 and %d months (the default span is %v)", span.Len()-1, span)}
			}
			o := runOptions{scenario: "history", scale: scale, from: ModelStart.String(), until: DefaultUntil.String(), seed: 1, workers: workers, out: "-bench-"}
			sp, err := prepare(o)
			if err != nil {
				return err
			}
			t0 := time.Now()
			s, err := sim.New(sim.Config{Seed: 1, Scale: scale, Span: calendar.Range{From: ModelStart, Until: sp.until},
				Params: sp.params, Drivers: sp.paths, Policy: sp.timeline, Workers: workers})
			if err != nil {
				return err
			}
			defer s.Close()
			setup := time.Since(t0)
			for i := 0; i < warmup; i++ { // untimed months (a year includes one yearly update)
				if _, err := s.Step(); err != nil {
					return err
				}
			}
			avail := (calendar.Range{From: ModelStart, Until: sp.until}).Len() - warmup
			months = min(months, avail)
			var pm float64
			before := s.Timings()
			cpu0 := cpuTime(rusage())
			t1 := time.Now()
			for i := 0; i < months; i++ {
				pm += float64(s.Agents())
				if _, err := s.Step(); err != nil {
					return err
				}
			}
			el := time.Since(t1)
			ru := rusage()
			cpu := cpuTime(ru) - cpu0
			fmt.Fprintf(stdout, "agents              %d (scale %d)\n", s.Agents(), scale)
			fmt.Fprintf(stdout, "workers             %d (GOMAXPROCS %d)\n", max(workers, 0), runtime.GOMAXPROCS(0))
			fmt.Fprintf(stdout, "population setup    %.2f s\n", setup.Seconds())
			first := ModelStart + calendar.Month(warmup)
			fmt.Fprintf(stdout, "months timed        %d (%v..%v, after %d untimed)\n", months, first, first+calendar.Month(months-1), warmup)
			fmt.Fprintf(stdout, "person-months/s     %.0f\n", pm/el.Seconds())
			fmt.Fprintf(stdout, "ms per month        %.1f\n", el.Seconds()*1000/float64(months))
			after := s.Timings()
			per := func(a, b time.Duration) float64 { return (b - a).Seconds() * 1000 / float64(months) }
			fmt.Fprintf(stdout, "  persons           %.1f (the parallel pass over every person)\n", per(before.Persons, after.Persons))
			fmt.Fprintf(stdout, "  yearly update     %.1f (January's household splits and index rebuild, spread over the months)\n", per(before.Yearly, after.Yearly))
			fmt.Fprintf(stdout, "  tables            %.1f (the month's decision tables)\n", per(before.Tables, after.Tables))
			fmt.Fprintf(stdout, "  serial            %.1f (reduction, births, newborns, the record)\n", per(before.Serial, after.Serial))
			fmt.Fprintf(stdout, "CPU ms per month    %.1f (all threads together)\n", cpu.Seconds()*1000/float64(months))
			fmt.Fprintf(stdout, "state bytes/person  %.1f per person slot (%.1f per current agent, counting every slot reserved for the run to %v)\n",
				float64(s.StateBytes())/float64(s.Capacity()), float64(s.StateBytes())/float64(s.Agents()), sp.until)
			fmt.Fprintf(stdout, "peak RSS            %.0f MB\n", float64(ru.Maxrss)/1024)
			return nil
		},
	}
	cmd.Flags().IntVar(&scale, "scale", 1, "persons per agent (1 = full scale)")
	cmd.Flags().IntVar(&months, "months", 24, "months to time")
	cmd.Flags().IntVar(&warmup, "warmup", 12, "months simulated before the timing starts")
	cmd.Flags().IntVar(&workers, "workers", 0, "worker goroutines (0: all cores)")
	return cmd
}

// rusage returns the resource usage of the process so far (zero if the
// system cannot tell).
func rusage() syscall.Rusage {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru
}

// cpuTime returns the user and system CPU time in ru.
func cpuTime(ru syscall.Rusage) time.Duration {
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
