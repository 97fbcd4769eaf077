package ensemble

import (
	"bytes"
	"context"
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/params"
	"github.com/corridor-sim/corridor/results"
	"github.com/corridor-sim/corridor/scenario"
)

// paramSets returns the defaults and a variant with a higher departure
// propensity, so that the two parameter sets give visibly different runs.
func paramSets(t testing.TB) []params.Params {
	t.Helper()
	a := params.Defaults()
	b := params.Defaults()
	if err := b.Set("departure_base", a.DepartureBase*1.3); err != nil {
		t.Fatal(err)
	}
	return []params.Params{a, b}
}

func quick(t testing.TB, members, workers int) Options {
	return Options{Members: members, Seed: 11, Scale: 100, Until: calendar.Of(2007, 6), Workers: workers, ParamSets: paramSets(t)}
}

func runQuick(t testing.TB, sc *scenario.Scenario, members, workers int) *Ensemble {
	t.Helper()
	e, err := Run(context.Background(), sc, quick(t, members, workers))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestMemberKey(t *testing.T) {
	for _, c := range []struct {
		i    int
		seed uint64
		sets int
		want Key
	}{
		{0, 1, 1, Key{0, 1, 0}},
		{5, 1, 1, Key{5, 6, 0}},
		{5, 100, 2, Key{5, 105, 1}},
		{6, 100, 3, Key{6, 106, 0}},
	} {
		if got := MemberKey(c.i, c.seed, c.sets); got != c.want {
			t.Errorf("MemberKey(%d, %d, %d) = %+v, want %+v", c.i, c.seed, c.sets, got, c.want)
		}
	}
}

// TestRunIndependentOfWorkers: the members and every output file are the
// same whether one or three members run at a time, and an ensemble of
// three members is the first three members of an ensemble of four.
func TestRunIndependentOfWorkers(t *testing.T) {
	sc := scenario.History()
	one := runQuick(t, sc, 4, 1)
	three := runQuick(t, sc, 4, 3)
	prefix := runQuick(t, sc, 3, 2)
	for i := range one.Members {
		if !reflect.DeepEqual(one.Members[i], three.Members[i]) {
			t.Fatalf("member %d differs between 1 and 3 workers", i)
		}
		if i < 3 && !reflect.DeepEqual(one.Members[i], prefix.Members[i]) {
			t.Fatalf("member %d of a 3-member ensemble differs from member %d of a 4-member one", i, i)
		}
	}
	if a, b := files(t, one), files(t, three); !reflect.DeepEqual(a, b) {
		t.Fatal("output files differ between 1 and 3 workers")
	}
	// The members really differ: seeds and parameter sets matter.
	j := one.Members[0].Annual.Index("departures")
	if one.Members[0].Annual.Rows[1][j] == one.Members[2].Annual.Rows[1][j] {
		t.Error("members 0 and 2 (same parameter set, other seed) have identical departures")
	}
	if one.Members[0].Annual.Rows[1][j] >= one.Members[1].Annual.Rows[1][j] {
		t.Error("member 1 (departure_base ×1.3) does not have more departures than member 0")
	}
	if one.Inputs == nil || len(one.Inputs.Timeline.Events) == 0 {
		t.Error("ensemble has no inputs of member 0 (policy timeline)")
	}
}

func files(t testing.TB, e *Ensemble) map[string][]byte {
	t.Helper()
	fs, err := e.Files()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range fs {
		var b bytes.Buffer
		if err := f.Write(&b); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		out[f.Name] = b.Bytes()
	}
	return out
}

func TestQuantilesTable(t *testing.T) {
	e := runQuick(t, scenario.History(), 4, 0)
	q, err := e.Quantiles()
	if err != nil {
		t.Fatal(err)
	}
	base := e.Members[0].Annual
	if got, want := len(q.Columns), 3+5*(len(base.Columns)-2); got != want {
		t.Fatalf("%d quantile columns, want %d", got, want)
	}
	if q.Columns[2].Name != "members" || q.Rows[0][2] != 4 {
		t.Errorf("column 3 is %s = %v, want members = 4", q.Columns[2].Name, q.Rows[0][2])
	}
	for _, name := range []string{"year", "months", "remittances_usd_p05", "remittances_usd_p95", "poverty_rate_p50"} {
		if q.Index(name) < 0 {
			t.Errorf("no column %s", name)
		}
	}
	// Property: for every year and column, min ≤ p05 ≤ p25 ≤ p50 ≤ p75 ≤ p95 ≤ max.
	for i, row := range q.Rows {
		for j := 2; j < len(base.Columns); j++ {
			var xs []float64
			for _, m := range e.Members {
				xs = append(xs, m.Annual.Rows[i][j])
			}
			k := 3 + 5*(j-2)
			qs := row[k : k+5]
			if !slices.IsSorted(qs) || qs[0] < slices.Min(xs) || qs[4] > slices.Max(xs) {
				t.Fatalf("%s year %v: quantiles %v not ordered within [%v, %v]", base.Columns[j].Name, row[0], qs, slices.Min(xs), slices.Max(xs))
			}
		}
	}
	var csv bytes.Buffer
	if err := q.WriteCSV(&csv); err != nil {
		t.Fatal(err)
	}
	head, _, _ := strings.Cut(csv.String(), "\n")
	if !strings.HasPrefix(head, "year,months,members,population_p05,population_p25,population_p50,population_p75,population_p95,") {
		t.Errorf("header starts %q", head[:min(len(head), 120)])
	}
}

// TestQuantilesValues checks the quantile definition (R type 4) on known
// samples.
func TestQuantilesValues(t *testing.T) {
	cols := []results.Column{{Name: "year", Unit: "year"}, {Name: "months", Unit: "months"}, {Name: "x", Unit: "persons"}}
	tables := func(xs ...float64) []*results.Table {
		var out []*results.Table
		for _, x := range xs {
			out = append(out, &results.Table{Columns: cols, Rows: [][]float64{{2010, 12, x}}})
		}
		return out
	}
	for _, c := range []struct {
		name string
		xs   []float64
		want []float64
	}{
		{"one member", []float64{7}, []float64{7, 7, 7, 7, 7}},
		{"1..20", []float64{20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}, []float64{1, 5, 10, 15, 19}},
		{"four", []float64{40, 10, 30, 20}, []float64{10, 10, 20, 30, 38}},
	} {
		q, err := Quantiles(tables(c.xs...))
		if err != nil {
			t.Fatal(err)
		}
		got := q.Rows[0][3:]
		for k := range got {
			if math.Abs(got[k]-c.want[k]) > 1e-9 {
				t.Errorf("%s: quantiles %v, want %v", c.name, got, c.want)
				break
			}
		}
	}
	if _, err := Quantiles(nil); err == nil {
		t.Error("Quantiles(nil) succeeded")
	}
	bad := tables(1, 2)
	bad[1].Rows[0][0] = 2011
	if _, err := Quantiles(bad); err == nil || !strings.Contains(err.Error(), "year") {
		t.Errorf("tables of other years: err %v, want one naming year", err)
	}
}

func TestParquetReadsBack(t *testing.T) {
	e := runQuick(t, scenario.History(), 3, 0)
	var b bytes.Buffer
	if err := WriteParquet(&b, e.Members); err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	cols := e.Members[0].Annual.Columns
	var names []string
	for _, fl := range f.Schema().Fields() {
		names = append(names, fl.Name())
	}
	want := []string{"member", "seed", "param_set"}
	for _, c := range cols {
		want = append(want, c.Name)
	}
	if !slices.Equal(names, want) {
		t.Fatalf("parquet columns %v,\nwant %v", names, want)
	}
	nYears := len(e.Members[0].Annual.Rows)
	if got := f.NumRows(); got != int64(3*nYears) {
		t.Fatalf("%d rows, want %d", got, 3*nYears)
	}
	typ, err := rowType(cols)
	if err != nil {
		t.Fatal(err)
	}
	r := parquet.NewReader(bytes.NewReader(b.Bytes()), f.Schema())
	defer r.Close()
	for i := range 3 * nYears {
		row := reflect.New(typ)
		if err := r.Read(row.Interface()); err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
		v := row.Elem()
		m := e.Members[i/nYears]
		want := m.Annual.Rows[i%nYears]
		if v.Field(0).Int() != int64(m.Member) || v.Field(1).Uint() != m.Seed || v.Field(2).Int() != int64(m.ParamSet) {
			t.Fatalf("row %d: key (%v, %v, %v), want %+v", i, v.Field(0), v.Field(1), v.Field(2), m.Key)
		}
		for j, x := range want {
			f := v.Field(3 + j)
			got := f.Interface()
			if f.Kind() == reflect.Int64 {
				got = float64(f.Int())
			}
			if got != x {
				t.Fatalf("row %d column %s: read %v, wrote %v", i, cols[j].Name, got, x)
			}
		}
	}
}

func TestDiff(t *testing.T) {
	base := runQuick(t, scenario.History(), 3, 0)
	zero, err := Diff(base, base)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range zero.Rows {
		for _, x := range row[3:] {
			if x != 0 {
				t.Fatalf("difference of an ensemble with itself has %v", x)
			}
		}
	}
	// A scenario that lowers departures: the difference is negative in
	// every member, so even p95 is below zero.
	low := &scenario.Scenario{Name: "low", Params: map[string]float64{"departure_base": params.Defaults().DepartureBase * 0.5}}
	other := runQuick(t, low, 3, 0)
	d, err := Diff(base, other)
	if err != nil {
		t.Fatal(err)
	}
	j := d.Index("departures_p95")
	if d.Rows[1][j] >= 0 {
		t.Errorf("departures_p95 of low − history in %v is %v, want < 0", d.Rows[1][0], d.Rows[1][j])
	}
	// Members with other keys cannot be differenced.
	opts := quick(t, 3, 0)
	opts.Seed = 99
	shifted, err := Run(context.Background(), scenario.History(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Diff(base, shifted); err == nil || !strings.Contains(err.Error(), "same seed") {
		t.Errorf("Diff of ensembles with other seeds: err %v", err)
	}
	if _, err := Diff(base, runQuick(t, scenario.History(), 2, 0)); err == nil {
		t.Error("Diff of ensembles of other sizes succeeded")
	}
}

func TestRunErrors(t *testing.T) {
	sc := scenario.History()
	for _, c := range []struct {
		name string
		edit func(*Options)
		want string
	}{
		{"no members", func(o *Options) { o.Members = 0 }, "members"},
		{"no parameter sets", func(o *Options) { o.ParamSets = nil }, "parameter sets"},
		{"negative workers", func(o *Options) { o.Workers = -1 }, "workers"},
		{"bad scale", func(o *Options) { o.Scale = 0 }, "member 0"},
	} {
		o := quick(t, 2, 1)
		c.edit(&o)
		_, err := Run(context.Background(), sc, o)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want one mentioning %q", c.name, err, c.want)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, sc, quick(t, 3, 1)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run: err %v, want context.Canceled", err)
	}
}

func TestProgressCountsMembers(t *testing.T) {
	o := quick(t, 3, 2)
	var calls []int
	o.Progress = func(done, total int) {
		if total != 3 {
			t.Errorf("total %d, want 3", total)
		}
		calls = append(calls, done)
	}
	if _, err := Run(context.Background(), scenario.History(), o); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(calls, []int{1, 2, 3}) {
		t.Errorf("progress calls %v, want [1 2 3]", calls)
	}
}
