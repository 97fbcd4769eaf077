package serve

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/policy"
	"github.com/corridor-sim/corridor/results"
	"github.com/corridor-sim/corridor/scenario"
)

// Event is a lever event as the API reads and writes it: months as
// YYYY-MM, an empty until for an open-ended event.
type Event struct {
	Lever     string             `json:"lever"`
	From      string             `json:"from"`
	Until     string             `json:"until,omitempty"`
	Intensity *float64           `json:"intensity,omitempty"`
	Settings  map[string]float64 `json:"settings,omitempty"`
	Target    policy.Target      `json:"target,omitzero"`
	Source    string             `json:"source,omitempty"`
}

// Spec is a scenario as the API reads and writes it.
type Spec struct {
	Name        string             `json:"name"`
	Description string             `json:"description,omitempty"`
	Events      []Event            `json:"events"`
	Params      map[string]float64 `json:"params,omitempty"`
}

// RunRequest asks for a run: a library scenario by name, or a custom one.
type RunRequest struct {
	Scenario string `json:"scenario,omitempty"` // library name (default history) when custom is absent
	Custom   *Spec  `json:"custom,omitempty"`
	Seed     uint64 `json:"seed,omitempty"`    // default 1
	Scale    int    `json:"scale,omitempty"`   // persons per agent, default Config.DefaultScale
	Until    string `json:"until,omitempty"`   // YYYY-MM, default 2030-12
	Members  int    `json:"members,omitempty"` // ensemble size: seeds seed..seed+members-1, default 1
}

// FieldError is a bad request: a message and the JSON field it concerns.
type FieldError struct {
	Field   string `json:"field,omitempty"`
	Message string `json:"error"`
}

func (e *FieldError) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return e.Field + ": " + e.Message
}

