package data

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// Years outside [MinYear, MaxYear] are rejected as typing errors.
const (
	MinYear = 1990
	MaxYear = 2100
)

// A ParseError reports a problem in a data file. Its text names the file,
// the 1-based line and the column, for example
//
//	data/macro_russia.csv:12: column "value": "abc" is not a number
type ParseError struct {
	File   string // path as shown to the user, e.g. "data/macro_russia.csv"
	Line   int    // 1-based line; 0 when the problem concerns the whole file
	Column string // column name; "" when the problem concerns a whole row or file
	Err    error
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Column != "" {
		fmt.Fprintf(&b, "column %q: ", e.Column)
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *ParseError) Unwrap() error { return e.Err }

// Headers of the four file formats.
var (
	commonHeader    = []string{"series", "country", "year", "period", "value", "unit", "source", "source_kind", "estimate", "note"}
	monthlyHeader   = []string{"year", "month", "rub_per_usd_mean", "fixings", "source", "note"}
	eventsHeader    = []string{"date", "date_precision", "jurisdiction", "category", "event", "quantity", "unit", "source", "source_kind", "note"}
	unsourcedHeader = []string{"series", "country", "year", "period", "best_value", "unit", "confidence", "note"}
)

// A row is one CSV record with what is needed to report errors in it.
type row struct {
	path string
	line int
	cols []string
	rec  []string
}

func (r row) errf(col int, format string, args ...any) error {
	return &ParseError{File: r.path, Line: r.line, Column: r.cols[col], Err: fmt.Errorf(format, args...)}
}

// required returns the cell in column col, or an error if it is empty.
func (r row) required(col int) (string, error) {
	if r.rec[col] == "" {
		return "", r.errf(col, "empty, a value is required")
	}
	return r.rec[col], nil
}

// number parses a required, finite number.
func (r row) number(col int) (float64, error) {
	s := strings.TrimSpace(r.rec[col])
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case errors.Is(err, strconv.ErrRange):
		return 0, r.errf(col, "%q is out of range", r.rec[col])
	case err != nil:
		return 0, r.errf(col, "%q is not a number", r.rec[col])
	case math.IsNaN(v) || math.IsInf(v, 0):
		return 0, r.errf(col, "%q is not a finite number", r.rec[col])
	}
	return v, nil
}

// quantity parses the numeric cell col, which may be empty (NaN) only when
// the unit cell is empty too: every number has a unit, and a row without a
// unit (a note or an event) has no number.
func (r row) quantity(col, unitCol int) (float64, error) {
	empty, noUnit := r.rec[col] == "", r.rec[unitCol] == ""
	switch {
	case empty && noUnit:
		return math.NaN(), nil
	case empty:
		return 0, r.errf(col, "empty, but the row has unit %q (only rows without a unit may leave it empty)", r.rec[unitCol])
	case noUnit:
		return 0, r.errf(unitCol, "empty, but the row has the number %q", r.rec[col])
	}
	return r.number(col)
}

// plainYear parses a four-digit year in [MinYear, MaxYear].
func plainYear(s string) (int, error) {
	s = strings.TrimSpace(s)
	if len(s) != 4 || strings.Trim(s, "0123456789") != "" {
		return 0, fmt.Errorf("%q is not a year", s)
	}
	y, _ := strconv.Atoi(s)
	if y < MinYear || y > MaxYear {
		return 0, fmt.Errorf("year %d is outside %d–%d", y, MinYear, MaxYear)
	}
	return y, nil
}

// year parses the year cell: a year YYYY, a range YYYY-YYYY, or a text
// starting with "unknown" (the source gives no year). It returns 0 for a range
// or an unknown year.
func (r row) year(col int) (int, error) {
	s := r.rec[col]
	y, err := plainYear(s)
	if err == nil {
		return y, nil
	}
	if t := strings.TrimSpace(s); len(t) == 4 && strings.Trim(t, "0123456789") == "" {
		return 0, r.errf(col, "%v", err) // a year out of range
	}
	if a, b, ok := strings.Cut(s, "-"); ok {
		ya, errA := plainYear(a)
		yb, errB := plainYear(b)
		if errA == nil && errB == nil && ya <= yb {
			return 0, nil
		}
	}
	if strings.HasPrefix(s, "unknown") {
		return 0, nil
	}
	return 0, r.errf(col, "%q is not a year (want YYYY in %d–%d, a range YYYY-YYYY, or \"unknown (...)\")", s, MinYear, MaxYear)
}

