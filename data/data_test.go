package data

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

func mustEmbedded(t *testing.T) *Reference {
	t.Helper()
	ref, err := Embedded()
	if err != nil {
		t.Fatalf("Embedded: %v", err)
	}
	return ref
}

// dataRows counts the records after the header with encoding/csv alone.
func dataRows(t *testing.T, name string) int {
	t.Helper()
	b, err := fs.ReadFile(FS(), name)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return len(recs) - 1
}

func TestEmbeddedCounts(t *testing.T) {
	ref := mustEmbedded(t)
	want := map[string]int{
		"UNSOURCED.csv":              54,
		"enforcement.csv":            10,
		"macro_russia.csv":           173,
		"macro_tajikistan.csv":       83,
		"migrants_tajikistan.csv":    33,
		"parameters_extracted.csv":   133,
		"policy_events.csv":          35,
		"remittances_kgz_uzb.csv":    203,
		"remittances_tajikistan.csv": 82,
		"rub_per_usd_monthly.csv":    288,
	}
	if len(ref.Files) != len(want) {
		t.Fatalf("got %d files, want %d", len(ref.Files), len(want))
	}
	perFile := map[string]int{}
	for _, o := range ref.Observations {
		perFile[o.File]++
	}
	perFile["UNSOURCED.csv"] = len(ref.Unsourced)
	perFile["policy_events.csv"] = len(ref.Events)
	perFile["rub_per_usd_monthly.csv"] = len(ref.RubPerUSDMonthly)
	for i, f := range ref.Files {
		if i > 0 && ref.Files[i-1].Name >= f.Name {
			t.Errorf("Files not in name order: %q before %q", ref.Files[i-1].Name, f.Name)
		}
		if f.Rows != want[f.Name] {
			t.Errorf("%s: Rows = %d, want %d", f.Name, f.Rows, want[f.Name])
		}
		if n := dataRows(t, f.Name); n != f.Rows {
			t.Errorf("%s: Rows = %d, encoding/csv counts %d", f.Name, f.Rows, n)
		}
		if perFile[f.Name] != f.Rows {
			t.Errorf("%s: %d parsed rows, Files says %d", f.Name, perFile[f.Name], f.Rows)
		}
	}
}

func TestEmbeddedOrderAndLines(t *testing.T) {
	ref := mustEmbedded(t)
	for i := 1; i < len(ref.Observations); i++ {
		a, b := ref.Observations[i-1], ref.Observations[i]
		if a.File > b.File || (a.File == b.File && a.Line >= b.Line) {
			t.Fatalf("observation %d (%s:%d) is not after %s:%d", i, b.File, b.Line, a.File, a.Line)
		}
	}
	// No file has multi-line fields, so data rows are on lines 2, 3, ...
	line := map[string]int{}
	for _, o := range ref.Observations {
		line[o.File]++
		if o.Line != line[o.File]+1 {
			t.Fatalf("%s: row %d has Line %d, want %d", o.File, line[o.File], o.Line, line[o.File]+1)
		}
	}
}

func TestEmbeddedIsCached(t *testing.T) {
	a, errA := Embedded()
	b, errB := Embedded()
	if a != b || errA != errB {
		t.Errorf("Embedded returned different results: %p %v, %p %v", a, errA, b, errB)
	}
}

