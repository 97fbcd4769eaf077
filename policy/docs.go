package policy

import (
	"fmt"
	"strings"

	"github.com/corridor-sim/corridor/calendar"
)

// LeversMarkdown renders the lever reference of docs/levers.md from the
// library: one section per lever with its side, mechanism, intensity,
// settings, standard dose, targets, combination rule and source.
func LeversMarkdown() string {
	var b strings.Builder
	side := ""
	for _, l := range sortedBySide() {
		if l.Side != side {
			side = l.Side
			fmt.Fprintf(&b, "### %s\n\n", map[string]string{
				"destination": "Destination state (Russia)",
				"origin":      "Origin state (Tajikistan)",
				"third party": "Third parties",
			}[side])
		}
		fmt.Fprintf(&b, "#### `%s`\n\n", l.Name)
		fmt.Fprintf(&b, "%s.\n\n", upperFirst(l.Summary))
		fmt.Fprintf(&b, "- **Mechanism.** %s.\n", cell(l.Mechanism))
		fmt.Fprintf(&b, "- **Intensity.** %s; %s to %s; default %s.\n", l.Unit, num(l.Min), num(l.Max), num(l.Default))
		if len(l.Settings) > 0 {
			b.WriteString("- **Settings.**\n")
			for _, s := range l.Settings {
				fmt.Fprintf(&b, "  - `%s` (%s, %s to %s, default %s): %s.\n", s.Name, s.Unit, num(s.Min), num(s.Max), num(s.Default), cell(s.Doc))
			}
		}
		fmt.Fprintf(&b, "- **Standard dose** (`corridor leverage`): %s for %d month%s.\n", num(l.Standard), l.Months, plural(l.Months))
		if len(l.Targets) == 0 {
			b.WriteString("- **Targets.** none (applies to everyone).\n")
		} else {
			fmt.Fprintf(&b, "- **Targets.** %s.\n", strings.Join(l.Targets, ", "))
		}
		fmt.Fprintf(&b, "- **Two events in one month.** %s.\n", upperFirst(l.Combine))
		fmt.Fprintf(&b, "- **Source.** %s.\n\n", cell(l.Source))
	}
	return b.String()
}

// HistoryMarkdown renders the events of the history timeline over span as
// a table: from, until, lever, value and source.
func HistoryMarkdown(span calendar.Range, transferCostEarly float64) (string, error) {
	t, err := History(span, transferCostEarly)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("| From | Until | Lever | Value | Source |\n|---|---|---|---|---|\n")
	for _, e := range t.Events {
		until := e.Until.String()
		if e.Until < e.From {
			until = "open"
		}
		fmt.Fprintf(&b, "| %v | %s | `%s` | %s | %s |\n", e.From, until, e.Lever, cell(e.Value), cell(e.Source))
	}
	return b.String(), nil
}

func sortedBySide() []Lever {
	var out []Lever
	for _, side := range []string{"destination", "origin", "third party"} {
		for _, l := range Levers() {
			if l.Side == side {
				out = append(out, l)
			}
		}
	}
	return out
}

func num(x float64) string {
	if x != float64(int64(x)) {
		return fmt.Sprintf("%g", x)
	}
	n := int64(x)
	sign := ""
	if n < 0 {
		sign, n = "−", -n
	}
	d := fmt.Sprint(n)
	if n >= 10000 {
		var b strings.Builder
		for i, c := range d {
			if i > 0 && (len(d)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(c)
		}
		d = b.String()
	}
	return sign + d
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// cell makes s safe inside a Markdown table cell or list item.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
