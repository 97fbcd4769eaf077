package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/corridor-sim/corridor/policy"
)

// chromium returns the path of the Chromium binary, skipping the test when
// there is none (unless CI=true, where a missing browser is a failure).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed, and CI=true: the browser tests must run in CI (.ci/run installs it with apt-get install -y chromium)")
	}
	t.Skip("chromium is not installed: skipping the browser tests (apt-get install -y chromium to run them; with CI=true they fail instead)")
	return ""
}

// browser starts a headless Chromium and returns a chromedp context.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := chromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1100),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// waitJS polls a JavaScript expression until it is true.
func waitJS(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(40*time.Second))
}

// setInput sets an input's value and fires the input event the page
// listens to.
func setInput(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.value = %q;
		e.dispatchEvent(new Event("input", {bubbles: true})); return true; })()`, sel, value))
}

type chartInfo struct {
	Points int     `json:"points"`
	Series int     `json:"series"`
	Title  string  `json:"title"`
	MaxAbs float64 `json:"maxAbs"`
	Bands  int     `json:"bands"`
}

// charts reads the page's chart registry and checks that every chart
// whose id has the prefix has data and a drawn canvas.
func checkCharts(t *testing.T, ctx context.Context, prefix string, want int) {
	t.Helper()
	charts, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]chartInfo](`window.workbench.charts`))
	if err != nil {
		t.Fatal(err)
	}
	canvases := evalInt(t, ctx, fmt.Sprintf(`document.querySelectorAll('[data-chart^=%q] canvas').length`, prefix))
	n := 0
	for id, c := range charts {
		if !strings.HasPrefix(id, prefix) {
			continue
		}
		n++
		if c.Points == 0 {
			t.Errorf("chart %s (%s) has no data points", id, c.Title)
		}
	}
	if n < want || canvases < want {
		t.Errorf("%d charts with prefix %q and %d canvases, want at least %d", n, prefix, canvases, want)
	}
}

// TestBrowserWorkbench opens the workbench in a headless Chromium: the
// reference charts render with data and observed points, a library
// scenario runs with progress, a lever added on the timeline is validated
// (an out-of-range intensity is flagged, as `corridor scenario check`
// does) and run, and the two runs are compared. With CORRIDOR_SCREENSHOT=1
// it saves the front page to docs/img/workbench.png.
func TestBrowserWorkbench(t *testing.T) {
	ctx := browser(t)
	srv, err := New(Config{DataDir: t.TempDir(), DefaultScale: 200,
		Reference: RunRequest{Scenario: "history", Scale: 200, Until: "2018-12"}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); srv.Close() })

	// The front page: the reference run against the observed record.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/"),
		waitJS(`window.workbench && window.workbench.ready.reference === true`),
	); err != nil {
		t.Fatalf("front page: %v", err)
	}
	checkCharts(t, ctx, "ref-", len(referenceChartsForTest))
	observedLinks := evalInt(t, ctx, `document.querySelectorAll('#ref-charts .sources a[href^="/api/sources/"]').length`)
	if observedLinks < 5 {
		t.Errorf("%d links to observed sources on the front page, want one or more per observed series", observedLinks)
	}
	// Chart downloads: an SVG with the data drawn, and a PNG.
	svg := evalString(t, ctx, `window.workbench.exports['ref-remittances_usd'].svg()`)
	if !strings.HasPrefix(svg, "<svg") || !strings.Contains(svg, "<polyline") || !strings.Contains(svg, "<circle") || !strings.Contains(svg, "USD billion") {
		t.Errorf("SVG export lacks the model line, the observed points or the unit: %.200s", svg)
	}
	pngSize, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.workbench.exports['ref-migrants'].png().then(b => b.size)`, chromedp.EvalAwaitPromise))
	if err != nil || pngSize < 1000 {
		t.Errorf("PNG export: %d bytes, %v", pngSize, err)
	}
	if os.Getenv("CORRIDOR_SCREENSHOT") == "1" {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(90))
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join("..", "docs", "img", "workbench.png")
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(out, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", out)
	}

	// The library: run history at scale 200 to 2012 with progress.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/#scenarios"),
		waitJS(`window.workbench.ready.setup === true && document.querySelector('#scenario-list li') !== null`),
		setInput(`#run-form [name=scale]`, "200"),
		setInput(`#run-form [name=until]`, "2012-12"),
		chromedp.Click(chromedp.CSS(`#run-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#run-status a.open-run`)),
	); err != nil {
		t.Fatalf("library run: %v", err)
	}
	shot(t, ctx, "scenarios")

	// The builder: add a lever, break and mend its intensity, run it.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/#build"),
		waitJS(`window.workbench.ready.setup === true`),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#b-lever').value = 'border_closure'`),
		chromedp.Click(chromedp.CSS(`#b-add`)),
		waitJS(`document.querySelector('#b-ok').textContent.startsWith('valid')`),
		setInput(`#b-events tbody tr input[data-field=intensity]`, "999"),
		waitJS(`document.querySelector('#b-error').textContent.includes('intensity')`),
	); err != nil {
		t.Fatalf("builder: %v", err)
	}
	errText := evalString(t, ctx, `document.querySelector('#b-error').textContent`)
	if !strings.Contains(errText, "events[0].intensity") || !strings.Contains(errText, "outside") {
		t.Errorf("builder error for intensity 999 = %q, want it to name events[0].intensity and the range", errText)
	}
	bars := evalInt(t, ctx, `document.querySelectorAll('#b-timeline .bar').length`)
	if err := chromedp.Do(ctx,
		setInput(`#b-events tbody tr input[data-field=intensity]`, "0.5"),
		setInput(`#b-events tbody tr input[data-field=from]`, "2008-01"),
		setInput(`#b-events tbody tr input[data-field=until]`, "2009-12"),
		waitJS(`document.querySelector('#b-ok').textContent.startsWith('valid') && document.querySelector('#b-error').textContent === ''`),
		setInput(`#b-scale`, "200"),
		setInput(`#b-until`, "2012-12"),
		setInput(`#b-name`, "browser-test"),
		chromedp.Click(chromedp.CSS(`#b-run`)),
		chromedp.WaitVisible(chromedp.CSS(`#b-status a.open-run`)),
	); err != nil {
		t.Fatalf("builder run: %v", err)
	}
	shot(t, ctx, "build")

	// Targets: a target chosen in the row's select goes into the scenario.
	// The lever is the first that accepts a target; if this build has none,
	// the page is told that border_closure accepts destination, and the
	// server's check must then flag the target the real lever refuses.
	lever, kind := "border_closure", "destination"
	real := false
	for _, l := range policy.Levers() {
		// alternative_destination takes only the other destinations, so the
		// first value of the destination list (russia) is not one of its.
		if len(l.Targets) > 0 && l.Targets[0] != "destination" {
			lever, kind, real = l.Name, l.Targets[0], true
			break
		}
	}
	want := targetValues[kind][0]
	if !real {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`levers.find(l => l.name === %q).targets = [%q]`, lever, kind))); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector('#b-lever').value = %q`, lever)),
		chromedp.Click(chromedp.CSS(`#b-add`)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const s = document.querySelector('#b-events tbody tr:last-child select[data-field="target:%s"]');
			s.value = %q; s.dispatchEvent(new Event('change', {bubbles: true})); })()`, kind, want)),
		waitJS(fmt.Sprintf(`window.workbench.spec().events.some(e => e.lever === %q && e.target && e.target[%q] === %q)`, lever, kind, want)),
	); err != nil {
		t.Fatalf("target %s=%s on %s: %v", kind, want, lever, err)
	}
	if real {
		err = chromedp.Do(ctx, waitJS(`document.querySelector('#b-ok').textContent.startsWith('valid')`))
	} else {
		err = chromedp.Do(ctx, waitJS(`/events\[1\]\.target/.test(document.querySelector('#b-error').textContent)`))
	}
	if err != nil {
		t.Errorf("check of target %s=%s on %s (a real target: %v): %v; error line %q", kind, want, lever, real,
			err, evalString(t, ctx, `document.querySelector('#b-error').textContent`))
	}

	// Upload a YAML scenario file: it fills the builder.
	res, err := http.Post(ts.URL+"/api/scenarios/yaml", "application/json", strings.NewReader(
		`{"name": "uploaded", "events": [{"lever": "border_closure", "from": "2009-01", "until": "2009-12", "intensity": 0.4}]}`))
	if err != nil {
		t.Fatal(err)
	}
	yml, _ := io.ReadAll(res.Body)
	res.Body.Close()
	file := filepath.Join(t.TempDir(), "closure.yaml")
	if err := os.WriteFile(file, yml, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.SetUploadFiles(chromedp.CSS(`#b-upload`), []string{file}),
		waitJS(`document.querySelector('#b-name').value === 'uploaded'`),
	); err != nil {
		t.Fatalf("upload: %v; error line %q", err, evalString(t, ctx, `document.querySelector('#b-error').textContent`))
	}
	if n := evalInt(t, ctx, `document.querySelectorAll('#b-events tbody tr').length`); n != 1 {
		t.Errorf("uploaded scenario with one event shows %d rows", n)
	}
	if bars != 1 {
		t.Errorf("%d bars on the timeline after adding one lever, want 1", bars)
	}

	// Compare the two runs.
	a, b := runByScenario(t, ts.URL, "history", "2012-12"), runByScenario(t, ts.URL, "browser-test", "2012-12")
	if err := chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/?compare=%s,%s&var=migrants_in_russia", ts.URL, a, b)),
		waitJS(`window.workbench.ready.compare === true`),
	); err != nil {
		t.Fatalf("compare: %v", err)
	}
	checkCharts(t, ctx, "compare-", 2)
	// A border closure 2008–2009 changes the number of migrants in Russia.
	diff, err := chromedp.Run(ctx, chromedp.Evaluate[chartInfo](`window.workbench.charts['compare-diff']`))
	if err != nil || diff.MaxAbs == 0 {
		t.Errorf("the difference chart of history and a 2008–2009 border closure is flat (%+v, %v)", diff, err)
	}
	shot(t, ctx, "compare")

	// Ensembles: the comparison draws bands for both runs and the difference.
	ea := submitAndWait(t, ts.URL, `{"scale": 1000, "until": "2009-12", "members": 3}`)
	eb := submitAndWait(t, ts.URL, `{"scale": 1000, "until": "2009-12", "members": 3, "custom": {"name": "closure", "events": [{"lever": "border_closure", "from": "2007-01", "until": "2007-12"}]}}`)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/?compare=%s,%s&var=departures", ts.URL, ea, eb)),
		waitJS(`window.workbench.ready.compare === true`),
	); err != nil {
		t.Fatalf("compare ensembles: %v", err)
	}
	shot(t, ctx, "compare-ensemble")
	charts, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]chartInfo](`window.workbench.charts`))
	if err != nil || charts["compare-side"].Bands != 2 || charts["compare-diff"].Bands != 1 {
		t.Errorf("ensemble comparison: bands side %d, diff %d (%v); want 2 and 1", charts["compare-side"].Bands, charts["compare-diff"].Bands, err)
	}

	// The leverage table: one row per lever, filled once its runs are done.
	if err := chromedp.Do(ctx,
		setInput(`#l-start`, "2010-01"),
		setInput(`#l-scale`, "200"),
		setInput(`#l-until`, "2012-12"),
		chromedp.Click(chromedp.CSS(`#l-go`)),
		waitJS(`window.workbench.ready.leverage === true`),
	); err != nil {
		t.Fatalf("leverage: %v", err)
	}
	rows := evalInt(t, ctx, `document.querySelectorAll('#l-table tr').length`)
	numbers := evalInt(t, ctx, `[...document.querySelectorAll('#l-table td.num')].filter(td => /^-?[0-9]/.test(td.textContent)).length`)
	if rows != 1+len(policy.Levers()) || numbers != len(policy.Levers())*len(leverageOutcomes) {
		t.Errorf("leverage table: %d rows and %d numbers, want a header, %d levers and %d numbers", rows, numbers, len(policy.Levers()), len(policy.Levers())*len(leverageOutcomes))
	}

	// A shared run URL shows the run with its downloads.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/?run="+b),
		waitJS(`window.workbench.ready.run === true`),
	); err != nil {
		t.Fatalf("run page: %v", err)
	}
	files := evalInt(t, ctx, `document.querySelectorAll('#r-files a').length`)
	shot(t, ctx, "run")
	if files < 5 {
		t.Errorf("run page lists %d files, want the CSV, Parquet, scenario and manifest files", files)
	}
	checkCharts(t, ctx, "run-", len(referenceChartsForTest))
}

