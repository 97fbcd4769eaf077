// Command corridor simulates the Tajikistan–Russia labour-migration and
// remittance corridor person by person, month by month.
//
// Run `corridor --help` for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
)

// exitUsage is the exit status for every error: bad input or a failed run.
const exitUsage = 2

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line args and returns the exit status.
func run(args []string, stdout, stderr io.Writer) (status int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "corridor: internal error: %v (please report it)\n", r)
			status = exitUsage
		}
	}()
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	if err := root.Execute(); err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			err = ue.err
		}
		fmt.Fprintf(stderr, "corridor: %s\n", oneLine(err.Error()))
		return exitUsage
	}
	return 0
}

// oneLine folds cobra's multi-line suggestions ("Did you mean this?\n\trun")
// into one line, so that every error is exactly one line.
func oneLine(msg string) string {
	if head, rest, ok := strings.Cut(msg, "\n\nDid you mean this?\n"); ok {
		msg = head + " (did you mean " + strings.Join(strings.Fields(rest), ", ") + "?)"
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(msg, "\n", " ")), " ")
}

// noArgs rejects positional arguments with a message that says so.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Errorf("%s takes no arguments (got %q); see '%s --help'", cmd.CommandPath(), args[0], cmd.CommandPath())}
	}
	return nil
}

type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "corridor",
		Short: "Simulate the Tajikistan–Russia labour-migration and remittance corridor",
		Long: `corridor simulates every resident of Tajikistan (about 7 million people in 2005,
10.6 million in 2024) month by month: who leaves for work in Russia or Kazakhstan,
what they earn and send home, how Russian entry, registration, patent and
enforcement rules act on them, and what that means for households, poverty and
the remittance share of GDP. It replays 2005–2024 from sourced data and runs on
to 2030 under current policy.

Start with:
  corridor run                 replay the reference corridor 2005-01..2030-12
  corridor run --scale 20      the same with one agent per 20 persons (seconds)
  corridor scenario list       the shipped scenarios and the question each answers
  corridor levers              the policy levers a scenario can pull, with their sources
  corridor compare history pressure-2013   a scenario's effect against history
  corridor leverage            every lever ranked: cost to Tajikistan vs cost to Russia
  corridor ensemble            20 members (seeds × parameter sets) with quantile bands
  corridor report              a self-contained HTML report with charts against the data
  corridor serve               the scenario workbench in the browser (http://127.0.0.1:8080)
  corridor data                the embedded data series and their sources
  corridor params              the model's parameters, units and sources
  corridor bench               speed and memory of the monthly step
  corridor calibrate           fit the free parameters to 2005–2018
  corridor validate            the shipped calibration against the record, baselines and forecast`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%v (see '%s --help')", err, c.CommandPath())}
	})
	root.AddCommand(newRunCmd(stdout, stderr), newScenarioCmd(stdout), newLeversCmd(stdout), newCompareCmd(stdout, stderr), newLeverageCmd(stdout, stderr),
		newCalibrateCmd(stdout, stderr), newValidateCmd(stdout, stderr), newEnsembleCmd(stdout, stderr), newReportCmd(stdout, stderr),
		newDataCmd(stdout), newParamsCmd(stdout), newBenchCmd(stdout, stderr), newVersionCmd(stdout), newServeCmd(stdout, stderr))
	return root
}

// interruptible returns ctx (Background if nil) cancelled by an interrupt
// (Ctrl-C) or SIGTERM, so that a long command stops cleanly: runs write
// nothing, calibration keeps its journal, the server drains.
func interruptible(ctx context.Context) (context.Context, context.CancelFunc) {
	if ctx == nil {
		ctx = context.Background()
	}
	return signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
}
