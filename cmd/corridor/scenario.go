package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/policy"
	"github.com/corridor-sim/corridor/scenario"
)

func newScenarioCmd(stdout io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "scenario",
		Short: "List, show, check and describe scenario files",
		Long: `A scenario is the sourced policy history plus your changes: parameter
overrides, driver changes (the ruble, Russian wages and growth, Tajik GDP) and
dated lever events (which lever, from, until, intensity, target). Scenarios are
YAML files; the shipped library runs by name, and a file can extend a library
scenario or another file ("extends: pressure-2013"). docs/scenarios.md
documents the format, and 'corridor scenario schema' prints its JSON Schema for
editors.

A minimal scenario file:

  name: longer-raids
  description: the 2013 raids for a whole year
  extends: history
  events:
    - lever: enforcement_campaign
      from: 2013-03
      until: 2014-02
      intensity: 3
      source: my assumption

Run it with 'corridor run --scenario longer-raids.yaml' or compare it with
its base: 'corridor compare history longer-raids.yaml'.`,
		Example: `  corridor scenario list
  corridor scenario show pressure-2013
  corridor scenario check my-scenario.yaml other.yaml
  corridor scenario schema > scenario.schema.json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError{fmt.Errorf("unknown command %q for %s (valid: list, show, check, schema)", args[0], cmd.CommandPath())}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newScenarioListCmd(stdout), newScenarioShowCmd(stdout), newScenarioCheckCmd(stdout), newScenarioSchemaCmd(stdout))
	return cmd
}

func newScenarioListCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the shipped scenarios and the question each answers",
		Long: `List prints the shipped scenarios, one a line, with their description.
Each runs by name: 'corridor run --scenario NAME', or shows its events and
sources with 'corridor scenario show NAME'. A scenario file of your own can
extend any of them (extends: NAME); docs/scenarios.md describes the format.`,
		Example: `  corridor scenario list
  corridor scenario show pressure-2013
  corridor run --scenario pressure-2013 --scale 20 --until 2016-12`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var b strings.Builder
			names := scenario.LibraryNames()
			width := 0
			for _, n := range names {
				width = max(width, len(n))
			}
			for _, n := range names {
				sc, err := scenario.Lookup(n)
				desc := ""
				switch {
				case err != nil:
					desc = "(invalid: " + err.Error() + ")"
				default:
					desc = sc.Description
				}
				fmt.Fprintf(&b, "%-*s  %s\n", width, n, desc)
			}
			_, err := io.WriteString(stdout, b.String())
			return err
		},
	}
}

func newScenarioShowCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "show NAME|FILE",
		Short: "Show a scenario as the model will run it",
		Long: `Show prints a scenario after its extends chain is resolved: description,
default period, seed and scale, parameter and driver overrides, and its events
in the order they are applied, with their sources. The sourced history
events that every scenario includes are listed last.`,
		Example: `  corridor scenario show pressure-2013
  corridor scenario show my-scenario.yaml`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sc, err := scenario.Lookup(args[0])
			if err != nil {
				return usageError{err}
			}
			in, err := sc.Build(scenario.Options{Until: untilOr(sc.Until)})
			if err != nil {
				return usageError{err}
			}
			_, err = io.WriteString(stdout, describeScenario(sc, in.Timeline))
			return err
		},
	}
}

func untilOr(m calendar.Month) calendar.Month {
	if m == 0 {
		return scenario.DefaultUntil
	}
	return m
}

func describeScenario(sc *scenario.Scenario, tl *policy.Timeline) string {
	var b strings.Builder
	fmt.Fprintf(&b, "name         %s\n", sc.Name)
	if sc.File != "" {
		fmt.Fprintf(&b, "file         %s\n", sc.File)
	}
	if sc.Extends != "" {
		fmt.Fprintf(&b, "extends      %s\n", sc.Extends)
	}
	fmt.Fprintf(&b, "description  %s\n", sc.Description)
	if sc.From != 0 || sc.Until != 0 {
		fmt.Fprintf(&b, "period       %s..%s\n", monthOr(sc.From, scenario.ModelStart), monthOr(sc.Until, scenario.DefaultUntil))
	}
	if sc.Seed != nil {
		fmt.Fprintf(&b, "seed         %d\n", *sc.Seed)
	}
	if sc.Scale != 0 {
		fmt.Fprintf(&b, "scale        %d\n", sc.Scale)
	}
	for _, k := range slices.Sorted(maps.Keys(sc.Params)) {
		fmt.Fprintf(&b, "param        %s = %g\n", k, sc.Params[k])
	}
	for _, d := range sc.Drivers {
		fmt.Fprintf(&b, "driver       %s %s %g from %v %s", d.Series, d.Change, d.Value, d.From, untilText(d.From, d.Until))
		if d.RampMonths > 0 {
			fmt.Fprintf(&b, ", ramp %d months", d.RampMonths)
		}
		if d.Source != "" {
			fmt.Fprintf(&b, " — %s", d.Source)
		}
		b.WriteString("\n")
	}
	for _, e := range sc.Events {
		fmt.Fprintf(&b, "event        %s %g from %v %s", e.Lever, e.Intensity, e.From, untilText(e.From, e.Until))
		for _, k := range slices.Sorted(maps.Keys(e.Settings)) {
			fmt.Fprintf(&b, ", %s = %g", k, e.Settings[k])
		}
		if t := targetText(e.Target); t != "" {
			fmt.Fprintf(&b, ", target %s", t)
		}
		if e.Source != "" {
			fmt.Fprintf(&b, " — %s", e.Source)
		}
		b.WriteString("\n")
	}
	if tl != nil {
		n := len(tl.Events) - len(sc.Events)
		fmt.Fprintf(&b, "\nsourced history included in every scenario (%d changes):\n", n)
		for _, e := range tl.Events[:max(n, 0)] {
			fmt.Fprintf(&b, "  %v %-26s %-12s %s — %s\n", e.From, e.Lever, e.Value, untilText(e.From, e.Until), e.Source)
		}
	}
	return b.String()
}

func monthOr(m, def calendar.Month) calendar.Month {
	if m == 0 {
		return def
	}
	return m
}

func untilText(from, until calendar.Month) string {
	if until < from {
		return "(open-ended)"
	}
	return "until " + until.String()
}

func targetText(t policy.Target) string {
	var parts []string
	for _, kv := range [][2]string{{"destination", t.Destination}, {"region", t.Region}, {"sector", t.Sector}, {"sex", t.Sex}, {"age_group", t.AgeGroup}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+kv[1])
		}
	}
	return strings.Join(parts, " ")
}

func newScenarioCheckCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "check FILE...",
		Short: "Validate scenario files",
		Long: `Check reads each scenario file (or shipped scenario name), resolves its
extends chain and validates every field: lever names, months, intensities
against each lever's range, settings, targets, parameters and driver changes.
It also builds the run inputs, so a file that checks will run.

The first error is printed as one line naming file, line, column and field,
for example

  pressure.yaml:12:14: events[2].lever: unknown lever "enforcment_campaign" (did you mean enforcement_campaign?)

and the exit status is 2. When every file is valid, one line per file says so.`,
		Example: `  corridor scenario check my-scenario.yaml
  corridor scenario check scenarios/*.yaml`,
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var b strings.Builder
			for _, a := range args {
				sc, err := scenario.Lookup(a)
				if err != nil {
					return usageError{err}
				}
				if _, err := sc.Build(scenario.Options{Until: untilOr(sc.Until)}); err != nil {
					return usageError{fmt.Errorf("%s: %v", a, err)}
				}
				fmt.Fprintf(&b, "%s: ok (scenario %s: %d events, %d driver changes, %d parameter overrides)\n",
					a, sc.Name, len(sc.Events), len(sc.Drivers), len(sc.Params))
			}
			_, err := io.WriteString(stdout, b.String())
			return err
		},
	}
}

func newScenarioSchemaCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of scenario files",
		Long: `Schema prints the JSON Schema (draft 2020-12) of scenario files, generated
from the Go types that parse them, with the lever names, driver series and
parameter names of this build as enumerations. Point your editor at it (for
example with a "# yaml-language-server: $schema=scenario.schema.json" first
line) to have files checked as you type. The same schema ships as
scenario/scenario.schema.json.`,
		Example: `  corridor scenario schema > scenario.schema.json`,
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := stdout.Write(scenario.Schema())
			return err
		},
	}
}

// exactArgs requires n positional arguments, with a one-line message.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageError{fmt.Errorf("%s takes %d argument(s), got %d; see '%s --help'", cmd.CommandPath(), n, len(args), cmd.CommandPath())}
		}
		return nil
	}
}

// minArgs requires at least n positional arguments.
func minArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return usageError{fmt.Errorf("%s needs at least %d argument(s); see '%s --help'", cmd.CommandPath(), n, cmd.CommandPath())}
		}
		return nil
	}
}
