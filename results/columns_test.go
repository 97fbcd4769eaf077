package results

import (
	"reflect"
	"strings"
	"testing"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/sim"
)

// TestValidate fails CI if a tag of sim.Record is wrong.
func TestValidate(t *testing.T) {
	if err := Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestColumns(t *testing.T) {
	cols := Columns()
	if n := reflect.TypeFor[sim.Record]().NumField(); len(cols) != n {
		t.Fatalf("len(Columns()) = %d, want one per field of sim.Record, %d", len(cols), n)
	}
	want := map[int]Column{
		0: {Name: "month", Unit: "YYYY-MM", Doc: "calendar month", Agg: AggNone},
		1: {Name: "population", Unit: "persons", Doc: "residents of Tajikistan alive at the end of the month, at home or abroad (migrants stay residents)", Agg: AggMean},
		3: {Name: "births", Unit: "persons", Doc: "births during the period", Agg: AggSum},
	}
	for i, w := range want {
		if cols[i] != w {
			t.Errorf("Columns()[%d] = %+v, want %+v", i, cols[i], w)
		}
	}
	last := cols[len(cols)-1]
	if last.Name != "remittances_usd_gbao" || last.Unit != "USD" || last.Agg != AggSum {
		t.Errorf("last column = %+v, want remittances_usd_gbao in USD, summed", last)
	}
	byName := map[string]Column{}
	for _, c := range cols {
		byName[c.Name] = c
	}
	if c := byName["patent_revenue_rub"]; c.Unit != "RUB" || c.Agg != AggSum {
		t.Errorf("patent_revenue_rub = %+v, want RUB, summed", c)
	}

	// Columns returns a copy: changing it does not change the next call.
	cols[0].Name = "changed"
	if got := Columns()[0].Name; got != "month" {
		t.Errorf("after changing the returned slice, Columns()[0].Name = %q", got)
	}
}

func TestParseSchema(t *testing.T) {
	type ok struct {
		Month  calendar.Month `csv:"month" agg:"none" unit:"YYYY-MM" doc:"month"`
		Stock  float64        `csv:"stock" agg:"mean" unit:"persons" doc:"a stock"`
		Flow   float64        `csv:"remittances_usd" agg:"sum" unit:"USD" doc:"a flow"`
		GDP    float64        `csv:"gdp_usd" agg:"sum" unit:"USD" doc:"GDP"`
		Pct    float64        `csv:"remittances_pct_gdp" agg:"none" unit:"% of GDP" doc:"ratio"`
		hidden float64
	}
	s, err := parseSchema(reflect.TypeFor[ok]())
	if err != nil {
		t.Fatalf("valid struct: %v", err)
	}
	if len(s.columns) != 5 || len(s.derived) != 1 || s.derived[0].col != 4 || !reflect.DeepEqual(s.derived[0].inputs, []int{2, 3}) {
		t.Errorf("schema = %+v, want 5 columns and remittances_pct_gdp computed from columns 2 and 3", s)
	}
	_ = ok{}.hidden // unexported fields are not columns
}

func TestParseSchemaErrors(t *testing.T) {
	type month = calendar.Month
	tests := []struct {
		name string
		typ  reflect.Type
		want string // in the error
	}{
		{"missing csv", reflect.TypeOf(struct {
			M month   `csv:"month" agg:"none" unit:"YYYY-MM" doc:"m"`
			X float64 `agg:"sum" unit:"persons" doc:"x"`
		}{}), ".X: missing csv tag"},
		{"unknown agg", reflect.TypeOf(struct {
			M month   `csv:"month" agg:"none" unit:"YYYY-MM" doc:"m"`
			X float64 `csv:"x" agg:"avg" unit:"persons" doc:"x"`
		}{}), `.X: unknown agg "avg"`},
		{"missing agg", reflect.TypeOf(struct {
			M month   `csv:"month" agg:"none" unit:"YYYY-MM" doc:"m"`
			X float64 `csv:"x" unit:"persons" doc:"x"`
		}{}), `.X: unknown agg ""`},
		{"missing unit", reflect.TypeOf(struct {
			M month   `csv:"month" agg:"none" unit:"YYYY-MM" doc:"m"`
			X float64 `csv:"x" agg:"sum" doc:"x"`
		}{}), ".X: missing unit tag"},
		{"missing doc", reflect.TypeOf(struct {
			M month   `csv:"month" agg:"none" unit:"YYYY-MM" doc:"m"`
			X float64 `csv:"x" agg:"sum" unit:"persons"`
		}{}), ".X: missing doc tag"},
		{"duplicate name", reflect.TypeOf(struct {
			M month   `csv:"month" agg:"none" unit:"YYYY-MM" doc:"m"`
			X float64 `csv:"x" agg:"sum" unit:"persons" doc:"x"`
			Y float64 `csv:"x" agg:"sum" unit:"persons" doc:"y"`
		}{}), `.Y: csv name "x" is used twice`},
		{"not snake case", reflect.TypeOf(struct {
			M month   `csv:"month" agg:"none" unit:"YYYY-MM" doc:"m"`
			X float64 `csv:"Migrants Abroad" agg:"sum" unit:"persons" doc:"x"`
		}{}), "is not lower_snake_case"},
		{"reserved name", reflect.TypeOf(struct {
			M month   `csv:"month" agg:"none" unit:"YYYY-MM" doc:"m"`
			X float64 `csv:"year" agg:"sum" unit:"persons" doc:"x"`
		}{}), `"year" is reserved`},
		{"month not first", reflect.TypeOf(struct {
			X float64 `csv:"x" agg:"sum" unit:"persons" doc:"x"`
			M month   `csv:"month" agg:"none" unit:"YYYY-MM" doc:"m"`
		}{}), "the first field must be"},
		{"not float64", reflect.TypeOf(struct {
			M month `csv:"month" agg:"none" unit:"YYYY-MM" doc:"m"`
			X int   `csv:"x" agg:"sum" unit:"persons" doc:"x"`
		}{}), ".X: type int, want float64"},
		{"none without formula", reflect.TypeOf(struct {
			M month   `csv:"month" agg:"none" unit:"YYYY-MM" doc:"m"`
			X float64 `csv:"x" agg:"none" unit:"persons" doc:"x"`
		}{}), `no formula for "x"`},
		{"formula with agg", reflect.TypeOf(struct {
			M month   `csv:"month" agg:"none" unit:"YYYY-MM" doc:"m"`
			R float64 `csv:"remittances_usd" agg:"sum" unit:"USD" doc:"r"`
			G float64 `csv:"gdp_usd" agg:"sum" unit:"USD" doc:"g"`
			P float64 `csv:"remittances_pct_gdp" agg:"mean" unit:"% of GDP" doc:"p"`
		}{}), `must have agg "none"`},
		{"formula input missing", reflect.TypeOf(struct {
			M month   `csv:"month" agg:"none" unit:"YYYY-MM" doc:"m"`
			R float64 `csv:"remittances_usd" agg:"sum" unit:"USD" doc:"r"`
			P float64 `csv:"remittances_pct_gdp" agg:"none" unit:"% of GDP" doc:"p"`
		}{}), `input "gdp_usd" is not an aggregated column`},
		{"no columns", reflect.TypeOf(struct{}{}), "has no columns"},
		{"not a struct", reflect.TypeOf(0), "is not a struct"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseSchema(tc.typ)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("parseSchema error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestIsSnakeCase(t *testing.T) {
	for name, want := range map[string]bool{
		"population": true, "gdp_usd": true, "x2": true,
		"": false, "Population": false, "_x": false, "2x": false, "a-b": false, "a b": false,
	} {
		if got := isSnakeCase(name); got != want {
			t.Errorf("isSnakeCase(%q) = %v, want %v", name, got, want)
		}
	}
}
