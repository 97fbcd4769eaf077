package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/corridor-sim/corridor/data"
	"github.com/corridor-sim/corridor/results"
)

// Words the fuzzer combines with its own strings. The first command word
// is placed first; an empty word leaves the root command in charge, where
// a later fuzz string may name the command.
var (
	fuzzCommands = []string{"run", "data", "params", "version", "bench", "help", "completion", "", "rnu", "--quiet", "levers", "scenario", "compare", "leverage"}
	fuzzFlags    = []string{
		"--scenario", "--seed", "--scale", "--from", "--until", "--data", "--workers", "--set",
		"--quiet", "--out", "--months", "--help", "-h", "--", "--bogus", "",
		"--members", "--tolerance", "--base", "--start", "--years", "--parallel",
		"--export",
	}
)

// runTail keeps a run cheap (about 1,400 agents for three months, ~10 ms):
// flags given last win, and if a fuzzed flag swallows one of these words as
// its value, the words after it become arguments, which run refuses.
func runTail(out string) []string {
	return []string{"--scale", "5000", "--until", "2005-03", "--workers", "2", "--quiet", "--out", out}
}

// benchTail does the same for bench (a warm-up year and one timed month).
var benchTail = []string{"--scale", "5000", "--months", "1", "--workers", "2"}

// leverageTail does the same for leverage (26 runs of 13 months); compare
// takes runTail (two runs of three months).
func leverageTail(out string) []string {
	return []string{"--scale", "5000", "--start", "2005-02", "--years", "1", "--parallel", "2", "--quiet", "--out", out}
}

// outputFolders are the complete folders a successful command may write:
// run's, compare's (with or without bands) and leverage's. (A fuzzed word
// may turn a run into a compare, so any of them is accepted.)
var outputFolders = [][]string{
	{results.AnnualFile, results.AnnualParquet, results.ManifestFile, results.MonthlyFile, results.MonthlyParquet},
	{"difference_annual.csv", "headline.csv", results.ManifestFile},
	{"difference_annual.csv", "difference_bands.csv", "headline.csv", results.ManifestFile},
	{"leverage.csv", results.ManifestFile},
}

// fuzzArgs builds a command line from the fuzzer's choices. A flag byte
// with its high bit set joins flag and value as --flag=value; otherwise an
// empty value is left out (so valueless flags such as --quiet stay alone).
func fuzzArgs(cmd, f1 uint8, v1 string, f2 uint8, v2, rest, out string) []string {
	var args []string
	word := fuzzCommands[int(cmd)%len(fuzzCommands)]
	if word != "" {
		args = append(args, word)
	}
	for _, fv := range []struct {
		f uint8
		v string
	}{{f1, v1}, {f2, v2}} {
		flag := fuzzFlags[int(fv.f&0x7f)%len(fuzzFlags)]
		switch {
		case flag != "" && fv.f&0x80 != 0:
			args = append(args, flag+"="+fv.v)
		case flag != "":
			args = append(args, flag)
			if fv.v != "" {
				args = append(args, fv.v)
			}
		case fv.v != "":
			args = append(args, fv.v)
		}
	}
	args = append(args, strings.Fields(rest)...)
	switch word {
	case "data", "params", "version", "help", "completion", "levers", "scenario":
		// These never simulate: a later word cannot start a run.
	case "bench":
		args = append(args, benchTail...)
	case "leverage":
		args = append(args, leverageTail(out)...)
	default:
		// run, compare, or the root command where a fuzzed word may name a
		// command.
		args = append(args, runTail(out)...)
	}
	return args
}