// readTable reads a CSV file with the header want and calls fn for every
// record after it. path is the file's name as shown in errors.
func readTable(path string, rd io.Reader, want []string, fn func(row) error) error {
	cr := csv.NewReader(rd)
	cr.FieldsPerRecord = -1 // checked by hand for the header
	header, err := cr.Read()
	if err == io.EOF {
		return &ParseError{File: path, Line: 1, Err: fmt.Errorf("file is empty, want the header %q", strings.Join(want, ","))}
	}
	if err != nil {
		return csvError(path, err)
	}
	headerLine, _ := cr.FieldPos(0)
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	if err := checkHeader(header, want); err != nil {
		return &ParseError{File: path, Line: headerLine, Err: err}
	}
	cr.FieldsPerRecord = len(want)
	cr.ReuseRecord = true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
			return &ParseError{File: path, Line: pe.StartLine, Err: fmt.Errorf("row has %d fields, want %d (%s)", len(rec), len(want), strings.Join(want, ","))}
		}
		if err != nil {
			return csvError(path, err)
		}
		line, _ := cr.FieldPos(0)
		if err := fn(row{path: path, line: line, cols: want, rec: rec}); err != nil {
			return err
		}
	}
}

func checkHeader(got, want []string) error {
	has := make(map[string]bool, len(got))
	for _, c := range got {
		has[c] = true
	}
	for _, c := range want {
		if !has[c] {
			return fmt.Errorf("missing column %q (want the header %q)", c, strings.Join(want, ","))
		}
	}
	wanted := make(map[string]bool, len(want))
	for _, c := range want {
		wanted[c] = true
	}
	for _, c := range got {
		if !wanted[c] {
			return fmt.Errorf("unexpected column %q (want the header %q)", c, strings.Join(want, ","))
		}
	}
	if len(got) != len(want) {
		return fmt.Errorf("repeated columns in the header %q", strings.Join(got, ","))
	}
	for i := range want {
		if got[i] != want[i] {
			return fmt.Errorf("column %d is %q, want %q (want the header %q)", i+1, got[i], want[i], strings.Join(want, ","))
		}
	}
	return nil
}

func csvError(path string, err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return &ParseError{File: path, Err: err}
	}
	return &ParseError{File: path, Line: pe.Line, Err: fmt.Errorf("bad CSV at character %d: %v", pe.Column, pe.Err)}
}

// parseObservations parses a file in the common format
// series,country,year,period,value,unit,source,source_kind,estimate,note.
// file is the base name stored in each Observation, path the name used in errors.
func parseObservations(file, path string, rd io.Reader) ([]Observation, error) {
	var obs []Observation
	err := readTable(path, rd, commonHeader, func(r row) error {
		o := Observation{File: file, Line: r.line, YearText: r.rec[2], Unit: r.rec[5], Note: r.rec[9]}
		var err error
		if o.Series, err = r.required(0); err != nil {
			return err
		}
		if o.Country, err = r.required(1); err != nil {
			return err
		}
		if o.Year, err = r.year(2); err != nil {
			return err
		}
		if o.Period, err = r.required(3); err != nil {
			return err
		}
		if o.Value, err = r.quantity(4, 5); err != nil {
			return err
		}
		if o.Source, err = r.required(6); err != nil {
			return err
		}
		if o.SourceKind, err = r.required(7); err != nil {
			return err
		}
		if o.Estimate, err = r.required(8); err != nil {
			return err
		}
		obs = append(obs, o)
		return nil
	})
	return obs, err
}

// parseMonthly parses rub_per_usd_monthly.csv. Months must be strictly
// increasing; gaps are allowed here and checked by the users of the series.
func parseMonthly(file, path string, rd io.Reader) ([]MonthlyRate, error) {
	var rates []MonthlyRate
	err := readTable(path, rd, monthlyHeader, func(r row) error {
		m := MonthlyRate{File: file, Line: r.line, Note: r.rec[5]}
		var err error
		if m.Year, err = plainYear(r.rec[0]); err != nil {
			return r.errf(0, "%v", err)
		}
		if m.Month, err = strconv.Atoi(strings.TrimSpace(r.rec[1])); err != nil || m.Month < 1 || m.Month > 12 {
			return r.errf(1, "%q is not a month 1–12", r.rec[1])
		}
		if m.Value, err = r.number(2); err != nil {
			return err
		}
		if m.Value <= 0 {
			return r.errf(2, "%q is not a positive exchange rate", r.rec[2])
		}
		if m.Fixings, err = strconv.Atoi(strings.TrimSpace(r.rec[3])); err != nil || m.Fixings < 1 || m.Fixings > 31 {
			return r.errf(3, "%q is not a number of fixings 1–31", r.rec[3])
		}
		if m.Source, err = r.required(4); err != nil {
			return err
		}
		if n := len(rates); n > 0 {
			p := rates[n-1]
			if m.Year*12+m.Month <= p.Year*12+p.Month {
				return r.errf(1, "%04d-%02d does not come after %04d-%02d on line %d (months must be in order, without repeats)",
					m.Year, m.Month, p.Year, p.Month, p.Line)
			}
		}
		rates = append(rates, m)
		return nil
	})
	return rates, err
}