func TestKnownValues(t *testing.T) {
	ref := mustEmbedded(t)
	tests := []struct {
		series, country, period string
		year                    int
		file                    string
		line                    int
		value                   float64
	}{
		{"population", "Tajikistan", "annual (mid-year)", 2010, "macro_tajikistan.csv", 36, 7652141},
		{"gdp_current_usd", "Tajikistan", "annual", 2023, "macro_tajikistan.csv", 25, 12060602009},
		{"rub_per_usd", "Russian Federation", "annual average", 2025, "macro_russia.csv", 173, 83.3},
		{"real_gdp_growth", "Russian Federation", "annual", 2009, "macro_russia.csv", 109, -7.8},
		{"personal_remittances_received_usd_derived", "Tajikistan", "annual", 2008, "remittances_tajikistan.csv", 73, 2277681569},
		{"tjs_per_usd", "Tajikistan", "annual average", 2024, "parameters_extracted.csv", 0, 10.8},
		{"poverty_rate_national", "Tajikistan", "annual", 2013, "parameters_extracted.csv", 0, 35.6},
		{"deportations_tj_from_russia", "Tajikistan", "annual", 2006, "enforcement.csv", 4, 5600},
	}
	for _, tc := range tests {
		var found []Observation
		for _, o := range ref.Find(tc.series, tc.country) {
			if o.Year == tc.year && o.Period == tc.period && o.File == tc.file {
				found = append(found, o)
			}
		}
		if len(found) != 1 {
			t.Errorf("%s %s %d %q: found %d rows, want 1", tc.series, tc.country, tc.year, tc.period, len(found))
			continue
		}
		o := found[0]
		if o.Value != tc.value {
			t.Errorf("%s %d: value %v, want %v", tc.series, tc.year, o.Value, tc.value)
		}
		if tc.line != 0 && o.Line != tc.line {
			t.Errorf("%s %d: line %d, want %d", tc.series, tc.year, o.Line, tc.line)
		}
		if o.Source == "" {
			t.Errorf("%s %d: no source", tc.series, tc.year)
		}
	}

	m := ref.RubPerUSDMonthly
	if first, last := m[0], m[len(m)-1]; first.Year != 2000 || first.Month != 1 || first.Value != 28.2533 || first.Fixings != 18 ||
		last.Year != 2023 || last.Month != 12 || last.Value != 90.8172 || last.Line != 289 {
		t.Errorf("monthly file: first %+v, last %+v", first, last)
	}

	us := ref.FindUnsourced("rub_per_usd", "Russian Federation")
	if len(us) != 1 || us[0].Year != 2024 || us[0].BestValue != 92.6 || us[0].Line != 2 || us[0].Confidence != "medium" {
		t.Errorf("UNSOURCED rub_per_usd: %+v", us)
	}
	for _, u := range ref.FindUnsourced("tj_citizens_in_russia_mvd_stock", "") {
		if u.Year != 0 || u.YearText != "2016-2019" {
			t.Errorf("range year: Year %d, YearText %q", u.Year, u.YearText)
		}
	}
	for _, o := range ref.Find("entry_bans_tj_stock", "Tajikistan") {
		if o.Year == 0 && !strings.HasPrefix(o.YearText, "unknown") {
			t.Errorf("%s:%d: Year 0 with YearText %q", o.File, o.Line, o.YearText)
		}
	}
	var approx *PolicyEvent
	for i, e := range ref.Events {
		if e.DatePrecision == "approx" {
			approx = &ref.Events[i]
		}
	}
	if approx == nil || approx.Year != 2022 || approx.Month != 0 || approx.Value != 120590 {
		t.Errorf("approx event: %+v", approx)
	}
}

// Values are empty only in rows without a unit; the shared files have one
// such observation (a note that the NBT stopped publishing) and two
// unsourced policy rows.
func TestEmptyValues(t *testing.T) {
	ref := mustEmbedded(t)
	var nan []string
	for _, o := range ref.Observations {
		if math.IsNaN(o.Value) {
			nan = append(nan, o.Series)
			if o.Unit != "" {
				t.Errorf("%s:%d: empty value with unit %q", o.File, o.Line, o.Unit)
			}
		}
	}
	if len(nan) != 1 || nan[0] != "nbt_policy_note" {
		t.Errorf("observations with empty values: %v, want [nbt_policy_note]", nan)
	}
	n := 0
	for _, u := range ref.Unsourced {
		if math.IsNaN(u.BestValue) {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d unsourced rows without a value, want 2", n)
	}
}

// The embedded copies must be byte-identical to the shared folder.
func TestCopiesUnchanged(t *testing.T) {
	const shared = "/work/shared/data"
	if _, err := os.Stat(shared); err != nil {
		t.Skipf("shared data folder not available: %v", err)
	}
	for _, name := range FileNames() {
		if name == "parameters_extracted.csv" {
			continue // ours
		}
		want, err := os.ReadFile(filepath.Join(shared, name))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := fs.ReadFile(FS(), name)
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s", name, shared)
		}
	}
}

// copyFS returns a writable copy of the embedded files.
func copyFS(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	for _, name := range FileNames() {
		b, err := fs.ReadFile(FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		m[name] = &fstest.MapFile{Data: b}
	}
	return m
}

func TestHash(t *testing.T) {
	ref := mustEmbedded(t)
	h := sha256.New()
	for _, f := range ref.Files {
		b, _ := fs.ReadFile(FS(), f.Name)
		h.Write([]byte(f.Name + "\x00"))
		var n [8]byte
		for i := range 8 {
			n[7-i] = byte(len(b) >> (8 * i))
		}
		h.Write(n[:])
		h.Write(b)
		sum := sha256.Sum256(b)
		if f.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: SHA256 %s is wrong", f.Name, f.SHA256)
		}
	}
	if got := hex.EncodeToString(h.Sum(nil)); ref.Hash != got {
		t.Errorf("Hash = %s, recomputed %s", ref.Hash, got)
	}

	m := copyFS(t)
	m["extra.csv"] = &fstest.MapFile{Data: []byte("not,a,data,file\n")}
	m["notes.txt"] = &fstest.MapFile{Data: []byte("ignored")}
	same, err := Load(m)
	if err != nil {
		t.Fatalf("Load with extra files: %v", err)
	}
	if same.Hash != ref.Hash {
		t.Errorf("extra files changed the hash")
	}

	m = copyFS(t)
	m["enforcement.csv"].Data = bytes.Replace(m["enforcement.csv"].Data, []byte("5600"), []byte("5601"), 1)
	changed, err := Load(m)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if changed.Hash == ref.Hash {
		t.Errorf("changing one digit left the hash unchanged")
	}
}

