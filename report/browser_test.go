package report

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromium returns the path of Debian's chromium. Without it the browser
// test is skipped, except under CI=true, where it fails.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium not found, and CI=true: install it (apt-get install -y chromium); .ci/run does")
	}
	t.Skip("chromium not found: install Debian's chromium (apt-get install -y chromium) to run the browser test")
	return ""
}

// chartState is what the page reports about one drawn chart.
type chartState struct {
	ID     string `json:"id"`
	Width  int    `json:"w"`
	Height int    `json:"h"`
	URLLen int    `json:"url"`
	Ink    int    `json:"ink"`    // non-white, non-transparent pixels
	Points []int  `json:"points"` // non-null values per data series
	Series int    `json:"series"`
}

const inspectCharts = `(() => {
  const out = [];
  for (const [id, u] of Object.entries(window.corridorCharts || {})) {
    const cv = document.querySelector('#plot-' + id + ' canvas');
    if (!cv) { out.push({id: id, w: 0, h: 0, url: 0, ink: 0, points: [], series: 0}); continue; }
    const px = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
    let ink = 0;
    for (let i = 0; i < px.length; i += 4) {
      if (px[i + 3] > 0 && (px[i] < 200 || px[i + 1] < 200 || px[i + 2] < 200)) ink++;
    }
    out.push({id: id, w: cv.width, h: cv.height, url: cv.toDataURL('image/png').length, ink: ink,
      points: u.data.slice(1).map(s => s.filter(v => v != null).length), series: u.series.length});
  }
  return out;
})()`

// TestReportRendersInChromium opens the reports of a run and of an
// ensemble in headless Chromium from file:// and checks that every chart
// is drawn with data, that the page threw no exception and that it made no
// request other than for the file itself. If CORRIDOR_REPORT_SCREENSHOT is
// set, a full-page screenshot of the ensemble report is saved there.
func TestReportRendersInChromium(t *testing.T) {
	exe := chromium(t)
	run, ens := folders(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1280, 1600),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start chromium %s: %v", exe, err)
	}
	for _, c := range []struct {
		name, dir string
		bands     bool
	}{{"run", run, false}, {"ensemble", ens, true}} {
		t.Run(c.name, func(t *testing.T) {
			html := filepath.Join(t.TempDir(), "report.html")
			if err := WriteHTMLFile(html, buildFrom(t, c.dir)); err != nil {
				t.Fatal(err)
			}
			tctx, cancelTab := chromedp.NewContext(bctx)
			defer cancelTab()
			ctx, cancel := context.WithTimeout(tctx, 30*time.Second)
			defer cancel()
			var mu sync.Mutex
			var requests, exceptions []string
			err := chromedp.Listen(ctx, func(ev any) {
				mu.Lock()
				defer mu.Unlock()
				switch ev := ev.(type) {
				case *network.EventRequestWillBeSent:
					requests = append(requests, ev.Request.URL)
				case *runtime.EventExceptionThrown:
					msg := ev.ExceptionDetails.Text
					if ex := ev.ExceptionDetails.Exception; ex != nil {
						msg += " " + ex.Description
					}
					exceptions = append(exceptions, msg)
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx,
				chromedp.Navigate("file://"+html),
				chromedp.WaitReady(chromedp.CSS(`body[data-charts-ready]`)),
			); err != nil {
				t.Fatalf("open %s: %v", html, err)
			}
			states, err := chromedp.Run(ctx, chromedp.Evaluate[[]chartState](inspectCharts))
			if err != nil {
				t.Fatalf("inspect charts: %v", err)
			}
			chartErrors, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.corridorChartErrors`))
			if err != nil || len(chartErrors) > 0 {
				t.Errorf("charts not drawn: %v %v", chartErrors, err)
			}
			// The readout under a chart names the observed value's source
			// when the cursor is on an observed year.
			readout, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
  const u = window.corridorCharts.remittances;
  u.setCursor({left: u.valToPos(2013, 'x'), top: 20});
  return document.querySelector('#chart-remittances .readout').textContent;
})()`))
			if err != nil {
				t.Fatalf("move the cursor: %v", err)
			}
			for _, want := range []string{"2013 · ", "observed: remittances", "Source: ", "remittances_tajikistan.csv:"} {
				if !strings.Contains(readout, want) {
					t.Errorf("readout at 2013 lacks %q: %q", want, readout)
				}
			}
			var screenshot []byte
			shot := os.Getenv("CORRIDOR_REPORT_SCREENSHOT")
			if shot != "" && c.bands {
				if screenshot, err = chromedp.Run(ctx, chromedp.FullScreenshot(100)); err != nil {
					t.Fatalf("screenshot: %v", err)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if len(exceptions) > 0 {
				t.Errorf("the page threw: %v", exceptions)
			}
			for _, u := range requests {
				if !strings.HasPrefix(u, "file://") && !strings.HasPrefix(u, "data:") {
					t.Errorf("the page requested %s", u)
				}
			}
			if len(states) != len(charts) {
				t.Fatalf("%d charts drawn, want %d: %+v", len(states), len(charts), states)
			}
			for _, s := range states {
				if s.Width < 300 || s.Height < 200 || s.URLLen < 5000 || s.Ink < 2000 {
					t.Errorf("chart %s: canvas %d×%d, toDataURL %d chars, %d inked pixels: not drawn", s.ID, s.Width, s.Height, s.URLLen, s.Ink)
				}
				if len(s.Points) == 0 || s.Points[0] < 10 {
					t.Errorf("chart %s: series points %v", s.ID, s.Points)
				}
				// A band adds p05, p95, p25 and p75 series per simulated series.
				perSeries := 1
				if c.bands {
					perSeries = 5
				}
				spec := chartByID(s.ID)
				if want := 1 + perSeries*len(spec.series); s.Series < want {
					t.Errorf("chart %s: %d uPlot series, want at least %d", s.ID, s.Series, want)
				}
			}
			if s := stateOf(states, "remittances"); s.Series > 0 {
				obs := 0
				for _, n := range s.Points[len(s.Points)-2:] {
					obs += n
				}
				if obs != 14 {
					t.Errorf("remittances chart shows %d observed points, want 14 (2005–2018)", obs)
				}
			}
			if len(screenshot) > 0 {
				if err := os.WriteFile(shot, screenshot, 0o644); err != nil {
					t.Error(err)
				} else {
					t.Logf("screenshot saved to %s", shot)
				}
			}
		})
	}
}

func chartByID(id string) chartSpec {
	for _, c := range charts {
		if c.id == id {
			return c
		}
	}
	panic(fmt.Sprintf("no chart %s", id))
}

func stateOf(states []chartState, id string) chartState {
	for _, s := range states {
		if s.ID == id {
			return s
		}
	}
	return chartState{}
}
