package main

import (
	"github.com/corridor-sim/corridor/params"

	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var quickEnsemble = []string{"--members", "3", "--scale", "400", "--until", "2007-12", "--quiet"}

func ensembleInto(t testing.TB, extra ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "ens")
	args := append(append([]string{"ensemble", "--out", out}, quickEnsemble...), extra...)
	r := runCLI(t, args...)
	wantOK(t, r, args)
	if r.stdout != "" || r.stderr != "" {
		t.Fatalf("--quiet ensemble printed\nstdout: %s\nstderr: %s", r.stdout, r.stderr)
	}
	return out
}

func TestEnsembleWritesResults(t *testing.T) {
	out := ensembleInto(t)
	if got, want := entries(t, out), []string{"annual_quantiles.csv", "ensemble.json", "manifest.json", "members.parquet"}; !slices.Equal(got, want) {
		t.Fatalf("folder holds %v, want %v", got, want)
	}
	header, rows := readCSV(t, filepath.Join(out, "annual_quantiles.csv"))
	if len(rows) != 3 {
		t.Errorf("%d years, want 3 (2005–2007)", len(rows))
	}
	for _, c := range []string{"year", "months", "members", "remittances_usd_p05", "remittances_usd_p50", "remittances_usd_p95", "poverty_rate_p25", "returnees_jobless_p75"} {
		column(t, header, c)
	}
	if m := rows[0][column(t, header, "members")]; m != "3" {
		t.Errorf("members = %s, want 3", m)
	}
	man := readManifest(t, out)
	if man.Scale != 400 || man.Seed != 1 || man.Scenario != "history" || man.Until != "2007-12" || len(man.Parameters) == 0 {
		t.Errorf("manifest %+v", man)
	}
	var names []string
	for _, f := range man.Files {
		names = append(names, f.Name)
	}
	if !slices.Equal(names, []string{"annual_quantiles.csv", "members.parquet", "ensemble.json"}) {
		t.Errorf("manifest lists %v", names)
	}
	var info struct {
		Members int `json:"members"`
		Keys    []struct {
			Member   int    `json:"member"`
			Seed     uint64 `json:"seed"`
			ParamSet int    `json:"param_set"`
		} `json:"member_keys"`
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(out, "ensemble.json"))), &info); err != nil {
		t.Fatal(err)
	}
	// Member i uses parameter set i mod K of the shipped sample.
	k := shippedSets(t)
	if info.Members != 3 || len(info.Keys) != 3 || info.Keys[2].Seed != 3 || info.Keys[2].ParamSet != 2%k {
		t.Errorf("ensemble.json %+v", info)
	}
}

// TestEnsembleIndependentOfWorkers: every file is byte-identical for
// --workers 1 and 3.
func TestEnsembleIndependentOfWorkers(t *testing.T) {
	a := snapshot(t, ensembleInto(t, "--workers", "1"))
	b := snapshot(t, ensembleInto(t, "--workers", "3"))
	if len(a) != 5 { // "./" and four files
		t.Fatalf("snapshot has %d files", len(a))
	}
	for name := range a {
		if a[name] != b[name] {
			t.Errorf("%s differs between --workers 1 and 3", name)
		}
	}
}

func TestEnsembleSummary(t *testing.T) {
	out := filepath.Join(t.TempDir(), "ens")
	r := runCLI(t, "ensemble", "--out", out, "--members", "2", "--scale", "400", "--until", "2006-12")
	wantOK(t, r, nil)
	for _, w := range []string{"remit $bn p50 [p05–p95]", "2006", "2 members (seeds 1..2", "results in"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("summary lacks %q:\n%s", w, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, "member 2/2 done") {
		t.Errorf("no progress lines on stderr: %q", r.stderr)
	}
}

func TestEnsembleErrors(t *testing.T) {
	tmp := t.TempDir()
	notOurs := filepath.Join(tmp, "notes")
	os.MkdirAll(notOurs, 0o777)
	os.WriteFile(filepath.Join(notOurs, "a.txt"), []byte("mine"), 0o666)
	for _, c := range []struct {
		name     string
		args     []string
		mentions []string
	}{
		{"members 0", []string{"--members", "0"}, []string{"--members", "≥ 1"}},
		{"scale 0", []string{"--scale", "0"}, []string{"--scale"}},
		{"workers negative", []string{"--workers", "-1"}, []string{"--workers"}},
		{"until bad", []string{"--until", "2013-13"}, []string{"--until"}},
		{"until too late", []string{"--until", "2099-01"}, []string{"--until", "2040-12"}},
		{"unknown scenario", []string{"--scenario", "nosuch"}, []string{"--scenario", "nosuch", "history"}},
		{"out not ours", []string{"--out", notOurs}, []string{notOurs, "not empty"}},
		{"argument", []string{"extra"}, []string{"takes no arguments"}},
		{"data missing", []string{"--data", filepath.Join(tmp, "nowhere")}, []string{"--data"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"ensemble", "--out", filepath.Join(tmp, "o"), "--members", "2", "--scale", "400", "--until", "2005-06", "--quiet"}, c.args...)
			r := runCLI(t, args...)
			checkOneLineError(t, r, c.mentions...)
			if _, err := os.Stat(filepath.Join(tmp, "o")); err == nil {
				t.Error("an output folder was written")
			}
		})
	}
	if b, _ := os.ReadFile(filepath.Join(notOurs, "a.txt")); string(b) != "mine" {
		t.Error("the user's folder was touched")
	}
}

func TestEnsembleHelp(t *testing.T) {
	r := runCLI(t, "ensemble", "--help")
	wantOK(t, r, nil)
	for _, w := range []string{"--members", "--seed", "--scale", "--scenario", "--out", "--workers", "--report", "annual_quantiles.csv", "members.parquet", "seed + i", "Examples:"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("ensemble --help lacks %q", w)
		}
	}
}

// shippedSets is the number of parameter sets ensembles draw from: the
// shipped calibration's sample, or the defaults alone.
func shippedSets(t *testing.T) int {
	t.Helper()
	sets, err := params.ShippedSample()
	if err != nil {
		t.Fatal(err)
	}
	return max(len(sets), 1)
}
