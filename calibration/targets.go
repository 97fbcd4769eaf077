package calibration

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/corridor-sim/corridor/data"
	"github.com/corridor-sim/corridor/observed"
)

// The kinds of target: an observed value, or a bound on the simulated one.
const (
	Exact = "exact" // the simulated value should equal the observed one
	Lower = "lower" // the simulated value should be at least the observed one
	Upper = "upper" // the simulated value should be at most the observed one
)

// A Target is one observed figure the calibration fits: a series (a
// statistic of the simulated history, see Series) in a year.
type Target struct {
	Series string  // statistic name, e.g. "remittances_usd"
	Year   int     // calendar year, 2005..data.LastInSampleYear
	Value  float64 // observed value, in the statistic's unit
	Kind   string  // Exact, Lower or Upper
	Weight float64 // weight of the squared log error (≥ 0)
	Source string  // where the figure comes from (file:line and source)
}

// TargetsHeader is the header of a targets file.
var TargetsHeader = []string{"series", "year", "value", "kind", "weight", "source"}

// FirstTargetYear is the first year a target may have: the simulation
// starts in January 2005.
const FirstTargetYear = 2005

//go:embed targets.csv
var defaultTargetsCSV []byte

// DefaultTargets returns the shipped targets (calibration/targets.csv).
func DefaultTargets() ([]Target, error) {
	return ParseTargets("calibration/targets.csv", defaultTargetsCSV)
}

// DefaultTargetsCSV returns the shipped targets file.
func DefaultTargetsCSV() []byte { return slices.Clone(defaultTargetsCSV) }

// ParseTargets reads a targets file: CSV with the header of
// TargetsHeader, one target per row. filename is used in error messages,
// which name the file, line, column and field of the first problem.
func ParseTargets(filename string, src []byte) ([]Target, error) {
	r := csv.NewReader(bytes.NewReader(src))
	r.FieldsPerRecord = len(TargetsHeader)
	r.ReuseRecord = false
	header, err := r.Read()
	if err != nil {
		return nil, csvError(filename, err)
	}
	for i, h := range TargetsHeader {
		if strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff")) != h {
			line, col := r.FieldPos(i)
			return nil, fmt.Errorf("%s:%d:%d: header: column %d is %q, want %q (header: %s)", filename, line, col, i+1, header[i], h, strings.Join(TargetsHeader, ","))
		}
	}
	var out []Target
	seen := map[[2]string]int{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(filename, err)
		}
		bad := func(field int, format string, args ...any) error {
			line, col := r.FieldPos(field)
			return fmt.Errorf("%s:%d:%d: %s: %s", filename, line, col, TargetsHeader[field], fmt.Sprintf(format, args...))
		}
		t := Target{Series: strings.TrimSpace(rec[0]), Kind: strings.TrimSpace(rec[3]), Source: strings.TrimSpace(rec[5])}
		if _, ok := series[t.Series]; !ok {
			return nil, bad(0, "unknown series %q (known: %s)", rec[0], strings.Join(SeriesNames(), ", "))
		}
		year, err := strconv.Atoi(strings.TrimSpace(rec[1]))
		switch {
		case err != nil:
			return nil, bad(1, "%q is not a whole year", rec[1])
		case year > data.LastInSampleYear:
			return nil, bad(1, "%d is after %d: later outcomes are the out-of-sample test and may not be fitted", year, data.LastInSampleYear)
		case year < FirstTargetYear:
			return nil, bad(1, "%d is before %d, when the simulation starts", year, FirstTargetYear)
		}
		t.Year = year
		if t.Value, err = strconv.ParseFloat(strings.TrimSpace(rec[2]), 64); err != nil || math.IsNaN(t.Value) || math.IsInf(t.Value, 0) || t.Value <= 0 {
			return nil, bad(2, "%q is not a positive finite number (errors are log ratios)", rec[2])
		}
		if t.Kind != Exact && t.Kind != Lower && t.Kind != Upper {
			return nil, bad(3, "%q is not one of exact, lower, upper", rec[3])
		}
		if t.Weight, err = strconv.ParseFloat(strings.TrimSpace(rec[4]), 64); err != nil || math.IsNaN(t.Weight) || math.IsInf(t.Weight, 0) || t.Weight < 0 {
			return nil, bad(4, "%q is not a finite number ≥ 0", rec[4])
		}
		if t.Source == "" {
			return nil, bad(5, "empty: every target needs its source")
		}
		key := [2]string{t.Series, strconv.Itoa(t.Year)}
		if prev, ok := seen[key]; ok {
			return nil, bad(1, "%s %d is already given on line %d; one target per series and year", t.Series, t.Year, prev)
		}
		line, _ := r.FieldPos(0)
		seen[key] = line
		out = append(out, t)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s:1:1: no targets: the file has a header but no rows", filename)
	}
	return out, nil
}

