package serve

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/policy"
	"github.com/corridor-sim/corridor/results"
	"github.com/corridor-sim/corridor/scenario"
)

// The runs of these tests are tiny: one agent per 1000 persons, a few
// years.
const (
	testScale = 1000
	testUntil = "2007-12"
)

type testServer struct {
	*Server
	url string
	t   *testing.T
}

// newTestServer starts a server on 127.0.0.1 with a small reference run.
// gate, if set, is called before every run is simulated.
func newTestServer(t *testing.T, cfg Config, gate func(context.Context, string) error) *testServer {
	t.Helper()
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	if cfg.Reference.Scenario == "" && cfg.Reference.Scale == 0 {
		cfg.Reference = RunRequest{Scenario: "history", Scale: testScale, Until: "2006-12"}
	}
	if cfg.DefaultScale == 0 {
		cfg.DefaultScale = testScale
	}
	cfg.gate = gate
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return &testServer{Server: srv, url: ts.URL, t: t}
}

// do sends a request and decodes a JSON answer into out (if not nil).
func (ts *testServer) do(method, path, body string, out any) (*http.Response, []byte) {
	ts.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, ts.url+path, r)
	if err != nil {
		ts.t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		ts.t.Fatal(err)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			ts.t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	return res, b
}

// wait polls a run until it is no longer queued or running.
func (ts *testServer) wait(id string) RunInfo {
	ts.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var r RunInfo
		ts.do("GET", "/api/runs/"+id, "", &r)
		if r.State != StateQueued && r.State != StateRunning {
			return r
		}
		if time.Now().After(deadline) {
			ts.t.Fatalf("run %s still %s after 30 s", id, r.State)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// submit posts a run request and returns the run.
func (ts *testServer) submit(body string, wantStatus int) RunInfo {
	ts.t.Helper()
	var r RunInfo
	res, b := ts.do("POST", "/api/runs", body, nil)
	if res.StatusCode != wantStatus {
		ts.t.Fatalf("POST /api/runs %s: status %d, want %d: %s", body, res.StatusCode, wantStatus, b)
	}
	if err := json.Unmarshal(b, &r); err != nil {
		ts.t.Fatal(err)
	}
	return r
}

func runBody(extra string) string {
	return fmt.Sprintf(`{"scale": %d, "until": %q%s}`, testScale, testUntil, extra)
}

// TestErrors checks every error answer of the API: status, and a JSON
// body naming the field.
func TestErrors(t *testing.T) {
	ts := newTestServer(t, Config{MaxAgentMonths: 10_000_000, MaxMembers: 4, MaxBodyBytes: 4096}, nil)
	big := `{"scenario": "` + strings.Repeat("x", 5000) + `"}`
	tests := []struct {
		name, method, path, body string
		status                   int
		field, msg               string
	}{
		{"malformed JSON", "POST", "/api/runs", `{"scale": `, 400, "", "malformed JSON"},
		{"empty body", "POST", "/api/runs", ``, 400, "", "empty request body"},
		{"trailing data", "POST", "/api/runs", `{} {}`, 400, "", "extra data"},
		{"unknown field", "POST", "/api/runs", `{"scal": 10}`, 400, "scal", "unknown field"},
		{"wrong type", "POST", "/api/runs", `{"scale": "ten"}`, 400, "scale", "want int"},
		{"fractional scale", "POST", "/api/runs", `{"scale": 2.5}`, 400, "scale", "want int"},
		{"body too large", "POST", "/api/runs", big, 413, "", "larger than 4096 bytes"},
		{"negative scale", "POST", "/api/runs", `{"scale": -3}`, 422, "scale", "≥ 1"},
		{"too much work", "POST", "/api/runs", `{"scale": 1, "until": "2030-12"}`, 422, "scale", "agent-months"},
		{"too many members", "POST", "/api/runs", `{"members": 5}`, 422, "members", "1..4"},
		{"bad until", "POST", "/api/runs", `{"until": "2030-13"}`, 422, "until", ""},
		{"until out of range", "POST", "/api/runs", `{"until": "2041-01"}`, 422, "until", "outside"},
		{"unknown scenario", "POST", "/api/runs", `{"scenario": "nosuch"}`, 422, "scenario", "unknown scenario"},
		{"scenario path", "POST", "/api/runs", `{"scenario": "../etc/x.yaml"}`, 422, "scenario", "library"},
		{"scenario and custom", "POST", "/api/runs", `{"scenario": "history", "custom": {"name": "x"}}`, 422, "scenario", "not both"},
		{"custom without name", "POST", "/api/runs", `{"custom": {"events": []}}`, 422, "custom.name", "name"},
		{"custom unknown lever", "POST", "/api/runs", `{"custom": {"name": "x", "events": [{"lever": "nosuch", "from": "2010-01"}]}}`, 422, "custom.events[0].lever", "unknown lever"},
		{"custom bad month", "POST", "/api/runs", `{"custom": {"name": "x", "events": [{"lever": "border_closure", "from": "2010-1x"}]}}`, 422, "custom.events[0].from", ""},
		{"custom until before from", "POST", "/api/runs", `{"custom": {"name": "x", "events": [{"lever": "border_closure", "from": "2010-05", "until": "2010-01"}]}}`, 422, "custom.events[0].until", "before"},
		{"custom intensity", "POST", "/api/runs", `{"custom": {"name": "x", "events": [{"lever": "border_closure", "from": "2010-01", "intensity": 2}]}}`, 422, "custom.events[0].intensity", "outside 0..1"},
		{"custom target kind", "POST", "/api/runs", `{"custom": {"name": "x", "events": [{"lever": "border_closure", "from": "2010-01", "target": {"region": "sughd"}}]}}`, 422, "custom.events[0].target", "target"},
		{"custom unknown param", "POST", "/api/runs", `{"custom": {"name": "x", "events": [], "params": {"nosuch": 1}}}`, 422, "custom.params", "nosuch"},
		{"run id not hex", "GET", "/api/runs/zz", "", 404, "id", "not a run id"},
		{"unknown run", "GET", "/api/runs/0123456789abcdef", "", 404, "id", "no run"},
		{"cancel unknown run", "POST", "/api/runs/0123456789abcdef/cancel", "", 404, "id", "no run"},
		{"events unknown run", "GET", "/api/runs/0123456789abcdef/events", "", 404, "id", "no run"},
		{"annual unknown run", "GET", "/api/runs/0123456789abcdef/annual", "", 404, "id", "no run"},
		{"file unknown run", "GET", "/api/runs/0123456789abcdef/files/annual.csv", "", 404, "id", "no run"},
		{"compare without b", "GET", "/api/compare?a=0123456789abcdef", "", 404, "a", "no run"},
		{"compare bad a", "GET", "/api/compare?a=x&b=y", "", 404, "a", "not a run id"},
		{"runs bad limit", "GET", "/api/runs?limit=0", "", 400, "limit", "1..1000"},
		{"source not a data file", "GET", "/api/sources/runs.db", "", 404, "file", "no data file"},
		{"source traversal", "GET", "/api/sources/..%2F..%2Fgo.mod", "", 404, "file", "no data file"},
		{"leverage without start", "POST", "/api/leverage", `{}`, 422, "start", ""},
		{"leverage start outside", "GET", "/api/leverage?start=2020-01&until=2010-12", "", 422, "start", "outside"},
		{"leverage bad scale", "GET", "/api/leverage?start=2006-01&scale=x", "", 400, "scale", "whole number"},
		{"validate malformed", "POST", "/api/scenarios/validate", `[`, 400, "", "JSON"},
		{"yaml invalid", "POST", "/api/scenarios/yaml", `{"name": "x", "events": [{"lever": "nosuch", "from": "2010-01"}]}`, 422, "events[0].lever", "unknown lever"},
		{"no such route", "GET", "/api/nosuch", "", 404, "", "openapi.json"},
		{"wrong method", "DELETE", "/api/runs", "", 405, "", "use GET, POST"},
		{"wrong method on a run", "PUT", "/api/runs/0123456789abcdef", "", 405, "", "use GET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e FieldError
			res, b := ts.do(tt.method, tt.path, tt.body, nil)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tt.status, b)
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q, want application/json", ct)
			}
			if err := json.Unmarshal(b, &e); err != nil {
				t.Fatalf("error body %s is not JSON: %v", b, err)
			}
			if e.Field != tt.field || !strings.Contains(e.Message, tt.msg) || e.Message == "" {
				t.Errorf("error %+v, want field %q and a message with %q", e, tt.field, tt.msg)
			}
		})
	}
}

