package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corridor-sim/corridor/data"
	"github.com/corridor-sim/corridor/params"
	"github.com/corridor-sim/corridor/results"
)

func TestDataCommand(t *testing.T) {
	ref, err := data.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "data")
	wantOK(t, r, []string{"data"})
	if r.stderr != "" {
		t.Errorf("stderr: %s", r.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if h := strings.Fields(lines[0]); len(h) < 7 || h[0] != "FILE" || h[1] != "SERIES" {
		t.Errorf("header %q", lines[0])
	}
	// series → files it appears in
	series := map[string][]string{}
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) >= 2 {
			series[f[1]] = append(series[f[1]], f[0])
		}
	}
	for s, file := range map[string]string{
		"rub_per_usd":                           "rub_per_usd_monthly.csv",
		"avg_nominal_monthly_wage":              "macro_russia.csv",
		"personal_remittances_received_pct_gdp": "remittances_tajikistan.csv",
	} {
		if !strings.Contains(strings.Join(series[s], " "), file) {
			t.Errorf("no row for series %s from %s (found in %v)", s, file, series[s])
		}
	}
	// Every data file with series is listed (policy events are not series).
	for _, name := range data.FileNames() {
		if name != "policy_events.csv" && !strings.Contains(r.stdout, "\n"+name+" ") {
			t.Errorf("data file %s is not listed", name)
		}
	}
	if want := "\ninputs sha256 " + ref.Hash + "\n"; !strings.HasSuffix(r.stdout, want) {
		t.Errorf("output does not end with %q:\n...%s", want, r.stdout[max(0, len(r.stdout)-200):])
	}

	// The same listing from a copy of the data.
	dir := filepath.Join(t.TempDir(), "data")
	copyData(t, dir)
	rc := runCLI(t, "data", "--data", dir)
	wantOK(t, rc, []string{"data", "--data", dir})
	if rc.stdout != r.stdout {
		t.Errorf("data --data <copy of the embedded data> prints something else")
	}
}

func TestParamsCommand(t *testing.T) {
	r := runCLI(t, "params")
	wantOK(t, r, []string{"params"})
	listed := map[string]bool{}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if h := strings.Fields(lines[0]); len(h) != 5 || h[0] != "NAME" || h[1] != "VALUE" {
		t.Errorf("header %q", lines[0])
	}
	for _, l := range lines[1:] {
		if f := strings.Fields(l); len(f) > 0 {
			if listed[f[0]] {
				t.Errorf("parameter %s listed twice", f[0])
			}
			listed[f[0]] = true
		}
	}
	names := params.Names()
	for _, n := range names {
		if !listed[n] {
			t.Errorf("parameter %s is not listed", n)
		}
	}
	if len(lines)-1 != len(names) {
		t.Errorf("%d parameter lines, want %d", len(lines)-1, len(names))
	}
	if !strings.Contains(r.stdout, "remit_share") {
		t.Errorf("remit_share is not listed")
	}
}

func TestVersionCommand(t *testing.T) {
	r := runCLI(t, "version")
	wantOK(t, r, []string{"version"})
	if !strings.HasPrefix(r.stdout, "corridor "+results.Version+" (commit ") || strings.Count(r.stdout, "\n") != 1 {
		t.Errorf("version printed %q", r.stdout)
	}
}

func TestHelp(t *testing.T) {
	runFlags := []string{"--scenario", "--seed", "--scale", "--from", "--until", "--out", "--data", "--workers", "--quiet", "--set"}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{nil, []string{"run", "data", "params", "bench", "version", "--help"}},
		{[]string{"--help"}, []string{"Usage:", "run", "data", "params", "bench", "version", "--help"}},
		{[]string{"-h"}, []string{"Usage:", "run"}},
		{[]string{"run", "--help"}, append([]string{"Usage:", "corridor run [flags]", "annual.csv", "monthly.csv", "manifest.json"}, runFlags...)},
		{[]string{"help", "run"}, runFlags},
		{[]string{"run", "-h", "--scale", "0"}, runFlags}, // help wins over invalid values
		{[]string{"bench", "--help"}, []string{"--scale", "--months", "--warmup", "--workers", "Examples:"}},
		{[]string{"data", "--help"}, []string{"--data"}},
	} {
		name := strings.Join(tc.args, " ")
		if name == "" {
			name = "no arguments"
		}
		t.Run(name, func(t *testing.T) {
			r := runCLI(t, tc.args...)
			wantOK(t, r, tc.args)
			for _, w := range tc.want {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("help lacks %q:\n%s", w, r.stdout)
				}
			}
			if r.stderr != "" {
				t.Errorf("stderr: %s", r.stderr)
			}
		})
	}
}

func TestBenchCommand(t *testing.T) {
	args := []string{"bench", "--scale", "2000", "--months", "2", "--warmup", "3", "--workers", "2"}
	r := runCLI(t, args...)
	wantOK(t, r, args)
	for _, w := range []string{"agents ", "(scale 2000)", "workers             2", "months timed        2 (2005-04..2005-05, after 3 untimed)", "person-months/s", "ms per month", "  persons ", "  yearly update ", "CPU ms per month", "state bytes/person", "peak RSS"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("bench output lacks %q:\n%s", w, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "NaN") || strings.Contains(r.stdout, "Inf") {
		t.Errorf("bench printed a non-finite figure:\n%s", r.stdout)
	}
}

// TestDataExport checks that 'corridor data --export DIR' writes files that
// 'corridor run --data DIR' accepts as the embedded data (same inputs hash
// in the manifest), and that the missing-file error points to the export.
func TestDataExport(t *testing.T) {
	ref, err := data.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "new", "data")
	args := []string{"data", "--export", dir}
	r := runCLI(t, args...)
	wantOK(t, r, args)
	if !strings.Contains(r.stdout, "wrote 10 data files to "+dir) || !strings.Contains(r.stdout, ref.Hash) {
		t.Errorf("export says %q", r.stdout)
	}
	out := filepath.Join(tmp, "out")
	args = append([]string{"run", "--quiet", "--out", out, "--data", dir}, fast...)
	wantOK(t, runCLI(t, args...), args)
	m, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(m), ref.Hash) {
		t.Errorf("manifest of a run on the exported data lacks the embedded inputs hash %s", ref.Hash)
	}

	if err := os.Remove(filepath.Join(dir, "enforcement.csv")); err != nil {
		t.Fatal(err)
	}
	args = append([]string{"run", "--quiet", "--out", out, "--data", dir}, fast...)
	r = runCLI(t, args...)
	if r.code != 2 || !strings.Contains(r.stderr, "enforcement.csv: required data file is missing") || !strings.Contains(r.stderr, "corridor data --export") {
		t.Errorf("run without a data file: exit %d, stderr %q", r.code, r.stderr)
	}
}
