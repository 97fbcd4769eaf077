package results

import (
	"bytes"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/corridor-sim/corridor/calendar"
)

// TestParquetReadsBack: annual.parquet and monthly.parquet hold the CSV's
// columns in the CSV's order, year and months as integers, the month as
// YYYY-MM, and every value unrounded.
func TestParquetReadsBack(t *testing.T) {
	recs := synthetic(calendar.Of(2012, 11), 15)
	for _, c := range []struct {
		name  string
		build func() (*Table, error)
	}{
		{AnnualParquet, func() (*Table, error) { return Annual(recs) }},
		{MonthlyParquet, func() (*Table, error) { return Monthly(recs) }},
	} {
		tab, err := c.build()
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := tab.WriteParquet(&b); err != nil {
			t.Fatal(err)
		}
		f, err := parquet.OpenFile(bytes.NewReader(b.Bytes()), int64(b.Len()))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var names, want []string
		for _, fl := range f.Schema().Fields() {
			names = append(names, fl.Name())
		}
		for _, col := range tab.Columns {
			want = append(want, col.Name)
		}
		if !slices.Equal(names, want) {
			t.Fatalf("%s: columns %v,\nwant %v", c.name, names, want)
		}
		if f.NumRows() != int64(len(tab.Rows)) {
			t.Fatalf("%s: %d rows, want %d", c.name, f.NumRows(), len(tab.Rows))
		}
		typ, err := ParquetRowType(nil, tab.Columns)
		if err != nil {
			t.Fatal(err)
		}
		r := parquet.NewReader(bytes.NewReader(b.Bytes()), f.Schema())
		for i, wantRow := range tab.Rows {
			row := reflect.New(typ)
			if err := r.Read(row.Interface()); err != nil {
				t.Fatalf("%s row %d: %v", c.name, i, err)
			}
			v := row.Elem()
			for j, x := range wantRow {
				fv := v.Field(j)
				var got float64
				switch fv.Kind() {
				case reflect.Int64:
					got = float64(fv.Int())
				case reflect.String:
					m, err := calendar.Parse(fv.String())
					if err != nil {
						t.Fatalf("%s row %d: month %q: %v", c.name, i, fv.String(), err)
					}
					got = float64(m)
				default:
					got = fv.Float()
				}
				if got != x {
					t.Fatalf("%s row %d column %s: read %v, wrote %v", c.name, i, tab.Columns[j].Name, got, x)
				}
			}
		}
		r.Close()
	}
}

// TestParquetDeterministic: the same table gives the same bytes (the
// manifest hashes them, and runs with one seed must write identical
// folders).
func TestParquetDeterministic(t *testing.T) {
	tab, err := Monthly(synthetic(calendar.Of(2012, 11), 15))
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := tab.WriteParquet(&a); err != nil {
		t.Fatal(err)
	}
	if err := tab.WriteParquet(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two writes of one table differ")
	}
}

// TestParquetRefusesNonFinite: a NaN is an error naming column and period,
// and nothing is written.
func TestParquetRefusesNonFinite(t *testing.T) {
	tab, err := Monthly(synthetic(calendar.Of(2012, 11), 15))
	if err != nil {
		t.Fatal(err)
	}
	tab.Rows[3][tab.Index("deaths")] = math.Inf(1)
	var b bytes.Buffer
	err = tab.WriteParquet(&b)
	if err == nil || !strings.Contains(err.Error(), "column deaths, month 2013-02") || b.Len() != 0 {
		t.Fatalf("error %v after %d bytes, want one naming deaths and 2013-02, and no output", err, b.Len())
	}
}
