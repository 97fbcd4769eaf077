// Package report turns a results folder — one run or an ensemble — into a
// self-contained report.html, which opens offline (uPlot and the data are
// inlined: no script, style sheet or font is fetched), and into PNG charts
// for papers.
//
// The report shows the simulated annual series against the observed record
// (package observed) with the ensemble's p05–p95 band where there is one,
// marks where the observed data stop and the forecast begins, and lists the
// fit (package validation), the policy timeline of the scenario and the
// run's manifest. See docs/report.md.
package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/data"
	"github.com/corridor-sim/corridor/ensemble"
	"github.com/corridor-sim/corridor/params"
	"github.com/corridor-sim/corridor/policy"
	"github.com/corridor-sim/corridor/results"
	"github.com/corridor-sim/corridor/scenario"
)

// HTMLFile is the report's file name in a results folder.
const HTMLFile = "report.html"

// Source is what a report is made from: the manifest and the annual table
// of a run, or the quantile table of an ensemble.
type Source struct {
	Dir      string // the results folder, as given
	Manifest results.Manifest
	// Annual is the annual table of a single run (annual.csv); nil for an
	// ensemble.
	Annual *results.Table
	// Quantiles is the quantile table of an ensemble (annual_quantiles.csv);
	// nil for a single run.
	Quantiles *results.Table
	// Events is the policy timeline of the scenario, rebuilt from the
	// manifest's scenario name and parameters.
	Events []policy.Event
	// Ref is the reference data the observed series come from.
	Ref *data.Reference
	// Members and ParamSets describe an ensemble (from ensemble.json): the
	// number of members and of parameter sets; zero for a single run.
	Members, ParamSets int
	// Notes are caveats shown at the top of the report (replacement data,
	// a scenario that could not be rebuilt).
	Notes []string
}

// Ensemble reports whether the source is an ensemble.
func (s *Source) Ensemble() bool { return s.Quantiles != nil }

// Load reads the results folder dir (written by corridor run or corridor
// ensemble): manifest.json, then annual_quantiles.csv if present, else
// annual.csv. ref is the reference data for the observed series (nil: the
// embedded data). Errors name the file, and for tables the line, column and
// field.
func Load(dir string, ref *data.Reference) (*Source, error) {
	src := &Source{Dir: dir}
	mpath := filepath.Join(dir, results.ManifestFile)
	mb, err := os.ReadFile(mpath)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s: no %s: not a corridor results folder (write one with corridor run or corridor ensemble)", dir, results.ManifestFile)
		}
		return nil, err
	}
	if src.Manifest, err = ParseManifest(mpath, mb); err != nil {
		return nil, err
	}
	qpath := filepath.Join(dir, ensemble.QuantilesFile)
	apath := filepath.Join(dir, results.AnnualFile)
	if b, err := os.ReadFile(qpath); err == nil {
		if src.Quantiles, err = ReadTable(qpath, bytes.NewReader(b)); err != nil {
			return nil, err
		}
		ipath := filepath.Join(dir, ensemble.InfoFile)
		ib, err := os.ReadFile(ipath)
		if err != nil {
			return nil, fmt.Errorf("%s: an ensemble folder needs its %s: %w", dir, ensemble.InfoFile, err)
		}
		var info struct {
			Members   int `json:"members"`
			ParamSets int `json:"param_sets"`
		}
		if err := json.Unmarshal(ib, &info); err != nil || info.Members < 1 || info.ParamSets < 1 {
			return nil, fmt.Errorf("%s: not an ensemble description (want members and param_sets ≥ 1): %v", ipath, err)
		}
		// Member i uses set i mod param_sets: a small ensemble uses only
		// its first members' sets.
		src.Members, src.ParamSets = info.Members, min(info.ParamSets, info.Members)
		if src.ParamSets == 1 {
			src.Notes = append(src.Notes, "All members share one parameter set: the bands show the variation between random seeds at this scale only, not the uncertainty of the parameters, the drivers or the model (docs/report.md).")
		}
	} else if b, err := os.ReadFile(apath); err == nil {
		if src.Annual, err = ReadTable(apath, bytes.NewReader(b)); err != nil {
			return nil, err
		}
	} else {
		return nil, fmt.Errorf("%s: neither %s nor %s: not a complete corridor results folder", dir, results.AnnualFile, ensemble.QuantilesFile)
	}
	if err := src.fill(ref); err != nil {
		return nil, err
	}
	return src, nil
}

