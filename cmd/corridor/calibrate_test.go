package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corridor-sim/corridor/calibration"
)

func TestCalibrateErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte(strings.Join(calibration.TargetsHeader, ",")+"\nremittances_usd,2020,1e9,exact,1,x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	notDir := filepath.Join(dir, "file")
	os.WriteFile(notDir, []byte("x"), 0o644)
	tests := []struct {
		args     []string
		mentions []string
	}{
		{[]string{"calibrate", "--budget", "0"}, []string{"--budget must be ≥ 1"}},
		{[]string{"calibrate", "--scale", "0"}, []string{"--scale"}},
		{[]string{"calibrate", "--population", "1"}, []string{"--population"}},
		{[]string{"calibrate", "--targets", filepath.Join(dir, "missing.csv")}, []string{"--targets", "missing.csv"}},
		{[]string{"calibrate", "--targets", bad}, []string{"bad.csv:2:17: year: 2020 is after 2018"}},
		{[]string{"calibrate", "--install", "--out", filepath.Join(dir, "o")}, []string{"--install", "repository root"}},
		{[]string{"calibrate", "--out", notDir}, []string{"is not a folder"}},
		{[]string{"calibrate", "extra"}, []string{"takes no arguments"}},
		{[]string{"validate", "--members", "0"}, []string{"--members"}},
		{[]string{"validate", "--out", notDir}, []string{"file"}},
	}
	for _, tc := range tests {
		r := runCLI(t, tc.args...)
		checkOneLineError(t, r, tc.mentions...)
	}
}

// TestCalibrateSmall runs a tiny calibration through the CLI, checks its
// files, and runs it again: the journal is replayed, not re-evaluated.
func TestCalibrateSmall(t *testing.T) {
	out := filepath.Join(t.TempDir(), "cal")
	args := []string{"calibrate", "--budget", "2", "--population", "2", "--scale", "400", "--replicates", "1", "--check-scale", "400", "--out", out}
	r := runCLI(t, args...)
	wantOK(t, r, args)
	for _, name := range []string{calibration.CalibratedFile, calibration.SampleFile, calibration.JournalFile} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("missing %s: %v", name, err)
		}
	}
	if !strings.Contains(r.stdout, "remittances (USD) training MAPE") || !strings.Contains(r.stdout, "3 evaluations (0 read back") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	r = runCLI(t, args...)
	wantOK(t, r, args)
	if !strings.Contains(r.stdout, "3 evaluations (2 read back from the journal)") {
		t.Errorf("second run did not replay the journal:\n%s", r.stdout)
	}
	src, err := os.ReadFile(filepath.Join(out, calibration.CalibratedFile))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := calibration.ParseCalibrated("calibrated.json", src)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Command != "corridor calibrate --budget 2 --scale 400 --replicates 1 --population 2 --check-scale 400" || doc.ScaleCheck == nil || doc.Settings.Scale != 400 || len(doc.Parameters) != len(calibration.FreeParameters) {
		t.Errorf("calibrated.json: command %q, scale %d, %d parameters", doc.Command, doc.Settings.Scale, len(doc.Parameters))
	}
}

func TestValidateSmall(t *testing.T) {
	out := filepath.Join(t.TempDir(), "val")
	args := []string{"validate", "--scale", "400", "--members", "2", "--seeds", "1", "--out", out, "--no-guard"}
	r := runCLI(t, args...)
	wantOK(t, r, args)
	for _, want := range []string{"remittances_usd", "persistence", "wage baseline", "goal (remittances USD", "forecast 2019–2024", "2024"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	for _, name := range []string{"validation.csv", "errors.csv", "manifest.json"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("missing %s: %v", name, err)
		}
	}
	b, _ := os.ReadFile(filepath.Join(out, "validation.csv"))
	if strings.Contains(string(b), "training,remittances_usd,2019") {
		t.Error("validation.csv compares a forecast year")
	}
	if !strings.Contains(string(b), "forecast,remittances_usd,2024") {
		t.Error("validation.csv lacks the 2024 forecast")
	}
}
