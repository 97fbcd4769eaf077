// Package data holds corridor's reference data: the sourced CSV files from
// the shared data folder, embedded in the binary, and their parsed form.
//
// Every row keeps its provenance (source, source kind, estimate flag, note)
// and the file and line it came from, so a number used by the model can be
// traced back. Values without a source live in UNSOURCED.csv and are kept
// apart (Reference.Unsourced): the model may use them only as flagged
// assumptions. SOURCES.md and PARAMETERS.md in this directory describe the
// files; parameters_extracted.csv holds figures copied from PARAMETERS.md
// tables with their sources.
//
// Outcome series (remittances, migrant stocks and flows, deportations,
// entry bans) stop at LastInSampleYear: later years are the model's
// out-of-sample test and are deliberately absent.
package data

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"embed"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// LastInSampleYear is the last year of the outcome series the model may be
// calibrated on. Outcomes for later years are kept out of the data.
const LastInSampleYear = 2018

// An Observation is one row of a file in the common format
// series,country,year,period,value,unit,source,source_kind,estimate,note.
type Observation struct {
	File       string // e.g. "macro_russia.csv"
	Line       int    // 1-based line in the file (the header is line 1)
	Series     string
	Country    string
	Year       int     // 0 when the row gives a range of years or an unknown year
	YearText   string  // the year cell as written, e.g. "2014" or "unknown (c.2016-2018)"
	Period     string  // e.g. "annual", "Q2", "point: 4 May 2014"
	Value      float64 // NaN when the cell is empty (rows without a unit)
	Unit       string
	Source     string
	SourceKind string
	Estimate   string // "yes", "no" or the source's own wording
	Note       string
}

// A MonthlyRate is one row of rub_per_usd_monthly.csv: the mean of the
// Central Bank of Russia's official daily RUB/USD fixings in a month.
type MonthlyRate struct {
	File    string
	Line    int
	Year    int
	Month   int // 1–12
	Value   float64
	Fixings int // number of daily fixings averaged
	Source  string
	Note    string
}

// A PolicyEvent is one row of policy_events.csv.
type PolicyEvent struct {
	File          string
	Line          int
	Date          string // as written: YYYY, YYYY-MM, YYYY-MM-DD or an approximate text
	DatePrecision string // "day", "month", "year" or "approx"
	Year          int    // year of Date
	Month         int    // month of Date, 0 when the precision is year or approx
	Jurisdiction  string
	Category      string
	Event         string
	Quantity      string  // as written; may be empty
	Value         float64 // Quantity as a number, NaN when empty
	Unit          string
	Source        string
	SourceKind    string
	Note          string
}

// An Unsourced value is one row of UNSOURCED.csv: a figure for which no
// source was found. The model may use it only as a flagged assumption.
type Unsourced struct {
	File       string
	Line       int
	Series     string
	Country    string
	Year       int    // 0 if the row does not give a single year
	YearText   string // the year cell as written, e.g. "2016-2019"
	Period     string
	BestValue  float64 // NaN if empty
	Unit       string
	Confidence string // e.g. "high", "medium", "low"
	Note       string
}

// FileInfo describes one input file.
type FileInfo struct {
	Name   string // e.g. "macro_russia.csv"
	Rows   int    // data rows, not counting the header
	SHA256 string // hex
}

// Reference is the parsed reference data.
// It is shared by all callers of Embedded and must not be modified.
type Reference struct {
	Observations     []Observation // every file in the common format, in file-name then line order
	RubPerUSDMonthly []MonthlyRate
	Events           []PolicyEvent
	Unsourced        []Unsourced
	Files            []FileInfo // in name order

	// Hash identifies the inputs of a run: the SHA-256 (hex) over, for each
	// file in name order, its name, a zero byte, its length as a big-endian
	// uint64 and its bytes.
	Hash string
}

type format int

const (
	common format = iota
	monthly
	events
	unsourced
)

