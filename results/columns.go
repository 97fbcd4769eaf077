// Package results turns the simulation's monthly records into the files of
// an output folder: tidy tables (monthly.csv, annual.csv), a manifest that
// makes the run reproducible (manifest.json), and the folder itself, which is
// written atomically.
//
// The columns of the tables come from the struct tags of [sim.Record]; see
// [Columns] and docs/outputs.md.
package results

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/sim"
)

// Agg says how the monthly values of a column are combined into a year.
type Agg string

// The aggregations a column's agg tag may name.
const (
	AggMean Agg = "mean" // mean of the months' values: month-end stocks and rates
	AggSum  Agg = "sum"  // sum over the months: flows
	AggLast Agg = "last" // value of the last month of the year (December in a full year)
	AggNone Agg = "none" // not aggregated: the month itself, or a column computed from other columns
)

// A Column describes one column of an output table.
type Column struct {
	Name string // column name in the CSV header
	Unit string // unit, which also selects the number format
	Doc  string // meaning, for docs/outputs.md
	Agg  Agg    // how months are combined into a year; empty for the annual key columns
}

// The key columns of the annual table, which take the place of the month.
var (
	yearColumn   = Column{Name: "year", Unit: "year", Doc: "calendar year"}
	monthsColumn = Column{Name: "months", Unit: "months", Doc: "number of months of the year that were simulated: 12, or fewer in a partial first or last year"}
)

// A formula computes a column (agg "none") from other columns of the same
// row. Formulas are applied to every monthly row and, after aggregation, to
// every annual row, so an annual ratio is the ratio of annual totals.
type formula struct {
	inputs []string
	eval   func(in []float64) float64
}

var formulas = map[string]formula{
	"remittances_pct_gdp": {
		inputs: []string{"remittances_usd", "gdp_usd"},
		eval:   func(in []float64) float64 { return in[0] / in[1] * 100 },
	},
}

// A schema is the parsed column list of a record type.
type schema struct {
	columns []Column // columns of the monthly table; columns[0] is the month
	fields  []int    // fields[j] is the struct field index of columns[j]
	derived []derived
}

// A derived column, with its formula's inputs resolved to column indices.
type derived struct {
	col    int
	inputs []int
	eval   func(in []float64) float64
}

var monthType = reflect.TypeFor[calendar.Month]()

// recordSchema parses the tags of sim.Record once.
var recordSchema = sync.OnceValues(func() (*schema, error) {
	return parseSchema(reflect.TypeFor[sim.Record]())
})

// Columns returns the columns of the monthly table, in the order of the
// fields of [sim.Record]: the month first, then one column per field.
// It returns nil if the tags of sim.Record are invalid; [Validate] says why.
func Columns() []Column {
	s, err := recordSchema()
	if err != nil {
		return nil
	}
	return slices.Clone(s.columns)
}

// Validate checks the struct tags of [sim.Record]: every exported field needs
// a unique lower_snake_case csv name, an agg of mean, sum, last or none, a
// unit and a doc; the first field must be the calendar.Month; the others must
// be float64; and every computed (agg "none") column needs a formula in this
// package. A test calls Validate, so a bad tag fails CI rather than a run.
func Validate() error {
	_, err := recordSchema()
	return err
}

// parseSchema reads the columns of the struct type t from its tags and
// reports every problem it finds.
func parseSchema(t reflect.Type) (*schema, error) {
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("results: %s is not a struct", t)
	}
	s := &schema{}
	index := make(map[string]int)
	var errs []error
	bad := func(f reflect.StructField, format string, args ...any) {
		errs = append(errs, fmt.Errorf("results: %s.%s: %s", t, f.Name, fmt.Sprintf(format, args...)))
	}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, ok := f.Tag.Lookup("csv")
		switch {
		case !ok || name == "":
			bad(f, "missing csv tag")
			continue
		case !isSnakeCase(name):
			bad(f, "csv name %q is not lower_snake_case", name)
		case name == yearColumn.Name || name == monthsColumn.Name:
			bad(f, "csv name %q is reserved for the annual table", name)
		}
		if _, dup := index[name]; dup {
			bad(f, "csv name %q is used twice", name)
			continue
		}
		agg := Agg(f.Tag.Get("agg"))
		switch agg {
		case AggMean, AggSum, AggLast, AggNone:
		default:
			bad(f, "unknown agg %q (want mean, sum, last or none)", agg)
		}
		col := Column{Name: name, Unit: f.Tag.Get("unit"), Doc: f.Tag.Get("doc"), Agg: agg}
		if col.Unit == "" {
			bad(f, "missing unit tag")
		}
		if col.Doc == "" {
			bad(f, "missing doc tag")
		}
		if len(s.columns) == 0 {
			if f.Type != monthType || agg != AggNone {
				bad(f, "the first field must be the %s, with agg \"none\"", monthType)
			}
		} else {
			_, hasFormula := formulas[name]
			switch {
			case f.Type.Kind() != reflect.Float64:
				bad(f, "type %s, want float64", f.Type)
			case agg == AggNone && !hasFormula:
				bad(f, "agg \"none\" but package results has no formula for %q", name)
			case agg != AggNone && hasFormula:
				bad(f, "computed column %q must have agg \"none\", not %q", name, agg)
			}
		}
		index[name] = len(s.columns)
		s.columns = append(s.columns, col)
		s.fields = append(s.fields, i)
	}
	if len(s.columns) == 0 {
		errs = append(errs, fmt.Errorf("results: %s has no columns", t))
	}
	for j, c := range s.columns {
		if j == 0 || c.Agg != AggNone {
			continue
		}
		fm, ok := formulas[c.Name]
		if !ok {
			continue // reported above
		}
		d := derived{col: j, eval: fm.eval}
		for _, in := range fm.inputs {
			k, ok := index[in]
			if !ok || k == 0 || s.columns[k].Agg == AggNone {
				errs = append(errs, fmt.Errorf("results: formula of %q: input %q is not an aggregated column of %s", c.Name, in, t))
				continue
			}
			d.inputs = append(d.inputs, k)
		}
		s.derived = append(s.derived, d)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return s, nil
}

func isSnakeCase(name string) bool {
	for i, r := range name {
		switch {
		case 'a' <= r && r <= 'z':
		case ('0' <= r && r <= '9' || r == '_') && i > 0:
		default:
			return false
		}
	}
	return name != ""
}