// fill sets the reference data and rebuilds the policy timeline.
func (s *Source) fill(ref *data.Reference) error {
	if ref == nil {
		var err error
		if ref, err = data.Embedded(); err != nil {
			return err
		}
	}
	s.Ref = ref
	if s.Manifest.InputsSHA256 != "" && s.Manifest.InputsSHA256 != ref.Hash {
		s.Notes = append(s.Notes, fmt.Sprintf("The run used other input data (inputs_sha256 %.12s…) than the data the observed series are taken from here (%.12s…); pass the run's --data folder to corridor report to compare with them.",
			s.Manifest.InputsSHA256, ref.Hash))
	}
	events, err := timeline(s.Manifest, ref)
	if err != nil {
		s.Notes = append(s.Notes, "The policy timeline could not be rebuilt: "+err.Error())
	}
	s.Events = events
	return nil
}

// timeline rebuilds the policy events of the manifest's scenario with its
// parameters.
func timeline(m results.Manifest, ref *data.Reference) ([]policy.Event, error) {
	sc, err := scenario.Lookup(m.Scenario)
	if err != nil {
		return nil, err
	}
	until, err := calendar.Parse(m.Until)
	if err != nil {
		return nil, fmt.Errorf("manifest until: %v", err)
	}
	p := params.Defaults()
	for _, pr := range m.Parameters {
		if strings.Contains(pr.Name, "[") {
			continue // profile entries; the timeline uses scalars only
		}
		_ = p.Set(pr.Name, pr.Value) // names of another version are ignored
	}
	in, err := sc.Build(scenario.Options{Until: until, Params: &p, Ref: ref})
	if err != nil {
		return nil, err
	}
	return in.Timeline.Events, nil
}

// ParseManifest parses a corridor manifest.json; filename is used in errors.
func ParseManifest(filename string, b []byte) (results.Manifest, error) {
	var m results.Manifest
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&m); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			line, col := position(b, se.Offset)
			return m, fmt.Errorf("%s:%d:%d: %v", filename, line, col, se)
		case errors.As(err, &te):
			line, col := position(b, te.Offset)
			return m, fmt.Errorf("%s:%d:%d: field %s: %v is not a valid %s", filename, line, col, te.Field, te.Value, te.Type)
		}
		return m, fmt.Errorf("%s: %v", filename, err)
	}
	if m.CorridorVersion == "" {
		return m, fmt.Errorf("%s: field corridor_version missing: not a corridor manifest", filename)
	}
	return m, nil
}

// position turns a byte offset into a 1-based line and column.
func position(b []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(b)))
	before := b[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - (bytes.LastIndexByte(before, '\n') + 1)
	return line, max(col, 1)
}

// units of the columns corridor writes, by name.
func columnUnit(name string) string {
	switch name {
	case "year":
		return "year"
	case "months":
		return "months"
	case "members":
		return "members"
	}
	for _, c := range results.Columns() {
		if c.Name == name {
			return c.Unit
		}
	}
	for _, s := range ensemble.Suffixes {
		if base, ok := strings.CutSuffix(name, "_"+s); ok {
			return columnUnit(base)
		}
	}
	return ""
}

// ReadTable reads an annual table (annual.csv or annual_quantiles.csv) as
// written by corridor: a header of column names, whose first column must be
// year, then one row of numbers per year, in increasing year order. Errors
// name filename, line, column and field.
func ReadTable(filename string, r io.Reader) (*results.Table, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = false
	head, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file", filename)
	}
	if err != nil {
		return nil, csvError(filename, err)
	}
	if len(head) == 0 || head[0] != "year" {
		return nil, fmt.Errorf("%s:1:1: field %q: the first column must be year", filename, head[0])
	}
	t := &results.Table{}
	seen := map[string]bool{}
	for j, name := range head {
		if name == "" || seen[name] {
			return nil, fmt.Errorf("%s:1:%d: column name %q is empty or repeated", filename, j+1, name)
		}
		seen[name] = true
		t.Columns = append(t.Columns, results.Column{Name: name, Unit: columnUnit(name)})
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(filename, err)
		}
		line, _ := cr.FieldPos(0)
		row := make([]float64, len(rec))
		for j, cell := range rec {
			x, err := strconv.ParseFloat(cell, 64)
			if err != nil || x != x || x-x != 0 {
				_, col := cr.FieldPos(j)
				return nil, fmt.Errorf("%s:%d:%d: field %s: %q is not a finite number", filename, line, col, head[j], cell)
			}
			row[j] = x
		}
		if n := len(t.Rows); n > 0 && row[0] <= t.Rows[n-1][0] {
			return nil, fmt.Errorf("%s:%d:1: field year: %v does not follow %v", filename, line, row[0], t.Rows[n-1][0])
		}
		if row[0] != float64(int(row[0])) || row[0] < 1900 || row[0] > 2200 {
			return nil, fmt.Errorf("%s:%d:1: field year: %v is not a year", filename, line, row[0])
		}
		t.Rows = append(t.Rows, row)
	}
	if len(t.Rows) == 0 {
		return nil, fmt.Errorf("%s: header but no rows", filename)
	}
	return t, nil
}

func csvError(filename string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d:%d: %v", filename, pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("%s: %v", filename, err)
}
