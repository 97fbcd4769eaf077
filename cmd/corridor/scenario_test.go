package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/corridor-sim/corridor/policy"
	"github.com/corridor-sim/corridor/scenario"
)

func TestScenarioList(t *testing.T) {
	r := runCLI(t, "scenario", "list")
	wantOK(t, r, []string{"scenario", "list"})
	for _, n := range scenario.LibraryNames() {
		if !strings.Contains(r.stdout, "\n"+n+" ") && !strings.HasPrefix(r.stdout, n+" ") {
			t.Errorf("scenario list does not list %s:\n%s", n, r.stdout)
		}
	}
	if !strings.HasPrefix(r.stdout, "history ") {
		t.Errorf("history is not listed first:\n%s", r.stdout)
	}
}

func TestScenarioUnknownSubcommand(t *testing.T) {
	checkOneLineError(t, runCLI(t, "scenario", "lsit"), `unknown command "lsit" for corridor scenario (valid: list, show, check, schema)`)
}

func TestScenarioShow(t *testing.T) {
	r := runCLI(t, "scenario", "show", "raids-2013")
	wantOK(t, r, []string{"scenario", "show", "raids-2013"})
	for _, want := range []string{"name         raids-2013", "extends      history", "event        enforcement_campaign 3 from 2013-03 until 2013-08 — Shlapentokh",
		"sourced history included in every scenario", "2013-08 registration_grace_days    15"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("show raids-2013 lacks %q:\n%s", want, r.stdout)
		}
	}
	checkOneLineError(t, runCLI(t, "scenario", "show", "raid-2013"), `unknown scenario "raid-2013"`, "did you mean raids-2013")
	checkOneLineError(t, runCLI(t, "scenario", "show"), "takes 1 argument")
}

func TestScenarioCheck(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(good, []byte("name: good\nextends: raids-2013\ndrivers:\n  - series: rub_per_usd\n    from: 2014-01\n    change: {percent: 20}\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("name: bad\nevents:\n  - lever: border_closure\n    from: 2013-03\n  - lever: enforcment_campaign\n    from: 2013-03\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "scenario", "check", good, "history")
	wantOK(t, r, []string{"scenario", "check", good})
	if want := good + ": ok (scenario good: 1 events, 1 driver changes, 0 parameter overrides)\nhistory: ok"; !strings.HasPrefix(r.stdout, want) {
		t.Errorf("check output %q, want it to start with %q", r.stdout, want)
	}
	checkOneLineError(t, runCLI(t, "scenario", "check", good, bad),
		bad+`:5:12: events[1].lever: unknown lever "enforcment_campaign" (did you mean enforcement_campaign?)`)
	checkOneLineError(t, runCLI(t, "scenario", "check", filepath.Join(dir, "none.yaml")), "none.yaml: cannot read")
	checkOneLineError(t, runCLI(t, "scenario", "check"), "needs at least 1 argument")
}

func TestScenarioSchema(t *testing.T) {
	r := runCLI(t, "scenario", "schema")
	wantOK(t, r, []string{"scenario", "schema"})
	if r.stdout != string(scenario.Schema()) {
		t.Error("scenario schema prints something else than scenario.Schema()")
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Errorf("schema is not JSON: %v", err)
	}
}

func TestRunScenario(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "s.yaml")
	// The file's period and scale apply when the flags are not given.
	if err := os.WriteFile(file, []byte("name: short-raids\nextends: raids-2013\nscale: 5000\nperiod:\n  until: 2005-06\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	args := []string{"run", "--quiet", "--scenario", file, "--out", out}
	wantOK(t, runCLI(t, args...), args)
	var m struct {
		Scenario string `json:"scenario"`
		Scale    int    `json:"scale"`
		Until    string `json:"until"`
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(out, "manifest.json"))), &m); err != nil {
		t.Fatal(err)
	}
	if m.Scenario != "short-raids" || m.Scale != 5000 || m.Until != "2005-06" {
		t.Errorf("manifest scenario %q, scale %d, until %s; want short-raids, 5000, 2005-06", m.Scenario, m.Scale, m.Until)
	}
	// Flags win over the file.
	args = []string{"run", "--quiet", "--scenario", file, "--out", out, "--until", "2005-03", "--scale", "6000"}
	wantOK(t, runCLI(t, args...), args)
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(out, "manifest.json"))), &m); err != nil {
		t.Fatal(err)
	}
	if m.Scale != 6000 || m.Until != "2005-03" {
		t.Errorf("flags did not override the file: scale %d, until %s", m.Scale, m.Until)
	}
	// A library scenario by name.
	args = []string{"run", "--quiet", "--scenario", "no-grace", "--out", out, "--scale", "5000", "--until", "2005-03"}
	wantOK(t, runCLI(t, args...), args)

	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("name: bad\nevents:\n  - lever: border_closure\n    from: 2013-03\n    intensity: 7\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	checkOneLineError(t, runCLI(t, "run", "--quiet", "--scenario", bad, "--out", out),
		"--scenario: "+bad+":5:16: events[0].intensity: 7 is outside 0..1 for border_closure")
	checkOneLineError(t, runCLI(t, "run", "--quiet", "--scenario", "pressure2013", "--out", out), `unknown scenario "pressure2013"`, "did you mean pressure-2013")
}

func TestCompareCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "cmp")
	args := []string{"compare", "history", "raids-2013", "--scale", "5000", "--until", "2014-12", "--out", out}
	r := runCLI(t, args...)
	wantOK(t, r, args)
	for _, want := range []string{"raids-2013 (B) compared with history (A)", "remittances lost, cumulative", "months to recover: remittances_usd"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("compare output lacks %q:\n%s", want, r.stdout)
		}
	}
	if got := entries(t, out); strings.Join(got, " ") != "difference_annual.csv headline.csv manifest.json" {
		t.Errorf("compare wrote %v", got)
	}
	h, rows := readCSV(t, filepath.Join(out, "difference_annual.csv"))
	if strings.Join(h, ",") != "year,output,unit,a,b,difference,percent" || len(rows) == 0 {
		t.Errorf("difference_annual.csv header %v, %d rows", h, len(rows))
	}
	d := column(t, h, "difference")
	for _, row := range rows {
		if row[0] < "2013" && row[d] != "0" {
			t.Fatalf("difference before the raids start: %v", row)
		}
	}
	h, rows = readCSV(t, filepath.Join(out, "headline.csv"))
	if strings.Join(h, ",") != "measure,value,unit,note" || len(rows) < 10 {
		t.Errorf("headline.csv header %v, %d rows", h, len(rows))
	}

	checkOneLineError(t, runCLI(t, "compare", "history"), "compare takes two scenarios")
	checkOneLineError(t, runCLI(t, "compare", "history", "nope", "--out", out), "scenario B", `unknown scenario "nope"`)
	checkOneLineError(t, runCLI(t, "compare", "history", "raids-2013", "--tolerance", "0", "--out", out), "--tolerance")
	checkOneLineError(t, runCLI(t, "compare", "history", "raids-2013", "--until", "2013", "--out", out), "--until", `"2013"`)
}

func TestLeverageCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "lev")
	args := []string{"leverage", "--scale", "5000", "--years", "1", "--out", out}
	r := runCLI(t, args...)
	wantOK(t, r, args)
	if !strings.Contains(r.stdout, "rank  lever") || !strings.Contains(r.stdout, "levers ranked in") {
		t.Errorf("leverage output:\n%s", r.stdout)
	}
	h, rows := readCSV(t, filepath.Join(out, "leverage.csv"))
	if len(rows) != len(policy.Levers()) {
		t.Errorf("%d rows for %d levers", len(rows), len(policy.Levers()))
	}
	for _, c := range []string{"rank", "lever", "remittances_lost_usd", "remittances_lost_pct_gdp", "labour_lost_person_years_construction",
		"patent_revenue_lost_usd", "leverage_ratio", "hardest_hit_region"} {
		column(t, h, c)
	}
	checkOneLineError(t, runCLI(t, "leverage", "--years", "0", "--out", out), "--years")
	checkOneLineError(t, runCLI(t, "leverage", "--start", "2040-01", "--out", out), "--start 2040-01")
	checkOneLineError(t, runCLI(t, "leverage", "--base", "nope", "--out", out), "--base", `unknown scenario "nope"`)
}

// TestNewCommandsHelp checks that every new command teaches: Long help and
// examples.
func TestNewCommandsHelp(t *testing.T) {
	for _, args := range [][]string{{"scenario"}, {"scenario", "list"}, {"scenario", "show"}, {"scenario", "check"}, {"scenario", "schema"}, {"compare"}, {"leverage"}} {
		r := runCLI(t, append(args, "--help")...)
		wantOK(t, r, args)
		if !strings.Contains(r.stdout, "Examples:") || len(r.stdout) < 300 {
			t.Errorf("%v --help has no examples or little text:\n%s", args, r.stdout)
		}
	}
}

// TestCompareBands runs compare as ensembles: difference_bands.csv has
// every quantile column, and the paired members share their random
// numbers, so every band is exactly zero before the lever starts (2013-03)
// and not all zero after it.
func TestCompareBands(t *testing.T) {
	out := filepath.Join(t.TempDir(), "cmp")
	args := []string{"compare", "history", "raids-2013", "--members", "2", "--scale", "400", "--until", "2014-12", "--out", out, "--quiet"}
	wantOK(t, runCLI(t, args...), args)
	f, err := os.Open(filepath.Join(out, "difference_bands.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := rows[0]
	if head[0] != "year" || !slices.Contains(head, "deportations_p05") || !slices.Contains(head, "remittances_usd_p95") {
		t.Fatalf("header %v: want year and <output>_p05..p95 columns", head[:min(len(head), 8)])
	}
	if len(rows) != 1+10 {
		t.Fatalf("%d rows, want a header and 10 years (2005–2014)", len(rows))
	}
	dep := slices.Index(head, "deportations_p50")
	changed := false
	for _, r := range rows[1:] {
		year, _ := strconv.Atoi(r[0])
		for j := 3; j < len(r); j++ {
			if x, err := strconv.ParseFloat(r[j], 64); err != nil || (year < 2013 && x != 0) {
				t.Fatalf("%d %s = %s, want exactly 0 before the lever", year, head[j], r[j])
			}
		}
		if x, _ := strconv.ParseFloat(r[dep], 64); year >= 2013 && x != 0 {
			changed = true
		}
	}
	if !changed {
		t.Error("raids-2013 changed no member's deportations in 2013–2014")
	}
}
