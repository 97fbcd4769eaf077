package main

import (
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func checkHTML(t testing.TB, path string) string {
	t.Helper()
	html := readFile(t, path)
	if !strings.HasPrefix(html, "<!DOCTYPE html>") || !strings.Contains(html, "const DATA = ") || !strings.Contains(html, "Policy timeline") {
		t.Errorf("%s does not look like a report", path)
	}
	return html
}

func TestReportFromResults(t *testing.T) {
	out := runInto(t)
	pngs := filepath.Join(t.TempDir(), "figures")
	r := runCLI(t, "report", "--results", out, "--png", pngs)
	wantOK(t, r, nil)
	if !strings.Contains(r.stdout, "report written to") || !strings.Contains(r.stdout, "7 PNG charts written to") {
		t.Errorf("stdout: %s", r.stdout)
	}
	checkHTML(t, filepath.Join(out, "report.html"))
	files, _ := os.ReadDir(pngs)
	if len(files) != 7 {
		t.Fatalf("%d PNG files, want 7", len(files))
	}
	for _, f := range files {
		fh, err := os.Open(filepath.Join(pngs, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.DecodeConfig(fh); err != nil {
			t.Errorf("%s: %v", f.Name(), err)
		}
		fh.Close()
	}
	// --html elsewhere leaves the results folder alone.
	other := filepath.Join(t.TempDir(), "r.html")
	before := snapshot(t, out)
	wantOK(t, runCLI(t, "report", "--results", out, "--html", other), nil)
	checkHTML(t, other)
	after := snapshot(t, out)
	for name := range before {
		if before[name] != after[name] {
			t.Errorf("%s changed", name)
		}
	}
}

func TestRunReportFlag(t *testing.T) {
	out := runInto(t, "--report")
	if got := entries(t, out); !slices.Contains(got, "report.html") {
		t.Fatalf("run --report wrote %v", got)
	}
	html := checkHTML(t, filepath.Join(out, "report.html"))
	if !strings.Contains(html, "annual.csv") {
		t.Error("report lacks the manifest's files")
	}
	// The manifest still checks out: report.html is written after it and
	// does not change the tables.
	man := readManifest(t, out)
	for _, f := range man.Files {
		if f.Name == "report.html" {
			t.Error("manifest lists report.html")
		}
	}
}

func TestReportRunsFirst(t *testing.T) {
	out := filepath.Join(t.TempDir(), "rep")
	r := runCLI(t, "report", "--out", out, "--members", "2", "--scale", "400", "--until", "2006-12")
	wantOK(t, r, nil)
	if got, want := entries(t, out), []string{"annual_quantiles.csv", "ensemble.json", "manifest.json", "members.parquet", "report.html"}; !slices.Equal(got, want) {
		t.Fatalf("folder holds %v, want %v", got, want)
	}
	html := checkHTML(t, filepath.Join(out, "report.html"))
	sets := "1 parameter set"
	if shippedSets(t) >= 2 {
		sets = "2 parameter sets"
	}
	if !strings.Contains(html, "Ensemble of 2 members (seeds 1 to 2, "+sets+")") {
		t.Error("ensemble report does not say so")
	}
	single := filepath.Join(t.TempDir(), "one")
	wantOK(t, runCLI(t, "report", "--out", single, "--scale", "400", "--until", "2005-12"), nil)
	if got := entries(t, single); !slices.Contains(got, "annual.csv") || !slices.Contains(got, "report.html") {
		t.Errorf("single-run report folder holds %v", got)
	}
}

func TestReportErrors(t *testing.T) {
	tmp := t.TempDir()
	out := runInto(t)
	bad := filepath.Join(tmp, "bad")
	os.MkdirAll(bad, 0o777)
	for _, f := range []string{"manifest.json", "annual.csv"} {
		b, _ := os.ReadFile(filepath.Join(out, f))
		os.WriteFile(filepath.Join(bad, f), b, 0o666)
	}
	setCell(t, filepath.Join(bad, "annual.csv"), 3, 5, "lots")
	empty := filepath.Join(tmp, "empty")
	os.MkdirAll(empty, 0o777)
	file := filepath.Join(tmp, "file.txt")
	os.WriteFile(file, []byte("x"), 0o666)
	for _, c := range []struct {
		name     string
		args     []string
		mentions []string
	}{
		{"results missing", []string{"--results", filepath.Join(tmp, "nowhere")}, []string{"--results", "nowhere"}},
		{"results is a file", []string{"--results", file}, []string{"--results", "not a folder"}},
		{"results not corridor", []string{"--results", empty}, []string{empty, "manifest.json"}},
		{"bad cell", []string{"--results", bad}, []string{filepath.Join(bad, "annual.csv") + ":3:", `"lots"`, "field "}},
		{"members 0", []string{"--members", "0", "--out", filepath.Join(tmp, "o")}, []string{"--members"}},
		{"run flag with results", []string{"--results", out, "--scale", "5"}, []string{"--scale", "--results"}},
		{"unknown scenario", []string{"--scenario", "nosuch", "--members", "2", "--out", filepath.Join(tmp, "o")}, []string{"nosuch"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			checkOneLineError(t, runCLI(t, append([]string{"report"}, c.args...)...), c.mentions...)
		})
	}
}

func TestReportHelp(t *testing.T) {
	r := runCLI(t, "report", "--help")
	wantOK(t, r, nil)
	for _, w := range []string{"--results", "--html", "--png", "--members", "offline", "Examples:"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("report --help lacks %q", w)
		}
	}
	r = runCLI(t, "run", "--help")
	if !strings.Contains(r.stdout, "--report") {
		t.Error("run --help lacks --report")
	}
}
