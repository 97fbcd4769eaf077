// Package serve is corridor's scenario workbench: a JSON HTTP API (listing
// scenarios and levers, validating scenarios, running them through a
// bounded run queue, following their progress by server-sent events,
// fetching and comparing results) and the web pages that use only that
// API, all in the one binary.
//
// Runs are keyed by a content hash of (scenario, seed, scale, until,
// ensemble size, corridor version), so identical submissions share one
// result. Finished runs are kept in a run catalog (an embedded SQLite
// database) and their result folders (written atomically with
// results.WriteOutput) under Config.DataDir, so they survive a restart.
// See docs/serve.md.
package serve

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/corridor-sim/corridor/assets"
	"github.com/corridor-sim/corridor/data"
	"github.com/corridor-sim/corridor/observed"
	"github.com/corridor-sim/corridor/policy"
	"github.com/corridor-sim/corridor/results"
	"github.com/corridor-sim/corridor/scenario"
	"github.com/corridor-sim/corridor/serve/web"
)

// Config sets up a server. Zero fields take the defaults of Defaults.
type Config struct {
	DataDir        string // run catalog (runs.db) and result folders (runs/<id>/)
	Running        int    // runs simulated at once
	MaxQueued      int    // runs waiting at most; beyond, submissions get 429
	MaxAgentMonths int64  // largest run accepted: agents × months × members
	MaxMembers     int    // largest ensemble
	MaxBodyBytes   int64  // largest request body
	DefaultScale   int    // scale of runs that give none
	SimWorkers     int    // worker goroutines per simulation (0: all cores)
	// Reference is the run shown on the front page (history against the
	// observed record); it is submitted when the server starts.
	Reference RunRequest
	Logger    *log.Logger

	// gate, if set (tests only), is called before each run is simulated.
	gate func(ctx context.Context, id string) error
}

// Defaults returns the default configuration.
func Defaults() Config {
	return Config{
		DataDir: "corridor-runs", Running: 1, MaxQueued: 8,
		MaxAgentMonths: 400_000_000, MaxMembers: 10, MaxBodyBytes: 1 << 20,
		DefaultScale: 50,
		Reference:    RunRequest{Scenario: "history", Scale: 20, Until: scenario.DefaultUntil.String()},
	}
}

func (c *Config) fill() {
	d := Defaults()
	if c.DataDir == "" {
		c.DataDir = d.DataDir
	}
	if c.Running <= 0 {
		c.Running = d.Running
	}
	if c.MaxQueued <= 0 {
		c.MaxQueued = d.MaxQueued
	}
	if c.MaxAgentMonths <= 0 {
		c.MaxAgentMonths = d.MaxAgentMonths
	}
	if c.MaxMembers <= 0 {
		c.MaxMembers = d.MaxMembers
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = d.MaxBodyBytes
	}
	if c.DefaultScale <= 0 {
		c.DefaultScale = d.DefaultScale
	}
	if c.Reference.Scenario == "" && c.Reference.Custom == nil && c.Reference.Scale == 0 {
		c.Reference = d.Reference
	}
	if c.Logger == nil {
		c.Logger = log.New(io.Discard, "", 0)
	}
}

func (c *Config) runDir(id string) string { return filepath.Join(c.DataDir, "runs", id) }

// Server is the workbench.
type Server struct {
	cfg    Config
	cat    *catalog
	q      *queue
	mux    *http.ServeMux
	routes []string // "METHOD /path" of every API route, for the OpenAPI check
	ref    string   // id of the reference run
}

// New opens (or creates) the run catalog in cfg.DataDir, re-queues the runs
// a previous server left unfinished, and submits the reference run.
func New(cfg Config) (*Server, error) {
	cfg.fill()
	if err := os.MkdirAll(filepath.Join(cfg.DataDir, "runs"), 0o755); err != nil {
		return nil, fmt.Errorf("--data-dir: %v", err)
	}
	cat, err := openCatalog(filepath.Join(cfg.DataDir, "runs.db"))
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, cat: cat, mux: http.NewServeMux()}
	s.q = newQueue(&s.cfg, cat, cfg.Logger)
	if err := s.q.resume(context.Background()); err != nil {
		s.Close()
		return nil, err
	}
	j, err := s.cfg.check(cfg.Reference)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("reference run: %v", err)
	}
	s.ref = j.ID
	if _, _, err := s.q.submit(context.Background(), j); err != nil {
		s.Close()
		return nil, fmt.Errorf("reference run: %v", err)
	}
	s.routesInit()
	return s, nil
}

