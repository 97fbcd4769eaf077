package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// runArgs is a run command line writing into $OUT, quiet so that stderr
// holds nothing but the error.
func runArgs(args ...string) []string {
	return append([]string{"run", "--quiet", "--out", "$OUT"}, args...)
}

// fast makes a run that passes validation cheap: about 1,400 agents for
// three months.
var fast = []string{"--scale", "5000", "--until", "2005-03"}

func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		// args may hold $OUT (the --out folder, which does not exist unless
		// setup creates it) and $TMP (a scratch folder for fixtures).
		args     []string
		setup    func(t *testing.T, tmp, out string)
		mentions []string // substrings of the error, with $OUT and $TMP replaced
	}{
		// Flags and commands.
		{name: "unknown flag of run", args: runArgs("--bogus"), mentions: []string{"unknown flag", "--bogus"}},
		{name: "unknown flag of root", args: []string{"--bogus"}, mentions: []string{"unknown flag", "--bogus"}},
		{name: "unknown command", args: []string{"frobnicate"}, mentions: []string{"unknown command", `"frobnicate"`}},
		{name: "run takes no arguments", args: runArgs("extra"), mentions: []string{`"extra"`}},
		{name: "params takes no arguments", args: []string{"params", "extra"}, mentions: []string{`"extra"`}},
		{name: "version takes no arguments", args: []string{"version", "extra"}, mentions: []string{`"extra"`}},
		{name: "flag value missing", args: []string{"run", "--scale"}, mentions: []string{"--scale"}},

		// --scale and --workers.
		{name: "scale 0", args: runArgs("--scale", "0"), mentions: []string{"--scale", "0"}},
		{name: "scale negative", args: runArgs("--scale", "-3"), mentions: []string{"--scale", "-3"}},
		{name: "scale not a number", args: runArgs("--scale", "abc"), mentions: []string{"--scale", `"abc"`}},
		{name: "scale too coarse for any agent", args: runArgs("--scale", "100000000", "--until", "2005-03"), mentions: []string{"--scale", "100000000"}},
		{name: "workers negative", args: runArgs("--workers", "-1"), mentions: []string{"--workers", "-1"}},

		// Months.
		{name: "until before from", args: runArgs("--from", "2010-01", "--until", "2009-12"), mentions: []string{"--until 2009-12", "--from 2010-01"}},
		{name: "from bare year", args: runArgs("--from", "2013"), mentions: []string{"--from", `"2013"`, "YYYY-MM"}},
		{name: "from month 13", args: runArgs("--from", "2013-13"), mentions: []string{"--from", `"2013-13"`}},
		{name: "from two-digit year", args: runArgs("--from", "13-01"), mentions: []string{"--from", `"13-01"`, "YYYY-MM"}},
		{name: "until bare year", args: runArgs("--until", "2013"), mentions: []string{"--until", `"2013"`}},
		{name: "until empty", args: runArgs("--until", ""), mentions: []string{"--until"}},
		{name: "from before model start", args: runArgs("--from", "2004-12"), mentions: []string{"--from 2004-12", "2005-01..2040-12"}},
		{name: "until after model end", args: runArgs("--until", "2041-01"), mentions: []string{"--until 2041-01", "2005-01..2040-12"}},

		// Scenario and parameters.
		{name: "unknown scenario", args: runArgs("--scenario", "utopia"), mentions: []string{"scenario", `"utopia"`, "history"}},
		{name: "set unknown parameter near miss", args: runArgs("--set", "remit_shar=0.5"), mentions: []string{"--set", `"remit_shar"`, "did you mean", "remit_share"}},
		{name: "set unknown parameter", args: runArgs("--set", "no_such_thing=1"), mentions: []string{"--set", `"no_such_thing"`}},
		{name: "set not a number", args: runArgs("--set", "remit_share=abc"), mentions: []string{"--set remit_share", `"abc"`, "not a number"}},
		{name: "set out of range", args: runArgs("--set", "remit_share=2"), mentions: []string{"--set", "remit_share = 2", "[0, 1]"}},
		{name: "set not finite", args: runArgs("--set", "remit_share=NaN"), mentions: []string{"--set", `"remit_share"`, "finite"}},
		{name: "set without =", args: runArgs("--set", "remit_share"), mentions: []string{"--set", `"remit_share"`, "name=value"}},
		{name: "set a profile", args: runArgs("--set", "departure_season=0.1"), mentions: []string{"--set", `"departure_season"`}},
		{name: "set bad after good", args: runArgs("--set", "remit_share=0.5", "--set", "remit_share=-0.1"), mentions: []string{"remit_share = -0.1"}},

		// --data.
		{name: "data folder missing", args: runArgs("--data", "$TMP/nowhere"), mentions: []string{"--data", "$TMP/nowhere"}},
		{
			name: "data is a file", args: runArgs("--data", "$TMP/file.csv"),
			setup: func(t *testing.T, tmp, out string) {
				if err := os.WriteFile(filepath.Join(tmp, "file.csv"), []byte("x\n"), 0o666); err != nil {
					t.Fatal(err)
				}
			},
			mentions: []string{"--data", "$TMP/file.csv", "not a folder"},
		},
		{
			name: "data value not a number", args: runArgs("--data", "$TMP/data"),
			setup: func(t *testing.T, tmp, out string) {
				copyData(t, filepath.Join(tmp, "data"))
				// Line 5 is avg_nominal_monthly_wage, 2003; column 5 is "value".
				if old := setCell(t, filepath.Join(tmp, "data", "macro_russia.csv"), 5, 4, "abc"); old != "5499" {
					t.Fatalf("macro_russia.csv:5 value was %q; update the fixture", old)
				}
			},
			mentions: []string{"$TMP/data/macro_russia.csv:5:", `column "value"`, `"abc"`, "not a number"},
		},
		{
			name: "data year not a year", args: runArgs("--data", "$TMP/data"),
			setup: func(t *testing.T, tmp, out string) {
				copyData(t, filepath.Join(tmp, "data"))
				setCell(t, filepath.Join(tmp, "data", "macro_tajikistan.csv"), 3, 2, "20x5")
			},
			mentions: []string{"$TMP/data/macro_tajikistan.csv:3:", `column "year"`, `"20x5"`},
		},
		{
			name: "data monthly rate not a number", args: runArgs("--data", "$TMP/data"),
			setup: func(t *testing.T, tmp, out string) {
				copyData(t, filepath.Join(tmp, "data"))
				setCell(t, filepath.Join(tmp, "data", "rub_per_usd_monthly.csv"), 4, 2, "lots")
			},
			mentions: []string{"$TMP/data/rub_per_usd_monthly.csv:4:", `column "rub_per_usd_mean"`, `"lots"`},
		},
		{
			name: "data header changed", args: runArgs("--data", "$TMP/data"),
			setup: func(t *testing.T, tmp, out string) {
				copyData(t, filepath.Join(tmp, "data"))
				setCell(t, filepath.Join(tmp, "data", "enforcement.csv"), 1, 4, "valeur")
			},
			mentions: []string{"$TMP/data/enforcement.csv:1:", `"value"`},
		},
		{
			name: "data file empty", args: runArgs("--data", "$TMP/data"),
			setup: func(t *testing.T, tmp, out string) {
				copyData(t, filepath.Join(tmp, "data"))
				if err := os.WriteFile(filepath.Join(tmp, "data", "UNSOURCED.csv"), nil, 0o666); err != nil {
					t.Fatal(err)
				}
			},
			mentions: []string{"$TMP/data/UNSOURCED.csv", "empty"},
		},
		{
			name: "data file missing", args: runArgs("--data", "$TMP/data"),
			setup: func(t *testing.T, tmp, out string) {
				copyData(t, filepath.Join(tmp, "data"))
				if err := os.Remove(filepath.Join(tmp, "data", "policy_events.csv")); err != nil {
					t.Fatal(err)
				}
			},
			mentions: []string{"$TMP/data/policy_events.csv", "missing"},
		},
		{name: "data command folder missing", args: []string{"data", "--data", "$TMP/nowhere"}, mentions: []string{"--data", "$TMP/nowhere"}},
		{
			name: "data command corrupted file", args: []string{"data", "--data", "$TMP/data"},
			setup: func(t *testing.T, tmp, out string) {
				copyData(t, filepath.Join(tmp, "data"))
				setCell(t, filepath.Join(tmp, "data", "macro_russia.csv"), 5, 4, "abc")
			},
			mentions: []string{"$TMP/data/macro_russia.csv:5:", `column "value"`, `"abc"`},
		},
		{
			name: "data folder with a csv file it does not read", args: runArgs("--data", "$TMP/data"),
			setup: func(t *testing.T, tmp, out string) {
				copyData(t, filepath.Join(tmp, "data"))
				if err := os.WriteFile(filepath.Join(tmp, "data", "macro_russia_v2.csv"), []byte("x"), 0o644); err != nil {
					t.Fatal(err)
				}
			},
			mentions: []string{"$TMP/data/macro_russia_v2.csv", "not a data file", "macro_russia.csv"},
		},
		{
			name: "data export over existing files", args: []string{"data", "--export", "$TMP/data"},
			setup: func(t *testing.T, tmp, out string) {
				copyData(t, filepath.Join(tmp, "data"))
			},
			mentions: []string{"--export", "$TMP/data/UNSOURCED.csv", "already exists"},
		},
		{
			name: "data export into a file", args: []string{"data", "--export", "$TMP/file.csv"},
			setup: func(t *testing.T, tmp, out string) {
				if err := os.WriteFile(filepath.Join(tmp, "file.csv"), []byte("x"), 0o644); err != nil {
					t.Fatal(err)
				}
			},
			mentions: []string{"--export", "$TMP/file.csv", "not a folder"},
		},
		{name: "data export with data", args: []string{"data", "--export", "$TMP/x", "--data", "$TMP/y"}, mentions: []string{"--export", "--data"}},
		{name: "data export empty", args: []string{"data", "--export", ""}, mentions: []string{"--export", "folder"}},

		// --out.
		{
			name: "out is a foreign folder", args: runArgs(fast...),
			setup: func(t *testing.T, tmp, out string) {
				if err := os.MkdirAll(filepath.Join(out, "thesis"), 0o777); err != nil {
					t.Fatal(err)
				}
				for name, content := range map[string]string{
					"notes.txt":          "do not delete\n",
					"annual.csv":         "year\n1999\n",
					"thesis/chapter1.md": "# one\n",
				} {
					if err := os.WriteFile(filepath.Join(out, name), []byte(content), 0o666); err != nil {
						t.Fatal(err)
					}
				}
			},
			mentions: []string{"refusing", "$OUT"},
		},
		{
			name: "out has a foreign manifest", args: runArgs(fast...),
			setup: func(t *testing.T, tmp, out string) {
				if err := os.MkdirAll(out, 0o777); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(out, "manifest.json"), []byte(`{"name": "my web app"}`), 0o666); err != nil {
					t.Fatal(err)
				}
			},
			mentions: []string{"refusing", "$OUT"},
		},
		{
			name: "out is a file", args: runArgs(fast...),
			setup: func(t *testing.T, tmp, out string) {
				if err := os.WriteFile(out, []byte("precious\n"), 0o666); err != nil {
					t.Fatal(err)
				}
			},
			mentions: []string{"$OUT", "not a folder"},
		},
		{
			name: "out is a symbolic link", args: runArgs(fast...),
			setup: func(t *testing.T, tmp, out string) {
				if err := os.Symlink(tmp, out); err != nil {
					t.Skip("no symbolic links:", err)
				}
			},
			mentions: []string{"$OUT", "symbolic link"},
		},
		{name: "out empty", args: append([]string{"run", "--quiet", "--out", ""}, fast...), mentions: []string{"--out"}},

		// bench.
		{name: "bench scale 0", args: []string{"bench", "--scale", "0"}, mentions: []string{"--scale"}},
		{name: "bench months 0", args: []string{"bench", "--scale", "5000", "--months", "0"}, mentions: []string{"--months"}},
		{name: "bench workers negative", args: []string{"bench", "--scale", "5000", "--workers", "-2"}, mentions: []string{"--workers"}},
		{name: "bench warmup past the span", args: []string{"bench", "--scale", "5000", "--warmup", "312"}, mentions: []string{"--warmup", "311"}},
		{name: "bench unknown flag", args: []string{"bench", "--until", "2005-03"}, mentions: []string{"unknown flag", "--until"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			parent := t.TempDir() // holds the --out folder and nothing else
			out := filepath.Join(parent, "out")
			expand := strings.NewReplacer("$OUT", out, "$TMP", tmp).Replace
			if tc.setup != nil {
				tc.setup(t, tmp, out)
			}
			before := snapshot(t, parent)
			var args []string
			for _, a := range tc.args {
				args = append(args, expand(a))
			}
			var mentions []string
			for _, m := range tc.mentions {
				mentions = append(mentions, expand(m))
			}

			r := runCLI(t, args...)
			checkOneLineError(t, r, mentions...)
			// Nothing written: no output folder, no temporary folder beside
			// it, and whatever was there before untouched.
			if after := snapshot(t, parent); !reflect.DeepEqual(after, before) {
				t.Errorf("the --out folder's parent changed:\nbefore %v\nafter  %v", keys(before), keys(after))
			}
		})
	}
}

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// An unknown command close to a real one must still give one line: cobra
// appends "\n\nDid you mean this?\n\trun\n" to its error.
func TestUnknownCommandNearMissIsOneLine(t *testing.T) {
	for _, cmd := range []string{"rnu", "dat", "parms", "verison"} {
		t.Run(cmd, func(t *testing.T) {
			checkOneLineError(t, runCLI(t, cmd), "unknown command", `"`+cmd+`"`)
		})
	}
}

// The hint after a flag error must name the command once: "see 'corridor
// --help'" for the root, "see 'corridor run --help'" for run.
func TestFlagErrorHintNamesCommand(t *testing.T) {
	for _, tc := range []struct {
		args []string
		hint string
	}{
		{[]string{"--bogus"}, "'corridor --help'"},
		{[]string{"run", "--bogus"}, "'corridor run --help'"},
		{[]string{"bench", "--bogus"}, "'corridor bench --help'"},
		{[]string{"data", "--bogus"}, "'corridor data --help'"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			checkOneLineError(t, runCLI(t, tc.args...), "--bogus", tc.hint)
		})
	}
}

// An --out folder that will be refused must be refused before the
// simulation, not after it (at full scale that is many minutes of work
// thrown away): the one line of stderr is the error, with no progress
// before it.
func TestRunRefusesOutBeforeSimulating(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if err := os.MkdirAll(out, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, out)
	r := runCLI(t, "run", "--scale", "400", "--until", "2007-12", "--out", out)
	checkOneLineError(t, r, "refusing", out)
	if after := snapshot(t, out); !reflect.DeepEqual(after, before) {
		t.Errorf("the refused folder changed")
	}
}