// inputs lists the files a data directory must hold, in name order.
var inputs = []struct {
	name   string
	format format
}{
	{"UNSOURCED.csv", unsourced},
	{"enforcement.csv", common},
	{"macro_russia.csv", common},
	{"macro_tajikistan.csv", common},
	{"migrants_tajikistan.csv", common},
	{"parameters_extracted.csv", common},
	{"policy_events.csv", events},
	{"remittances_kgz_uzb.csv", common},
	{"remittances_tajikistan.csv", common},
	{"rub_per_usd_monthly.csv", monthly},
}

// FileNames returns the names of the files a data directory must hold, in
// name order. LoadDir refuses other .csv files in the directory (a copy
// under another name would otherwise be silently left out); files of other
// kinds are ignored.
func FileNames() []string {
	names := make([]string, len(inputs))
	for i, in := range inputs {
		names[i] = in.name
	}
	return names
}

//go:embed *.csv
var embedded embed.FS

// FS returns the embedded data files, for example to copy them to a
// directory a user can edit and pass back with LoadDir.
func FS() fs.FS { return embedded }

var embeddedRef = sync.OnceValues(func() (*Reference, error) {
	return load(embedded, func(name string) string { return "data/" + name }, "")
})

// Embedded returns the data embedded in the binary. It is parsed once; every
// call returns the same Reference (or the same error).
func Embedded() (*Reference, error) { return embeddedRef() }

// Load parses the data files at the root of fsys. Errors name the files
// relative to fsys.
func Load(fsys fs.FS) (*Reference, error) {
	return load(fsys, func(name string) string { return name }, "")
}

// LoadDir parses the data files in the directory dir (for a user's
// --data DIR). Errors name the files with dir as prefix.
func LoadDir(dir string) (*Reference, error) {
	es, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	names := FileNames()
	for _, e := range es {
		name := e.Name()
		if strings.EqualFold(filepath.Ext(name), ".csv") && !slices.Contains(names, name) {
			return nil, &ParseError{File: filepath.Join(dir, name), Err: fmt.Errorf(
				"not a data file corridor reads (rename it to the file it replaces, or move it out; the files are %s)",
				strings.Join(names, ", "))}
		}
	}
	return load(os.DirFS(dir), func(name string) string { return filepath.Join(dir, name) },
		" ('corridor data --export DIR' writes a complete set to edit)")
}

// Export writes the embedded data files into the directory dir (created if
// need be), for a user to edit and pass back with LoadDir (corridor run
// --data DIR). It never overwrites: if any of the files already exists in
// dir it writes nothing and reports the first such file. It returns the
// paths written, in name order.
func Export(dir string) ([]string, error) {
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return nil, fmt.Errorf("%s is not a folder", dir)
	}
	names := FileNames()
	paths := make([]string, len(names))
	for i, name := range names {
		paths[i] = filepath.Join(dir, name)
		if _, err := os.Lstat(paths[i]); err == nil {
			return nil, fmt.Errorf("%s already exists (export writes only into a folder without the data files)", paths[i])
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	for i, name := range names {
		b, err := fs.ReadFile(embedded, name)
		if err != nil {
			return nil, err
		}
		// Under a temporary name first, so that an interrupted export
		// leaves no truncated data file.
		tmp := paths[i] + ".tmp"
		if err := os.WriteFile(tmp, b, 0o644); err != nil {
			os.Remove(tmp)
			return nil, err
		}
		if err := os.Rename(tmp, paths[i]); err != nil {
			os.Remove(tmp)
			return nil, err
		}
	}
	return paths, nil
}

// load parses the data files of fsys; display gives a file's name for
// errors, and missingHint is added to the error for a missing file.
func load(fsys fs.FS, display func(string) string, missingHint string) (*Reference, error) {
	ref := new(Reference)
	all := sha256.New()
	for _, in := range inputs {
		path := display(in.name)
		b, err := fs.ReadFile(fsys, in.name)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &ParseError{File: path, Err: errors.New("required data file is missing" + missingHint)}
		}
		if err != nil {
			return nil, &ParseError{File: path, Err: err}
		}
		var rows int
		switch in.format {
		case common:
			obs, err := parseObservations(in.name, path, bytes.NewReader(b))
			if err != nil {
				return nil, err
			}
			rows = len(obs)
			ref.Observations = append(ref.Observations, obs...)
		case monthly:
			rates, err := parseMonthly(in.name, path, bytes.NewReader(b))
			if err != nil {
				return nil, err
			}
			rows = len(rates)
			ref.RubPerUSDMonthly = rates
		case events:
			evs, err := parseEvents(in.name, path, bytes.NewReader(b))
			if err != nil {
				return nil, err
			}
			rows = len(evs)
			ref.Events = evs
		case unsourced:
			us, err := parseUnsourced(in.name, path, bytes.NewReader(b))
			if err != nil {
				return nil, err
			}
			rows = len(us)
			ref.Unsourced = us
		}
		sum := sha256.Sum256(b)
		ref.Files = append(ref.Files, FileInfo{Name: in.name, Rows: rows, SHA256: hex.EncodeToString(sum[:])})
		all.Write([]byte(in.name))
		all.Write([]byte{0})
		all.Write(binary.BigEndian.AppendUint64(nil, uint64(len(b))))
		all.Write(b)
	}
	ref.Hash = hex.EncodeToString(all.Sum(nil))
	return ref, nil
}