// parseEvents parses policy_events.csv.
func parseEvents(file, path string, rd io.Reader) ([]PolicyEvent, error) {
	var events []PolicyEvent
	err := readTable(path, rd, eventsHeader, func(r row) error {
		e := PolicyEvent{File: file, Line: r.line, Quantity: r.rec[5], Unit: r.rec[6], Note: r.rec[9]}
		var err error
		if e.Date, err = r.required(0); err != nil {
			return err
		}
		if e.DatePrecision, err = r.required(1); err != nil {
			return err
		}
		if e.Year, e.Month, err = eventDate(e.Date, e.DatePrecision); err != nil {
			if errors.Is(err, errPrecision) {
				return r.errf(1, "%q is not one of day, month, year, approx", e.DatePrecision)
			}
			return r.errf(0, "%v", err)
		}
		if e.Jurisdiction, err = r.required(2); err != nil {
			return err
		}
		if e.Category, err = r.required(3); err != nil {
			return err
		}
		if e.Event, err = r.required(4); err != nil {
			return err
		}
		if e.Value, err = r.quantity(5, 6); err != nil {
			return err
		}
		if e.Source, err = r.required(7); err != nil {
			return err
		}
		if e.SourceKind, err = r.required(8); err != nil {
			return err
		}
		events = append(events, e)
		return nil
	})
	return events, err
}

var errPrecision = errors.New("unknown date precision")

// eventDate checks that date is written as its precision says and returns
// its year and month (0 when the date gives no month).
func eventDate(date, precision string) (year, month int, err error) {
	layout := ""
	switch precision {
	case "day":
		layout = "2006-01-02"
	case "month":
		layout = "2006-01"
	case "year":
		layout = "2006"
	case "approx":
		// A free text that starts with the year, e.g. "2022 (early; verify)".
		if len(date) < 4 {
			return 0, 0, fmt.Errorf("%q does not start with a year (precision approx)", date)
		}
		y, err := plainYear(date[:4])
		if err != nil || (len(date) > 4 && date[4] != ' ') {
			return 0, 0, fmt.Errorf("%q does not start with a year (precision approx)", date)
		}
		return y, 0, nil
	default:
		return 0, 0, errPrecision
	}
	t, err := time.Parse(layout, date)
	if err != nil {
		return 0, 0, fmt.Errorf("%q is not a date of the form %s (precision %s)", date, strings.NewReplacer("2006", "YYYY", "01", "MM", "02", "DD").Replace(layout), precision)
	}
	if t.Year() < MinYear || t.Year() > MaxYear {
		return 0, 0, fmt.Errorf("year %d is outside %d–%d", t.Year(), MinYear, MaxYear)
	}
	if precision != "year" {
		month = int(t.Month())
	}
	return t.Year(), month, nil
}

// parseUnsourced parses UNSOURCED.csv.
func parseUnsourced(file, path string, rd io.Reader) ([]Unsourced, error) {
	var us []Unsourced
	err := readTable(path, rd, unsourcedHeader, func(r row) error {
		u := Unsourced{File: file, Line: r.line, YearText: r.rec[2], Unit: r.rec[5], Note: r.rec[7]}
		var err error
		if u.Series, err = r.required(0); err != nil {
			return err
		}
		if u.Country, err = r.required(1); err != nil {
			return err
		}
		if u.Year, err = r.year(2); err != nil {
			return err
		}
		if u.Period, err = r.required(3); err != nil {
			return err
		}
		if u.BestValue, err = r.quantity(4, 5); err != nil {
			return err
		}
		if u.Confidence, err = r.required(6); err != nil {
			return err
		}
		us = append(us, u)
		return nil
	})
	return us, err
}
