package scenario

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/corridor-sim/corridor/calendar"
)

var update = flag.Bool("update", false, "rewrite scenario.schema.json from the Go types")

func TestLibraryNames(t *testing.T) {
	names := LibraryNames()
	if len(names) < 12 || names[0] != "history" {
		t.Fatalf("library %v: want history first and at least 12 scenarios", names)
	}
	readme, err := libraryFS.ReadFile("library/README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if !bytes.Contains(readme, []byte("| `"+n+"` |")) {
			t.Errorf("library/README.md has no line for %s", n)
		}
	}
	for _, want := range []string{"history", "pressure-2013", "mass-deportation", "visa-regime", "foreign-passport", "china-investment"} {
		if !slices.Contains(names, want) {
			t.Errorf("library lacks %s", want)
		}
	}
}

// TestLibrary loads, validates and runs every shipped scenario.
func TestLibrary(t *testing.T) {
	schema := compileSchema(t, Schema())
	for _, name := range LibraryNames() {
		t.Run(name, func(t *testing.T) {
			src, err := LibrarySource(name)
			if err != nil {
				t.Fatal(err)
			}
			sc, err := Lookup(name)
			if err != nil {
				t.Fatal(err)
			}
			if sc.Name != name || sc.Description == "" {
				t.Errorf("name %q, description %q", sc.Name, sc.Description)
			}
			if !bytes.HasPrefix(src, []byte("# ")) {
				t.Error("a library file starts with a comment saying what it represents and its sources")
			}
			if err := validateYAML(schema, src); err != nil {
				t.Errorf("does not validate against scenario.schema.json: %v", err)
			}
			for i, e := range sc.Events {
				if e.Source == "" {
					t.Errorf("event %d (%s) has no source", i, e.Lever)
				}
			}
			for i, d := range sc.Drivers {
				if d.Source == "" {
					t.Errorf("driver change %d (%s) has no source", i, d.Series)
				}
			}
			// Run the scenario coarsely over its period (or to 2014-12 when
			// its events start earlier), to show that it runs by name.
			until := calendar.Of(2014, 12)
			for _, e := range sc.Events {
				until = max(until, min(e.From+6, MaxUntil))
			}
			for _, d := range sc.Drivers {
				until = max(until, min(d.From+6, MaxUntil))
			}
			res, err := Simulate(context.Background(), sc, Options{Seed: 1, Scale: 5000, Until: until, Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			if n := (calendar.Range{From: ModelStart, Until: until}).Len(); len(res.Records) != n {
				t.Errorf("%d records", len(res.Records))
			}
		})
	}
}

// TestHistoryFile checks that the shipped history file is the history.
func TestHistoryFile(t *testing.T) {
	sc, err := Lookup("history")
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Events) != 0 || len(sc.Params) != 0 || len(sc.Drivers) != 0 {
		t.Errorf("history.yaml adds something: %+v", sc)
	}
	a, err := sc.Build(Options{Until: calendar.Of(2030, 12)})
	if err != nil {
		t.Fatal(err)
	}
	b, err := History().Build(Options{Until: calendar.Of(2030, 12)})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Timeline, b.Timeline) || !reflect.DeepEqual(a.Drivers, b.Drivers) {
		t.Error("history.yaml builds other inputs than History()")
	}
}

func compileSchema(t *testing.T, src []byte) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("scenario.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("scenario.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// validateYAML validates a YAML document against the schema, as an editor
// would (through its JSON form).
func validateYAML(s *jsonschema.Schema, src []byte) error {
	var v any
	if err := yaml.Unmarshal(src, &v); err != nil {
		return err
	}
	j, err := json.Marshal(v)
	if err != nil {
		return err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		return err
	}
	return s.Validate(doc)
}

// TestSchemaFile keeps the shipped scenario.schema.json equal to the schema
// generated from the Go types (go test ./scenario -run TestSchemaFile -update
// rewrites it).
func TestSchemaFile(t *testing.T) {
	got := Schema()
	if *update {
		if err := os.WriteFile("scenario.schema.json", got, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("scenario.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("scenario/scenario.schema.json is out of date: run go test ./scenario -run TestSchemaFile -update")
	}
}

// TestSchema checks that the schema accepts good files and rejects bad
// ones as the parser does.
func TestSchema(t *testing.T) {
	s := compileSchema(t, Schema())
	good := "name: ok\nextends: history\nperiod: {from: 2012-01, until: 2016-12}\nseed: 3\nscale: 20\nparams: {remit_share: 0.5}\n" +
		"drivers:\n  - {series: rub_per_usd, from: 2014-01, change: {percent: 50}, ramp_months: 3}\n" +
		"events:\n  - {lever: enforcement_campaign, from: 2013-03, until: 2013-08, intensity: 3}\n"
	if err := validateYAML(s, []byte(good)); err != nil {
		t.Errorf("good file rejected: %v", err)
	}
	if _, err := Parse("good.yaml", []byte(good)); err != nil {
		t.Errorf("good file rejected by Parse: %v", err)
	}
	bad := map[string]string{
		"unknown field":     "name: x\nfoo: 1\n",
		"missing name":      "description: d\n",
		"unknown lever":     "name: x\nevents:\n  - {lever: enforcment_campaign, from: 2013-03}\n",
		"bad month":         "name: x\nevents:\n  - {lever: border_closure, from: 2013-3}\n",
		"missing from":      "name: x\nevents:\n  - {lever: border_closure}\n",
		"unknown series":    "name: x\ndrivers:\n  - {series: rub, from: 2014-01, change: {set: 1}}\n",
		"two changes":       "name: x\ndrivers:\n  - {series: rub_per_usd, from: 2014-01, change: {set: 1, percent: 2}}\n",
		"unknown parameter": "name: x\nparams: {remit_shar: 1}\n",
		"bad region":        "name: x\nevents:\n  - {lever: border_closure, from: 2013-01, target: {region: moscow}}\n",
		"scale zero":        "name: x\nscale: 0\n",
	}
	for name, src := range bad {
		if err := validateYAML(s, []byte(src)); err == nil {
			t.Errorf("%s: the schema accepts %q", name, src)
		}
		if _, err := Parse("bad.yaml", []byte(src)); err == nil {
			t.Errorf("%s: Parse accepts %q", name, src)
		}
	}
	if !strings.Contains(string(Schema()), `"enforcement_campaign"`) {
		t.Error("the schema does not list the lever names")
	}
}

func TestLibraryLoadable(t *testing.T) {
	lib := Library()
	if len(lib) == 0 || lib[0].Name != "history" {
		t.Fatalf("Library() does not start with history: %d scenarios", len(lib))
	}
	n := 0
	for _, name := range LibraryNames() {
		if _, err := Lookup(name); err == nil {
			if lib[n].Name != name {
				t.Errorf("Library()[%d] = %s, want %s", n, lib[n].Name, name)
			}
			n++
		}
	}
	if n != len(lib) {
		t.Errorf("Library() has %d scenarios, %d load", len(lib), n)
	}
}