// Close cancels running runs (they are re-queued at the next start) and
// closes the catalog.
func (s *Server) Close() error {
	s.q.close()
	return s.cat.close()
}

// Handler returns the HTTP handler of the API and the pages.
func (s *Server) Handler() http.Handler { return s.mux }

// ReferenceID is the id of the reference run.
func (s *Server) ReferenceID() string { return s.ref }

// Routes returns the "METHOD /path" patterns of the API routes.
func (s *Server) Routes() []string { return slices.Clone(s.routes) }

//go:embed openapi.json
var openAPI []byte

// OpenAPI returns the OpenAPI 3.1 document of the API.
func OpenAPI() []byte { return slices.Clone(openAPI) }

func (s *Server) api(pattern string, h http.HandlerFunc) {
	s.routes = append(s.routes, pattern)
	s.mux.HandleFunc(pattern, h)
}

func (s *Server) routesInit() {
	s.api("GET /openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openAPI)
	})
	s.api("GET /api/levers", s.levers)
	s.api("GET /api/scenarios", s.scenarios)
	s.api("POST /api/scenarios/validate", s.validate)
	s.api("POST /api/scenarios/yaml", s.toYAML)
	s.api("POST /api/scenarios/parse", s.parseYAML)
	s.api("GET /api/observed", s.observed)
	s.api("GET /api/sources/{file}", s.source)
	s.api("GET /api/columns", s.columns)
	s.api("GET /api/reference", s.reference)
	s.api("GET /api/runs", s.listRuns)
	s.api("POST /api/runs", s.submit)
	s.api("GET /api/runs/{id}", s.getRun)
	s.api("POST /api/runs/{id}/cancel", s.cancel)
	s.api("GET /api/runs/{id}/events", s.events)
	s.api("GET /api/runs/{id}/annual", s.annual)
	s.api("GET /api/runs/{id}/files/{name}", s.file)
	s.api("GET /api/compare", s.compare)
	s.api("POST /api/leverage", s.leverage)
	s.api("GET /api/leverage", s.leverage)

	static, _ := fs.Sub(web.FS, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.mux.Handle("GET /assets/", http.StripPrefix("/assets/", http.FileServerFS(assets.FS)))
	s.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		b, _ := fs.ReadFile(static, "index.html")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(b)
	})
	// A known path with another method: 405 with a JSON body and Allow.
	allowed := map[string][]string{}
	var paths []string
	for _, rt := range s.routes {
		method, path, _ := strings.Cut(rt, " ")
		if allowed[path] == nil {
			paths = append(paths, path)
		}
		allowed[path] = append(allowed[path], method)
	}
	for _, path := range paths {
		methods := strings.Join(allowed[path], ", ")
		s.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", methods)
			writeError(w, http.StatusMethodNotAllowed, &FieldError{Message: fmt.Sprintf("%s %s is not supported; use %s (see /openapi.json)", r.Method, r.URL.Path, methods)})
		})
	}
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, &FieldError{Message: "no API route " + r.Method + " " + r.URL.Path + " (see /openapi.json)"})
	})
}

// writeJSON writes v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// writeError writes the JSON error body {"error": ..., "field": ...}.
func writeError(w http.ResponseWriter, status int, err error) {
	var fe *FieldError
	if !errors.As(err, &fe) {
		fe = &FieldError{Message: err.Error()}
	}
	writeJSON(w, status, fe)
}