// shot saves a screenshot of the page to $CORRIDOR_SHOTS/<name>.png when
// that variable names a folder (for looking at the pages while working on
// them).
func shot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("CORRIDOR_SHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	}
	if err != nil {
		t.Error(err)
	}
}

func evalInt(t *testing.T, ctx context.Context, expr string) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return n
}

func evalString(t *testing.T, ctx context.Context, expr string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return s
}

// submitAndWait submits a run through the API and waits until it is done.
func submitAndWait(t *testing.T, base, body string) string {
	t.Helper()
	res, err := http.Post(base+"/api/runs", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var r RunInfo
	json.NewDecoder(res.Body).Decode(&r)
	res.Body.Close()
	for deadline := time.Now().Add(30 * time.Second); r.State != StateDone; {
		if time.Now().After(deadline) || r.State == StateFailed || r.State == StateCancelled {
			t.Fatalf("run %s: %+v", body, r)
		}
		time.Sleep(20 * time.Millisecond)
		res, err := http.Get(base + "/api/runs/" + r.ID)
		if err != nil {
			t.Fatal(err)
		}
		json.NewDecoder(res.Body).Decode(&r)
		res.Body.Close()
	}
	return r.ID
}

// referenceChartsForTest is the number of charts of the front page.
var referenceChartsForTest = make([]struct{}, 7)

// runByScenario returns the id of the done run of the named scenario.
func runByScenario(t *testing.T, base, name, until string) string {
	t.Helper()
	res, err := http.Get(base + "/api/runs")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var d struct{ Runs []RunInfo }
	if err := json.NewDecoder(res.Body).Decode(&d); err != nil {
		t.Fatal(err)
	}
	for _, r := range d.Runs {
		if r.Scenario == name && r.Until == until && r.State == StateDone {
			return r.ID
		}
	}
	t.Fatalf("no done run of %s until %s in %+v", name, until, d.Runs)
	return ""
}
