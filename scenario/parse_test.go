package scenario

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/drivers"
	"github.com/corridor-sim/corridor/policy"
)

func TestParseErrors(t *testing.T) {
	ev := "name: x\nevents:\n  - lever: border_closure\n    from: 2013-03\n"
	tests := []struct {
		name, src, want string
	}{
		{"unknown lever near miss", "name: x\nevents:\n  - lever: border_closure\n    from: 2013-03\n  - lever: enforcment_campaign\n    from: 2013-03\n",
			`p.yaml:5:12: events[1].lever: unknown lever "enforcment_campaign" (did you mean enforcement_campaign?)`},
		{"unknown lever far off", "name: x\nevents:\n  - lever: zzz\n    from: 2013-03\n",
			`p.yaml:3:12: events[0].lever: unknown lever "zzz" (valid: ` + allLevers + `)`},
		{"missing lever", "name: x\nevents:\n  - from: 2013-03\n", `p.yaml:3:5: events[0]: missing lever (one of ` + allLevers + `)`},
		{"missing from", "name: x\nevents:\n  - lever: border_closure\n", `p.yaml:3:5: events[0]: missing from (the first month in force, YYYY-MM)`},
		{"bad month", strings.Replace(ev, "2013-03", "2013-13", 1), `p.yaml:4:11: events[0].from: month "2013-13": month "13" is not 01–12`},
		{"bare year", strings.Replace(ev, "2013-03", "2013", 1), `p.yaml:4:11: events[0].from: month "2013": want YYYY-MM, for example 2013-08`},
		{"month before the model", strings.Replace(ev, "2013-03", "2004-12", 1), `p.yaml:4:11: events[0].from: 2004-12 is outside the model's range 2005-01..2040-12`},
		{"until before from", ev + "    until: 2013-01\n", `p.yaml:5:12: events[0].until: 2013-01 is before from 2013-03 (omit until for an open-ended event)`},
		{"intensity out of range", ev + "    intensity: 3\n", `p.yaml:5:16: events[0].intensity: 3 is outside 0..1 for border_closure (share of exits blocked)`},
		{"intensity not a number", ev + "    intensity: abc\n", `p.yaml:5:16: events[0].intensity: want a number, got "abc"`},
		{"unknown setting", ev + "    settings:\n      cost_usd: 3\n", `p.yaml:6:7: events[0].settings.cost_usd: lever border_closure has no settings`},
		{"target not accepted", ev + "    target:\n      region: khatlon\n", `p.yaml:6:7: events[0].target.region: lever border_closure takes no target`},
		{"unknown target kind", ev + "    target:\n      regoin: khatlon\n", `p.yaml:6:7: events[0].target.regoin: unknown field "regoin" (did you mean region?)`},
		{"unknown event field", ev + "    untill: 2013-05\n", `p.yaml:5:5: events[0].untill: unknown field "untill" (did you mean until?)`},
		{"unknown top-level field", "name: x\nfoo: 1\n", `p.yaml:2:1: foo: unknown field "foo" (valid: name, description, extends, period, seed, scale, params, drivers, events)`},
		{"unknown parameter", "name: x\nparams:\n  remit_shar: 0.5\n", `p.yaml:3:3: params.remit_shar: unknown parameter "remit_shar" (did you mean remit_share, remit_share_max?)`},
		{"parameter out of range", "name: x\nparams:\n  remit_share: 2\n", `p.yaml:3:16: params.remit_share: remit_share = 2 is outside [0, 1]`},
		{"parameter profile", "name: x\nparams:\n  departure_season: 0.1\n", `p.yaml:3:3: params.departure_season: parameter "departure_season" is a profile, not a single number`},
		{"missing name", "description: d\n", `p.yaml:1:1: name: missing: every scenario needs a name`},
		{"bad name", "name: My Scenario\n", `p.yaml:1:7: name: "My Scenario" is not a valid name (lower case letters, digits, - and _, starting with a letter or digit)`},
		{"name a list", "name: [1]\n", `p.yaml:1:7: name: want a text value, got a list`},
		{"scale zero", "name: x\nscale: 0\n", `p.yaml:2:8: scale: 0 is not a whole number ≥ 1 (persons per agent)`},
		{"seed not whole", "name: x\nseed: 1.5\n", `p.yaml:2:7: seed: want a whole number, got "1.5"`},
		{"ramp not whole", "name: x\ndrivers:\n  - series: rub_per_usd\n    from: 2014-01\n    change: {set: 50}\n    ramp_months: 2.5\n",
			`p.yaml:6:18: drivers[0].ramp_months: want a whole number, got "2.5"`},
		{"seed negative", "name: x\nseed: -1\n", `p.yaml:2:7: seed: -1 is out of range (want a whole number ≥ 0)`},
		{"period until before from", "name: x\nperiod:\n  from: 2013-01\n  until: 2012-12\n", `p.yaml:4:10: period.until: 2012-12 is before period.from 2013-01`},
		{"events not a list", "name: x\nevents: 3\n", `p.yaml:2:9: events: want a list, got a number`},
		{"not a mapping", "- a\n", `p.yaml:1:1: a scenario file is a mapping of keys (name:, events:, ...), not a list`},
		{"empty", "", `p.yaml: empty scenario file (it needs at least name:)`},
		{"comment only", "# nothing\n", `p.yaml: empty scenario file (it needs at least name:)`},
		{"syntax", "name: [x\n", `p.yaml:1:7: sequence end token ']' not found`},
		{"duplicate key", "name: x\nname: y\n", `p.yaml:2:1: mapping key "name" already defined at [1:1]`},
		{"two documents", "name: x\n---\nname: y\n", `p.yaml:2:1: a scenario file holds one YAML document; found a second one`},
		{"an empty second document", "name: x\n---", `p.yaml:2:1: a scenario file holds one YAML document; found a second one`},
		{"alias", "name: &a x\ndescription: *a\n", `p.yaml:2:14: description: YAML aliases (*name) are not supported in scenario files; repeat the value instead`},
		{"empty tag on a list", "name: x\nevents: ! \n", `p.yaml:2:9: events: YAML tags (!) are not supported in scenario files; write the plain value`},
		{"standard tag", "name: !!str x\n", `p.yaml:1:7: name: YAML tags (!!str) are not supported in scenario files; write the plain value`},
		{"extends unknown", "name: x\nextends: histroy\n", `p.yaml:2:10: extends: unknown scenario "histroy" (did you mean history?); a file must end in .yaml or .yml`},
		{"driver unknown series", "name: x\ndrivers:\n  - series: rub_usd\n    from: 2014-01\n    change: {percent: 10}\n",
			`p.yaml:3:13: drivers[0].series: unknown driver series "rub_usd" (did you mean rub_per_usd?)`},
		{"driver two changes", "name: x\ndrivers:\n  - series: rub_per_usd\n    from: 2014-01\n    change: {percent: 10, set: 50}\n",
			`p.yaml:5:14: drivers[0].change: give exactly one of percent, set, growth_pp (got 2)`},
		{"driver no change", "name: x\ndrivers:\n  - series: rub_per_usd\n    from: 2014-01\n",
			`p.yaml:3:5: drivers[0].change: give exactly one of percent, set, growth_pp (got 0)`},
		{"driver level to zero", "name: x\ndrivers:\n  - series: rub_per_usd\n    from: 2014-01\n    change:\n      percent: -100\n",
			`p.yaml:6:16: drivers[0].change.percent: driver rub_per_usd: percent -100 would make a level zero or negative (want > -100)`},
		{"driver unknown change", "name: x\ndrivers:\n  - series: rub_per_usd\n    from: 2014-01\n    change:\n      pct: 1\n",
			`p.yaml:6:7: drivers[0].change.pct: unknown field "pct" (did you mean percent, set?)`},
		{"driver negative ramp", "name: x\ndrivers:\n  - series: rub_per_usd\n    from: 2014-01\n    change: {set: 50}\n    ramp_months: -1\n",
			`p.yaml:6:18: drivers[0].ramp_months: -1 is outside 0..600`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := Parse("p.yaml", []byte(tc.src))
			if err == nil {
				t.Fatalf("no error; parsed %+v", sc)
			}
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Errorf("error %T is not a *FileError", err)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("error\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestUnknownLeverIsMarked(t *testing.T) {
	_, err := Parse("p.yaml", []byte("name: x\nevents:\n  - lever: no_such_lever\n    from: 2013-03\n"))
	if l, ok := IsUnknownLever(err); !ok || l != "no_such_lever" {
		t.Errorf("IsUnknownLever = %q, %v; want no_such_lever, true", l, ok)
	}
	_, err = Parse("p.yaml", []byte("name: x\nfoo: 1\n"))
	if _, ok := IsUnknownLever(err); ok {
		t.Error("an unknown field is reported as an unknown lever")
	}
}

func TestParseValid(t *testing.T) {
	src := `# every field
name: full-example
description: >-
  all fields at once
period:
  from: 2012-01
  until: 2016-12
seed: 7
scale: 40
params:
  remit_share: 0.5
drivers:
  - series: rub_per_usd
    from: 2014-11
    until: 2015-12
    change:
      percent: 66.7
    ramp_months: 3
    source: assumption
  - series: ru_real_growth_pct
    from: 2015-01
    change: {growth_pp: -2}
events:
  - lever: enforcement_campaign
    from: 2013-03
    until: 2013-08
    intensity: 3
    source: raids
  - lever: border_closure
    from: 2014-01
`
	sc, err := Parse("full.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if sc.Name != "full-example" || sc.Description != "all fields at once" || sc.File != "full.yaml" {
		t.Errorf("name/description/file = %q/%q/%q", sc.Name, sc.Description, sc.File)
	}
	if sc.From != calendar.Of(2012, 1) || sc.Until != calendar.Of(2016, 12) || sc.Seed == nil || *sc.Seed != 7 || sc.Scale != 40 {
		t.Errorf("period/seed/scale = %v..%v/%v/%d", sc.From, sc.Until, sc.Seed, sc.Scale)
	}
	if sc.Params["remit_share"] != 0.5 || len(sc.Params) != 1 {
		t.Errorf("params = %v", sc.Params)
	}
	wantDrivers := []drivers.Override{
		{Series: "rub_per_usd", From: calendar.Of(2014, 11), Until: calendar.Of(2015, 12), Change: drivers.Percent, Value: 66.7, RampMonths: 3, Source: "assumption"},
		{Series: "ru_real_growth_pct", From: calendar.Of(2015, 1), Until: calendar.Of(2015, 1) - 1, Change: drivers.GrowthPP, Value: -2},
	}
	if len(sc.Drivers) != 2 || sc.Drivers[0] != wantDrivers[0] || sc.Drivers[1] != wantDrivers[1] {
		t.Errorf("drivers = %+v\nwant %+v", sc.Drivers, wantDrivers)
	}
	if len(sc.Events) != 2 {
		t.Fatalf("%d events, want 2", len(sc.Events))
	}
	e0, e1 := sc.Events[0], sc.Events[1]
	if e0.Lever != "enforcement_campaign" || e0.From != calendar.Of(2013, 3) || e0.Until != calendar.Of(2013, 8) || e0.Intensity != 3 || e0.Source != "raids" {
		t.Errorf("event 0 = %+v", e0)
	}
	// Omitted intensity: the lever's default; omitted until: open-ended.
	if e1.Lever != "border_closure" || e1.Intensity != 0.7 || e1.Until >= e1.From {
		t.Errorf("event 1 = %+v (want default intensity 0.7, open end)", e1)
	}
}

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o666); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExtends(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "base.yaml", "name: base\ndescription: the base\nscale: 30\nparams:\n  remit_share: 0.5\nevents:\n  - lever: enforcement_campaign\n    from: 2013-03\n    until: 2013-08\n")
	child := write(t, dir, "child.yaml", "name: child\nextends: base.yaml\nparams:\n  remit_share: 0.6\nevents:\n  - lever: border_closure\n    from: 2014-01\n    until: 2014-06\n")
	sc, err := ParseFile(child)
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Events) != 2 || sc.Events[0].Lever != "enforcement_campaign" || sc.Events[1].Lever != "border_closure" {
		t.Errorf("events = %+v, want the base's then the child's", sc.Events)
	}
	if sc.Params["remit_share"] != 0.6 || sc.Scale != 30 || sc.Description != "the base" || sc.Extends != "base.yaml" {
		t.Errorf("params %v, scale %d, description %q, extends %q", sc.Params, sc.Scale, sc.Description, sc.Extends)
	}

	lib, err := Parse("x.yaml", []byte("name: x\nextends: raids-2013\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(lib.Events) != 1 || lib.Events[0].Lever != "enforcement_campaign" {
		t.Errorf("extends raids-2013: events %+v", lib.Events)
	}

	errTests := []struct {
		name  string
		files map[string]string
		start string
		want  []string
	}{
		{"cycle", map[string]string{"a.yaml": "name: a\nextends: b.yaml\n", "b.yaml": "name: b\nextends: a.yaml\n"}, "a.yaml",
			[]string{"b.yaml:2:10: extends: cycle: ", "a.yaml → ", "b.yaml → ", "(extended by ", "a.yaml:2)"}},
		{"self", map[string]string{"a.yaml": "name: a\nextends: a.yaml\n"}, "a.yaml", []string{"a.yaml:2:10: extends: a scenario cannot extend itself"}},
		{"missing file", map[string]string{"a.yaml": "name: a\nextends: nowhere.yaml\n"}, "a.yaml", []string{"nowhere.yaml: cannot read: no such file or directory (extended by ", "a.yaml:2)"}},
		{"error in base", map[string]string{"a.yaml": "name: a\nextends: b.yaml\n", "b.yaml": "name: b\nevents:\n  - lever: border_closur\n    from: 2013-01\n"}, "a.yaml",
			[]string{"b.yaml:3:12: events[0].lever: unknown lever \"border_closur\" (did you mean border_closure?) (extended by ", "a.yaml:2)"}},
	}
	for _, tc := range errTests {
		t.Run(tc.name, func(t *testing.T) {
			d := t.TempDir()
			for n, c := range tc.files {
				write(t, d, n, c)
			}
			_, err := ParseFile(filepath.Join(d, tc.start))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	if _, err := Lookup("histroy"); err == nil || !strings.Contains(err.Error(), `unknown scenario "histroy" (did you mean history?)`) {
		t.Errorf("Lookup(histroy) = %v", err)
	}
	if _, err := Lookup("dir/file.txt"); err == nil || !strings.Contains(err.Error(), ".yaml or .yml") {
		t.Errorf("Lookup(dir/file.txt) = %v", err)
	}
	if _, err := Lookup(filepath.Join(t.TempDir(), "none.yaml")); err == nil || !strings.Contains(err.Error(), "none.yaml: cannot read: no such file or directory") {
		t.Errorf("Lookup(missing file) = %v", err)
	}
	dir := t.TempDir()
	if _, err := Lookup(dir + "/d.yaml/"); err == nil {
		t.Error("Lookup of a folder path succeeded")
	}
	a, err := Lookup("raids-2013")
	if err != nil {
		t.Fatal(err)
	}
	a.Events[0].Intensity = 99
	b, _ := Lookup("raids-2013")
	if b.Events[0].Intensity == 99 {
		t.Error("Lookup returns shared scenarios: a caller's change leaked")
	}
}

func TestClone(t *testing.T) {
	seed := uint64(3)
	sc := &Scenario{Name: "a", Seed: &seed, Params: map[string]float64{"remit_share": 0.5}}
	sc.Events = append(sc.Events, History().Events...)
	c := sc.Clone()
	c.Params["remit_share"] = 0.1
	*c.Seed = 9
	if sc.Params["remit_share"] != 0.5 || *sc.Seed != 3 {
		t.Error("Clone shares params or seed with the original")
	}
}

// allLevers is how errors list the valid lever names when none is close.
var allLevers = strings.Join(policy.LeverNames(), ", ")