// decode reads a JSON body of at most MaxBodyBytes into v, refusing
// unknown fields; the error names the field.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any) (int, error) {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("extra data after the JSON value")
	}
	var (
		mb *http.MaxBytesError
		te *json.UnmarshalTypeError
		se *json.SyntaxError
	)
	switch {
	case err == nil:
		return 0, nil
	case errors.As(err, &mb):
		return http.StatusRequestEntityTooLarge, &FieldError{Message: fmt.Sprintf("request body is larger than %d bytes", mb.Limit)}
	case errors.As(err, &te):
		return http.StatusBadRequest, fieldErr(te.Field, "want %s, got JSON %s", te.Type, te.Value)
	case errors.As(err, &se):
		return http.StatusBadRequest, &FieldError{Message: fmt.Sprintf("malformed JSON at byte %d: %v", se.Offset, se)}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return http.StatusBadRequest, &FieldError{Message: "malformed JSON: the body ends in the middle of a value"}
	case errors.Is(err, io.EOF):
		return http.StatusBadRequest, &FieldError{Message: "empty request body; want a JSON object"}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return http.StatusBadRequest, fieldErr(f, "unknown field")
	default:
		return http.StatusBadRequest, &FieldError{Message: err.Error()}
	}
}

// ColumnDoc is an output column as the API describes it.
type ColumnDoc struct {
	Name string `json:"name"`
	Unit string `json:"unit"`
	Doc  string `json:"doc"`
	Agg  string `json:"agg,omitempty"` // mean, sum, last or none; empty for year and months
}

func columnDocs(cs []results.Column) []ColumnDoc {
	out := make([]ColumnDoc, len(cs))
	for i, c := range cs {
		out[i] = ColumnDoc{Name: c.Name, Unit: c.Unit, Doc: c.Doc, Agg: string(c.Agg)}
	}
	return out
}

// SettingDoc is a lever's named setting as the API lists it.
type SettingDoc struct {
	Name    string  `json:"name"`
	Unit    string  `json:"unit"`
	Doc     string  `json:"doc"`
	Default float64 `json:"default"`
	Min     float64 `json:"min"`
	Max     float64 `json:"max"`
}

// LeverDoc is a lever as the API lists it.
type LeverDoc struct {
	Name      string       `json:"name"`
	Side      string       `json:"side"`
	Summary   string       `json:"summary"`
	Mechanism string       `json:"mechanism"`
	Source    string       `json:"source"`
	Unit      string       `json:"unit"`
	Min       float64      `json:"min"`
	Max       float64      `json:"max"`
	Default   float64      `json:"default"`
	Standard  float64      `json:"standard"`
	Months    int          `json:"months"`
	Targets   []string     `json:"targets"`
	Settings  []SettingDoc `json:"settings"`
}

func (s *Server) levers(w http.ResponseWriter, r *http.Request) {
	out := []LeverDoc{}
	for _, l := range policy.Levers() {
		d := LeverDoc{Name: l.Name, Side: l.Side, Summary: l.Summary, Mechanism: l.Mechanism, Source: l.Source,
			Unit: l.Unit, Min: l.Min, Max: l.Max, Default: l.Default, Standard: l.Standard, Months: l.Months,
			Targets: l.Targets, Settings: []SettingDoc{}}
		if d.Targets == nil {
			d.Targets = []string{}
		}
		for _, st := range l.Settings {
			d.Settings = append(d.Settings, SettingDoc{Name: st.Name, Unit: st.Unit, Doc: st.Doc, Default: st.Default, Min: st.Min, Max: st.Max})
		}
		out = append(out, d)
	}
	writeJSON(w, http.StatusOK, map[string]any{"levers": out, "target_values": targetValues})
}

func (s *Server) scenarios(w http.ResponseWriter, r *http.Request) {
	out := []Spec{}
	for _, sc := range scenario.Library() {
		out = append(out, specOf(sc))
	}
	writeJSON(w, http.StatusOK, map[string]any{"scenarios": out})
}

// Validation is the answer of POST /api/scenarios/validate.
type Validation struct {
	Valid bool   `json:"valid"`
	Field string `json:"field,omitempty"`
	Error string `json:"error,omitempty"`
}

