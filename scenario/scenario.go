// Package scenario defines what is run: a named policy timeline (the
// sourced history plus dated lever events), parameter overrides and driver
// overrides, and runs it.
//
// Simulate is the one entry point that every command (run, compare,
// leverage, calibrate, ensemble, serve) uses to turn a scenario, a seed, a
// scale and a parameter set into monthly records.
package scenario

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/data"
	"github.com/corridor-sim/corridor/drivers"
	"github.com/corridor-sim/corridor/params"
	"github.com/corridor-sim/corridor/policy"
	"github.com/corridor-sim/corridor/sim"
)

// The model's time limits. The simulation always starts from the state of
// January 2005. Drivers are held at their last values after the data end,
// and projections are refused beyond MaxUntil.
var (
	ModelStart   = calendar.Of(2005, 1)
	DefaultUntil = calendar.Of(2030, 12)
	MaxUntil     = calendar.Of(2040, 12)
)

// Scenario is a policy timeline and the overrides that go with it.
type Scenario struct {
	Name        string
	Description string
	// Extends names the scenario this one was built on (a library name or a
	// file path, as written in the file); its events, parameter and driver
	// overrides are already included in this Scenario's.
	Extends string
	// File is where the scenario was read from ("library/NAME.yaml" for a
	// shipped one, "" for one made in Go).
	File string
	// From and Until are the default months written (zero: not given);
	// command-line flags override them.
	From, Until calendar.Month
	// Seed and Scale are defaults that command-line flags override (nil
	// and 0: not given).
	Seed  *uint64
	Scale int
	// Events are applied, in order, on top of the sourced history.
	Events []policy.LeverEvent
	// Params overrides parameters by name (see `corridor params`).
	Params map[string]float64
	// Drivers change the exogenous paths, in order.
	Drivers []drivers.Override
}

// Clone returns a deep copy of sc.
func (sc *Scenario) Clone() *Scenario {
	c := *sc
	c.Events = slices.Clone(sc.Events)
	for i, e := range c.Events {
		c.Events[i].Settings = maps.Clone(e.Settings)
	}
	c.Params = maps.Clone(sc.Params)
	c.Drivers = slices.Clone(sc.Drivers)
	if sc.Seed != nil {
		s := *sc.Seed
		c.Seed = &s
	}
	return &c
}

// History is the reference scenario: the sourced policy timeline alone.
func History() *Scenario {
	return &Scenario{Name: "history", Description: "the sourced policy timeline 2005–2025, then current policy"}
}

// Options are the run settings that are not part of a scenario.
type Options struct {
	Seed    uint64
	Scale   int
	Until   calendar.Month // last month simulated (zero: DefaultUntil)
	Workers int
	// Params is the base parameter set (zero value: params.Defaults());
	// the scenario's overrides are applied on top.
	Params *params.Params
	// Ref is the reference data (nil: the embedded data).
	Ref *data.Reference
	// Progress, if set, is called after each month.
	Progress func(done, total int)
}

// Inputs are the built inputs of a run.
type Inputs struct {
	Span     calendar.Range
	Ref      *data.Reference
	Drivers  *drivers.Paths
	Timeline *policy.Timeline
	Params   params.Params
}

// Build turns the scenario and options into run inputs.
func (sc *Scenario) Build(o Options) (*Inputs, error) {
	until := o.Until
	if until == 0 {
		until = DefaultUntil
	}
	if until < ModelStart || until > MaxUntil {
		return nil, fmt.Errorf("until %v is outside the model's range %v..%v", until, ModelStart, MaxUntil)
	}
	ref := o.Ref
	if ref == nil {
		var err error
		if ref, err = data.Embedded(); err != nil {
			return nil, err
		}
	}
	// Drivers always cover the whole horizon, so that no month's values
	// depend on until (the home wage is anchored in 2011-03, the savings
	// reference looks back a year).
	paths, err := drivers.Build(ref, calendar.Range{From: calendar.Of(2000, 1), Until: MaxUntil})
	if err != nil {
		return nil, err
	}
	for i, d := range sc.Drivers {
		if err := paths.Apply(d); err != nil {
			return nil, fmt.Errorf("scenario %s: driver change %d: %v", sc.Name, i+1, err)
		}
	}
	p := params.Defaults()
	if o.Params != nil {
		p = *o.Params
	}
	for _, name := range slices.Sorted(maps.Keys(sc.Params)) {
		v := sc.Params[name]
		if err := p.Set(name, v); err != nil {
			return nil, fmt.Errorf("scenario %s: %v", sc.Name, err)
		}
	}
	span := calendar.Range{From: ModelStart, Until: until}
	tl, err := policy.History(span, p.TransferCostEarly)
	if err != nil {
		return nil, err
	}
	for i, e := range sc.Events {
		if err := tl.ApplyEvent(e); err != nil {
			return nil, fmt.Errorf("scenario %s: event %d: %v", sc.Name, i+1, err)
		}
	}
	return &Inputs{Span: span, Ref: ref, Drivers: paths, Timeline: tl, Params: p}, nil
}

// Result is the outcome of a simulated scenario.
type Result struct {
	Inputs  *Inputs
	Agents  int
	Records []sim.Record // one per month from ModelStart
}

// Simulate builds and runs the scenario.
func Simulate(ctx context.Context, sc *Scenario, o Options) (*Result, error) {
	in, err := sc.Build(o)
	if err != nil {
		return nil, err
	}
	return in.Run(ctx, o)
}

// Run simulates built inputs with the seed, scale and workers of o.
func (in *Inputs) Run(ctx context.Context, o Options) (*Result, error) {
	s, err := sim.New(sim.Config{
		Seed: o.Seed, Scale: o.Scale, Span: in.Span, Params: in.Params,
		Drivers: in.Drivers, Policy: in.Timeline, Workers: o.Workers, Progress: o.Progress,
	})
	if err != nil {
		return nil, err
	}
	agents := s.Agents()
	recs, err := s.Run(ctx)
	if err != nil {
		return nil, err
	}
	return &Result{Inputs: in, Agents: agents, Records: recs}, nil
}
