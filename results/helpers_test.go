package results

import (
	"flag"
	"reflect"
	"testing"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/internal/goldenfile"
	"github.com/corridor-sim/corridor/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata and the column table in docs/outputs.md")

// synthetic returns n records from month from on, with every value set and
// a few chosen to exercise the number formats.
func synthetic(from calendar.Month, n int) []sim.Record {
	recs := make([]sim.Record, n)
	for i := range recs {
		r := &recs[i]
		v := reflect.ValueOf(r).Elem()
		for j := 1; j < v.NumField(); j++ {
			v.Field(j).SetFloat(float64(j*1000) + float64(i)*12.25)
		}
		r.Month = from + calendar.Month(i)
		r.Population = 8_000_000 + 1_500.5*float64(i) // halves: 'f' rounds to even
		r.Births = 19_000.5 + float64(i)
		r.ReturneesJobless = -0.25 * float64(i%2) // numerical noise: -0.25 must print 0
		r.RemittancesUSD = 250e6 + 1e6*float64(i)
		r.GDPUSD = 7.5e9 / 12
		r.RemittancesPctGDP = 999 // ignored: recomputed
		r.HouseholdsWithMigrant = 600_000 + 1_000*float64(i)
		r.Households = 1_400_000
		r.HouseholdsWithMigrantShare = r.HouseholdsWithMigrant / r.Households
		r.PovertyRate = 0.3 - 0.001*float64(i)
		r.PatentRevenueRUB = 1.2e9 / 3
	}
	return recs
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, name, got, *update)
}