func (s *Server) validate(w http.ResponseWriter, r *http.Request) {
	var sp Spec
	if st, err := s.decode(w, r, &sp); err != nil {
		writeError(w, st, err)
		return
	}
	sc, err := sp.scenario("")
	if err == nil {
		_, err = sc.Build(scenario.Options{Until: scenario.MaxUntil})
		if err != nil {
			err = fieldErr("params", "%v", err)
		}
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		writeJSON(w, http.StatusOK, Validation{Field: strings.TrimPrefix(fe.Field, "."), Error: fe.Message})
		return
	}
	writeJSON(w, http.StatusOK, Validation{Valid: true})
}

func (s *Server) toYAML(w http.ResponseWriter, r *http.Request) {
	var sp Spec
	if st, err := s.decode(w, r, &sp); err != nil {
		writeError(w, st, err)
		return
	}
	if _, err := sp.scenario(""); err != nil {
		var fe *FieldError
		errors.As(err, &fe)
		fe.Field = strings.TrimPrefix(fe.Field, ".")
		writeError(w, http.StatusUnprocessableEntity, fe)
		return
	}
	b, err := sp.YAML()
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	name := safeName(sp.Name)
	w.Header().Set("Content-Type", "application/yaml")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.yaml"`)
	w.Write(b)
}

func (s *Server) parseYAML(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
	src, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, &FieldError{Message: fmt.Sprintf("request body is larger than %d bytes", s.cfg.MaxBodyBytes)})
		return
	}
	name := r.URL.Query().Get("filename")
	if name == "" {
		name = "upload.yaml"
	}
	sc, err := scenario.Parse(filepath.Base(name), src)
	if err != nil {
		writeError(w, http.StatusBadRequest, &FieldError{Field: "file", Message: err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, specOf(sc))
}

// ObservedPoint and ObservedSeries are the observed record as the API
// reports it.
type ObservedPoint struct {
	Year     int     `json:"year"`
	Value    float64 `json:"value"` // in the output's unit (Target.Scale applied)
	Series   string  `json:"series"`
	Source   string  `json:"source"`
	File     string  `json:"file"`
	Line     int     `json:"line"`
	Note     string  `json:"note,omitempty"`
	Estimate bool    `json:"estimate,omitempty"`
	Bound    string  `json:"bound,omitempty"`
	Link     string  `json:"link"` // the data file served by the API
}

type ObservedSeries struct {
	Output string          `json:"output"`
	Label  string          `json:"label"`
	Unit   string          `json:"unit"`
	Why    string          `json:"why"`
	Points []ObservedPoint `json:"points"`
}

func (s *Server) observed(w http.ResponseWriter, r *http.Request) {
	ref, err := data.Embedded()
	if err == nil {
		var ts []observed.Target
		if ts, err = observed.Targets(ref); err == nil {
			out := []ObservedSeries{}
			for _, t := range ts {
				os := ObservedSeries{Output: t.Output, Label: t.Label, Unit: t.Unit, Why: t.Why}
				for _, p := range t.Points {
					file := filepath.Base(p.File)
					os.Points = append(os.Points, ObservedPoint{Year: p.Year, Value: p.Value * t.Scale, Series: p.Series,
						Source: p.Source, File: file, Line: p.Line, Note: p.Note, Estimate: p.Estimate, Bound: p.Bound,
						Link: "/api/sources/" + file + "#L" + strconv.Itoa(p.Line)})
				}
				out = append(out, os)
			}
			writeJSON(w, http.StatusOK, map[string]any{"series": out})
			return
		}
	}
	writeError(w, http.StatusInternalServerError, err)
}

func (s *Server) source(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	if !slices.Contains(data.FileNames(), name) {
		writeError(w, http.StatusNotFound, fieldErr("file", "no data file %q (known: %s)", name, strings.Join(data.FileNames(), ", ")))
		return
	}
	b, err := fs.ReadFile(data.FS(), name)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write(b)
}

func (s *Server) columns(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"columns": columnDocs(results.Columns())})
}

func (s *Server) reference(w http.ResponseWriter, r *http.Request) {
	info, err := s.q.status(r.Context(), s.ref)
	if err != nil || info == nil {
		writeError(w, http.StatusInternalServerError, fmt.Errorf("reference run %s: %v", s.ref, err))
		return
	}
	writeJSON(w, http.StatusOK, info)
}

