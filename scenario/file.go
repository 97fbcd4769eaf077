package scenario

import (
	"bytes"
	"encoding/json"
	"slices"

	"github.com/invopop/jsonschema"

	"github.com/corridor-sim/corridor/drivers"
	"github.com/corridor-sim/corridor/params"
	"github.com/corridor-sim/corridor/policy"
)

// File is a scenario file as written: the YAML document that Parse reads
// and the JSON Schema (Schema) describes. Field names are the YAML keys.
// docs/scenarios.md documents the format.
type File struct {
	Name        string             `json:"name" yaml:"name" jsonschema:"required,pattern=^[a-z0-9][a-z0-9_-]*$" jsonschema_description:"Scenario name: lower case letters, digits, - and _; the name it runs under."`
	Description string             `json:"description,omitempty" yaml:"description,omitempty" jsonschema_description:"What the scenario represents and which question it answers."`
	Extends     string             `json:"extends,omitempty" yaml:"extends,omitempty" jsonschema_description:"The scenario this one builds on: a library name (corridor scenario list) or a .yaml/.yml path relative to this file. Its events, parameter and driver overrides come first; this file's are applied on top. Omitted: history (the sourced policy timeline, which every scenario includes)."`
	Period      *Period            `json:"period,omitempty" yaml:"period,omitempty" jsonschema_description:"Default months written (the command line's --from and --until override them). The simulation always starts in 2005-01."`
	Seed        *uint64            `json:"seed,omitempty" yaml:"seed,omitempty" jsonschema_description:"Default random seed (--seed overrides it)."`
	Scale       *int               `json:"scale,omitempty" yaml:"scale,omitempty" jsonschema:"minimum=1" jsonschema_description:"Default persons per agent (--scale overrides it)."`
	Params      map[string]float64 `json:"params,omitempty" yaml:"params,omitempty" jsonschema_description:"Parameter overrides by name (corridor params lists them)."`
	Drivers     []DriverChange     `json:"drivers,omitempty" yaml:"drivers,omitempty" jsonschema_description:"Changes to the exogenous driver paths (exchange rate, wages, growth...)."`
	Events      []Event            `json:"events,omitempty" yaml:"events,omitempty" jsonschema_description:"Dated lever events, applied in order on top of the sourced history."`
}

// Period is a span of months, YYYY-MM.
type Period struct {
	From  string `json:"from,omitempty" yaml:"from,omitempty" jsonschema:"pattern=^[0-9]{4}-(0[1-9]|1[0-2])$" jsonschema_description:"First month written, YYYY-MM (2005-01 or later)."`
	Until string `json:"until,omitempty" yaml:"until,omitempty" jsonschema:"pattern=^[0-9]{4}-(0[1-9]|1[0-2])$" jsonschema_description:"Last month simulated, YYYY-MM (at most 2040-12)."`
}

// DriverChange is one change of a driver path.
type DriverChange struct {
	Series     string `json:"series" yaml:"series" jsonschema:"required" jsonschema_description:"The driver to change."`
	From       string `json:"from" yaml:"from" jsonschema:"required,pattern=^[0-9]{4}-(0[1-9]|1[0-2])$" jsonschema_description:"First month changed, YYYY-MM."`
	Until      string `json:"until,omitempty" yaml:"until,omitempty" jsonschema:"pattern=^[0-9]{4}-(0[1-9]|1[0-2])$" jsonschema_description:"Last month changed, YYYY-MM, inclusive; omitted: to the end of the run."`
	Change     Change `json:"change" yaml:"change" jsonschema:"required" jsonschema_description:"How the path changes: exactly one of percent, set, growth_pp."`
	RampMonths int    `json:"ramp_months,omitempty" yaml:"ramp_months,omitempty" jsonschema:"minimum=0,maximum=600" jsonschema_description:"Months over which the change is phased in linearly (0: at once)."`
	Source     string `json:"source,omitempty" yaml:"source,omitempty" jsonschema_description:"Citation or reason for the change."`
}

// Change is the change of a DriverChange: exactly one field is set.
type Change struct {
	Percent  *float64 `json:"percent,omitempty" yaml:"percent,omitempty" jsonschema_description:"Multiply the path by 1 + percent/100 (-40: 40% lower). A ruble falling 40% against the dollar is rub_per_usd percent 66.7 (1/0.6 - 1)."`
	Set      *float64 `json:"set,omitempty" yaml:"set,omitempty" jsonschema_description:"Replace the path by this value, in the series' unit."`
	GrowthPP *float64 `json:"growth_pp,omitempty" yaml:"growth_pp,omitempty" jsonschema_description:"Add percentage points of growth: added to a growth series (% y/y); compounded yearly on a level series, whose level stays shifted after until."`
}

