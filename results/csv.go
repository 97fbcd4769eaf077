package results

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/sim"
)

// WriteMonthlyCSV writes the [Monthly] table of recs to w as CSV.
func WriteMonthlyCSV(w io.Writer, recs []sim.Record) error {
	t, err := Monthly(recs)
	if err != nil {
		return err
	}
	return t.WriteCSV(w)
}

// WriteAnnualCSV writes the [Annual] table of recs to w as CSV.
func WriteAnnualCSV(w io.Writer, recs []sim.Record) error {
	t, err := Annual(recs)
	if err != nil {
		return err
	}
	return t.WriteCSV(w)
}

// WriteCSV writes t to w as RFC 4180 CSV with "\n" line ends: a header row
// of column names, then one line per row, with no index column.
//
// Numbers are formatted by the column's unit: persons, households, USD, RUB
// (and the year and months columns) as whole numbers; shares with 6
// decimals; "% of GDP" with 4 decimals; the month as YYYY-MM; anything else
// in the shortest form that reads back exactly. A value that rounds to zero
// is written without a minus sign. If any value is NaN or infinite, WriteCSV
// writes nothing and returns an error naming its column and period.
func (t *Table) WriteCSV(w io.Writer) error {
	if err := t.check(); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	line := make([]string, len(t.Columns))
	for j, c := range t.Columns {
		line[j] = c.Name
	}
	if err := cw.Write(line); err != nil {
		return err
	}
	for _, row := range t.Rows {
		for j, c := range t.Columns {
			line[j] = formatValue(c.Unit, row[j])
		}
		if err := cw.Write(line); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// formatValue formats a finite v for a column of the given unit.
func formatValue(unit string, v float64) string {
	var s string
	switch unit {
	case "YYYY-MM":
		return calendar.Month(v).String()
	case "persons", "households", "USD", "RUB", "year", "months":
		s = strconv.FormatFloat(v, 'f', 0, 64)
	case "share":
		s = strconv.FormatFloat(v, 'f', 6, 64)
	case "% of GDP":
		s = strconv.FormatFloat(v, 'f', 4, 64)
	default:
		s = strconv.FormatFloat(v, 'g', -1, 64)
	}
	// Negative zero, or a small negative value rounded to zero, would print
	// as "-0" or "-0.000000".
	if rest, ok := strings.CutPrefix(s, "-"); ok && strings.Trim(rest, "0.") == "" {
		return rest
	}
	return s
}
