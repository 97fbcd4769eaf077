package serve

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/stat"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/results"
	"github.com/corridor-sim/corridor/sim"
)

// The files of a run folder besides results.AnnualFile, MonthlyFile,
// AnnualParquet, MonthlyParquet and ManifestFile.
const (
	MembersFile  = "members.csv" // ensembles: the annual table of every member, with a seed column
	BandsFile    = "bands.csv"   // ensembles: year, variable, mean, p05, p95 over members
	ScenarioFile = "scenario.json"
)

// files lists the files of a finished run, in the order of the folder.
func (j *job) files() []string {
	f := []string{results.AnnualFile, results.MonthlyFile, results.AnnualParquet, results.MonthlyParquet, ScenarioFile}
	if j.Members > 1 {
		f = append(f, MembersFile, BandsFile)
	}
	return append(f, results.ManifestFile)
}

// runFiles returns the files written for a run; members[0] is the run with
// the job's own seed.
func runFiles(j *job, members [][]sim.Record) ([]results.File, error) {
	annual, err := results.Annual(members[0])
	if err != nil {
		return nil, err
	}
	monthly, err := results.Monthly(members[0])
	if err != nil {
		return nil, err
	}
	files := []results.File{
		{Name: results.AnnualFile, Write: annual.WriteCSV},
		{Name: results.MonthlyFile, Write: monthly.WriteCSV},
		{Name: results.AnnualParquet, Write: annual.WriteParquet},
		{Name: results.MonthlyParquet, Write: monthly.WriteParquet},
		{Name: ScenarioFile, Write: func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(j.Scenario)
		}},
	}
	if j.Members > 1 {
		tables := []*results.Table{annual}
		for _, recs := range members[1:] {
			t, err := results.Annual(recs)
			if err != nil {
				return nil, err
			}
			tables = append(tables, t)
		}
		files = append(files,
			results.File{Name: MembersFile, Write: func(w io.Writer) error { return writeMembers(w, j.Seed, tables) }},
			results.File{Name: BandsFile, Write: func(w io.Writer) error { return writeBands(w, years(annual), bandsOf(tables)) }},
		)
	}
	return files, nil
}

// writeMembers writes the members' annual tables one after another, with
// the member's seed as the first column.
func writeMembers(w io.Writer, seed uint64, tables []*results.Table) error {
	cw := csv.NewWriter(w)
	head := []string{"seed"}
	for _, c := range tables[0].Columns {
		head = append(head, c.Name)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	line := make([]string, len(head))
	for m, t := range tables {
		line[0] = strconv.FormatUint(seed+uint64(m), 10)
		for _, r := range t.Rows {
			for j, v := range r {
				line[j+1] = strconv.FormatFloat(v, 'g', -1, 64)
			}
			if err := cw.Write(line); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// Band is an ensemble's spread of one variable, by year.
type Band struct {
	Mean []float64 `json:"mean"`
	Lo   []float64 `json:"p05"`
	Hi   []float64 `json:"p95"`
}

// bandQuantiles are the quantiles reported as the band's edges.
const bandLo, bandHi = 0.05, 0.95

// bandsOf returns the mean and the empirical 5% and 95% quantiles over the
// members of every column after year and months. The tables must cover the
// same years.
func bandsOf(tables []*results.Table) map[string]Band {
	cols := make([]map[string][]float64, len(tables))
	for m, t := range tables {
		cols[m] = map[string][]float64{}
		for j := 2; j < len(t.Columns); j++ {
			v := make([]float64, len(t.Rows))
			for i, r := range t.Rows {
				v[i] = r[j]
			}
			cols[m][t.Columns[j].Name] = v
		}
	}
	return bandsOfColumns(cols)
}

// bandsOfColumns returns the bands over members given as column name →
// values by year; every member must hold the same columns and years.
func bandsOfColumns(members []map[string][]float64) map[string]Band {
	out := map[string]Band{}
	xs := make([]float64, len(members))
	for name, col := range members[0] {
		b := Band{}
		for i := range col {
			for m, mem := range members {
				xs[m] = mem[name][i]
			}
			slices.Sort(xs)
			b.Mean = append(b.Mean, stat.Mean(xs, nil))
			b.Lo = append(b.Lo, stat.Quantile(bandLo, stat.Empirical, xs, nil))
			b.Hi = append(b.Hi, stat.Quantile(bandHi, stat.Empirical, xs, nil))
		}
		out[name] = b
	}
	return out
}

// years returns the first column of an annual table.
func years(t *results.Table) []float64 {
	ys := make([]float64, len(t.Rows))
	for i, r := range t.Rows {
		ys[i] = r[0]
	}
	return ys
}

// writeBands writes bands in long form: year, variable, mean, p05, p95.
func writeBands(w io.Writer, years []float64, bands map[string]Band) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"year", "variable", "mean", "p05", "p95"}); err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(bands)) {
		b := bands[name]
		for i := range b.Mean {
			y := strconv.FormatFloat(years[i], 'f', 0, 64)
			if err := cw.Write([]string{y, name, fmtG(b.Mean[i]), fmtG(b.Lo[i]), fmtG(b.Hi[i])}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

func fmtG(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// readCSVTable reads a table written by results (annual.csv) back: the
// header and the values, with the month column (if any) parsed to its
// calendar.Month number.
func readCSVTable(path string) (*results.Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseCSVTable(filepath.Base(path), f)
}

// parseCSVTable reads a table from r; name is used in errors. Every row
// must have as many cells as the header, every cell a number (the month
// column a YYYY-MM month).
func parseCSVTable(name string, r io.Reader) (*results.Table, error) {
	recs, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: empty", name)
	}
	units := map[string]results.Column{}
	for _, c := range results.Columns() {
		units[c.Name] = c
	}
	units["year"] = results.Column{Name: "year", Unit: "year", Doc: "calendar year"}
	units["months"] = results.Column{Name: "months", Unit: "months", Doc: "months of the year simulated"}
	units["seed"] = results.Column{Name: "seed", Unit: "seed", Doc: "the member's random seed"}
	t := &results.Table{}
	for _, name := range recs[0] {
		c, ok := units[name]
		if !ok {
			c = results.Column{Name: name}
		}
		t.Columns = append(t.Columns, c)
	}
	for i, rec := range recs[1:] {
		row := make([]float64, len(rec))
		for j, s := range rec {
			if t.Columns[j].Unit == "YYYY-MM" {
				m, err := calendar.Parse(s)
				if err != nil {
					return nil, fmt.Errorf("%s:%d: %v", name, i+2, err)
				}
				row[j] = float64(m)
				continue
			}
			if row[j], err = strconv.ParseFloat(s, 64); err != nil {
				return nil, fmt.Errorf("%s:%d: column %s: %v", name, i+2, t.Columns[j].Name, err)
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

// readMembers splits members.csv into one annual table per member.
func readMembers(path string) ([]*results.Table, error) {
	all, err := readCSVTable(path)
	if err != nil {
		return nil, err
	}
	if len(all.Columns) < 3 || all.Columns[0].Name != "seed" {
		return nil, fmt.Errorf("%s: want the columns seed, year, months, ...", filepath.Base(path))
	}
	var out []*results.Table
	cols := all.Columns[1:]
	var cur *results.Table
	last := -1.0
	for _, r := range all.Rows {
		if cur == nil || r[0] != last {
			cur = &results.Table{Columns: cols}
			out = append(out, cur)
			last = r[0]
		}
		cur.Rows = append(cur.Rows, r[1:])
	}
	return out, nil
}
