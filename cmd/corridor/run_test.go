package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/corridor-sim/corridor/data"
	"github.com/corridor-sim/corridor/params"
	"github.com/corridor-sim/corridor/results"
)

// quick is a coarse, short run: 17,158 agents for 36 months (tens of ms).
var quick = []string{"--scale", "400", "--until", "2007-12", "--quiet"}

// runInto runs corridor run with quick plus extra into a new folder and
// returns the folder.
func runInto(t testing.TB, extra ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	args := append(append([]string{"run", "--out", out}, quick...), extra...)
	r := runCLI(t, args...)
	wantOK(t, r, args)
	if r.stdout != "" || r.stderr != "" {
		t.Fatalf("--quiet run printed\nstdout: %s\nstderr: %s", r.stdout, r.stderr)
	}
	return out
}

// The columns the output must have (issue: annual outputs).
var requiredAnnual = []string{
	"year", "population", "migrants_abroad", "migrants_in_russia", "departures", "returns",
	"deportations", "entry_bans_active", "remittances_usd", "remittances_pct_gdp",
	"households_with_migrant_share", "poverty_rate", "returnees_jobless",
}

func TestRunWritesResults(t *testing.T) {
	out := runInto(t)

	// Exactly the five files (two tables as CSV and Parquet, the manifest),
	// and nothing beside the folder.
	if got, want := entries(t, out), []string{results.AnnualFile, results.AnnualParquet, results.ManifestFile, results.MonthlyFile, results.MonthlyParquet}; !slices.Equal(got, want) {
		t.Fatalf("output folder holds %v, want %v", got, want)
	}
	if got := entries(t, filepath.Dir(out)); !slices.Equal(got, []string{"out"}) {
		t.Errorf("beside the output folder: %v, want only out (no temporary folders)", got)
	}

	// annual.csv: the required columns, one row per year 2005–2007.
	header, rows := readCSV(t, filepath.Join(out, results.AnnualFile))
	if header[0] != "year" {
		t.Errorf("annual.csv starts with column %q, want year", header[0])
	}
	for _, c := range requiredAnnual {
		column(t, header, c)
	}
	var years []string
	for _, row := range rows {
		years = append(years, row[0])
	}
	if want := []string{"2005", "2006", "2007"}; !slices.Equal(years, want) {
		t.Fatalf("annual.csv years %v, want %v", years, want)
	}
	num := func(row []string, name string) float64 {
		t.Helper()
		v, err := strconv.ParseFloat(row[column(t, header, name)], 64)
		if err != nil {
			t.Fatalf("annual.csv %s: %v", name, err)
		}
		return v
	}
	for _, row := range rows {
		for i, cell := range row {
			if _, err := strconv.ParseFloat(cell, 64); err != nil {
				t.Errorf("annual.csv %s %s: %q is not a number", row[0], header[i], cell)
			}
		}
		// Plausibility: Tajikistan had 6.9–7.3 million people in 2005–2007.
		if p := num(row, "population"); p < 6e6 || p > 8e6 {
			t.Errorf("%s: population %v, want 6–8 million", row[0], p)
		}
		if ru, ab := num(row, "migrants_in_russia"), num(row, "migrants_abroad"); !(ru > 0 && ru <= ab) {
			t.Errorf("%s: migrants_in_russia %v, migrants_abroad %v", row[0], ru, ab)
		}
		for _, share := range []string{"households_with_migrant_share", "poverty_rate"} {
			if v := num(row, share); !(v >= 0 && v <= 1) {
				t.Errorf("%s: %s = %v is not a share", row[0], share, v)
			}
		}
		if v := num(row, "remittances_usd"); !(v > 0) {
			t.Errorf("%s: remittances_usd %v", row[0], v)
		}
		if v := num(row, "remittances_pct_gdp"); !(v > 0 && v < 100) {
			t.Errorf("%s: remittances_pct_gdp %v", row[0], v)
		}
	}

	// monthly.csv: 36 months in order.
	mheader, mrows := readCSV(t, filepath.Join(out, results.MonthlyFile))
	if mheader[0] != "month" {
		t.Errorf("monthly.csv starts with column %q, want month", mheader[0])
	}
	if len(mrows) != 36 {
		t.Fatalf("monthly.csv has %d rows, want 36", len(mrows))
	}
	for i, row := range mrows {
		if want := fmt.Sprintf("%d-%02d", 2005+i/12, i%12+1); row[0] != want {
			t.Fatalf("monthly.csv row %d is month %q, want %s", i+1, row[0], want)
		}
		if len(row) != len(mheader) {
			t.Fatalf("monthly.csv row %d has %d fields, header %d", i+1, len(row), len(mheader))
		}
	}

	// manifest.json.
	raw := readFile(t, filepath.Join(out, results.ManifestFile))
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &fields); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	for _, k := range []string{"seed", "scale", "scenario", "from", "until", "parameters", "inputs_sha256", "files", "corridor_version"} {
		if _, ok := fields[k]; !ok {
			t.Errorf("manifest.json has no %q", k)
		}
	}
	m := readManifest(t, out)
	if m.Seed != 1 || m.Scale != 400 || m.Scenario != "history" || m.From != "2005-01" || m.Until != "2007-12" {
		t.Errorf("manifest seed %d scale %d scenario %q from %q until %q, want 1 400 history 2005-01 2007-12",
			m.Seed, m.Scale, m.Scenario, m.From, m.Until)
	}
	if m.Agents < 17000 || m.Agents > 18000 {
		t.Errorf("manifest agents %d, want about 7 million / 400", m.Agents)
	}
	if m.CorridorVersion != results.Version {
		t.Errorf("manifest corridor_version %q, want %q", m.CorridorVersion, results.Version)
	}
	ref, err := data.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if m.InputsSHA256 != ref.Hash || len(m.InputsSHA256) != 64 {
		t.Errorf("manifest inputs_sha256 %q, want the embedded data's %q", m.InputsSHA256, ref.Hash)
	}
	// Every parameter is recorded (profiles as name[i]).
	recorded := map[string]bool{}
	for _, p := range m.Parameters {
		recorded[p.Name] = true
	}
	for _, name := range params.Names() {
		if !recorded[name] && !recorded[name+"[0]"] {
			t.Errorf("manifest lacks parameter %s", name)
		}
	}
	// The files' hashes and sizes are those of the files on disk.
	var listed []string
	for _, f := range m.Files {
		listed = append(listed, f.Name)
		b, err := os.ReadFile(filepath.Join(out, f.Name))
		if err != nil {
			t.Errorf("manifest lists %s: %v", f.Name, err)
			continue
		}
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != f.SHA256 {
			t.Errorf("manifest sha256 of %s is %s, the file's is %s", f.Name, f.SHA256, got)
		}
		if int64(len(b)) != f.Bytes {
			t.Errorf("manifest bytes of %s is %d, the file has %d", f.Name, f.Bytes, len(b))
		}
	}
	slices.Sort(listed)
	if want := []string{results.AnnualFile, results.AnnualParquet, results.MonthlyFile, results.MonthlyParquet}; !slices.Equal(listed, want) {
		t.Errorf("manifest lists files %v, want %v", listed, want)
	}
}

