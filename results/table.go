package results

import (
	"fmt"
	"math"
	"reflect"
	"slices"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/sim"
)

// A Table is a tidy table: one row per period, one column per variable.
//
// Every cell is a float64, formatted by its column's unit when written. The
// first column is the period: in the monthly table the calendar.Month as a
// number (calendar.Month(row[0]) turns it back), in the annual table the year.
type Table struct {
	Columns []Column
	Rows    [][]float64 // Rows[i][j] is the value of Columns[j] in row i
}

// Index returns the index of the column called name, or -1 if there is none.
func (t *Table) Index(name string) int {
	return slices.IndexFunc(t.Columns, func(c Column) bool { return c.Name == name })
}

// Monthly returns the monthly table: one row per record, the columns of
// [Columns] in order. Computed columns (agg "none") are recomputed from the
// row, whatever the record holds. The records must be in strictly increasing
// month order, and every value must be finite.
func Monthly(recs []sim.Record) (*Table, error) {
	s, err := recordSchema()
	if err != nil {
		return nil, err
	}
	return monthly(s, recs)
}

// Annual returns the annual table: one row per calendar year present in recs.
// Its columns are year, months (the number of months of the year that were
// simulated), then the columns of [Columns] after the month. Each column is
// aggregated over the year's months as its Agg says: "mean" columns are the
// mean and "sum" columns the sum of the month values, "last" columns the
// value of the last month present (December in a full year), and computed
// columns are recomputed from the aggregated values, so remittances_pct_gdp
// is the year's remittances over the year's GDP.
//
// A partial year (a run starting or ending mid-year) is aggregated over its
// simulated months only: its sums are not scaled up to twelve months, and its
// months column says how many there were.
//
// The records must be in strictly increasing month order, and every value
// must be finite.
func Annual(recs []sim.Record) (*Table, error) {
	s, err := recordSchema()
	if err != nil {
		return nil, err
	}
	return annual(s, recs)
}

// read copies the columns of a record into row, which has one cell per
// column of s.
func (s *schema) read(rec reflect.Value, row []float64) {
	row[0] = float64(rec.Field(s.fields[0]).Int())
	for j := 1; j < len(row); j++ {
		row[j] = rec.Field(s.fields[j]).Float()
	}
}

// derive recomputes the computed columns of row, which has one cell per
// column of s (cell 0 is not read).
func (s *schema) derive(row []float64) {
	var in [4]float64
	for _, d := range s.derived {
		args := in[:0]
		for _, k := range d.inputs {
			args = append(args, row[k])
		}
		row[d.col] = d.eval(args)
	}
}

func monthOf(s *schema, rec reflect.Value) calendar.Month {
	return calendar.Month(rec.Field(s.fields[0]).Int())
}

// checkOrder reports an error unless the months of recs strictly increase.
func checkOrder[T any](s *schema, recs []T) error {
	for i := 1; i < len(recs); i++ {
		prev := monthOf(s, reflect.ValueOf(&recs[i-1]).Elem())
		m := monthOf(s, reflect.ValueOf(&recs[i]).Elem())
		switch {
		case m == prev:
			return fmt.Errorf("results: month %s appears twice in the records", m)
		case m < prev:
			return fmt.Errorf("results: records are not in month order: %s follows %s", m, prev)
		}
	}
	return nil
}

func monthly[T any](s *schema, recs []T) (*Table, error) {
	if err := checkOrder(s, recs); err != nil {
		return nil, err
	}
	n := len(s.columns)
	t := &Table{Columns: slices.Clone(s.columns), Rows: make([][]float64, len(recs))}
	cells := make([]float64, n*len(recs))
	for i := range recs {
		row := cells[i*n : (i+1)*n : (i+1)*n]
		s.read(reflect.ValueOf(&recs[i]).Elem(), row)
		s.derive(row)
		t.Rows[i] = row
	}
	if err := t.check(); err != nil {
		return nil, err
	}
	return t, nil
}

func annual[T any](s *schema, recs []T) (*Table, error) {
	if err := checkOrder(s, recs); err != nil {
		return nil, err
	}
	n := len(s.columns)
	t := &Table{Columns: append([]Column{yearColumn, monthsColumn}, s.columns[1:]...)}
	month := make([]float64, n)
	// An annual row is [year, months, values...]: row[1:] lines up with the
	// monthly columns, the months count taking the place of the month.
	var row []float64
	finish := func() {
		if row == nil {
			return
		}
		vals := row[1:]
		for j := 1; j < n; j++ {
			if s.columns[j].Agg == AggMean {
				vals[j] /= row[1]
			}
		}
		s.derive(vals)
		t.Rows = append(t.Rows, row)
	}
	for i := range recs {
		rec := reflect.ValueOf(&recs[i]).Elem()
		s.read(rec, month)
		year := float64(monthOf(s, rec).Year())
		if row == nil || row[0] != year {
			finish()
			row = make([]float64, n+1)
			row[0] = year
		}
		row[1]++
		vals := row[1:]
		for j := 1; j < n; j++ {
			switch s.columns[j].Agg {
			case AggMean, AggSum:
				vals[j] += month[j]
			case AggLast:
				vals[j] = month[j]
			}
		}
	}
	finish()
	if err := t.check(); err != nil {
		return nil, err
	}
	return t, nil
}

// check reports the first cell that is not a finite number, naming its
// column and period, and any row of the wrong length.
func (t *Table) check() error {
	if len(t.Columns) == 0 {
		return fmt.Errorf("results: table has no columns")
	}
	key := t.Columns[0]
	for i, row := range t.Rows {
		if len(row) != len(t.Columns) {
			return fmt.Errorf("results: row %d has %d values for %d columns", i+1, len(row), len(t.Columns))
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("column %s, %s %s: value is %v, which cannot be written",
					t.Columns[j].Name, key.Name, formatValue(key.Unit, row[0]), v)
			}
		}
	}
	return nil
}
