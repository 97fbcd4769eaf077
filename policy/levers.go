package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/corridor-sim/corridor/calendar"
)

// Target selects the persons a lever acts on. The zero value is everyone.
// Each lever lists the target kinds it accepts (Lever.Targets).
type Target struct {
	Destination string `json:"destination,omitempty" yaml:"destination,omitempty"` // russia, kazakhstan, elsewhere
	Region      string `json:"region,omitempty" yaml:"region,omitempty"`           // khatlon, sughd, drs, dushanbe, gbao
	Sector      string `json:"sector,omitempty" yaml:"sector,omitempty"`           // construction, services, transport, manufacturing, trade, other
	Sex         string `json:"sex,omitempty" yaml:"sex,omitempty"`                 // male, female
	AgeGroup    string `json:"age_group,omitempty" yaml:"age_group,omitempty"`     // 16-17, 18-24, 25-29, 30-39, 40-49, 50-63
}

// kinds returns the target kinds that t sets.
func (t Target) kinds() []string {
	var k []string
	if t.Destination != "" {
		k = append(k, "destination")
	}
	if t.Region != "" {
		k = append(k, "region")
	}
	if t.Sector != "" {
		k = append(k, "sector")
	}
	if t.Sex != "" {
		k = append(k, "sex")
	}
	if t.AgeGroup != "" {
		k = append(k, "age_group")
	}
	return k
}

// LeverEvent is one dated use of a lever, as a scenario file lists it.
type LeverEvent struct {
	Lever     string
	From      calendar.Month
	Until     calendar.Month // inclusive; Until < From means open-ended
	Intensity float64
	// Settings are the lever's named secondary values (for example a visa
	// regime's cost_usd and delay_months); missing ones take their defaults.
	Settings map[string]float64
	Target   Target
	Source   string // why: a citation or the scenario's own note
}

// Setting is a named secondary value of a lever.
type Setting struct {
	Name     string
	Unit     string
	Doc      string
	Default  float64
	Min, Max float64
}

// Lever describes one lever of the library: what it is, what it acts on in
// the model, the source that motivates it, and how to set it.
type Lever struct {
	Name      string   // the key used in scenario files, snake_case
	Side      string   // "destination" (Russia), "origin" (Tajikistan) or "third party"
	Summary   string   // one line
	Mechanism string   // what it changes in the model (the State fields and the decisions they enter)
	Source    string   // the source document or data row that motivates it
	Unit      string   // what intensity means
	Min, Max  float64  // valid range of intensity
	Default   float64  // intensity when a scenario gives none
	Standard  float64  // standard intensity used by `corridor leverage`
	Months    int      // standard duration used by `corridor leverage`
	Targets   []string // target kinds accepted: destination, region, sector, sex, age_group
	Settings  []Setting

	// Combine says how two events of this lever in force in one month
	// combine (multiply factors, independent shares, the later one wins...).
	Combine string

	// apply sets the lever in one month's state. e.Settings holds every
	// setting (defaults filled in); k is the number of months since e.From
	// (0 in the first month), for ramps and one-off effects.
	apply func(s *State, e LeverEvent, k int)
	// check, if set, adds lever-specific validation.
	check func(e LeverEvent) error
}

var levers []Lever

// register adds a lever to the library (called from init functions).
func register(l Lever) {
	if l.apply == nil || l.Name == "" {
		panic("policy: lever without name or effect")
	}
	levers = append(levers, l)
}

// Levers returns the lever library sorted by name.
func Levers() []Lever {
	out := slices.Clone(levers)
	slices.SortFunc(out, func(a, b Lever) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// LookupLever returns the lever called name.
func LookupLever(name string) (Lever, bool) {
	for _, l := range levers {
		if l.Name == name {
			return l, true
		}
	}
	return Lever{}, false
}

// LeverNames returns the names of all levers, sorted.
func LeverNames() []string {
	var n []string
	for _, l := range Levers() {
		n = append(n, l.Name)
	}
	return n
}

// Check reports whether e is a valid use of a known lever: intensity in
// range and only accepted target kinds.
func (e LeverEvent) Check() error {
	l, ok := LookupLever(e.Lever)
	if !ok {
		return fmt.Errorf("unknown lever %q", e.Lever)
	}
	if !(e.Intensity >= l.Min && e.Intensity <= l.Max) {
		return fmt.Errorf("lever %s: intensity %g is outside %g..%g (%s)", l.Name, e.Intensity, l.Min, l.Max, l.Unit)
	}
	for name, v := range e.Settings {
		i := slices.IndexFunc(l.Settings, func(s Setting) bool { return s.Name == name })
		if i < 0 {
			return fmt.Errorf("lever %s has no setting %q", l.Name, name)
		}
		if st := l.Settings[i]; !(v >= st.Min && v <= st.Max) {
			return fmt.Errorf("lever %s: setting %s = %g is outside %g..%g (%s)", l.Name, name, v, st.Min, st.Max, st.Unit)
		}
	}
	if err := e.Target.Validate(); err != nil {
		return fmt.Errorf("lever %s: %v", l.Name, err)
	}
	for _, k := range e.Target.kinds() {
		if !slices.Contains(l.Targets, k) {
			if len(l.Targets) == 0 {
				return fmt.Errorf("lever %s takes no target (got %s)", l.Name, k)
			}
			return fmt.Errorf("lever %s cannot target by %s (accepts: %s)", l.Name, k, strings.Join(l.Targets, ", "))
		}
	}
	if l.check != nil {
		if err := l.check(e); err != nil {
			return fmt.Errorf("lever %s: %v", l.Name, err)
		}
	}
	return nil
}

// ApplyEvent applies a lever event to the timeline, after Check.
func (t *Timeline) ApplyEvent(e LeverEvent) error {
	if err := e.Check(); err != nil {
		return err
	}
	l, _ := LookupLever(e.Lever)
	value := eventValue(e)
	full := map[string]float64{}
	for _, st := range l.Settings {
		full[st.Name] = st.Default
	}
	for k, v := range e.Settings {
		full[k] = v
	}
	e.Settings = full
	t.applyEach(e.From, e.Until, e.Lever, value, e.Source, func(s *State, k int) { l.apply(s, e, k) })
	return nil
}

// eventValue describes an event for the timeline's record: the intensity,
// the settings given and the target.
func eventValue(e LeverEvent) string {
	parts := []string{fmt.Sprint(e.Intensity)}
	var names []string
	for k := range e.Settings {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		parts = append(parts, fmt.Sprintf("%s=%g", k, e.Settings[k]))
	}
	t := e.Target
	for _, kv := range [][2]string{{"destination", t.Destination}, {"region", t.Region}, {"sector", t.Sector}, {"sex", t.Sex}, {"age_group", t.AgeGroup}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+kv[1])
		}
	}
	return strings.Join(parts, ", ")
}

// StandardEvent returns the lever's standard dose as an event starting in
// month from: Standard intensity for Months months, default settings, no
// target (alternative_destination then acts on "elsewhere"). It is the dose
// `corridor leverage` compares levers with.
func (l Lever) StandardEvent(from calendar.Month) LeverEvent {
	return LeverEvent{
		Lever: l.Name, From: from, Until: from + calendar.Month(l.Months) - 1, Intensity: l.Standard,
		Source: fmt.Sprintf("standard dose of %s: %s for %d months (docs/levers.md)", l.Name, fmt.Sprint(l.Standard), l.Months),
	}
}
