package results

import (
	"bytes"
	"encoding/csv"
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/sim"
)

func TestFormatValue(t *testing.T) {
	tests := []struct {
		unit string
		v    float64
		want string
	}{
		{"persons", 1234.4, "1234"},
		{"persons", 1234.6, "1235"},
		{"persons", 2.5, "2"}, // strconv rounds exact halves to even
		{"persons", 3.5, "4"},
		{"persons", -0.4, "0"},
		{"persons", math.Copysign(0, -1), "0"},
		{"persons", -7.6, "-8"},
		{"households", 1.4e6, "1400000"},
		{"USD", 1.5e12, "1500000000000"},
		{"RUB", -0.0001, "0"},
		{"share", 0.1234565, "0.123456"},
		{"share", 0.1234567, "0.123457"},
		{"share", 1, "1.000000"},
		{"share", -1e-9, "0.000000"},
		{"share", -0.25, "-0.250000"},
		{"% of GDP", 100.0 / 3, "33.3333"},
		{"% of GDP", -0.00001, "0.0000"},
		{"YYYY-MM", float64(calendar.Of(2012, 11)), "2012-11"},
		{"YYYY-MM", float64(calendar.Of(1999, 1)), "1999-01"},
		{"year", 2013, "2013"},
		{"months", 12, "12"},
		{"years", 0.1, "0.1"},
		{"RUB per USD", 62.68, "62.68"},
		{"", 1e21, "1e+21"},
		{"", math.Copysign(0, -1), "0"},
	}
	for _, tc := range tests {
		if got := formatValue(tc.unit, tc.v); got != tc.want {
			t.Errorf("formatValue(%q, %v) = %q, want %q", tc.unit, tc.v, got, tc.want)
		}
	}
}

func TestGolden(t *testing.T) {
	recs := synthetic(calendar.Of(2012, 11), 15) // 2012-11 .. 2014-01: partial first and last years
	for _, tc := range []struct {
		file  string
		write func(*bytes.Buffer, []sim.Record) error
	}{
		{"monthly.csv", func(b *bytes.Buffer, r []sim.Record) error { return WriteMonthlyCSV(b, r) }},
		{"annual.csv", func(b *bytes.Buffer, r []sim.Record) error { return WriteAnnualCSV(b, r) }},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tc.write(&buf, recs); err != nil {
				t.Fatal(err)
			}
			checkTidy(t, buf.Bytes())
			golden(t, tc.file, buf.Bytes())
		})
	}
}

var isoMonth = regexp.MustCompile(`^\d{4}-\d{2}$`)

// checkTidy checks what pandas, R and DuckDB need to read a table without
// options: "\n" line ends, a header of unique names, the same number of
// fields on every line, an ISO month or a plain number in every cell.
func checkTidy(t *testing.T, data []byte) {
	t.Helper()
	if bytes.Contains(data, []byte("\r")) {
		t.Error("CSV contains \\r")
	}
	lines, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("reading back the CSV: %v", err)
	}
	if len(lines) < 2 {
		t.Fatalf("%d lines, want a header and rows", len(lines))
	}
	seen := map[string]bool{}
	for _, name := range lines[0] {
		if seen[name] || !isSnakeCase(name) {
			t.Errorf("bad or repeated column name %q", name)
		}
		seen[name] = true
	}
	for _, line := range lines[1:] {
		for j, cell := range line {
			if lines[0][j] == "month" {
				if !isoMonth.MatchString(cell) {
					t.Errorf("month %q is not YYYY-MM", cell)
				}
				continue
			}
			if _, err := strconv.ParseFloat(cell, 64); err != nil || strings.HasPrefix(cell, "-0") && strings.Trim(cell, "-0.") == "" {
				t.Errorf("column %s: %q is not a plain number", lines[0][j], cell)
			}
		}
	}
}

func TestNotFinite(t *testing.T) {
	tests := []struct {
		name  string
		set   func(*sim.Record)
		write func(*bytes.Buffer, []sim.Record) error
		want  []string // in the error
	}{
		{
			name:  "NaN input, monthly",
			set:   func(r *sim.Record) { r.PovertyRate = math.NaN() },
			write: func(b *bytes.Buffer, r []sim.Record) error { return WriteMonthlyCSV(b, r) },
			want:  []string{"column poverty_rate", "month 2013-02", "NaN"},
		},
		{
			name:  "NaN input, annual",
			set:   func(r *sim.Record) { r.Births = math.NaN() },
			write: func(b *bytes.Buffer, r []sim.Record) error { return WriteAnnualCSV(b, r) },
			want:  []string{"column births", "year 2013", "NaN"},
		},
		{
			name:  "zero over zero",
			set:   func(r *sim.Record) { r.RemittancesUSD, r.GDPUSD = 0, 0 },
			write: func(b *bytes.Buffer, r []sim.Record) error { return WriteMonthlyCSV(b, r) },
			want:  []string{"column remittances_pct_gdp", "month 2013-02", "NaN"},
		},
		{
			name:  "infinity",
			set:   func(r *sim.Record) { r.Deaths = math.Inf(1) },
			write: func(b *bytes.Buffer, r []sim.Record) error { return WriteMonthlyCSV(b, r) },
			want:  []string{"column deaths", "month 2013-02", "+Inf"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs := synthetic(calendar.Of(2012, 11), 15)
			tc.set(&recs[3]) // 2013-02
			var buf bytes.Buffer
			err := tc.write(&buf, recs)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes before failing", buf.Len())
			}
		})
	}
}

type failWriter struct{}

var errDiskFull = errors.New("disk full")

func (failWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestWriteCSVWriterError(t *testing.T) {
	err := WriteMonthlyCSV(failWriter{}, synthetic(calendar.Of(2012, 11), 3))
	if !errors.Is(err, errDiskFull) {
		t.Errorf("error %v, want the writer's error", err)
	}
}

func TestEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteAnnualCSV(&buf, nil); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); !strings.HasPrefix(got, "year,months,population,") || strings.Count(got, "\n") != 1 {
		t.Errorf("annual CSV of no records = %q, want the header only", got)
	}
}

// FuzzFormatValue checks that every finite value is written as a plain
// number, never as negative zero, within the rounding of its unit.
func FuzzFormatValue(f *testing.F) {
	units := []string{"persons", "USD", "share", "% of GDP", "year", "other"}
	tolerance := []float64{0.5, 0.5, 0.5e-6, 0.5e-4, 0.5, 0}
	for _, v := range []float64{0, -0.4, 2.5, 1e21, -1e-9, 0.1234565, math.MaxFloat64} {
		for u := range units {
			f.Add(uint8(u), v)
		}
	}
	f.Fuzz(func(t *testing.T, u uint8, v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return
		}
		i := int(u) % len(units)
		s := formatValue(units[i], v)
		back, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("formatValue(%q, %v) = %q, which does not parse: %v", units[i], v, s, err)
		}
		if strings.HasPrefix(s, "-") && back == 0 {
			t.Fatalf("formatValue(%q, %v) = %q, a negative zero", units[i], v, s)
		}
		if d := math.Abs(back - v); d > tolerance[i]+math.Abs(v)*1e-12 {
			t.Fatalf("formatValue(%q, %v) = %q, off by %v", units[i], v, s, d)
		}
	})
}
