package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadTable(t *testing.T) {
	for _, c := range []struct {
		name, src, want string
	}{
		{"ok", "year,months,remittances_usd\n2005,12,1.5\n2006,12,2\n", ""},
		{"empty", "", "t.csv: empty file"},
		{"no year", "month,x\n2005-01,1\n", `t.csv:1:1: field "month": the first column must be year`},
		{"repeated column", "year,x,x\n2005,1,2\n", `t.csv:1:3: column name "x"`},
		{"not a number", "year,months,remittances_usd\n2005,12,1.5\n2006,12,abc\n", `t.csv:3:9: field remittances_usd: "abc" is not a finite number`},
		{"NaN", "year,x\n2005,NaN\n", `t.csv:2:6: field x: "NaN" is not a finite number`},
		{"Inf", "year,x\n2005,+Inf\n", "field x"},
		{"short row", "year,x\n2005\n", "t.csv:2:1: wrong number of fields"},
		{"years out of order", "year,x\n2006,1\n2005,1\n", "t.csv:3:1: field year: 2005 does not follow 2006"},
		{"fractional year", "year,x\n2005.5,1\n", "t.csv:2:1: field year: 2005.5 is not a year"},
		{"header only", "year,x\n", "t.csv: header but no rows"},
		{"bad quote", "year,x\n2005,\"1\n", "t.csv:2"},
	} {
		tab, err := ReadTable("t.csv", strings.NewReader(c.src))
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: err %v, want one containing %q", c.name, err, c.want)
		}
		if c.want == "" && (len(tab.Rows) != 2 || tab.Columns[2].Unit != "USD" || tab.Rows[1][2] != 2) {
			t.Errorf("%s: table %+v", c.name, tab)
		}
	}
}

func TestColumnUnit(t *testing.T) {
	for name, want := range map[string]string{
		"year": "year", "members": "members", "remittances_usd": "USD", "remittances_usd_p95": "USD",
		"poverty_rate_p05": "share", "remittances_pct_gdp_p50": "% of GDP", "unknown_p50": "",
	} {
		if got := columnUnit(name); got != want {
			t.Errorf("columnUnit(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestParseManifest(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"ok", `{"corridor_version": "0.1", "seed": 3}`, ""},
		{"syntax", "{\n  \"seed\": 3,,\n}", "m.json:2:13:"},
		{"type", "{\n  \"seed\": \"three\"\n}", "m.json:2:17: field seed"},
		{"not corridor", `{"seed": 3}`, "corridor_version missing"},
		{"empty", ``, "m.json"},
	} {
		m, err := ParseManifest("m.json", []byte(c.src))
		switch {
		case c.want == "" && (err != nil || m.Seed != 3):
			t.Errorf("%s: %+v, %v", c.name, m, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: err %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	run, ens := folders(t)
	noInfo := t.TempDir()
	for _, f := range []string{"manifest.json", "annual_quantiles.csv"} {
		b, _ := os.ReadFile(filepath.Join(ens, f))
		os.WriteFile(filepath.Join(noInfo, f), b, 0o644)
	}
	if _, err := Load(noInfo, nil); err == nil || !strings.Contains(err.Error(), "ensemble.json") {
		t.Errorf("ensemble folder without ensemble.json: %v", err)
	}
	os.WriteFile(filepath.Join(noInfo, "ensemble.json"), []byte(`{"members": 0}`), 0o644)
	if _, err := Load(noInfo, nil); err == nil || !strings.Contains(err.Error(), "ensemble.json") {
		t.Errorf("bad ensemble.json: %v", err)
	}
	dir := t.TempDir()
	if _, err := Load(dir, nil); err == nil || !strings.Contains(err.Error(), "not a corridor results folder") {
		t.Errorf("empty folder: %v", err)
	}
	m, _ := os.ReadFile(filepath.Join(run, "manifest.json"))
	os.WriteFile(filepath.Join(dir, "manifest.json"), m, 0o644)
	if _, err := Load(dir, nil); err == nil || !strings.Contains(err.Error(), "neither annual.csv") {
		t.Errorf("folder without tables: %v", err)
	}
	a, _ := os.ReadFile(filepath.Join(run, "annual.csv"))
	lines := strings.Split(string(a), "\n")
	cells := strings.Split(lines[3], ",")
	cells[4] = "x"
	lines[3] = strings.Join(cells, ",")
	os.WriteFile(filepath.Join(dir, "annual.csv"), []byte(strings.Join(lines, "\n")), 0o644)
	_, err := Load(dir, nil)
	if want := filepath.Join(dir, "annual.csv") + ":4:"; err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "field ") {
		t.Errorf("bad cell: err %v, want one naming %s and the field", err, want)
	}
}

func FuzzReadTable(f *testing.F) {
	f.Add("year,months,remittances_usd\n2005,12,1.5\n2006,12,2\n")
	f.Add("year,x\n2005,NaN\n")
	f.Add("year,x\n2006,1\n2005,1\n")
	f.Add("\"year\",x\r\n2005,\"1\"\r\n")
	f.Fuzz(func(t *testing.T, src string) {
		tab, err := ReadTable("f.csv", strings.NewReader(src))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.csv") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q does not start with the file name on one line", err)
			}
			return
		}
		if len(tab.Rows) == 0 || tab.Columns[0].Name != "year" {
			t.Fatalf("accepted a table without rows or year: %+v", tab)
		}
		for i, row := range tab.Rows {
			if len(row) != len(tab.Columns) || (i > 0 && row[0] <= tab.Rows[i-1][0]) {
				t.Fatalf("row %d: %v", i, row)
			}
		}
	})
}

func FuzzParseManifest(f *testing.F) {
	f.Add(`{"corridor_version": "0.1", "seed": 3}`)
	f.Add("{\n  \"seed\": \"x\"\n}")
	f.Add(`{"parameters": [{"name": 1}]}`)
	f.Fuzz(func(t *testing.T, src string) {
		m, err := ParseManifest("m.json", []byte(src))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "m.json") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if m.CorridorVersion == "" {
			t.Fatal("accepted a manifest without corridor_version")
		}
	})
}