func (s *Server) listRuns(w http.ResponseWriter, r *http.Request) {
	limit := 200
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			writeError(w, http.StatusBadRequest, fieldErr("limit", "want a whole number 1..1000, got %q", v))
			return
		}
		limit = n
	}
	rs, err := s.cat.list(r.Context(), limit)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	for i, ri := range rs {
		if live, _ := s.q.status(r.Context(), ri.ID); live != nil {
			rs[i] = live
		}
	}
	waiting, running := s.q.counts()
	writeJSON(w, http.StatusOK, map[string]any{"runs": rs, "queued": waiting, "running": running, "max_queued": s.cfg.MaxQueued})
}

func (s *Server) submit(w http.ResponseWriter, r *http.Request) {
	var req RunRequest
	if st, err := s.decode(w, r, &req); err != nil {
		writeError(w, st, err)
		return
	}
	j, err := s.cfg.check(req)
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, err)
		return
	}
	info, created, err := s.q.submit(r.Context(), j)
	switch {
	case errors.Is(err, errQueueFull):
		w.Header().Set("Retry-After", strconv.Itoa(s.retryAfter()))
		writeError(w, http.StatusTooManyRequests, &FieldError{Message: fmt.Sprintf("%v (%d runs waiting); retry later", err, s.cfg.MaxQueued)})
	case err != nil:
		writeError(w, http.StatusServiceUnavailable, err)
	case created:
		w.Header().Set("Location", "/api/runs/"+info.ID)
		writeJSON(w, http.StatusAccepted, info)
	default:
		writeJSON(w, http.StatusOK, info)
	}
}

// retryAfter estimates, in seconds, when a queue slot frees up: the mean
// duration of the recent runs (5 s before any has finished), at least 1.
func (s *Server) retryAfter() int {
	d := s.q.meanDuration()
	if d <= 0 {
		return 5
	}
	return max(1, int(math.Ceil(d.Seconds())))
}

var idPattern = regexp.MustCompile(`^[0-9a-f]{16}$`)

// run returns the run named by the id path value, writing a 404 if none.
func (s *Server) run(w http.ResponseWriter, r *http.Request) *RunInfo {
	id := r.PathValue("id")
	if !idPattern.MatchString(id) {
		writeError(w, http.StatusNotFound, fieldErr("id", "%q is not a run id (16 hexadecimal digits)", id))
		return nil
	}
	info, err := s.q.status(r.Context(), id)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return nil
	}
	if info == nil {
		writeError(w, http.StatusNotFound, fieldErr("id", "no run %s in the catalog", id))
	}
	return info
}

func (s *Server) getRun(w http.ResponseWriter, r *http.Request) {
	if info := s.run(w, r); info != nil {
		writeJSON(w, http.StatusOK, info)
	}
}

func (s *Server) cancel(w http.ResponseWriter, r *http.Request) {
	info := s.run(w, r)
	if info == nil {
		return
	}
	if !s.q.cancel(info.ID) {
		writeError(w, http.StatusConflict, fieldErr("id", "run %s is %s, not queued or running", info.ID, info.State))
		return
	}
	info, _ = s.q.status(r.Context(), info.ID)
	writeJSON(w, http.StatusOK, info)
}

// events streams a run's progress as server-sent events: "progress" events
// with the RunInfo as data while it changes, then one "end" event.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	info := s.run(w, r)
	if info == nil {
		return
	}
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	send := func(event string, v *RunInfo) bool {
		b, _ := json.Marshal(v)
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	last := ""
	for {
		key := info.State + "/" + strconv.Itoa(info.Done)
		if key != last {
			if !send("progress", info) {
				return
			}
			last = key
		}
		if info.State != StateQueued && info.State != StateRunning {
			send("end", info)
			return
		}
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
		}
		next, err := s.q.status(r.Context(), info.ID)
		if err != nil || next == nil {
			return
		}
		info = next
	}
}

