package sim

import (
	"testing"

	"github.com/corridor-sim/corridor/calendar"
)

// BenchmarkStep measures the monthly step at full scale (about 7.2 million
// persons in 2006) and reports person-months per second and bytes of state
// per person. Run: go test -run '^$' -bench Step -benchtime 12x ./sim/
func BenchmarkStep(b *testing.B) {
	benchmarkStep(b, 1)
}

// BenchmarkStepScale10 is the same at one agent per ten persons.
func BenchmarkStepScale10(b *testing.B) {
	benchmarkStep(b, 10)
}

// BenchmarkStepScale10Late is the step at one agent per ten persons from
// 2025 on, when a fifth of the persons were born during the run and many
// households have grown by births and splits (before the persons were laid
// out by household, their state was then scattered in memory).
func BenchmarkStepScale10Late(b *testing.B) {
	benchmarkStepFrom(b, 10, 241)
}

func benchmarkStep(b *testing.B, scale int) {
	benchmarkStepFrom(b, scale, 13)
}

// benchmarkStepFrom times the months after the first warm months.
func benchmarkStepFrom(b *testing.B, scale, warm int) {
	cfg := testConfig(b, scale, calendar.Of(2005, 1), calendar.Of(2030, 12))
	s, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for i := 0; i < warm; i++ { // warm up past a yearly update
		if _, err := s.Step(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	persons := 0.0
	for i := 0; i < b.N; i++ {
		if s.month > cfg.Span.Until {
			b.Skip("span exhausted")
		}
		persons += float64(s.Agents())
		if _, err := s.Step(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(persons/b.Elapsed().Seconds(), "person-months/s")
	b.ReportMetric(float64(s.StateBytes())/float64(s.Agents()), "bytes/person")
}