// FuzzRunArgs runs random command lines (run, bench, data, params, levers,
// scenario, compare, leverage and the root command): corridor must never
// panic, exit with 0 or 2, explain every failure on stderr, and leave
// either a complete output folder or nothing.
func FuzzRunArgs(f *testing.F) {
	const (
		run, data, params, version, bench, help, completion, root, rnu = 0, 1, 2, 3, 4, 5, 6, 7, 8
		levers, scenarioCmd, compareCmd, leverageCmd                   = 10, 11, 12, 13
		members, tolerance, base, start, years, parallel, export       = 16, 17, 18, 19, 20, 21, 22
		scenario, seed, scale, from, until, dataFlag, workers, set     = 0, 1, 2, 3, 4, 5, 6, 7
		quiet, out, months, helpFlag, h, dashdash, bogus, none         = 8, 9, 10, 11, 12, 13, 14, 15
		eq                                                             = 0x80
	)
	for _, s := range []struct {
		cmd, f1 uint8
		v1      string
		f2      uint8
		v2      string
		rest    string
	}{
		{run, seed, "7", none, "", ""},
		{run, set, "remit_share=0.5", set, "initial_migrants=0", ""},
		{run, set, "remit_shar=0.5", none, "", ""},
		{run, set | eq, "remit_share=abc", set, "remit_share=2", ""},
		{run, set, "household_size=30", set, "pay_ratio=5", ""},
		{run, set, "departure_season=0.1", set, "=", ""},
		{run, from, "2013", until, "2013-13", ""},
		{run, from | eq, "2005-02", until, "13-01", ""},
		{run, from, "2004-12", until | eq, "2041-01", ""},
		{run, scale, "0", scale, "-3", ""},
		{run, scale, "99999999999999999999", none, "", ""},
		{run, seed, "18446744073709551615", workers, "3", ""},
		{run, seed, "-1", workers, "-1", ""},
		{run, scenario, "utopia", dataFlag, "/nonexistent", ""},
		{run, dataFlag, "/", dataFlag, ".", ""},
		{run, quiet | eq, "false", out | eq, "", ""},
		{run, dashdash, "x", none, "", ""},
		{run, until, "--scale", none, "", ""},
		{run, helpFlag, "", none, "", ""},
		{run, none, "extra", none, "", "more args"},
		{root, none, "run", seed, "3", ""},
		{root, none, "bench", none, "", ""},
		{root, bogus, "", none, "", ""},
		{root, h, "", none, "", ""},
		{rnu, none, "", none, "", ""},
		{bench, scale, "0", months, "0", ""},
		{bench, workers, "-2", none, "", ""},
		{data, dataFlag, "/nonexistent", none, "", ""},
		{data, none, "extra", none, "", ""},
		{data, export, "exported", none, "", ""},
		{data, export | eq, "", none, "", ""},
		{data, export, "x", dataFlag, "y", ""},
		{params, bogus, "", none, "", ""},
		{version, none, "", none, "", ""},
		{help, none, "run", none, "", ""},
		{completion, none, "bash", none, "", ""},
		{run, set, "a\nb=1", from, "x\ny", "\x00 \xff"},
		{levers, none, "visa_regim", none, "", ""},
		{levers, none, "visa_regime", none, "", "extra"},
		{scenarioCmd, none, "show", none, "pressure-2013", ""},
		{scenarioCmd, none, "check", none, "", "/nonexistent.yaml"},
		{scenarioCmd, none, "list", bogus, "", ""},
		{scenarioCmd, none, "schema", none, "", ""},
		{compareCmd, none, "history", none, "visa-regime", ""},
		{compareCmd, none, "history", members, "2", "visa-regime"},
		{compareCmd, none, "history", tolerance, "-1", "visa-regime"},
		{compareCmd, none, "history", none, "", ""},
		{compareCmd, none, "nowhere", none, "history", ""},
		{compareCmd, until, "2004-01", none, "history", "history"},
		{compareCmd, none, "history", none, "/nonexistent.yaml", ""},
		{leverageCmd, none, "", none, "", ""},
		{leverageCmd, base, "utopia", none, "", ""},
		{leverageCmd, start, "2041-01", years, "0", ""},
		{leverageCmd, years, "-2", parallel, "-1", ""},
		{leverageCmd, none, "extra", none, "", ""},
	} {
		f.Add(s.cmd, s.f1, s.v1, s.f2, s.v2, s.rest)
	}

	f.Fuzz(func(t *testing.T, cmd, f1 uint8, v1 string, f2 uint8, v2, rest string) {
		parent := t.TempDir()
		// A relative path the fuzzer gives (data --export writes one) lands
		// in parent, where the checks below see it.
		t.Chdir(parent)
		outDir := filepath.Join(parent, "out")
		args := fuzzArgs(cmd, f1, v1, f2, v2, rest, outDir)

		// runTail and benchTail keep each iteration cheap; no test asserts
		// a wall-clock time (a loaded machine would make it flaky).
		r := runCLI(t, args...)

		if strings.Contains(r.stderr, "internal error") {
			t.Fatalf("corridor %q panicked: %s", args, r.stderr)
		}
		switch r.code {
		case 0:
			// Either no output (help, data, ...) or a complete folder.
			switch got := entries(t, parent); {
			case len(got) == 0:
			case slices.Equal(got, []string{"out"}):
				files := entries(t, outDir)
				if !slices.ContainsFunc(outputFolders, func(want []string) bool { return slices.Equal(files, want) }) &&
					!isExport(t, outDir) {
					t.Errorf("corridor %q wrote %v", args, files)
				}
			case isExport(t, parent) || len(got) == 1 && isExport(t, filepath.Join(parent, got[0])):
				// data --export into the working directory or a folder the
				// fuzzer named
			default:
				t.Errorf("corridor %q left %v beside the output folder", args, got)
			}
		case exitUsage:
			if !strings.HasPrefix(r.stderr, "corridor: ") || !strings.HasSuffix(r.stderr, "\n") {
				t.Errorf("corridor %q: exit status 2 with stderr %q", args, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("corridor %q: exit status 2 with stdout %q", args, r.stdout)
			}
			if got := entries(t, parent); len(got) != 0 {
				t.Errorf("corridor %q failed but left %v", args, got)
			}
		default:
			t.Errorf("corridor %q: exit status %d, want 0 or 2 (stderr %q)", args, r.code, r.stderr)
		}
	})
}

// isExport reports whether dir, or the one folder at the end of a chain of
// folders with one entry each below it, holds exactly the data files (what
// 'corridor data --export' writes).
func isExport(t testing.TB, dir string) bool {
	for {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return false
		}
		got := entries(t, dir)
		if slices.Equal(got, data.FileNames()) {
			return true
		}
		if len(got) != 1 {
			return false
		}
		dir = filepath.Join(dir, got[0])
	}
}