func readManifest(t testing.TB, out string) results.Manifest {
	t.Helper()
	var m results.Manifest
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(out, results.ManifestFile))), &m); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	return m
}

// --from only chooses the first month written: the rows written are those
// of a run from 2005, since the simulation still starts in 2005-01.
func TestRunFrom(t *testing.T) {
	full := runInto(t)
	part := runInto(t, "--from", "2006-01")

	_, fullAnnual := readCSV(t, filepath.Join(full, results.AnnualFile))
	_, partAnnual := readCSV(t, filepath.Join(part, results.AnnualFile))
	if len(partAnnual) != 2 || partAnnual[0][0] != "2006" || partAnnual[1][0] != "2007" {
		t.Fatalf("--from 2006-01: annual rows %v, want 2006 and 2007", partAnnual)
	}
	if !reflect.DeepEqual(partAnnual, fullAnnual[1:]) {
		t.Errorf("--from 2006-01 annual rows differ from the full run's 2006–2007 rows")
	}
	_, fullMonthly := readCSV(t, filepath.Join(full, results.MonthlyFile))
	_, partMonthly := readCSV(t, filepath.Join(part, results.MonthlyFile))
	if len(partMonthly) != 24 || partMonthly[0][0] != "2006-01" {
		t.Fatalf("--from 2006-01: %d monthly rows starting %q, want 24 from 2006-01", len(partMonthly), partMonthly[0][0])
	}
	if !reflect.DeepEqual(partMonthly, fullMonthly[12:]) {
		t.Errorf("--from 2006-01 monthly rows differ from the full run's 2006–2007 rows")
	}
	m := readManifest(t, part)
	if m.From != "2006-01" || m.Until != "2007-12" {
		t.Errorf("manifest from %q until %q, want 2006-01 2007-12", m.From, m.Until)
	}
	if m.Agents != readManifest(t, full).Agents {
		t.Errorf("manifest agents %d, want the full run's %d (the simulation starts in 2005)", m.Agents, readManifest(t, full).Agents)
	}
}

