package report

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/ensemble"
	"github.com/corridor-sim/corridor/params"
	"github.com/corridor-sim/corridor/results"
	"github.com/corridor-sim/corridor/scenario"
)

// The test folders are made once: a single run and a small ensemble at
// scale 100, 2005-01..2020-12 (past the end of the observed data).
var (
	foldersOnce         sync.Once
	runDir, ensembleDir string
	foldersErr          error
	testUntil           = calendar.Of(2020, 12)
	testScale, testSeed = 100, uint64(3)
	foldersRoot         string
)

func folders(t testing.TB) (run, ens string) {
	t.Helper()
	foldersOnce.Do(func() {
		foldersRoot, foldersErr = os.MkdirTemp("", "corridor-report-test-")
		if foldersErr != nil {
			return
		}
		runDir = filepath.Join(foldersRoot, "run")
		ensembleDir = filepath.Join(foldersRoot, "ensemble")
		foldersErr = writeRun(runDir)
		if foldersErr == nil {
			foldersErr = writeEnsemble(ensembleDir)
		}
	})
	if foldersErr != nil {
		t.Fatal(foldersErr)
	}
	return runDir, ensembleDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if foldersRoot != "" {
		os.RemoveAll(foldersRoot)
	}
	os.Exit(code)
}

func manifestFor(scale int, seed uint64, until calendar.Month, agents int) results.Manifest {
	m := results.NewManifest()
	m.Seed, m.Scale, m.Scenario = seed, scale, "history"
	m.From, m.Until, m.Agents = scenario.ModelStart.String(), until.String(), agents
	return m
}

func writeRun(dir string) error {
	res, err := scenario.Simulate(context.Background(), scenario.History(), scenario.Options{Seed: testSeed, Scale: testScale, Until: testUntil, Workers: 1})
	if err != nil {
		return err
	}
	m := manifestFor(testScale, testSeed, testUntil, res.Agents)
	m.InputsSHA256 = res.Inputs.Ref.Hash
	_, err = results.WriteOutput(dir, m, results.TableFiles(res.Records)...)
	return err
}

func writeEnsemble(dir string) error {
	e, err := ensemble.Run(context.Background(), scenario.History(), ensemble.Options{
		Members: 3, Seed: testSeed, Scale: testScale, Until: testUntil, ParamSets: []params.Params{params.Defaults()},
	})
	if err != nil {
		return err
	}
	files, err := e.Files()
	if err != nil {
		return err
	}
	m := manifestFor(testScale, testSeed, testUntil, e.Members[0].Agents)
	m.InputsSHA256 = e.Options.Ref.Hash
	_, err = results.WriteOutput(dir, m, files...)
	return err
}

