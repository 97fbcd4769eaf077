package serve

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"

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

// File returns the spec as a scenario file (the YAML that `corridor
// scenario check` reads and the builder downloads).
func (s *Spec) File() scenario.File {
	f := scenario.File{Name: fileName(s.Name), Description: s.Description, Params: s.Params}
	for _, e := range s.Events {
		ev := scenario.Event{Lever: e.Lever, From: e.From, Until: e.Until, Intensity: e.Intensity, Settings: e.Settings, Source: e.Source}
		if e.Target != (policy.Target{}) {
			t := scenario.Target(e.Target)
			ev.Target = &t
		}
		f.Events = append(f.Events, ev)
	}
	return f
}

// fileName turns a name typed in the builder ("Closure 2020") into a
// scenario file's name (closure-2020): lower case letters, digits, - and _.
func fileName(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(strings.TrimSpace(name)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_', r == '-' && b.Len() > 0:
			b.WriteRune(r)
			dash = false
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimRight(b.String(), "-")
}

// YAML returns the spec as a scenario file's text.
func (s *Spec) YAML() ([]byte, error) { return yaml.Marshal(s.File()) }

// builderFile is the file name under which a spec is checked.
const builderFile = "builder.yaml"

// scenario checks the spec exactly as `corridor scenario check` checks a
// file: the spec is written as a scenario file and parsed by package
// scenario, so the page shows the same errors. field prefixes the names of
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
	src, err := s.YAML()
	if err != nil {
		return nil, fieldErr(field, "%v", err)
	}
	sc, err := scenario.Parse(builderFile, src)
	if err != nil {
		var fe *scenario.FileError
		if !errors.As(err, &fe) {
			return nil, fieldErr(field, "%v", err)
		}
		f := fe.Field
		if f == "" {
			f = "name"
		}
		// The field is the spec's own (events[1].target.destination → the
		// event's target); the message is the parser's, without the
		// position in the generated file.
		return nil, fieldErr(field+"."+specField(f), "%s", fe.Msg)
	}
	return sc, nil
}

// specField maps a scenario-file field path to the spec field the page
// shows it on: events[i].<key> for event fields, the top-level key
// otherwise.
func specField(f string) string {
	if strings.HasPrefix(f, "events[") {
		if i := strings.Index(f, "]."); i > 0 {
			head, rest := f[:i+2], f[i+2:]
			key, _, _ := strings.Cut(rest, ".")
			key, _, _ = strings.Cut(key, "[")
			return head + key
		}
		return f
	}
	key, _, _ := strings.Cut(f, ".")
	key, _, _ = strings.Cut(key, "[")
	return key
}

// targetValues are the values each target kind accepts (package policy's
// categories), as the lever list reports them to the page.
var targetValues = map[string][]string{
	"destination": policy.Destinations,
	"region":      policy.Regions,
	"sector":      policy.Sectors,
	"sex":         policy.Sexes,
	"age_group":   policy.AgeGroups,
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