// The months before --until must not depend on how far the run goes on.
func TestRunPrefixIndependentOfUntil(t *testing.T) {
	short := runInto(t) // until 2007-12
	long := runInto(t, "--until", "2011-12")
	_, shortRows := readCSV(t, filepath.Join(short, results.MonthlyFile))
	_, longRows := readCSV(t, filepath.Join(long, results.MonthlyFile))
	for i, row := range shortRows {
		if !slices.Equal(row, longRows[i]) {
			t.Fatalf("month %s differs between --until 2007-12 and --until 2011-12:\n%v\n%v", row[0], row, longRows[i])
		}
	}
}

func TestRunReplacesEarlierOutput(t *testing.T) {
	out := runInto(t)
	if err := os.WriteFile(filepath.Join(out, "stale.txt"), []byte("from the first run\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"run", "--out", out, "--seed", "2"}, quick...)
	wantOK(t, runCLI(t, args...), args)
	if got, want := entries(t, out), []string{results.AnnualFile, results.AnnualParquet, results.ManifestFile, results.MonthlyFile, results.MonthlyParquet}; !slices.Equal(got, want) {
		t.Errorf("after re-running, the folder holds %v, want %v", got, want)
	}
	if got := entries(t, filepath.Dir(out)); !slices.Equal(got, []string{"out"}) {
		t.Errorf("beside the output folder: %v, want only out", got)
	}
	if m := readManifest(t, out); m.Seed != 2 {
		t.Errorf("manifest seed %d after re-running with --seed 2", m.Seed)
	}
}

// outputs returns the three files of an output folder.
func outputs(t testing.TB, out string) map[string]string {
	t.Helper()
	return map[string]string{
		results.AnnualFile:   readFile(t, filepath.Join(out, results.AnnualFile)),
		results.MonthlyFile:  readFile(t, filepath.Join(out, results.MonthlyFile)),
		results.ManifestFile: readFile(t, filepath.Join(out, results.ManifestFile)),
	}
}

func TestRunDeterminism(t *testing.T) {
	var first, second, w1, w3, seed2, set string
	for _, r := range []struct {
		dst  *string
		args []string
	}{
		{&first, []string{"--seed", "7"}},
		{&second, []string{"--seed", "7"}},
		{&w1, []string{"--seed", "7", "--workers", "1"}},
		{&w3, []string{"--seed", "7", "--workers", "3"}},
		{&seed2, []string{"--seed", "8"}},
		{&set, []string{"--seed", "7", "--set", "remit_share=0.25"}},
	} {
		*r.dst = runInto(t, r.args...)
	}

	a, b := outputs(t, first), outputs(t, second)
	for _, name := range []string{results.AnnualFile, results.MonthlyFile, results.ManifestFile} {
		if a[name] != b[name] {
			t.Errorf("same seed twice: %s differs", name)
		}
	}
	o1, o3 := outputs(t, w1), outputs(t, w3)
	for _, name := range []string{results.AnnualFile, results.MonthlyFile, results.ManifestFile} {
		if o1[name] != o3[name] {
			t.Errorf("--workers 1 and --workers 3: %s differs", name)
		}
		if o1[name] != a[name] {
			t.Errorf("--workers 1 and the default: %s differs", name)
		}
	}
	if outputs(t, seed2)[results.MonthlyFile] == a[results.MonthlyFile] {
		t.Errorf("--seed 7 and --seed 8 give the same monthly.csv")
	}

	// --set changes the results and is recorded in the manifest.
	if outputs(t, set)[results.AnnualFile] == a[results.AnnualFile] {
		t.Errorf("--set remit_share=0.25 gives the same annual.csv as the default")
	}
	found := false
	for _, p := range readManifest(t, set).Parameters {
		if p.Name == "remit_share" {
			found = true
			if p.Value != 0.25 {
				t.Errorf("manifest remit_share %v, want 0.25", p.Value)
			}
		}
	}
	if !found {
		t.Errorf("manifest has no remit_share")
	}
}

// A --data folder holding an unchanged copy of the embedded data gives the
// same results and the same inputs hash.
func TestRunDataCopy(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	copyData(t, dir)
	if err := os.WriteFile(filepath.Join(dir, "README.txt"), []byte("other files are ignored\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	a, b := outputs(t, runInto(t)), outputs(t, runInto(t, "--data", dir))
	for name := range a {
		if a[name] != b[name] {
			t.Errorf("--data with a copy of the embedded data: %s differs", name)
		}
	}
}

// Without --quiet, stdout gets the summary table and stderr the progress
// (one line per simulated year when stderr is not a terminal).
func TestRunSummary(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	args := []string{"run", "--scale", "400", "--until", "2007-12", "--out", out}
	r := runCLI(t, args...)
	wantOK(t, r, args)
	for _, want := range []string{"year", "remit $bn", "% GDP", "2005", "2006", "2007", "agents (scale 400)", "2005-01..2007-12", "results in " + out} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, r.stdout)
		}
	}
	if want := "simulated 12/36 months\nsimulated 24/36 months\nsimulated 36/36 months\n"; r.stderr != want {
		t.Errorf("progress on stderr:\n%s\nwant\n%s", r.stderr, want)
	}
}

func quickOptions(out string) runOptions {
	return runOptions{scenario: "history", seed: 1, scale: 400, from: "2005-01", until: "2007-12", out: out, quiet: true}
}

// A run cancelled before it starts writes nothing.
func TestExecuteRunCancelled(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	err := executeRun(ctx, quickOptions(out), &stdout, &stderr)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("executeRun with a cancelled context: %v, want context.Canceled", err)
	}
	if _, err := os.Lstat(out); !os.IsNotExist(err) {
		t.Errorf("--out folder exists after a cancelled run (%v)", err)
	}
	if got := entries(t, parent); len(got) != 0 {
		t.Errorf("a cancelled run left %v", got)
	}
	if stdout.Len() != 0 {
		t.Errorf("a cancelled run printed a summary:\n%s", stdout.String())
	}
}

