package sim

import (
	"testing"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/data"
	"github.com/corridor-sim/corridor/drivers"
	"github.com/corridor-sim/corridor/params"
	"github.com/corridor-sim/corridor/policy"
)

// testConfig returns a reference-corridor configuration over from..until.
func testConfig(t testing.TB, scale int, from, until calendar.Month) Config {
	t.Helper()
	ref, err := data.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	paths, err := drivers.Build(ref, calendar.Range{From: calendar.Of(2000, 1), Until: calendar.Of(2040, 12)})
	if err != nil {
		t.Fatal(err)
	}
	p := params.Defaults()
	tl, err := policy.History(calendar.Range{From: from, Until: until}, p.TransferCostEarly)
	if err != nil {
		t.Fatal(err)
	}
	return Config{Seed: 1, Scale: scale, Span: calendar.Range{From: from, Until: until}, Params: p, Drivers: paths, Policy: tl}
}