// done returns the run if it is done, writing a 404 or 409 otherwise.
func (s *Server) done(w http.ResponseWriter, r *http.Request, field, id string) *RunInfo {
	if !idPattern.MatchString(id) {
		writeError(w, http.StatusNotFound, fieldErr(field, "%q is not a run id (16 hexadecimal digits)", id))
		return nil
	}
	info, err := s.q.status(r.Context(), id)
	switch {
	case err != nil:
		writeError(w, http.StatusInternalServerError, err)
	case info == nil:
		writeError(w, http.StatusNotFound, fieldErr(field, "no run %s in the catalog", id))
	case info.State != StateDone:
		writeError(w, http.StatusConflict, fieldErr(field, "run %s is %s, not done", id, info.State))
	default:
		return info
	}
	return nil
}

// AnnualData is a run's annual table by column, with ensemble bands.
type AnnualData struct {
	Run     *RunInfo             `json:"run"`
	Columns []ColumnDoc          `json:"columns"`
	Years   []float64            `json:"years"`
	Values  map[string][]float64 `json:"values"`
	Bands   map[string]Band      `json:"bands,omitempty"`
}

func (s *Server) loadAnnual(info *RunInfo) (*AnnualData, []*results.Table, error) {
	dir := s.cfg.runDir(info.ID)
	t, err := readCSVTable(filepath.Join(dir, results.AnnualFile))
	if err != nil {
		return nil, nil, err
	}
	d := &AnnualData{Run: info, Columns: columnDocs(t.Columns), Years: years(t), Values: map[string][]float64{}}
	for j, c := range t.Columns {
		col := make([]float64, len(t.Rows))
		for i, r := range t.Rows {
			col[i] = r[j]
		}
		d.Values[c.Name] = col
	}
	var members []*results.Table
	if info.Members > 1 {
		if members, err = readMembers(filepath.Join(dir, MembersFile)); err != nil {
			return nil, nil, err
		}
		d.Bands = bandsOf(members)
	}
	return d, members, nil
}

func (s *Server) annual(w http.ResponseWriter, r *http.Request) {
	info := s.done(w, r, "id", r.PathValue("id"))
	if info == nil {
		return
	}
	d, _, err := s.loadAnnual(info)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

var contentTypes = map[string]string{
	".csv": "text/csv; charset=utf-8", ".json": "application/json", ".parquet": "application/vnd.apache.parquet",
}

// file serves one file of a run folder, named by run id and one of the
// known file names: no path from the request reaches the file system.
func (s *Server) file(w http.ResponseWriter, r *http.Request) {
	info := s.done(w, r, "id", r.PathValue("id"))
	if info == nil {
		return
	}
	name := r.PathValue("name")
	if !slices.Contains(info.Files, name) {
		writeError(w, http.StatusNotFound, fieldErr("name", "run %s has no file %q (files: %s)", info.ID, name, strings.Join(info.Files, ", ")))
		return
	}
	f, err := os.Open(filepath.Join(s.cfg.runDir(info.ID), name))
	if err != nil {
		writeError(w, http.StatusInternalServerError, fmt.Errorf("run %s: %s is missing from the run folder", info.ID, name))
		return
	}
	defer f.Close()
	st, _ := f.Stat()
	w.Header().Set("Content-Type", contentTypes[filepath.Ext(name)])
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s-%s"`, safeName(info.Scenario), info.ID[:8], name))
	http.ServeContent(w, r, name, st.ModTime(), f)
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func safeName(s string) string {
	s = strings.Trim(unsafeChars.ReplaceAllString(s, "-"), "-.")
	if s == "" {
		return "scenario"
	}
	return s
}

func (s *Server) compare(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	a := s.done(w, r, "a", q.Get("a"))
	if a == nil {
		return
	}
	b := s.done(w, r, "b", q.Get("b"))
	if b == nil {
		return
	}
	c, err := s.comparison(a, b)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	switch q.Get("format") {
	case "", "json":
		writeJSON(w, http.StatusOK, c)
	case "csv":
		w.Header().Set("Content-Type", contentTypes[".csv"])
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="compare-%s-%s.csv"`, a.ID[:8], b.ID[:8]))
		if err := c.WriteCSV(w); err != nil {
			s.cfg.Logger.Printf("compare csv: %v", err)
		}
	default:
		writeError(w, http.StatusBadRequest, fieldErr("format", "want json or csv, got %q", q.Get("format")))
	}
}
