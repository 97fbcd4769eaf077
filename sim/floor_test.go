package sim

import (
	"testing"

	"github.com/corridor-sim/corridor/calendar"
)

func BenchmarkLate(b *testing.B) {
	for _, warm := range []int{13, 240} {
		cfg := testConfig(b, 10, calendar.Of(2005, 1), calendar.Of(2030, 12))
		s, _ := New(cfg)
		for i := 0; i < warm; i++ {
			s.Step()
		}
		b.Run("serial", func(b *testing.B) {
			for it := 0; it < b.N; it++ {
				for c := range s.chunks {
					s.runChunk(&s.chunks[c])
				}
			}
			b.ReportMetric(float64(b.N)*float64(s.Agents())/b.Elapsed().Seconds()/1e6, "Mpm/s")
		})
		s.Close()
	}
}