func fieldErr(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// specOf turns a library scenario into its API form.
func specOf(sc *scenario.Scenario) Spec {
	s := Spec{Name: sc.Name, Description: sc.Description, Events: []Event{}, Params: sc.Params}
	for _, e := range sc.Events {
		in := e.Intensity
		ev := Event{Lever: e.Lever, From: e.From.String(), Intensity: &in, Settings: e.Settings, Target: e.Target, Source: e.Source}
		if e.Until >= e.From {
			ev.Until = e.Until.String()
		}
		s.Events = append(s.Events, ev)
	}
	return s
}

// scenario checks the spec event by event, as `corridor scenario check`
// does, and returns the scenario it describes. field prefixes the names of
// the fields in errors.
func (s *Spec) scenario(field string) (*scenario.Scenario, error) {
	name := strings.TrimSpace(s.Name)
	if name == "" {
		return nil, fieldErr(field+".name", "a scenario needs a name")
	}
	if len(name) > 100 {
		return nil, fieldErr(field+".name", "name is longer than 100 characters")
	}
	if len(s.Events) > maxEvents {
		return nil, fieldErr(field+".events", "%d events, at most %d", len(s.Events), maxEvents)
	}
	sc := &scenario.Scenario{Name: name, Description: s.Description, Params: s.Params}
	for i, e := range s.Events {
		f := fmt.Sprintf("%s.events[%d]", field, i)
		l, ok := policy.LookupLever(e.Lever)
		if !ok {
			return nil, fieldErr(f+".lever", "unknown lever %q (known: %s)", e.Lever, strings.Join(policy.LeverNames(), ", "))
		}
		from, err := calendar.Parse(e.From)
		if err != nil {
			return nil, fieldErr(f+".from", "%v", err)
		}
		if from < scenario.ModelStart || from > scenario.MaxUntil {
			return nil, fieldErr(f+".from", "%v is outside the model's range %v..%v", from, scenario.ModelStart, scenario.MaxUntil)
		}
		until := from - 1 // open-ended
		if e.Until != "" {
			if until, err = calendar.Parse(e.Until); err != nil {
				return nil, fieldErr(f+".until", "%v", err)
			}
			if until < from {
				return nil, fieldErr(f+".until", "%v is before from %v (leave until empty for an open-ended event)", until, from)
			}
		}
		in := l.Default
		if e.Intensity != nil {
			in = *e.Intensity
		}
		ev := policy.LeverEvent{Lever: l.Name, From: from, Until: until, Intensity: in, Settings: e.Settings, Target: e.Target, Source: e.Source}
		if err := ev.Check(); err != nil {
			sub := ".intensity"
			switch msg := err.Error(); {
			case strings.Contains(msg, "setting"):
				sub = ".settings"
			case strings.Contains(msg, "target"):
				sub = ".target"
			}
			return nil, fieldErr(f+sub, "event %d: %v", i+1, err)
		}
		if err := checkTarget(e.Target); err != nil {
			return nil, fieldErr(f+".target", "event %d: %v", i+1, err)
		}
		sc.Events = append(sc.Events, ev)
	}
	return sc, nil
}

// The target values fixed for every lever.
var targetValues = map[string][]string{
	"destination": {"russia", "kazakhstan", "elsewhere"},
	"region":      {"khatlon", "sughd", "drs", "dushanbe", "gbao"},
	"sector":      {"construction", "services", "transport", "manufacturing", "trade", "other"},
	"sex":         {"male", "female"},
	"age_group":   {"16-17", "18-24", "25-29", "30-39", "40-49", "50-63"},
}

func checkTarget(t policy.Target) error {
	for kind, v := range map[string]string{"destination": t.Destination, "region": t.Region, "sector": t.Sector, "sex": t.Sex, "age_group": t.AgeGroup} {
		if v != "" && !slices.Contains(targetValues[kind], v) {
			return fmt.Errorf("target %s %q is not one of %s", kind, v, strings.Join(targetValues[kind], ", "))
		}
	}
	return nil
}

// A job is a checked run request with everything filled in.
type job struct {
	ID       string             `json:"id"`
	Scenario Spec               `json:"scenario"`
	Seed     uint64             `json:"seed"`
	Scale    int                `json:"scale"`
	Until    string             `json:"until"`
	Members  int                `json:"members"`
	sc       *scenario.Scenario `json:"-"`
	until    calendar.Month
}

// maxEvents bounds the lever events of one scenario.
const maxEvents = 200

// check validates a run request against the server's limits and returns the
// job, keyed by its content hash.
func (c *Config) check(r RunRequest) (*job, error) {
	var sc *scenario.Scenario
	switch {
	case r.Custom != nil && r.Scenario != "":
		return nil, fieldErr("scenario", "give either a library scenario's name or a custom scenario, not both")
	case r.Custom != nil:
		var err error
		if sc, err = r.Custom.scenario("custom"); err != nil {
			return nil, err
		}
	default:
		name := r.Scenario
		if name == "" {
			name = "history"
		}
		if strings.ContainsAny(name, `/\`) || strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml") {
			return nil, fieldErr("scenario", "give a library scenario's name; send a custom scenario in the custom field")
		}
		var err error
		if sc, err = scenario.Lookup(name); err != nil {
			return nil, fieldErr("scenario", "%v", err)
		}
	}
	j := &job{Seed: r.Seed, Scale: r.Scale, Members: r.Members, Until: r.Until, sc: sc}
	if j.Seed == 0 {
		j.Seed = 1
	}
	if j.Scale == 0 {
		j.Scale = c.DefaultScale
	}
	if j.Scale < 1 {
		return nil, fieldErr("scale", "must be a whole number ≥ 1 (got %d)", j.Scale)
	}
	if j.Members == 0 {
		j.Members = 1
	}
	if j.Members < 1 || j.Members > c.MaxMembers {
		return nil, fieldErr("members", "ensemble size must be 1..%d (got %d)", c.MaxMembers, j.Members)
	}
	j.until = scenario.DefaultUntil
	if j.Until != "" {
		m, err := calendar.Parse(j.Until)
		if err != nil {
			return nil, fieldErr("until", "%v", err)
		}
		if m < scenario.ModelStart || m > scenario.MaxUntil {
			return nil, fieldErr("until", "%v is outside the model's range %v..%v", m, scenario.ModelStart, scenario.MaxUntil)
		}
		j.until = m
	}
	j.Until = j.until.String()
	months := int64(j.until-scenario.ModelStart) + 1
	work := agentEstimate(j.Scale) * months * int64(j.Members)
	if work > c.MaxAgentMonths {
		return nil, fieldErr("scale", "the run would simulate about %d agent-months (agents × months × members), more than this server's limit of %d: use a larger scale, a shorter span or fewer members", work, c.MaxAgentMonths)
	}
	// Parameter overrides are checked by building the inputs.
	if _, err := sc.Build(scenario.Options{Until: j.until}); err != nil {
		f := "scenario"
		if r.Custom != nil {
			f = "custom"
			if strings.Contains(err.Error(), "param") {
				f = "custom.params"
			}
		}
		return nil, fieldErr(f, "%v", err)
	}
	j.Scenario = specOf(sc)
	j.ID = j.key()
	return j, nil
}

// agentEstimate is the number of agents a run at scale starts with, from
// the 2005 population (about 6.9 million) plus room for growth: an upper
// bound used only for the server's work limit.
func agentEstimate(scale int) int64 { return 10_700_000/int64(scale) + 1 }

// key is the content hash of what determines a run's results: the
// scenario (name, description, events, parameter overrides), seed, scale,
// until, ensemble size, and the corridor version and git commit (when the
// build knows it). Identical submissions get the same id and share one
// result; a rebuilt corridor does not reuse the results of another commit.
func (j *job) key() string {
	type canon struct {
		Version  string   `json:"version"`
		Commit   string   `json:"commit"`
		Scenario Spec     `json:"scenario"`
		Params   [][2]any `json:"params"`
		Seed     uint64   `json:"seed"`
		Scale    int      `json:"scale"`
		Until    string   `json:"until"`
		Members  int      `json:"members"`
	}
	s := j.Scenario
	var ps [][2]any
	for _, k := range slices.Sorted(maps.Keys(s.Params)) {
		ps = append(ps, [2]any{k, s.Params[k]})
	}
	s.Params = nil
	b, _ := json.Marshal(canon{Version: results.Version, Commit: results.BuildCommit(), Scenario: s, Params: ps, Seed: j.Seed, Scale: j.Scale, Until: j.Until, Members: j.Members})
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:8])
}
