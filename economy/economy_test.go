package economy

import (
	"math"
	"testing"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/data"
	"github.com/corridor-sim/corridor/drivers"
	"github.com/corridor-sim/corridor/params"
)

func TestAnchorsAndDirections(t *testing.T) {
	ref, err := data.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	d, err := drivers.Build(ref, calendar.Range{From: calendar.Of(2000, 1), Until: calendar.Of(2030, 12)})
	if err != nil {
		t.Fatal(err)
	}
	p := params.Defaults()
	e, err := New(&p, d)
	if err != nil {
		t.Fatal(err)
	}
	if w := e.HomeWageUSD(AnchorMonth); math.Abs(w-p.HomeWageAnchor) > 1e-9 {
		t.Fatalf("home wage at the anchor = %v, want %v", w, p.HomeWageAnchor)
	}
	if w := e.HomeRealWageUSD(AnchorMonth); math.Abs(w-p.HomeWageAnchor) > 1e-9 {
		t.Fatalf("real home wage at the anchor = %v", w)
	}
	// Real earnings grow with real GDP per person: 2018 above 2011.
	if e.HomeRealWageUSD(calendar.Of(2018, 6)) <= p.HomeWageAnchor {
		t.Fatal("real home wage did not grow 2011→2018")
	}
	// The ruble collapse: migrant USD earnings fell 2014→2015.
	if e.MigrantWageUSD(calendar.Of(2015, 6)) >= e.MigrantWageUSD(calendar.Of(2014, 6)) {
		t.Fatal("migrant USD earnings did not fall in 2015")
	}
	// Trailing mean lags: in early 2015 it is above the current value.
	if e.TrailingMigrantWageUSD(calendar.Of(2015, 3)) <= e.MigrantWageUSD(calendar.Of(2015, 3)) {
		t.Fatal("trailing mean not above the collapsed current value")
	}
	if g := e.MonthlyGDPUSD(calendar.Of(2012, 5)) * 12; math.Abs(g-7633036903) > 1 {
		t.Fatalf("GDP 2012 = %v", g)
	}
}
