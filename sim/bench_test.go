package sim

import (
	"runtime"
	"sync"
	"testing"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/population"
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

// BenchmarkVisitFloor measures the least any step that visits every person
// every month can cost, on the real population of 2006 at full scale: read
// each person's location, birth month and flags, look up the age, and
// count, with nothing else (no draws, no decisions, no writes), on all
// cores. It bounds what tuning the monthly step can reach (see
// docs/performance.md). Run:
//
//	go test -run '^$' -bench VisitFloor -benchtime 24x ./sim/
func BenchmarkVisitFloor(b *testing.B) {
	cfg := testConfig(b, 1, calendar.Of(2005, 1), calendar.Of(2030, 12))
	s, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for i := 0; i < 13; i++ {
		if _, err := s.Step(); err != nil {
			b.Fatal(err)
		}
	}
	P := &s.pop.P
	n := P.N
	m := int32(s.month)
	workers := runtime.GOMAXPROCS(0)
	sums := make([]uint64, workers)
	visit := func(w int) {
		lo, hi := w*n/workers, (w+1)*n/workers
		loc, birth, flags := P.Loc[lo:hi], P.Birth[lo:hi], P.Flags[lo:hi]
		var c uint64
		for i := range loc {
			if loc[i] != population.Home {
				continue
			}
			r := &s.ages[min(int(uint32(m-int32(birth[i]))/12), population.MaxAge)]
			c += 1 | uint64(r.work)<<16 | uint64(r.fert&flags[i]&1)<<32
		}
		sums[w] += c
	}
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() { defer wg.Done(); visit(w) }()
		}
		wg.Wait()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "person-months/s")
	if sums[0] == 0 {
		b.Fatal("no one visited")
	}
}
