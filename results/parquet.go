package results

import (
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/corridor-sim/corridor/calendar"
)

// The Parquet twins of the CSV tables of an output folder.
const (
	AnnualParquet  = "annual.parquet"
	MonthlyParquet = "monthly.parquet"
)

// A ParquetField is a leading column of a Parquet table that is not one of
// the table's own columns (an ensemble's member key, say).
type ParquetField struct {
	Name string
	Type reflect.Type
}

// ParquetRowType returns the struct type of one row of a Parquet table with
// the leading fields lead, then cols in their order: the year and months
// columns as int64, the month (unit YYYY-MM) as a string, every other
// column as float64. Field i of the struct is column i of the file.
func ParquetRowType(lead []ParquetField, cols []Column) (reflect.Type, error) {
	var fields []reflect.StructField
	add := func(name string, t reflect.Type) error {
		if name == "" || strings.ContainsAny(name, "\",` ") {
			return fmt.Errorf("results: column name %q cannot be a Parquet field name", name)
		}
		fields = append(fields, reflect.StructField{
			Name: "F" + fmt.Sprint(len(fields)),
			Type: t,
			Tag:  reflect.StructTag(fmt.Sprintf(`parquet:"%s"`, name)),
		})
		return nil
	}
	for _, f := range lead {
		if err := add(f.Name, f.Type); err != nil {
			return nil, err
		}
	}
	for _, c := range cols {
		var err error
		switch {
		case c.Name == "year" || c.Name == "months":
			err = add(c.Name, reflect.TypeFor[int64]())
		case c.Unit == "YYYY-MM":
			err = add(c.Name, reflect.TypeFor[string]())
		default:
			err = add(c.Name, reflect.TypeFor[float64]())
		}
		if err != nil {
			return nil, err
		}
	}
	return reflect.StructOf(fields), nil
}

// SetParquetRow fills the fields of v (a struct of ParquetRowType) from
// row, a row of a table with those columns, starting at field from.
func SetParquetRow(v reflect.Value, from int, row []float64) {
	for j, x := range row {
		f := v.Field(from + j)
		switch f.Kind() {
		case reflect.Int64:
			f.SetInt(int64(x))
		case reflect.String:
			f.SetString(calendar.Month(x).String())
		default:
			f.SetFloat(x)
		}
	}
}

// NewParquetWriter returns a Parquet writer for rows of type row (a struct
// type of ParquetRowType), marked as written by this version of corridor.
func NewParquetWriter(w io.Writer, row reflect.Type) *parquet.Writer {
	return parquet.NewWriter(w, parquet.SchemaOf(reflect.New(row).Interface()), parquet.CreatedBy("corridor", Version, ""))
}

// WriteParquet writes t to w as one Parquet file with the columns of the
// CSV, in the same order and with the same names: year and months as
// int64, the month as a YYYY-MM string, every other column as an
// unrounded float64 (the CSV rounds persons and money to whole numbers).
// If any value is NaN or infinite, WriteParquet writes nothing and returns
// an error naming its column and period, as WriteCSV does.
func (t *Table) WriteParquet(w io.Writer) error {
	if err := t.check(); err != nil {
		return err
	}
	typ, err := ParquetRowType(nil, t.Columns)
	if err != nil {
		return err
	}
	pw := NewParquetWriter(w, typ)
	row := reflect.New(typ)
	for _, r := range t.Rows {
		SetParquetRow(row.Elem(), 0, r)
		if err := pw.Write(row.Interface()); err != nil {
			return err
		}
	}
	return pw.Close()
}
