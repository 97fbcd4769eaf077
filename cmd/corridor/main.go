// Command corridor simulates the Tajikistan–Russia labour-migration and
// remittance corridor person by person, month by month.
//
// Run `corridor --help` for the commands.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

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
			fmt.Fprintf(stderr, "corridor: %v\n", ue.err)
		} else {
			fmt.Fprintf(stderr, "corridor: %v\n", err)
		}
		return exitUsage
	}
	return 0
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
  corridor data                the embedded data series and their sources
  corridor params              the model's parameters, units and sources
  corridor bench               speed and memory of the monthly step`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%v (see 'corridor %s --help')", err, c.Name())}
	})
	root.AddCommand(newRunCmd(stdout, stderr), newDataCmd(stdout), newParamsCmd(stdout), newBenchCmd(stdout, stderr), newVersionCmd(stdout))
	return root
}
