package serve

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/corridor-sim/corridor/internal/goldenfile"
	"github.com/corridor-sim/corridor/results"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, name, got, *update)
}

// Two small ensembles of two members, over 2005–2006 and 2005–2007.
func goldenTables() (a, b []*results.Table) {
	cols := []results.Column{{Name: "year", Unit: "year"}, {Name: "months", Unit: "months"},
		{Name: "migrants_in_russia", Unit: "persons"}, {Name: "poverty_rate", Unit: "share"}}
	a = []*results.Table{
		{Columns: cols, Rows: [][]float64{{2005, 12, 500000, 0.5}, {2006, 12, 600000, 0.45}}},
		{Columns: cols, Rows: [][]float64{{2005, 12, 510000, 0.52}, {2006, 12, 590000, 0.44}}},
	}
	b = []*results.Table{
		{Columns: cols, Rows: [][]float64{{2005, 12, 500000, 0.5}, {2006, 12, 400000, 0.5}, {2007, 12, 1, 1}}},
		{Columns: cols, Rows: [][]float64{{2005, 12, 510000, 0.52}, {2006, 12, 420000, 0.47}, {2007, 12, 1, 1}}},
	}
	return a, b
}

func TestGoldenBandsAndMembers(t *testing.T) {
	a, _ := goldenTables()
	var bands, members bytes.Buffer
	if err := writeBands(&bands, years(a[0]), bandsOf(a)); err != nil {
		t.Fatal(err)
	}
	golden(t, "bands.csv", bands.Bytes())
	if err := writeMembers(&members, 7, a); err != nil {
		t.Fatal(err)
	}
	golden(t, "members.csv", members.Bytes())
	// members.csv reads back into the members' tables.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, MembersFile), members.Bytes(), 0o644)
	back, err := readMembers(filepath.Join(dir, MembersFile))
	if err != nil || len(back) != 2 || back[1].Rows[1][2] != 590000 {
		t.Errorf("members.csv read back: %v, %+v", err, back)
	}
}

func TestGoldenCompareCSV(t *testing.T) {
	a, b := goldenTables()
	ys, diff := Differences(a[0], b[0])
	c := &Comparison{Columns: columnDocs(a[0].Columns), Years: ys, Diff: diff,
		AValues: map[string][]float64{}, BValues: map[string][]float64{}}
	for j, col := range a[0].Columns[2:] {
		for i := range ys {
			c.AValues[col.Name] = append(c.AValues[col.Name], a[0].Rows[i][j+2])
			c.BValues[col.Name] = append(c.BValues[col.Name], b[0].Rows[i][j+2])
		}
	}
	c.ABands = bandsOf(a)
	d := make([]map[string][]float64, 2)
	for m := range 2 {
		_, d[m] = Differences(a[m], b[m])
	}
	c.DiffBands = bandsOfColumns(d)
	var out bytes.Buffer
	if err := c.WriteCSV(&out); err != nil {
		t.Fatal(err)
	}
	golden(t, "compare.csv", out.Bytes())
}