// TestRunLifecycle submits a run, follows it by server-sent events, reads
// its tables and files, and checks that an identical submission shares it.
func TestRunLifecycle(t *testing.T) {
	ts := newTestServer(t, Config{}, nil)
	r := ts.submit(runBody(`, "seed": 3`), http.StatusAccepted)
	if len(r.ID) != 16 || r.Scale != testScale || r.Seed != 3 || r.Until != testUntil || r.Total != 36 {
		t.Fatalf("submitted run %+v", r)
	}

	// Progress by server-sent events, ending with an end event.
	res, err := http.Get(ts.url + "/api/runs/" + r.ID + "/events")
	if err != nil {
		t.Fatal(err)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("events Content-Type %q", ct)
	}
	var events []string
	var last RunInfo
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		line := sc.Text()
		if ev, ok := strings.CutPrefix(line, "event: "); ok {
			events = append(events, ev)
		}
		if d, ok := strings.CutPrefix(line, "data: "); ok {
			if err := json.Unmarshal([]byte(d), &last); err != nil {
				t.Fatal(err)
			}
		}
	}
	res.Body.Close()
	if len(events) < 2 || events[len(events)-1] != "end" || last.State != StateDone || last.Done != last.Total {
		t.Fatalf("events %v, last %+v; want progress events then end with the done run", events, last)
	}

	// The same request again: the same run, 200, not re-run.
	again := ts.submit(runBody(`, "seed": 3`), http.StatusOK)
	if again.ID != r.ID || again.State != StateDone {
		t.Errorf("resubmission gave %+v, want the done run %s", again, r.ID)
	}
	// Any difference in what determines the results is another run.
	for _, body := range []string{runBody(`, "seed": 4`), fmt.Sprintf(`{"scale": %d, "until": "2007-11", "seed": 3}`, testScale)} {
		if o := ts.submit(body, http.StatusAccepted); o.ID == r.ID {
			t.Errorf("%s got the id of seed 3 until %s", body, testUntil)
		}
	}
	ts.q.mu.Lock()
	n := ts.q.executed[r.ID]
	ts.q.mu.Unlock()
	if n != 1 {
		t.Errorf("run executed %d times, want 1", n)
	}

	// annual.csv is byte-identical to the table of a direct simulation.
	want := simulateCSV(t, 3, testScale, testUntil)
	res2, got := ts.do("GET", "/api/runs/"+r.ID+"/files/annual.csv", "", nil)
	if res2.StatusCode != 200 || !bytes.Equal(got, want) {
		t.Errorf("annual.csv (status %d) differs from the direct simulation's table", res2.StatusCode)
	}
	if cd := res2.Header.Get("Content-Disposition"); !strings.Contains(cd, "history-") || !strings.HasSuffix(cd, `annual.csv"`) {
		t.Errorf("Content-Disposition %q", cd)
	}

	// The annual table as JSON matches the CSV.
	var ad AnnualData
	ts.do("GET", "/api/runs/"+r.ID+"/annual", "", &ad)
	if !slices.Equal(ad.Years, []float64{2005, 2006, 2007}) || len(ad.Values["remittances_usd"]) != 3 || ad.Bands != nil {
		t.Errorf("annual JSON: years %v, remittances %v, bands %v", ad.Years, ad.Values["remittances_usd"], ad.Bands)
	}

	// The Parquet table has the same rows and values.
	_, pq := ts.do("GET", "/api/runs/"+r.ID+"/files/annual.parquet", "", nil)
	rows, err := readParquet(pq)
	if err != nil {
		t.Fatalf("annual.parquet: %v", err)
	}
	// The CSV rounds USD to whole dollars; Parquet keeps the full value.
	if len(rows) != 3 || rows[2]["year"] != 2007.0 || math.Abs(rows[2]["remittances_usd"].(float64)-ad.Values["remittances_usd"][2]) > 0.5 {
		t.Errorf("annual.parquet rows %d, last year %v remittances %v; want 3 rows matching the CSV (%v)", len(rows), rows[2]["year"], rows[2]["remittances_usd"], ad.Values["remittances_usd"][2])
	}
	_, mpq := ts.do("GET", "/api/runs/"+r.ID+"/files/monthly.parquet", "", nil)
	mrows, err := readParquet(mpq)
	if err != nil || len(mrows) != 36 || mrows[0]["month"] != "2005-01" {
		t.Errorf("monthly.parquet: %v, %d rows, first month %v", err, len(mrows), mrows[0]["month"])
	}

	// Only the run's known files are served.
	for _, name := range []string{"runs.db", "..%2Fruns.db", "members.csv", ".annual.csv"} {
		res, b := ts.do("GET", "/api/runs/"+r.ID+"/files/"+name, "", nil)
		if res.StatusCode != 404 || !strings.Contains(string(b), `"field":"name"`) {
			t.Errorf("file %s: status %d %s, want 404 naming the field", name, res.StatusCode, b)
		}
	}
	var m results.Manifest
	ts.do("GET", "/api/runs/"+r.ID+"/files/manifest.json", "", &m)
	if m.Seed != 3 || m.Scale != testScale || m.Until != testUntil || len(m.Files) != len(r.job0().files())-1 {
		t.Errorf("manifest %+v", m)
	}

	// The catalog lists it; cancelling a done run is a conflict.
	var list struct{ Runs []RunInfo }
	ts.do("GET", "/api/runs", "", &list)
	if !slices.ContainsFunc(list.Runs, func(x RunInfo) bool { return x.ID == r.ID && x.State == StateDone }) {
		t.Errorf("catalog %+v lacks run %s", list.Runs, r.ID)
	}
	if res, b := ts.do("POST", "/api/runs/"+r.ID+"/cancel", "", nil); res.StatusCode != 409 {
		t.Errorf("cancel of a done run: %d %s, want 409", res.StatusCode, b)
	}
}

