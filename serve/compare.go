package serve

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/policy"
	"github.com/corridor-sim/corridor/results"
	"github.com/corridor-sim/corridor/scenario"
)

// Comparison is two runs' annual tables over their common years, and the
// difference b − a. Each run that is an ensemble comes with its bands; when
// both are, the difference has a band too, computed from the differences of
// members paired by seed offset (they share every random draw that the two
// scenarios do not change), so it is usually narrower than the gap between
// the two runs' bands suggests.
type Comparison struct {
	A         *RunInfo             `json:"a"`
	B         *RunInfo             `json:"b"`
	Columns   []ColumnDoc          `json:"columns"`
	Years     []float64            `json:"years"`
	AValues   map[string][]float64 `json:"a_values"`
	BValues   map[string][]float64 `json:"b_values"`
	Diff      map[string][]float64 `json:"diff"`
	ABands    map[string]Band      `json:"a_bands,omitempty"`
	BBands    map[string]Band      `json:"b_bands,omitempty"`
	DiffBands map[string]Band      `json:"diff_bands,omitempty"`
}

// WriteCSV writes the comparison as a tidy CSV table: one row per year and
// variable, with the values of a and b, the difference b − a and, where
// there are bands, their 5% and 95% edges (empty cells otherwise).
func (c *Comparison) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := []string{"year", "variable", "unit", "a", "b", "diff", "a_p05", "a_p95", "b_p05", "b_p95", "diff_p05", "diff_p95"}
	if err := cw.Write(head); err != nil {
		return err
	}
	band := func(bs map[string]Band, name string, i int) (string, string) {
		b, ok := bs[name]
		if !ok || i >= len(b.Lo) {
			return "", ""
		}
		return fmtG(b.Lo[i]), fmtG(b.Hi[i])
	}
	for _, col := range c.Columns[2:] {
		name := col.Name
		if _, ok := c.Diff[name]; !ok {
			continue
		}
		for i, y := range c.Years {
			alo, ahi := band(c.ABands, name, i)
			blo, bhi := band(c.BBands, name, i)
			dlo, dhi := band(c.DiffBands, name, i)
			rec := []string{strconv.FormatFloat(y, 'f', 0, 64), name, col.Unit,
				fmtG(c.AValues[name][i]), fmtG(c.BValues[name][i]), fmtG(c.Diff[name][i]), alo, ahi, blo, bhi, dlo, dhi}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// Differences returns b − a for every column of the annual tables a and b
// (after year and months) over the years both hold, in year order.
func Differences(a, b *results.Table) (years []float64, diff map[string][]float64) {
	ib := map[float64]int{}
	for i, r := range b.Rows {
		ib[r[0]] = i
	}
	diff = map[string][]float64{}
	for _, ra := range a.Rows {
		i, ok := ib[ra[0]]
		if !ok {
			continue
		}
		years = append(years, ra[0])
		for j := 2; j < len(a.Columns); j++ {
			k := b.Index(a.Columns[j].Name)
			if k < 0 {
				continue
			}
			diff[a.Columns[j].Name] = append(diff[a.Columns[j].Name], b.Rows[i][k]-ra[j])
		}
	}
	return years, diff
}

// restrict keeps the values of the given years.
func restrict(d *AnnualData, ys []float64) map[string][]float64 {
	out := map[string][]float64{}
	for name, col := range d.Values {
		var v []float64
		for i, y := range d.Years {
			if slices.Contains(ys, y) {
				v = append(v, col[i])
			}
		}
		out[name] = v
	}
	return out
}

func restrictBands(bs map[string]Band, all, ys []float64) map[string]Band {
	if bs == nil {
		return nil
	}
	out := map[string]Band{}
	for name, b := range bs {
		var nb Band
		for i, y := range all {
			if slices.Contains(ys, y) {
				nb.Mean, nb.Lo, nb.Hi = append(nb.Mean, b.Mean[i]), append(nb.Lo, b.Lo[i]), append(nb.Hi, b.Hi[i])
			}
		}
		out[name] = nb
	}
	return out
}

func (s *Server) comparison(a, b *RunInfo) (*Comparison, error) {
	da, ma, err := s.loadAnnual(a)
	if err != nil {
		return nil, err
	}
	db, mb, err := s.loadAnnual(b)
	if err != nil {
		return nil, err
	}
	ta, _ := readCSVTable(s.cfg.runDir(a.ID) + "/" + results.AnnualFile)
	tb, _ := readCSVTable(s.cfg.runDir(b.ID) + "/" + results.AnnualFile)
	ys, diff := Differences(ta, tb)
	c := &Comparison{A: a, B: b, Columns: da.Columns, Years: ys, AValues: restrict(da, ys), BValues: restrict(db, ys), Diff: diff}
	c.ABands = restrictBands(da.Bands, da.Years, ys)
	c.BBands = restrictBands(db.Bands, db.Years, ys)
	if ma != nil && mb != nil {
		n := min(len(ma), len(mb))
		diffs := make([]map[string][]float64, n)
		for m := range n {
			_, diffs[m] = Differences(ma[m], mb[m])
		}
		c.DiffBands = bandsOfColumns(diffs)
	}
	return c, nil
}

// LeverageRequest asks for the leverage table: every lever at its standard
// intensity for its standard number of months from Start, against history.
type LeverageRequest struct {
	Seed  uint64 `json:"seed,omitempty"`
	Scale int    `json:"scale,omitempty"`
	Until string `json:"until,omitempty"`
	Start string `json:"start"` // YYYY-MM, first month of every lever
}

// LeverageRow is one lever's effect: the mean annual difference from
// history over the years from the start's year to the end's year.
type LeverageRow struct {
	Lever     string             `json:"lever"`
	Intensity float64            `json:"intensity"`
	Unit      string             `json:"unit"`
	From      string             `json:"from"`
	Until     string             `json:"until"`
	Run       *RunInfo           `json:"run"`
	Effects   map[string]float64 `json:"effects,omitempty"` // outcome → mean annual difference, once both runs are done
}

// leverageOutcomes are the columns the leverage table reports.
var leverageOutcomes = []string{"remittances_usd", "remittances_pct_gdp", "migrants_in_russia", "deportations", "entry_bans_active", "poverty_rate"}

// leverage answers GET (report) and POST (also submit the missing runs)
// /api/leverage. GET takes the request's fields as query parameters. The
// table needs one run per lever besides the baseline, which can be more
// than the queue holds: POST submits those that fit, reports the others as
// not submitted (waiting_for_queue counts them), and a later POST submits
// them as the queue drains. Identical runs are shared, so repeating the
// POST costs nothing.
func (s *Server) leverage(w http.ResponseWriter, r *http.Request) {
	var req LeverageRequest
	if r.Method == http.MethodPost {
		if st, err := s.decode(w, r, &req); err != nil {
			writeError(w, st, err)
			return
		}
	} else {
		q := r.URL.Query()
		req.Start, req.Until = q.Get("start"), q.Get("until")
		if v := q.Get("scale"); v != "" {
			if _, err := fmt.Sscan(v, &req.Scale); err != nil {
				writeError(w, http.StatusBadRequest, fieldErr("scale", "not a whole number: %q", v))
				return
			}
		}
		if v := q.Get("seed"); v != "" {
			if _, err := fmt.Sscan(v, &req.Seed); err != nil {
				writeError(w, http.StatusBadRequest, fieldErr("seed", "not a whole number: %q", v))
				return
			}
		}
	}
	start, err := calendar.Parse(req.Start)
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, fieldErr("start", "%v", err))
		return
	}
	base := RunRequest{Scenario: "history", Seed: req.Seed, Scale: req.Scale, Until: req.Until}
	bj, err := s.cfg.check(base)
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, err)
		return
	}
	if start < scenario.ModelStart || start > bj.until {
		writeError(w, http.StatusUnprocessableEntity, fieldErr("start", "%v is outside the run's span %v..%v", start, scenario.ModelStart, bj.until))
		return
	}
	jobs := []*job{bj}
	var rows []LeverageRow
	for _, l := range policy.Levers() {
		until := start + calendar.Month(max(l.Months, 1)) - 1
		in := l.Standard
		sp := Spec{Name: "leverage " + l.Name, Description: fmt.Sprintf("history plus %s at its standard intensity %g (%s) for %d months from %v", l.Name, l.Standard, l.Unit, l.Months, start),
			Events: []Event{{Lever: l.Name, From: start.String(), Until: until.String(), Intensity: &in, Source: "corridor leverage table"}}}
		rr := base
		rr.Scenario, rr.Custom = "", &sp
		j, err := s.cfg.check(rr)
		if err != nil {
			writeError(w, http.StatusUnprocessableEntity, err)
			return
		}
		jobs = append(jobs, j)
		rows = append(rows, LeverageRow{Lever: l.Name, Intensity: in, Unit: l.Unit, From: start.String(), Until: until.String()})
	}
	infos := make([]*RunInfo, len(jobs))
	waiting := 0
	for i, j := range jobs {
		var info *RunInfo
		if r.Method == http.MethodPost {
			info, _, err = s.q.submit(r.Context(), j)
			if errors.Is(err, errQueueFull) {
				// Submitted by a later POST, once the queue has room.
				info, err = nil, nil
				waiting++
			}
		} else {
			info, err = s.q.status(r.Context(), j.ID)
		}
		if err != nil {
			writeError(w, http.StatusServiceUnavailable, fmt.Errorf("leverage run %d of %d: %v", i+1, len(jobs), err))
			return
		}
		if info == nil {
			info = &RunInfo{ID: j.ID, State: StateNotSubmitted, job: j}
			info.fill()
		}
		infos[i] = info
	}
	for i := range rows {
		rows[i].Run = infos[i+1]
		if infos[0].State == StateDone && infos[i+1].State == StateDone {
			c, err := s.comparison(infos[0], infos[i+1])
			if err != nil {
				writeError(w, http.StatusInternalServerError, err)
				return
			}
			endYear := float64(calendar.Month(0).Year())
			if m, err := calendar.Parse(rows[i].Until); err == nil {
				endYear = float64(m.Year())
			}
			rows[i].Effects = map[string]float64{}
			for _, o := range leverageOutcomes {
				sum, n := 0.0, 0
				for k, y := range c.Years {
					if y >= float64(start.Year()) && y <= endYear {
						sum += c.Diff[o][k]
						n++
					}
				}
				if n > 0 {
					rows[i].Effects[o] = sum / float64(n)
				}
			}
		}
	}
	if waiting > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(s.retryAfter()))
	}
	writeJSON(w, http.StatusOK, map[string]any{"baseline": infos[0], "outcomes": leverageOutcomes, "rows": rows, "waiting_for_queue": waiting})
}