// Event is one dated use of a lever.
type Event struct {
	Lever     string             `json:"lever" yaml:"lever" jsonschema:"required" jsonschema_description:"The lever (corridor levers or docs/scenarios.md list them)."`
	From      string             `json:"from" yaml:"from" jsonschema:"required,pattern=^[0-9]{4}-(0[1-9]|1[0-2])$" jsonschema_description:"First month in force, YYYY-MM."`
	Until     string             `json:"until,omitempty" yaml:"until,omitempty" jsonschema:"pattern=^[0-9]{4}-(0[1-9]|1[0-2])$" jsonschema_description:"Last month in force, YYYY-MM, inclusive; omitted: open-ended."`
	Intensity *float64           `json:"intensity,omitempty" yaml:"intensity,omitempty" jsonschema_description:"The lever's intensity in its unit; omitted: the lever's default."`
	Settings  map[string]float64 `json:"settings,omitempty" yaml:"settings,omitempty" jsonschema_description:"The lever's named secondary values; missing ones take their defaults."`
	Target    *Target            `json:"target,omitempty" yaml:"target,omitempty" jsonschema_description:"The persons the lever acts on, where the lever accepts a target; omitted: everyone."`
	Source    string             `json:"source,omitempty" yaml:"source,omitempty" jsonschema_description:"Citation or reason for the event."`
}

// Target selects persons; the values are the model's categories.
type Target struct {
	Destination string `json:"destination,omitempty" yaml:"destination,omitempty" jsonschema:"enum=russia,enum=kazakhstan,enum=elsewhere"`
	Region      string `json:"region,omitempty" yaml:"region,omitempty" jsonschema:"enum=khatlon,enum=sughd,enum=drs,enum=dushanbe,enum=gbao"`
	Sector      string `json:"sector,omitempty" yaml:"sector,omitempty" jsonschema:"enum=construction,enum=services,enum=transport,enum=manufacturing,enum=trade,enum=other"`
	Sex         string `json:"sex,omitempty" yaml:"sex,omitempty" jsonschema:"enum=male,enum=female"`
	AgeGroup    string `json:"age_group,omitempty" yaml:"age_group,omitempty" jsonschema:"enum=16-17,enum=18-24,enum=25-29,enum=30-39,enum=40-49,enum=50-63"`
}

// The values each target kind accepts (the model's categories).
var targetValues = map[string][]string{
	"destination": {"russia", "kazakhstan", "elsewhere"},
	"region":      {"khatlon", "sughd", "drs", "dushanbe", "gbao"},
	"sector":      {"construction", "services", "transport", "manufacturing", "trade", "other"},
	"sex":         {"male", "female"},
	"age_group":   {"16-17", "18-24", "25-29", "30-39", "40-49", "50-63"},
}

func enumOf(names []string) []any {
	out := make([]any, len(names))
	for i, n := range names {
		out[i] = n
	}
	return out
}

// JSONSchemaExtend lists the lever names and describes each.
func (Event) JSONSchemaExtend(s *jsonschema.Schema) {
	lv, ok := s.Properties.Get("lever")
	if !ok {
		return
	}
	lv.Enum = enumOf(policy.LeverNames())
	desc := lv.Description + " One of:"
	for _, l := range policy.Levers() {
		desc += " " + l.Name + " (" + l.Unit + ", default " + jsonNumber(l.Default) + ");"
	}
	lv.Description = desc
}

// JSONSchemaExtend lists the driver series.
func (DriverChange) JSONSchemaExtend(s *jsonschema.Schema) {
	if sr, ok := s.Properties.Get("series"); ok {
		sr.Enum = enumOf(drivers.Names())
		for _, n := range drivers.Names() {
			sr.Description += " " + n + " (" + drivers.Unit(n) + ");"
		}
	}
}

// JSONSchemaExtend requires exactly one change.
func (Change) JSONSchemaExtend(s *jsonschema.Schema) {
	one := uint64(1)
	s.MinProperties, s.MaxProperties = &one, &one
}

// JSONSchemaExtend lists the parameter names.
func (File) JSONSchemaExtend(s *jsonschema.Schema) {
	if p, ok := s.Properties.Get("params"); ok {
		p.PropertyNames = &jsonschema.Schema{Enum: enumOf(params.Names())}
	}
}

func jsonNumber(v float64) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// SchemaID is the $id of the scenario file schema.
const SchemaID = "https://github.com/corridor-sim/corridor/scenario/scenario.schema.json"

// Schema returns the JSON Schema of scenario files, generated from the Go
// types of File (indented JSON ending in a newline). The shipped copy is
// scenario/scenario.schema.json; a test keeps it in sync.
func Schema() []byte {
	r := &jsonschema.Reflector{RequiredFromJSONSchemaTags: true, DoNotReference: false}
	s := r.Reflect(&File{})
	s.ID = SchemaID
	s.Title = "corridor scenario file"
	s.Description = "A scenario of the corridor simulator: parameter and driver overrides and dated lever events on top of the sourced history (docs/scenarios.md)."
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		panic(err) // the schema types are fixed: this cannot fail
	}
	return buf.Bytes()
}

// leverNames returns the lever names in registry order (sorted).
func leverNames() []string { return slices.Clone(policy.LeverNames()) }