// readParquet reads a Parquet file into one map per row, by column name.
func readParquet(b []byte) ([]map[string]any, error) {
	f, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	names := []string{}
	for _, path := range f.Schema().Columns() {
		names = append(names, path[0])
	}
	r := parquet.NewReader(f)
	defer r.Close()
	var out []map[string]any
	buf := make([]parquet.Row, 16)
	for {
		n, err := r.ReadRows(buf)
		for _, row := range buf[:n] {
			m := map[string]any{}
			for _, v := range row {
				switch v.Kind() {
				case parquet.ByteArray:
					m[names[v.Column()]] = string(v.ByteArray())
				case parquet.Int64:
					m[names[v.Column()]] = float64(v.Int64())
				default:
					m[names[v.Column()]] = v.Double()
				}
			}
			out = append(out, m)
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// job0 rebuilds the job of a run reported by the API (for its file list).
func (r RunInfo) job0() *job { return &job{Members: r.Members} }

// simulateCSV is annual.csv of a direct simulation of history.
func simulateCSV(t *testing.T, seed uint64, scale int, until string) []byte {
	t.Helper()
	u, _ := calendar.Parse(until)
	res, err := scenario.Simulate(context.Background(), scenario.History(), scenario.Options{Seed: seed, Scale: scale, Until: u})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := results.WriteAnnualCSV(&b, res.Records); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestQueueLimits: a full queue answers 429 with Retry-After; queued and
// running runs can be cancelled.
func TestQueueLimits(t *testing.T) {
	release := make(chan struct{})
	gate := func(ctx context.Context, id string) error {
		select {
		case <-release:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	ts := newTestServer(t, Config{Running: 1, MaxQueued: 2}, gate)
	// The reference run holds the worker; two more fill the queue.
	ref := ts.ReferenceID()
	waitState(t, ts, ref, StateRunning)
	a := ts.submit(runBody(`, "seed": 11`), http.StatusAccepted)
	b := ts.submit(runBody(`, "seed": 12`), http.StatusAccepted)
	res, body := ts.do("POST", "/api/runs", runBody(`, "seed": 13`), nil)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(string(body), "queue is full") {
		t.Fatalf("third submission: %d Retry-After %q %s; want 429 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
	// An identical submission is not refused: it is the queued run.
	if again := ts.submit(runBody(`, "seed": 11`), http.StatusOK); again.ID != a.ID || again.State != StateQueued {
		t.Errorf("resubmitting a queued run gave %+v", again)
	}
	// Cancel a queued run: it leaves the queue, which takes another.
	var c RunInfo
	if res, _ := ts.do("POST", "/api/runs/"+b.ID+"/cancel", "", &c); res.StatusCode != 200 || c.State != StateCancelled {
		t.Fatalf("cancel queued: %d %+v", res.StatusCode, c)
	}
	ts.submit(runBody(`, "seed": 13`), http.StatusAccepted)
	// Cancel the running run.
	if res, _ := ts.do("POST", "/api/runs/"+ref+"/cancel", "", nil); res.StatusCode != 200 {
		t.Fatalf("cancel running: %d", res.StatusCode)
	}
	if r := ts.wait(ref); r.State != StateCancelled || !strings.Contains(r.Error, "cancelled") {
		t.Errorf("cancelled running run: %+v", r)
	}
	close(release)
	if r := ts.wait(a.ID); r.State != StateDone {
		t.Errorf("queued run after the queue moved on: %+v", r)
	}
	// A cancelled run can be submitted again.
	if r := ts.submit(runBody(`, "seed": 12`), http.StatusAccepted); r.ID != b.ID {
		t.Errorf("resubmitting a cancelled run: id %s, want %s", r.ID, b.ID)
	}
	if r := ts.wait(b.ID); r.State != StateDone {
		t.Errorf("resubmitted run: %+v", r)
	}
}

func waitState(t *testing.T, ts *testServer, id, state string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var r RunInfo
		ts.do("GET", "/api/runs/"+id, "", &r)
		if r.State == state {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("run %s is %s, never %s", id, r.State, state)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestRestart: done runs survive a restart without being re-run, and runs
// left queued or running resume.
func TestRestart(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{DataDir: dir, Running: 1, MaxQueued: 4,
		Reference: RunRequest{Scenario: "history", Scale: testScale, Until: "2006-12"}}
	s1, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	j, err := s1.cfg.check(RunRequest{Scale: testScale, Until: testUntil, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s1.q.submit(context.Background(), j); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		r, _ := s1.q.status(context.Background(), j.ID)
		if r.State == StateDone {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("run did not finish")
		}
		time.Sleep(5 * time.Millisecond)
	}
	// Hold the worker and queue two more, then stop the server.
	hold := make(chan struct{})
	s1.q.mu.Lock()
	s1.q.gate = func(ctx context.Context, id string) error { <-ctx.Done(); close(hold); return ctx.Err() }
	s1.q.mu.Unlock()
	var pending []string
	for _, seed := range []uint64{6, 7} {
		j, _ := s1.cfg.check(RunRequest{Scale: testScale, Until: testUntil, Seed: seed})
		s1.q.submit(context.Background(), j)
		pending = append(pending, j.ID)
	}
	for {
		if _, running := s1.q.counts(); running == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	s1.Close()
	<-hold

	ts := newTestServer(t, cfg, nil)
	var r RunInfo
	ts.do("GET", "/api/runs/"+j.ID, "", &r)
	if r.State != StateDone {
		t.Errorf("after restart the done run is %+v", r)
	}
	if again := ts.submit(fmt.Sprintf(`{"scale": %d, "until": %q, "seed": 5}`, testScale, testUntil), http.StatusOK); again.ID != j.ID {
		t.Errorf("resubmission after restart: %+v", again)
	}
	for _, id := range pending {
		if r := ts.wait(id); r.State != StateDone {
			t.Errorf("run %s left queued at shutdown: %+v after restart", id, r)
		}
	}
	ts.q.mu.Lock()
	defer ts.q.mu.Unlock()
	if n := ts.q.executed[j.ID]; n != 0 {
		t.Errorf("the done run was re-run %d times after the restart", n)
	}
}

// TestLoad submits 50 runs concurrently over loopback, 10 distinct and each
// five times: every submission is answered, every distinct run is executed
// exactly once and finishes, and the catalog holds each once. Then 50
// distinct submissions against a short queue: the accepted ones all finish
// exactly once, the others get 429.
func TestLoad(t *testing.T) {
	ts := newTestServer(t, Config{Running: 2, MaxQueued: 20}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	post := func(seed int) (int, RunInfo) {
		body := fmt.Sprintf(`{"scale": %d, "until": "2005-06", "seed": %d}`, testScale, seed)
		req, _ := http.NewRequestWithContext(ctx, "POST", ts.url+"/api/runs", strings.NewReader(body))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			return 0, RunInfo{}
		}
		defer res.Body.Close()
		var r RunInfo
		json.NewDecoder(res.Body).Decode(&r)
		return res.StatusCode, r
	}
	var mu sync.Mutex
	ids := map[int]map[string]bool{}
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			seed := 100 + i%10
			st, r := post(seed)
			if st != 200 && st != 202 {
				t.Errorf("submission %d: status %d", i, st)
				return
			}
			mu.Lock()
			if ids[seed] == nil {
				ids[seed] = map[string]bool{}
			}
			ids[seed][r.ID] = true
			mu.Unlock()
		})
	}
	wg.Wait()
	for seed, set := range ids {
		if len(set) != 1 {
			t.Errorf("seed %d got %d run ids, want 1", seed, len(set))
		}
		for id := range set {
			if r := ts.wait(id); r.State != StateDone {
				t.Errorf("run %s: %+v", id, r)
			}
		}
	}
	if len(ids) != 10 {
		t.Errorf("%d distinct runs answered, want 10", len(ids))
	}
	ts.q.mu.Lock()
	for seed, set := range ids {
		for id := range set {
			if n := ts.q.executed[id]; n != 1 {
				t.Errorf("seed %d: run executed %d times, want once", seed, n)
			}
		}
	}
	ts.q.mu.Unlock()

	// A short queue: some are refused, none lost or run twice.
	ts2 := newTestServer(t, Config{Running: 1, MaxQueued: 3}, nil)
	ts = ts2
	accepted := map[string]bool{}
	refused := 0
	for i := range 50 {
		wg.Go(func() {
			st, r := post(1000 + i)
			mu.Lock()
			defer mu.Unlock()
			switch st {
			case 202:
				accepted[r.ID] = true
			case 429:
				refused++
			default:
				t.Errorf("submission %d: status %d", i, st)
			}
		})
	}
	wg.Wait()
	if len(accepted)+refused != 50 || len(accepted) == 0 || refused == 0 {
		t.Errorf("%d accepted, %d refused of 50, want both and no loss", len(accepted), refused)
	}
	for id := range accepted {
		if r := ts.wait(id); r.State != StateDone {
			t.Errorf("accepted run %s: %+v", id, r)
		}
	}
	ts.q.mu.Lock()
	defer ts.q.mu.Unlock()
	for id := range accepted {
		if n := ts.q.executed[id]; n != 1 {
			t.Errorf("accepted run %s executed %d times", id, n)
		}
	}
	if len(ts.q.executed) != len(accepted)+1 { // and the reference run
		t.Errorf("%d runs executed, want the %d accepted and the reference", len(ts.q.executed), len(accepted))
	}
}

// TestCompareEnsembles: compare gives b − a, and bands for ensembles whose
// edges bracket the mean.
func TestCompareEnsembles(t *testing.T) {
	ts := newTestServer(t, Config{}, nil)
	a := ts.submit(runBody(`, "members": 3`), http.StatusAccepted)
	b := ts.submit(fmt.Sprintf(`{"scale": %d, "until": %q, "members": 3, "custom": {"name": "closure", "events": [{"lever": "border_closure", "from": "2006-01", "until": "2006-12", "intensity": 0.7}]}}`, testScale, testUntil), http.StatusAccepted)
	single := ts.submit(runBody(``), http.StatusAccepted)
	for _, id := range []string{a.ID, b.ID, single.ID} {
		if r := ts.wait(id); r.State != StateDone {
			t.Fatalf("run %s: %+v", id, r)
		}
	}
	var c Comparison
	if res, body := ts.do("GET", "/api/compare?a="+a.ID+"&b="+b.ID, "", &c); res.StatusCode != 200 {
		t.Fatalf("compare: %d %s", res.StatusCode, body)
	}
	if len(c.Years) != 3 {
		t.Fatalf("years %v", c.Years)
	}
	for _, col := range []string{"migrants_in_russia", "remittances_usd", "departures"} {
		for i := range c.Years {
			if d := c.BValues[col][i] - c.AValues[col][i]; d != c.Diff[col][i] {
				t.Errorf("%s %v: diff %v, want %v", col, c.Years[i], c.Diff[col][i], d)
			}
		}
		for _, bs := range []map[string]Band{c.ABands, c.BBands, c.DiffBands} {
			band := bs[col]
			for i := range c.Years {
				if !(band.Lo[i] <= band.Mean[i] && band.Mean[i] <= band.Hi[i]) {
					t.Errorf("%s %v: band %v ≤ %v ≤ %v does not hold", col, c.Years[i], band.Lo[i], band.Mean[i], band.Hi[i])
				}
			}
		}
	}
	// Before the lever (2005) the paired members are identical: no difference at all.
	if c.Diff["migrants_in_russia"][0] != 0 || c.DiffBands["migrants_in_russia"].Hi[0] != 0 {
		t.Errorf("2005 differs before the lever: %v, band %v", c.Diff["migrants_in_russia"][0], c.DiffBands["migrants_in_russia"])
	}
	// A border closure in 2006 cuts departures that year.
	if c.Diff["departures"][1] >= 0 {
		t.Errorf("border closure 2006: departures difference %v, want < 0", c.Diff["departures"][1])
	}
	// The comparison as CSV: one row per year and variable.
	res, csvb := ts.do("GET", "/api/compare?a="+a.ID+"&b="+b.ID+"&format=csv", "", nil)
	tab, err := parseCSVTableLoose(csvb)
	if res.StatusCode != 200 || err != nil || len(tab) != 1+3*(len(c.Columns)-2) || strings.Join(tab[0], ",") != "year,variable,unit,a,b,diff,a_p05,a_p95,b_p05,b_p95,diff_p05,diff_p95" {
		t.Errorf("compare CSV: %d, %v, %d rows, header %v", res.StatusCode, err, len(tab), tab[0])
	}
	if res, _ := ts.do("GET", "/api/compare?a="+a.ID+"&b="+b.ID+"&format=xml", "", nil); res.StatusCode != 400 {
		t.Errorf("format=xml: %d, want 400", res.StatusCode)
	}
	// Single runs have no bands.
	var c2 Comparison
	ts.do("GET", "/api/compare?a="+single.ID+"&b="+b.ID, "", &c2)
	if c2.DiffBands != nil || c2.ABands != nil || c2.BBands == nil {
		t.Errorf("single vs ensemble: bands a %v b %v diff %v", c2.ABands != nil, c2.BBands != nil, c2.DiffBands != nil)
	}
	// Comparing with a run that is not done is a conflict.
	release := make(chan struct{})
	defer close(release)
	ts.q.mu.Lock()
	ts.q.gate = func(ctx context.Context, id string) error { <-release; return nil }
	ts.q.mu.Unlock()
	q := ts.submit(runBody(`, "seed": 99`), http.StatusAccepted)
	if res, body := ts.do("GET", "/api/compare?a="+a.ID+"&b="+q.ID, "", nil); res.StatusCode != 409 || !strings.Contains(string(body), `"field":"b"`) {
		t.Errorf("compare with a queued run: %d %s", res.StatusCode, body)
	}
	// The ensemble files are served.
	_, bands := ts.do("GET", "/api/runs/"+a.ID+"/files/bands.csv", "", nil)
	if !strings.HasPrefix(string(bands), "year,variable,mean,p05,p95\n2005,") {
		t.Errorf("bands.csv starts %.60q", bands)
	}
}

func parseCSVTableLoose(b []byte) ([][]string, error) {
	return csv.NewReader(bytes.NewReader(b)).ReadAll()
}

func TestDifferences(t *testing.T) {
	cols := []results.Column{{Name: "year"}, {Name: "months"}, {Name: "x"}, {Name: "y"}}
	a := &results.Table{Columns: cols, Rows: [][]float64{{2005, 12, 1, 10}, {2006, 12, 2, 20}, {2007, 12, 3, 30}}}
	b := &results.Table{Columns: []results.Column{cols[0], cols[1], cols[3], cols[2]}, Rows: [][]float64{{2006, 12, 25, 5}, {2007, 12, 27, 4}, {2008, 12, 0, 0}}}
	years, d := Differences(a, b)
	if !slices.Equal(years, []float64{2006, 2007}) || !slices.Equal(d["x"], []float64{3, 1}) || !slices.Equal(d["y"], []float64{5, -3}) {
		t.Errorf("Differences: years %v, diff %v", years, d)
	}
	if keys := slices.Sorted(maps.Keys(d)); !slices.Equal(keys, []string{"x", "y"}) {
		t.Errorf("diff columns %v, want x and y only", keys)
	}
}

// TestEndpoints checks the read-only endpoints.
func TestEndpoints(t *testing.T) {
	ts := newTestServer(t, Config{}, nil)
	var lv struct {
		Levers       []LeverDoc
		TargetValues map[string][]string `json:"target_values"`
	}
	ts.do("GET", "/api/levers", "", &lv)
	var names []string
	for _, l := range lv.Levers {
		names = append(names, l.Name)
		if l.Summary == "" || l.Source == "" || l.Unit == "" || l.Max < l.Min {
			t.Errorf("lever %+v lacks its documentation", l)
		}
	}
	if !slices.Equal(names, policy.LeverNames()) || len(lv.TargetValues["region"]) != 5 {
		t.Errorf("levers %v, want %v; targets %v", names, policy.LeverNames(), lv.TargetValues)
	}

	var scs struct{ Scenarios []Spec }
	ts.do("GET", "/api/scenarios", "", &scs)
	if len(scs.Scenarios) != len(scenario.Library()) || scs.Scenarios[0].Name != "history" || scs.Scenarios[0].Description == "" {
		t.Errorf("scenarios %+v", scs.Scenarios)
	}

	var obs struct{ Series []ObservedSeries }
	ts.do("GET", "/api/observed", "", &obs)
	outputs := map[string]bool{}
	for _, s := range obs.Series {
		outputs[s.Output] = true
		for _, p := range s.Points {
			if p.Year > 2018 {
				t.Errorf("%s: observed point %d after the in-sample years", s.Output, p.Year)
			}
		}
		if len(s.Points) == 0 {
			t.Errorf("%s has no points", s.Output)
			continue
		}
		link, _, _ := strings.Cut(s.Points[0].Link, "#")
		if res, b := ts.do("GET", link, "", nil); res.StatusCode != 200 || !strings.Contains(string(b), ",") {
			t.Errorf("%s: source link %s: %d", s.Output, link, res.StatusCode)
		}
	}
	for _, o := range []string{"remittances_usd", "remittances_pct_gdp", "migrants_in_russia", "departures", "entry_bans_active", "deportations", "poverty_rate"} {
		if !outputs[o] {
			t.Errorf("no observed series for %s", o)
		}
	}
	// Shares are reported in the output's unit: poverty as a share, not %.
	for _, s := range obs.Series {
		if s.Output == "poverty_rate" && s.Points[0].Value > 1 {
			t.Errorf("poverty_rate observed %v, want a share", s.Points[0].Value)
		}
	}

	var cols struct{ Columns []ColumnDoc }
	ts.do("GET", "/api/columns", "", &cols)
	if len(cols.Columns) != len(results.Columns()) || cols.Columns[0].Name != "month" {
		t.Errorf("columns: %d", len(cols.Columns))
	}

	var ref RunInfo
	ts.do("GET", "/api/reference", "", &ref)
	if ref.ID != ts.ReferenceID() || ref.Scenario != "history" || ref.Until != "2006-12" {
		t.Errorf("reference %+v", ref)
	}

	for _, page := range []string{"/", "/static/app.js", "/static/app.css", "/assets/uplot/uPlot.iife.min.js", "/assets/uplot/LICENSE"} {
		if res, b := ts.do("GET", page, "", nil); res.StatusCode != 200 || len(b) < 100 {
			t.Errorf("%s: %d, %d bytes", page, res.StatusCode, len(b))
		}
	}
	// No page loads anything from another host.
	_, html := ts.do("GET", "/", "", nil)
	_, js := ts.do("GET", "/static/app.js", "", nil)
	for _, b := range [][]byte{html, js} {
		if bytes.Contains(b, []byte("//cdn")) || bytes.Contains(b, []byte("src=\"http")) || bytes.Contains(b, []byte("href=\"http")) {
			t.Error("a page refers to another host; the workbench must work offline")
		}
	}
}

func TestValidateAndYAML(t *testing.T) {
	ts := newTestServer(t, Config{}, nil)
	tests := []struct {
		body  string
		valid bool
		field string
	}{
		{`{"name": "ok", "events": [{"lever": "border_closure", "from": "2020-03", "until": "2021-03", "intensity": 0.7}]}`, true, ""},
		{`{"name": "open", "events": [{"lever": "enforcement_campaign", "from": "2014-01"}]}`, true, ""},
		{`{"name": "", "events": []}`, false, "name"},
		{`{"name": "x", "events": [{"lever": "border_closure", "from": "2020-03", "intensity": 1.5}]}`, false, "events[0].intensity"},
		{`{"name": "x", "events": [{"lever": "border_closure", "from": "2020-03"}, {"lever": "nosuch", "from": "2020-03"}]}`, false, "events[1].lever"},
		{`{"name": "x", "events": [{"lever": "border_closure", "from": "2020-03", "settings": {"nosuch": 1}}]}`, false, "events[0].settings"},
		{`{"name": "x", "events": [{"lever": "border_closure", "from": "2020-03", "target": {"destination": "mars"}}]}`, false, "events[0].target"},
		{`{"name": "x", "events": [], "params": {"nosuch": 1}}`, false, "params"},
	}
	for _, tt := range tests {
		var v Validation
		res, _ := ts.do("POST", "/api/scenarios/validate", tt.body, &v)
		if res.StatusCode != 200 || v.Valid != tt.valid || v.Field != tt.field || (!v.Valid && v.Error == "") {
			t.Errorf("validate %s: %d %+v, want valid %v field %q", tt.body, res.StatusCode, v, tt.valid, tt.field)
		}
	}

	spec := `{"name": "closure 2020", "description": "What if the border closes again?", "events": [{"lever": "border_closure", "from": "2020-03", "until": "2021-03", "intensity": 0.7, "source": "data/policy_events.csv"}]}`
	res, y := ts.do("POST", "/api/scenarios/yaml", spec, nil)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/yaml" || !strings.Contains(res.Header.Get("Content-Disposition"), "closure-2020.yaml") {
		t.Fatalf("yaml: %d %v", res.StatusCode, res.Header)
	}
	for _, want := range []string{"name: closure-2020", "lever: border_closure", "intensity: 0.7", "until: 2021-03"} {
		if !strings.Contains(string(y), want) {
			t.Errorf("YAML lacks %q:\n%s", want, y)
		}
	}
	// Upload: the YAML reads back into the same scenario (its name as a
	// scenario file writes it).
	var back Spec
	res, b := ts.do("POST", "/api/scenarios/parse?filename=closure.yaml", string(y), nil)
	if res.StatusCode != 200 {
		t.Fatalf("parse: %d %s", res.StatusCode, b)
	}
	json.Unmarshal(b, &back)
	if back.Name != "closure-2020" || len(back.Events) != 1 || back.Events[0].Lever != "border_closure" || back.Events[0].Until != "2021-03" || *back.Events[0].Intensity != 0.7 {
		t.Errorf("YAML round trip: %+v", back)
	}
	// A broken file gets the parser's error, naming file, line and field.
	res, b = ts.do("POST", "/api/scenarios/parse?filename=bad.yaml", "name: x\nevents:\n  - lever: enforcment_campaign\n    from: 2013-03\n", nil)
	if res.StatusCode != 400 || !strings.Contains(string(b), "bad.yaml:3:") || !strings.Contains(string(b), "did you mean enforcement_campaign") {
		t.Errorf("parse of a bad file: %d %s", res.StatusCode, b)
	}
}

func TestLeverage(t *testing.T) {
	// A queue shorter than the table: the table fills as POSTs are repeated.
	ts := newTestServer(t, Config{MaxQueued: 2}, nil)
	type lev struct {
		Baseline RunInfo
		Outcomes []string
		Rows     []LeverageRow
	}
	q := fmt.Sprintf("start=2006-01&scale=%d&until=%s", testScale, testUntil)
	var before lev
	ts.do("GET", "/api/leverage?"+q, "", &before)
	if len(before.Rows) != len(policy.Levers()) || before.Rows[0].Run.State != "not submitted" {
		t.Fatalf("leverage before submission: %+v", before)
	}
	var l lev
	if res, b := ts.do("POST", "/api/leverage", fmt.Sprintf(`{"start": "2006-01", "scale": %d, "until": %q}`, testScale, testUntil), &l); res.StatusCode != 200 {
		t.Fatalf("POST leverage: %d %s", res.StatusCode, b)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		pending := 0
		for _, r := range append([]LeverageRow{{Run: &l.Baseline}}, l.Rows...) {
			if r.Run.State != StateDone {
				pending++
			}
		}
		if pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("leverage runs not done after 30 s: %+v", l)
		}
		time.Sleep(20 * time.Millisecond)
		ts.do("POST", "/api/leverage", fmt.Sprintf(`{"start": "2006-01", "scale": %d, "until": %q}`, testScale, testUntil), &l)
	}
	ts.do("GET", "/api/leverage?"+q, "", &l)
	for _, r := range l.Rows {
		lv, _ := policy.LookupLever(r.Lever)
		if r.Effects == nil || r.Intensity != lv.Standard || len(r.Effects) != len(l.Outcomes) {
			t.Errorf("row %+v", r)
		}
		if r.Lever == "border_closure" && r.Effects["migrants_in_russia"] >= 0 {
			t.Errorf("a border closure raises migrants in Russia: %v", r.Effects)
		}
	}
}

// TestOpenAPI: every route registered is documented and every documented
// route is registered.
func TestOpenAPI(t *testing.T) {
	ts := newTestServer(t, Config{}, nil)
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	res, b := ts.do("GET", "/openapi.json", "", &doc)
	if res.StatusCode != 200 || doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi.json: %d %q", res.StatusCode, doc.OpenAPI)
	}
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	slices.Sort(documented)
	routes := ts.Routes()
	slices.Sort(routes)
	if !slices.Equal(documented, routes) {
		t.Errorf("documented routes\n%v\nregistered routes\n%v", documented, routes)
	}
	if !json.Valid(b) || !bytes.Contains(b, []byte(`"#/components/schemas/Error"`)) {
		t.Error("openapi.json lacks the error schema")
	}
	// Every $ref resolves.
	var all map[string]any
	json.Unmarshal(b, &all)
	comps := all["components"].(map[string]any)
	for _, ref := range refs(all) {
		parts := strings.Split(strings.TrimPrefix(ref, "#/components/"), "/")
		if kind, ok := comps[parts[0]].(map[string]any); !ok || kind[parts[1]] == nil {
			t.Errorf("unresolved $ref %s", ref)
		}
	}
}

func refs(v any) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok && k == "$ref" {
				out = append(out, s)
			}
			out = append(out, refs(e)...)
		}
	case []any:
		for _, e := range x {
			out = append(out, refs(e)...)
		}
	}
	return out
}