// cancelWriter cancels a run when the progress reaches a given line.
type cancelWriter struct {
	buf    bytes.Buffer
	at     string
	cancel func()
}

func (w *cancelWriter) Write(p []byte) (int, error) {
	w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.at) {
		w.cancel()
	}
	return len(p), nil
}

// A run cancelled half-way leaves an earlier output in --out as it was.
func TestExecuteRunCancelledMidway(t *testing.T) {
	out := runInto(t)
	before := snapshot(t, filepath.Dir(out))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o := quickOptions(out)
	o.quiet = false // progress lines drive the cancellation
	o.seed = 99
	stderr := &cancelWriter{at: "simulated 12/36", cancel: cancel}
	var stdout bytes.Buffer
	err := executeRun(ctx, o, &stdout, stderr)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("executeRun cancelled after a year: %v, want context.Canceled", err)
	}
	if strings.Contains(stderr.buf.String(), "simulated 24/36") {
		t.Errorf("the run went on after it was cancelled:\n%s", stderr.buf.String())
	}
	if after := snapshot(t, filepath.Dir(out)); !reflect.DeepEqual(after, before) {
		t.Errorf("a cancelled run changed the earlier output: before %v, after %v", keys(before), keys(after))
	}
	if stdout.Len() != 0 {
		t.Errorf("a cancelled run printed a summary:\n%s", stdout.String())
	}
}