// Find returns the observations of a series for a country, in file-name then
// line order. An empty country matches every country.
func (r *Reference) Find(series, country string) []Observation {
	var out []Observation
	for _, o := range r.Observations {
		if o.Series == series && (country == "" || o.Country == country) {
			out = append(out, o)
		}
	}
	return out
}

// FindUnsourced returns the unsourced values of a series for a country,
// in line order. An empty country matches every country.
func (r *Reference) FindUnsourced(series, country string) []Unsourced {
	var out []Unsourced
	for _, u := range r.Unsourced {
		if u.Series == series && (country == "" || u.Country == country) {
			out = append(out, u)
		}
	}
	return out
}

// SeriesInfo summarises one series of one country in one file.
type SeriesInfo struct {
	File       string
	Series     string
	Country    string
	FirstYear  int // smallest single year; 0 if no row gives a single year
	LastYear   int
	Rows       int
	Units      []string // distinct units in order of appearance
	Sources    []string // distinct sources in order of appearance; none for assumptions
	Assumption bool     // the values come from UNSOURCED.csv: assumptions, not data
}

// Catalog lists every (file, series, country) with its years, row count,
// units and sources, in file-name then first-line order. The monthly RUB/USD
// file is listed as series "rub_per_usd"; policy events are not series and
// are not listed.
func (r *Reference) Catalog() []SeriesInfo {
	type key struct{ file, series, country string }
	var out []SeriesInfo
	index := map[key]int{}
	add := func(k key, year int, unit, source string, assumption bool) {
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, SeriesInfo{File: k.file, Series: k.series, Country: k.country, Assumption: assumption})
		}
		s := &out[i]
		s.Rows++
		if year != 0 {
			if s.FirstYear == 0 || year < s.FirstYear {
				s.FirstYear = year
			}
			if year > s.LastYear {
				s.LastYear = year
			}
		}
		if unit != "" && !slices.Contains(s.Units, unit) {
			s.Units = append(s.Units, unit)
		}
		if source != "" && !slices.Contains(s.Sources, source) {
			s.Sources = append(s.Sources, source)
		}
	}
	for _, u := range r.Unsourced {
		add(key{u.File, u.Series, u.Country}, u.Year, u.Unit, "", true)
	}
	for _, o := range r.Observations {
		add(key{o.File, o.Series, o.Country}, o.Year, o.Unit, o.Source, false)
	}
	for _, m := range r.RubPerUSDMonthly {
		add(key{m.File, "rub_per_usd", "Russian Federation"}, m.Year, "RUB per USD (monthly mean)", m.Source, false)
	}
	// Observations are already in file order; put the other files in place.
	slices.SortStableFunc(out, func(a, b SeriesInfo) int { return cmp.Compare(a.File, b.File) })
	return out
}
