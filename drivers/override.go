package drivers

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/corridor-sim/corridor/calendar"
)

// A Change says how an Override alters a driver in the months it covers.
type Change int

// The kinds of change.
const (
	// Percent multiplies the path by 1 + Value/100 (−40 lowers it by 40%).
	Percent Change = iota + 1
	// Set replaces the path by Value.
	Set
	// GrowthPP adds Value percentage points of growth. On a growth series
	// (unit "% y/y") it adds Value to each month's value. On a level series
	// it compounds an extra Value% a year, month by month, from From; the
	// level reached at Until is kept (as a ratio to the path) afterwards,
	// since a level lost to slower growth is not regained by itself.
	GrowthPP
)

var changeNames = map[Change]string{Percent: "percent", Set: "set", GrowthPP: "growth_pp"}

func (c Change) String() string {
	if n, ok := changeNames[c]; ok {
		return n
	}
	return fmt.Sprintf("Change(%d)", int(c))
}

// An Override changes one driver over a range of months, as a scenario
// file's drivers list does.
type Override struct {
	Series string         // a name from Names
	From   calendar.Month // first month changed
	Until  calendar.Month // last month changed, inclusive; Until < From means to the end of the span
	Change Change
	Value  float64
	// RampMonths phases the change in linearly: in the k-th month from From
	// (k = 1..RampMonths) a fraction k/RampMonths of it applies (for Set,
	// the value moves from the path's own value of that month to Value).
	// 0 applies it at once.
	RampMonths int
	Source     string // why: a citation or the scenario's own note
}

// IsGrowth reports whether the driver is a growth rate (unit "% y/y"), on
// which growth_pp adds points instead of compounding.
func IsGrowth(series string) bool {
	i := slices.Index(names[:], series)
	return i >= 0 && units[i] == "% y/y"
}

// Unit returns the unit of the driver called series ("" if unknown).
func Unit(series string) string {
	i := slices.Index(names[:], series)
	if i < 0 {
		return ""
	}
	return units[i]
}

// Check reports whether o is a valid override: a known series, a known
// change with a finite value, a non-negative ramp, and for a level series
// a change that cannot make the level zero or negative.
func (o Override) Check() error {
	i := slices.Index(names[:], o.Series)
	switch {
	case i < 0:
		return fmt.Errorf("unknown driver series %q (known: %s)", o.Series, strings.Join(names[:], ", "))
	case changeNames[o.Change] == "":
		return fmt.Errorf("driver %s: no change given (want percent, set or growth_pp)", o.Series)
	case math.IsNaN(o.Value) || math.IsInf(o.Value, 0):
		return fmt.Errorf("driver %s: %s must be a finite number", o.Series, o.Change)
	case o.RampMonths < 0 || o.RampMonths > 600:
		return fmt.Errorf("driver %s: ramp_months %d is outside 0..600", o.Series, o.RampMonths)
	}
	level := units[i] != "% y/y"
	switch {
	case o.Change == Percent && level && o.Value <= -100:
		return fmt.Errorf("driver %s: percent %g would make a level zero or negative (want > -100)", o.Series, o.Value)
	case o.Change == Percent && o.Value > 1e4:
		return fmt.Errorf("driver %s: percent %g is beyond 10000", o.Series, o.Value)
	case o.Change == Set && level && o.Value <= 0:
		return fmt.Errorf("driver %s: set %g is not a positive level (%s)", o.Series, o.Value, units[i])
	case o.Change == GrowthPP && (o.Value <= -100 || o.Value > 1000):
		return fmt.Errorf("driver %s: growth_pp %g is outside -100..1000", o.Series, o.Value)
	}
	return nil
}

// Apply changes the paths as o says, in the months of o that lie in the
// span, and records the change in the driver's Note (as an assumption of
// the scenario).
func (p *Paths) Apply(o Override) error {
	if err := o.Check(); err != nil {
		return err
	}
	if len(p.series[0]) == 0 {
		return fmt.Errorf("driver %s: no paths to change", o.Series)
	}
	k := slices.Index(names[:], o.Series)
	s := p.series[k]
	end := o.Until
	open := o.Until < o.From
	if open {
		end = p.Span.Until
	}
	growth := units[k] == "% y/y"
	ramp := func(m calendar.Month) float64 {
		n := int(m-o.From) + 1
		if o.RampMonths == 0 || n >= o.RampMonths {
			return 1
		}
		return float64(n) / float64(o.RampMonths)
	}
	level := 1.0 // the compounded factor of GrowthPP on a level series
	for m := o.From; m <= end; m++ {
		f := ramp(m)
		if o.Change == GrowthPP && !growth {
			level *= math.Pow(1+f*o.Value/100, 1.0/12)
		}
		if m < p.Span.From || m > p.Span.Until {
			continue
		}
		i := int(m - p.Span.From)
		switch o.Change {
		case Percent:
			s[i] *= 1 + f*o.Value/100
		case Set:
			s[i] += f * (o.Value - s[i])
		case GrowthPP:
			if growth {
				s[i] += f * o.Value
			} else {
				s[i] *= level
			}
		}
	}
	if o.Change == GrowthPP && !growth && !open {
		for m := max(end+1, p.Span.From); m <= p.Span.Until; m++ {
			s[m-p.Span.From] *= level
		}
	}
	for i, v := range s {
		if math.IsNaN(v) || math.IsInf(v, 0) || (!growth && v <= 0) {
			return fmt.Errorf("driver %s: the override makes %v %v, not a valid %s", o.Series, p.Span.From+calendar.Month(i), v, units[k])
		}
	}
	until := "the end of the run"
	if !open {
		until = o.Until.String()
	}
	note := fmt.Sprintf("Scenario override: %s %g from %v to %s", o.Change, o.Value, o.From, until)
	if o.RampMonths > 0 {
		note += fmt.Sprintf(", phased in over %d months", o.RampMonths)
	}
	if o.Source != "" {
		note += " (" + o.Source + ")"
	}
	n := &p.Notes[k]
	n.Assumptions = strings.TrimSpace(n.Assumptions + " " + note + ".")
	first := max(o.From, p.Span.From)
	if first <= p.Span.Until {
		n.Assumed = append(n.Assumed, calendar.Range{From: first, Until: min(end, p.Span.Until)})
	}
	return nil
}
