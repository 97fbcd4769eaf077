package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/corridor-sim/corridor/params"
	"github.com/corridor-sim/corridor/policy"
)

func newLeversCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "levers [NAME]",
		Short: "List the policy levers a scenario can pull, or describe one",
		Long: `Levers lists the lever library: every lever a scenario file's events can name,
with the side that pulls it (destination: Russia; origin: Tajikistan; third
party), the unit of its intensity, the standard dose that 'corridor leverage'
applies and a one-line summary.

With a NAME it describes that lever in full: what it represents, the mechanism
it acts on in the model, the source that motivates it, the range and default
of its intensity, its settings, the targets it accepts and how two events of
it combine. docs/levers.md holds the same reference with the equations.`,
		Example: `  corridor levers
  corridor levers visa_regime
  corridor scenario show visa-regime      # a shipped scenario that uses it`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageError{fmt.Errorf("levers takes at most one lever name, got %d arguments", len(args))}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return listLevers(stdout)
			}
			l, ok := policy.LookupLever(args[0])
			if !ok {
				return usageError{fmt.Errorf("unknown lever %q%s", args[0], nearest(args[0], policy.LeverNames()))}
			}
			return describeLever(stdout, l)
		},
	}
}

// nearest suggests the closest name, if one is close.
func nearest(name string, names []string) string {
	best, bd := "", 1<<30
	for _, n := range names {
		if d := params.Levenshtein(name, n); d < bd {
			best, bd = n, d
		}
	}
	if bd <= max(2, len(name)/3) {
		return " (did you mean " + best + "?)"
	}
	return " (see 'corridor levers')"
}

func listLevers(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "lever\tside\tstandard dose\tsummary")
	for _, l := range policy.Levers() {
		fmt.Fprintf(tw, "%s\t%s\t%g %s for %d months\t%s\n", l.Name, l.Side, l.Standard, l.Unit, l.Months, l.Summary)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, "\n'corridor levers NAME' describes one; docs/levers.md has the equations.")
	return err
}

func describeLever(w io.Writer, l policy.Lever) error {
	var b strings.Builder
	field := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%-10s %s\n", k, v)
		}
	}
	field("lever", l.Name)
	field("side", l.Side)
	field("summary", l.Summary)
	field("mechanism", l.Mechanism)
	field("source", l.Source)
	field("intensity", fmt.Sprintf("%s, %g to %g (default %g)", l.Unit, l.Min, l.Max, l.Default))
	field("standard", fmt.Sprintf("%g for %d months (the dose 'corridor leverage' applies)", l.Standard, l.Months))
	if len(l.Targets) > 0 {
		field("targets", strings.Join(l.Targets, ", "))
	} else {
		field("targets", "none: acts on everyone it concerns")
	}
	field("combine", l.Combine)
	for _, s := range l.Settings {
		field("setting", fmt.Sprintf("%s: %s, %g to %g (default %g) — %s", s.Name, s.Unit, s.Min, s.Max, s.Default, s.Doc))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