func TestLoadMissingFile(t *testing.T) {
	for _, name := range FileNames() {
		m := copyFS(t)
		delete(m, name)
		_, err := Load(m)
		if err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "missing") {
			t.Errorf("without %s: error %v, want it to name the missing file", name, err)
		}
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	for _, name := range FileNames() {
		b, _ := fs.ReadFile(FS(), name)
		if name == "macro_russia.csv" {
			b = bytes.Replace(b, []byte(",2223,"), []byte(",22x3,"), 1)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := LoadDir(dir)
	want := filepath.Join(dir, "macro_russia.csv") + `:2: column "value": "22x3" is not a number`
	if err == nil || err.Error() != want {
		t.Fatalf("LoadDir error = %v, want %s", err, want)
	}

	b, _ := fs.ReadFile(FS(), "macro_russia.csv")
	if err := os.WriteFile(filepath.Join(dir, "macro_russia.csv"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	ref, err := LoadDir(dir)
	if err != nil {
		t.Fatalf("LoadDir: %v", err)
	}
	if ref.Hash != mustEmbedded(t).Hash {
		t.Errorf("a copy of the embedded files has a different hash")
	}
}

func TestEmbeddedErrorPrefix(t *testing.T) {
	m := copyFS(t)
	m["enforcement.csv"].Data = []byte("series,country\n")
	_, err := load(m, func(name string) string { return "data/" + name }, "")
	if err == nil || !strings.HasPrefix(err.Error(), `data/enforcement.csv:1: missing column "year"`) {
		t.Errorf("error = %v", err)
	}
}

// The out-of-sample rule: no outcome observation after LastInSampleYear.
func TestNoOutcomeAfterLastInSampleYear(t *testing.T) {
	ref := mustEmbedded(t)
	drivers := map[string]bool{"gdp_current_usd": true, "population": true, "real_gdp_growth": true}
	outcome := func(o Observation) bool {
		switch o.File {
		case "remittances_tajikistan.csv", "migrants_tajikistan.csv":
			return true
		case "enforcement.csv":
			// The 2022 amnesty is a policy event (an input of the model),
			// not an outcome; data/SOURCES.md lists it as such.
			return o.Series != "entry_ban_amnesty_tj"
		case "remittances_kgz_uzb.csv":
			return !drivers[o.Series]
		case "parameters_extracted.csv":
			switch o.Series {
			case "poverty_rate_national", "households_with_migrant_share_pct", "households_in_migration_pct":
				return true
			}
		}
		return false
	}
	yearRE := regexp.MustCompile(`\d{4}`)
	n := 0
	for _, o := range ref.Observations {
		if !outcome(o) {
			continue
		}
		n++
		years := []int{o.Year}
		if o.Year == 0 {
			years = nil
			for _, s := range yearRE.FindAllString(o.YearText, -1) {
				y, _ := strconv.Atoi(s)
				years = append(years, y)
			}
			if len(years) == 0 {
				t.Errorf("%s:%d: outcome row without any year (%q)", o.File, o.Line, o.YearText)
			}
		}
		for _, y := range years {
			if y > LastInSampleYear {
				t.Errorf("%s:%d: outcome %s has year %d > %d", o.File, o.Line, o.Series, y, LastInSampleYear)
			}
		}
	}
	if n < 200 {
		t.Errorf("only %d outcome rows checked", n)
	}
}

func TestCatalog(t *testing.T) {
	ref := mustEmbedded(t)
	cat := ref.Catalog()
	total := 0
	var pop, unsourcedGrowth, monthly *SeriesInfo
	for i, s := range cat {
		total += s.Rows
		if i > 0 && cat[i-1].File > s.File {
			t.Errorf("catalog not in file order at %d", i)
		}
		switch {
		case s.File == "macro_tajikistan.csv" && s.Series == "population":
			pop = &cat[i]
		case s.File == "UNSOURCED.csv" && s.Series == "real_gdp_growth" && s.Country == "Tajikistan":
			unsourcedGrowth = &cat[i]
		case s.File == "rub_per_usd_monthly.csv":
			monthly = &cat[i]
		}
	}
	if want := len(ref.Observations) + len(ref.Unsourced) + len(ref.RubPerUSDMonthly); total != want {
		t.Errorf("catalog covers %d rows, want %d", total, want)
	}
	if pop == nil || pop.FirstYear != 2000 || pop.LastYear != 2024 || pop.Rows != 25 || len(pop.Units) != 1 || pop.Units[0] != "persons" || len(pop.Sources) != 1 || pop.Assumption {
		t.Errorf("population entry: %+v", pop)
	}
	if unsourcedGrowth == nil || !unsourcedGrowth.Assumption || unsourcedGrowth.FirstYear != 2000 || unsourcedGrowth.LastYear != 2007 || len(unsourcedGrowth.Sources) != 0 {
		t.Errorf("unsourced growth entry: %+v", unsourcedGrowth)
	}
	if monthly == nil || monthly.Rows != 288 || monthly.FirstYear != 2000 || monthly.LastYear != 2023 {
		t.Errorf("monthly entry: %+v", monthly)
	}
}

// Every figure in parameters_extracted.csv names URLs and the section of
// PARAMETERS.md it was copied from.
func TestParametersExtracted(t *testing.T) {
	ref := mustEmbedded(t)
	noteRE := regexp.MustCompile(`^from parameters\.md §\d+ \(.+\), grade [A-D]`)
	n := 0
	for _, o := range ref.Observations {
		if o.File != "parameters_extracted.csv" {
			continue
		}
		n++
		if !strings.HasPrefix(o.Source, "http") {
			t.Errorf("line %d: source %q is not a URL", o.Line, o.Source)
		}
		if !noteRE.MatchString(o.Note) {
			t.Errorf("line %d: note %q", o.Line, o.Note)
		}
		if o.Year == 0 || math.IsNaN(o.Value) {
			t.Errorf("line %d: year %d value %v", o.Line, o.Year, o.Value)
		}
	}
	tjs := map[int]float64{}
	for _, o := range ref.Find("tjs_per_usd", "Tajikistan") {
		tjs[o.Year] = o.Value
	}
	if len(tjs) != 17 || tjs[2000] != 2.1 || tjs[2005] != 3.1 || tjs[2015] != 6.2 || tjs[2024] != 10.8 {
		t.Errorf("tjs_per_usd: %v", tjs)
	}
}

func TestExport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	paths, err := Export(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != len(FileNames()) {
		t.Errorf("wrote %d files, want %d", len(paths), len(FileNames()))
	}
	ref, err := LoadDir(dir)
	if err != nil {
		t.Fatalf("LoadDir of the export: %v", err)
	}
	if ref.Hash != mustEmbedded(t).Hash {
		t.Errorf("the exported files have another hash than the embedded ones")
	}
	left, _ := os.ReadDir(dir)
	if len(left) != len(FileNames()) {
		t.Errorf("%d entries in the export folder, want only the %d data files", len(left), len(FileNames()))
	}

	// An existing data file stops the export before anything is written.
	other := t.TempDir()
	mine := filepath.Join(other, "macro_russia.csv")
	if err := os.WriteFile(mine, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Export(other); err == nil || !strings.Contains(err.Error(), mine) || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("export over a data file: error %v, want it to name %s", err, mine)
	}
	entries, _ := os.ReadDir(other)
	if b, _ := os.ReadFile(mine); len(entries) != 1 || string(b) != "mine" {
		t.Errorf("a refused export changed the folder: %d entries, %q", len(entries), b)
	}
}

// TestLoadDirRefusesOtherCSV checks that a .csv file LoadDir would not read
// (a renamed copy, say) is an error rather than silently left out, while
// files of other kinds are ignored.
func TestLoadDirRefusesOtherCSV(t *testing.T) {
	dir := t.TempDir()
	if _, err := Export(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadDir(dir); err != nil {
		t.Fatalf("a text file beside the data: %v", err)
	}
	extra := filepath.Join(dir, "rub_per_usd_monthly_2025.CSV")
	if err := os.WriteFile(extra, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadDir(dir)
	if err == nil || !strings.HasPrefix(err.Error(), extra+": not a data file") || !strings.Contains(err.Error(), "rub_per_usd_monthly.csv") {
		t.Errorf("an unknown .csv beside the data: error %v", err)
	}
}
