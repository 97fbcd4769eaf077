package compare

import (
	"fmt"
	"maps"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/scenario"
)

// Effect returns the Options for comparing scenario b with base a: the
// last month in which their inputs differ (the end of the last event or
// driver change that one has and the other lacks), or Open when such a
// change never ends or the parameters differ. When the inputs do not
// differ at all, EffectEnd is the month before the model start, so that
// recovery is counted from the first month. EffectStart is the first
// month of the earliest such change (0 when there is none).
func Effect(a, b *scenario.Scenario) Options {
	o := Options{EffectEnd: scenario.ModelStart - 1}
	if !maps.Equal(a.Params, b.Params) {
		o.Open = true
		o.EffectStart = scenario.ModelStart
	}
	note := func(from, until calendar.Month) {
		if o.EffectStart == 0 || from < o.EffectStart {
			o.EffectStart = from
		}
		if until < from {
			o.Open = true
			return
		}
		o.EffectEnd = max(o.EffectEnd, until)
	}
	ka, kb := eventKeys(a), eventKeys(b)
	for k, n := range ka {
		if kb[k].n != n.n {
			note(n.from, n.until)
		}
	}
	for k, n := range kb {
		if ka[k].n != n.n {
			note(n.from, n.until)
		}
	}
	return o
}

type counted struct {
	n           int
	from, until calendar.Month
}

// eventKeys counts the events and driver changes of a scenario by value.
func eventKeys(s *scenario.Scenario) map[string]counted {
	m := map[string]counted{}
	for _, e := range s.Events {
		k := fmt.Sprintf("event %s %d %d %v %v %v", e.Lever, e.From, e.Until, e.Intensity, e.Settings, e.Target)
		c := m[k]
		m[k] = counted{c.n + 1, e.From, e.Until}
	}
	for _, d := range s.Drivers {
		k := fmt.Sprintf("driver %s %d %d %v %v %d", d.Series, d.From, d.Until, d.Change, d.Value, d.RampMonths)
		c := m[k]
		m[k] = counted{c.n + 1, d.From, d.Until}
	}
	return m
}