func buildFrom(t testing.TB, dir string) *Report {
	t.Helper()
	src, err := Load(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Build(src)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestBuildRunAndEnsemble(t *testing.T) {
	run, ens := folders(t)
	for _, c := range []struct {
		dir      string
		ensemble bool
	}{{run, false}, {ens, true}} {
		r := buildFrom(t, c.dir)
		if r.Ensemble != c.ensemble {
			t.Errorf("%s: Ensemble = %v", c.dir, r.Ensemble)
		}
		if c.ensemble && (r.Members != 3 || r.ParamSets != 1 || len(r.Notes) != 1 || !strings.Contains(r.Notes[0], "one parameter set")) {
			t.Errorf("ensemble: %d members, %d parameter sets, notes %q", r.Members, r.ParamSets, r.Notes)
		}
		if !c.ensemble && (r.Members != 0 || len(r.Notes) != 0) {
			t.Errorf("run: members %d, notes %q", r.Members, r.Notes)
		}
		if len(r.Charts) != len(charts) {
			t.Fatalf("%d charts, want %d", len(r.Charts), len(charts))
		}
		for _, ch := range r.Charts {
			if ch.Years[0] != 2005 || ch.Years[len(ch.Years)-1] != 2020 {
				t.Errorf("chart %s years %d..%d", ch.ID, ch.Years[0], ch.Years[len(ch.Years)-1])
			}
			for _, s := range ch.Series {
				if len(s.Mid) != len(ch.Years) || (s.Lo != nil) != c.ensemble {
					t.Errorf("chart %s series %s: %d values, band %v", ch.ID, s.Column, len(s.Mid), s.Lo != nil)
				}
				for i := range s.Lo {
					if !(s.Lo[i] <= s.Q25[i] && s.Q25[i] <= s.Mid[i] && s.Mid[i] <= s.Q75[i] && s.Q75[i] <= s.Hi[i]) {
						t.Fatalf("chart %s %s year %d: band not ordered", ch.ID, s.Column, ch.Years[i])
					}
				}
			}
			for _, o := range ch.Observed {
				for _, p := range o.Points {
					if p.Year > r.LastYear || p.Source == "" || p.Where == "" {
						t.Errorf("chart %s observed point %+v", ch.ID, p)
					}
				}
			}
		}
		// Remittances: observed 2005–2018 on the chart, in USD billion.
		rem := r.Charts[0]
		if rem.ID != "remittances" || len(rem.Observed) != 1 || len(rem.Observed[0].Points) != 14 {
			t.Fatalf("remittances chart: %+v", rem.Observed)
		}
		if v := rem.Observed[0].Points[8].Value; v < 3 || v > 4.5 { // 2013: USD 3.7 bn
			t.Errorf("observed remittances 2013 = %v USD bn", v)
		}
		// The fit table: remittances have exact points and a MAPE; the
		// poverty rate is compared in %.
		var seen []string
		for _, fs := range r.Fit {
			seen = append(seen, fs.Column)
			if fs.Column == "remittances_usd" && (fs.Exact != 14 || !(fs.MAPE > 0 && fs.MAPE < 100)) {
				t.Errorf("remittances fit: %d exact points, MAPE %v", fs.Exact, fs.MAPE)
			}
			if fs.Column == "poverty_rate" {
				for _, row := range fs.Rows {
					if row.Observed < 20 || row.Observed > 90 {
						t.Errorf("poverty %d observed %v, want a percentage", row.Year, row.Observed)
					}
				}
			}
		}
		for _, want := range []string{"remittances_usd", "remittances_pct_gdp", "migrants_in_russia", "departures", "deportations", "entry_bans_active", "poverty_rate"} {
			if !slices.Contains(seen, want) {
				t.Errorf("fit table lacks %s", want)
			}
		}
		if len(r.Events) == 0 {
			t.Error("no policy timeline")
		}
	}
}

// TestHTMLSelfContained: the page inlines everything; no script, style
// sheet, image or font is referenced by URL.
func TestHTMLSelfContained(t *testing.T) {
	run, ens := folders(t)
	for _, dir := range []string{run, ens} {
		var b bytes.Buffer
		if err := WriteHTML(&b, buildFrom(t, dir)); err != nil {
			t.Fatal(err)
		}
		html := b.String()
		ext := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?\s*(https?:)?//`)
		if m := ext.FindString(html); m != "" {
			t.Errorf("%s: external reference %q", dir, m)
		}
		for _, bad := range []string{"<link", "@import", "url(http", "<script src"} {
			if strings.Contains(strings.ToLower(html), bad) {
				t.Errorf("%s: page contains %q", dir, bad)
			}
		}
		for _, want := range []string{"uPlot", "const DATA = ", `id="plot-remittances"`, `id="plot-jobless"`, "MAPE", "registration_grace_days", "inputs sha256", "annual.csv"} {
			if !strings.Contains(html, want) && !(want == "annual.csv" && dir == ens) {
				t.Errorf("%s: page lacks %q", dir, want)
			}
		}
		if dir == ens && !strings.Contains(html, "annual_quantiles.csv") {
			t.Errorf("ensemble page lacks its files")
		}
	}
}

func TestWriteHTMLFileAtomic(t *testing.T) {
	run, _ := folders(t)
	r := buildFrom(t, run)
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "r.html")
	if err := WriteHTMLFile(path, r); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 || entries[0].Name() != "r.html" {
		t.Errorf("folder holds %v, want only r.html (no temporary file)", entries)
	}
	if err := WriteHTMLFile(filepath.Join(dir, "sub", "r.html", "x.html"), r); err == nil {
		t.Error("writing under a file succeeded")
	}
}

func TestPNGs(t *testing.T) {
	_, ens := folders(t)
	r := buildFrom(t, ens)
	dir := t.TempDir()
	keep := filepath.Join(dir, "notes.txt")
	os.WriteFile(keep, []byte("mine"), 0o644)
	paths, err := WritePNGs(dir, r)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != len(r.Charts) {
		t.Fatalf("%d PNGs for %d charts", len(paths), len(r.Charts))
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		st, _ := os.Stat(p)
		// 16 × 10 cm at 200 dpi.
		if cfg.Width < 1200 || cfg.Width > 1300 || cfg.Height < 750 || cfg.Height > 820 || st.Size() < 20_000 {
			t.Errorf("%s: %d×%d px, %d bytes", p, cfg.Width, cfg.Height, st.Size())
		}
	}
	if b, err := os.ReadFile(keep); err != nil || string(b) != "mine" {
		t.Error("WritePNGs touched another file in the folder")
	}
}

func TestYearRanges(t *testing.T) {
	for _, c := range []struct {
		in   []int
		want string
	}{
		{nil, ""},
		{[]int{2005}, "2005"},
		{[]int{2005, 2006, 2007, 2010, 2012, 2013}, "2005–2007, 2010, 2012–2013"},
	} {
		if got := yearRanges(c.in); got != c.want {
			t.Errorf("yearRanges(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}