func csvError(filename string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		field := "row"
		if pe.Err == csv.ErrFieldCount {
			field = "row"
			return fmt.Errorf("%s:%d:%d: %s: want %d fields (%s)", filename, pe.Line, max(pe.Column, 1), field, len(TargetsHeader), strings.Join(TargetsHeader, ","))
		}
		return fmt.Errorf("%s:%d:%d: %s: %v", filename, pe.StartLine, max(pe.Column, 1), field, pe.Err)
	}
	if err == io.EOF {
		return fmt.Errorf("%s:1:1: header: empty file; want the header %s", filename, strings.Join(TargetsHeader, ","))
	}
	return fmt.Errorf("%s: %v", filename, err)
}

// FormatTargets writes targets as a targets file.
func FormatTargets(ts []Target) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(TargetsHeader)
	for _, t := range ts {
		w.Write([]string{t.Series, strconv.Itoa(t.Year), strconv.FormatFloat(t.Value, 'g', -1, 64), t.Kind,
			strconv.FormatFloat(t.Weight, 'g', -1, 64), t.Source})
	}
	w.Flush()
	return b.Bytes()
}

// SeriesWeights is the total weight of each series in the shipped
// targets. Within a series the weight is split over its points (a point
// flagged estimate counts half), so that a series counts by its weight and
// not by its number of years.
// docs/calibration.md gives the reasons.
var SeriesWeights = map[string]float64{
	"remittances_usd":                4,
	"remittances_pct_gdp":            1,
	"cbr_transfers_usd":              0.5,
	"migrants_in_russia":             1.5,
	"departures":                     2,
	"entry_bans_active":              1,
	"deportations":                   0.25,
	"poverty_rate":                   1,
	"households_with_migrant_share":  1,
	"migrants_women_share":           0.5,
	"departures_share_jan_may":       0.5,
	"departures_share_h1":            0.5,
	"returns_share_jan_may":          0.5,
	"migrants_working_share_jan":     0.5,
	"migrants_working_share_may_jul": 0.5,
	"migrants_working_share_nov":     0.25,
}

// BuildTargets derives the shipped targets from package observed: every
// observed point of a known series from FirstTargetYear to
// data.LastInSampleYear, its bound as the kind, and the series weight of
// SeriesWeights split over the series' points. calibration/targets.csv is
// this function's output (a test checks it).
func BuildTargets(ref *data.Reference) ([]Target, error) {
	obs, err := observed.Targets(ref)
	if err != nil {
		return nil, err
	}
	var out []Target
	for _, ot := range obs {
		w, ok := SeriesWeights[ot.Output]
		if !ok {
			continue
		}
		if _, ok := series[ot.Output]; !ok {
			return nil, fmt.Errorf("calibration: weighted series %s has no statistic", ot.Output)
		}
		var pts []observed.Point
		for _, p := range ot.Points {
			if p.Year >= FirstTargetYear && p.Year <= data.LastInSampleYear {
				pts = append(pts, p)
			}
		}
		total := 0.0
		for _, p := range pts {
			total += pointWeight(p)
		}
		for _, p := range pts {
			kind := Exact
			if p.Bound != "" {
				kind = p.Bound
			}
			src := fmt.Sprintf("%s:%d %s", p.File, p.Line, p.Source)
			out = append(out, Target{Series: ot.Output, Year: p.Year, Value: round12(p.Value * ot.Scale), Kind: kind,
				Weight: round6(w * pointWeight(p) / total), Source: src})
		}
	}
	return out, nil
}

// pointWeight is a point's relative weight within its series: a figure the
// data flag as an estimate counts half.
func pointWeight(p observed.Point) float64 {
	if p.Estimate {
		return 0.5
	}
	return 1
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

func round12(x float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
	return r
}
