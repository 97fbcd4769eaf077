package sim

import (
	"math"
	"runtime"
	"sort"
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
	s := warmSim(b, scale, warm)
	defer s.Close()
	b.ReportAllocs()
	b.ResetTimer()
	persons := 0.0
	for i := 0; i < b.N; i++ {
		if s.month > s.cfg.Span.Until {
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
	s := warmSim(b, 1, 13)
	defer s.Close()
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
		onAllCores(workers, visit)
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "person-months/s")
	if sums[0] == 0 {
		b.Fatal("no one visited")
	}
}

// BenchmarkEventFloor measures the least the event-driven step sketched in
// docs/performance.md ("What reaching the target would take") could cost,
// on the real population of 2006 at full scale, on all cores. It does only
// the parts that design cannot avoid, each with the model's own code or a
// stand-in no dearer than the real thing:
//
//   - every migrant's month abroad, by the model's abroadMonth, from a
//     dense list of the migrants' slots (built once: those who return are
//     skipped and no one joins, so the list only shrinks, which flatters
//     the figure);
//   - a scan of a 2-byte "next event" month per person;
//   - for the persons whose month has come (one in 18 at home, about the
//     candidates' share: departures, births, deaths, birthdays that change
//     a count), one keyed draw, a table test, a geometric re-draw of the
//     next candidate month (a table lookup, cheaper than the logarithm an
//     exact draw needs) and a count kept up to date;
//   - every household's income and poverty from kept counts.
//
// The yearly update and the serial remainder of the month (about 11 ms a
// month on two cores, see corridor bench) come on top. Run:
//
//	go test -run '^$' -bench EventFloor -benchtime 24x ./sim/
func BenchmarkEventFloor(b *testing.B) {
	s := warmSim(b, 1, 13)
	defer s.Close()
	P, H := &s.pop.P, &s.pop.H
	n := P.N
	m := int32(s.month)
	// Kept counts and schedules, built from the state as the design would keep them.
	atHome := make([]uint16, H.N)
	working := make([]uint16, H.N)
	remit := make([]float64, H.N)
	next := make([]int16, n)
	var migrants []uint32
	for h := 0; h < H.N; h++ {
		for i := H.Start[h]; i < H.Start[h+1]; i++ {
			switch P.Loc[i] {
			case population.Dead:
			case population.Home:
				atHome[h]++
				age := min(int(uint32(m-int32(P.Birth[i]))/12), population.MaxAge)
				working[h] += uint16(s.ages[age].work)
				next[i] = int16(m) + int16(s.keys.static.Uint64(uint64(P.ID[i]))%18)
			default:
				migrants = append(migrants, i)
				next[i] = math.MaxInt16 // visited through the list
			}
		}
	}
	var gaps [4096]uint8 // the gap's quantiles: a table lookup instead of a logarithm
	for q := range gaps {
		gaps[q] = uint8(min(255, math.Log((float64(q)+0.5)/4096)*(-1.0/0.055)))
	}
	workers := runtime.GOMAXPROCS(0)
	accs := make([]accum, workers)
	month := func(w int) {
		a := &accs[w]
		t := &s.tab
		for c := w; c < len(s.chunks); c += workers {
			ch := &s.chunks[c]
			lo, hi := H.Start[ch.hFrom], H.Start[ch.hTo]
			// Migrants of the chunk (the list is in slot order).
			k := sort.Search(len(migrants), func(j int) bool { return migrants[j] >= lo })
			for ; k < len(migrants) && migrants[k] < hi; k++ {
				i := int(migrants[k])
				if P.Loc[i] == population.Home || P.Loc[i] == population.Dead {
					continue
				}
				age := min(int(uint32(m-int32(P.Birth[i]))/12), population.MaxAge)
				var r float64
				if s.abroadMonth(i, uint64(P.ID[i]), age, int(s.ages[age].band), a, &r) {
					next[i] = int16(m + 1) // back home: due next month
				}
				remit[P.Household[i]] += r
			}
			// Persons whose month has come.
			nx := next[lo:hi]
			for j := range nx {
				if int32(nx[j]) > m {
					continue
				}
				i := int(lo) + j
				id := uint64(P.ID[i])
				age := min(int(uint32(m-int32(P.Birth[i]))/12), population.MaxAge)
				row := &s.ages[age]
				d := s.keys.life.Uint64(id)
				if uint32(d) < t.Depart[int(row.cell[P.Flags[i]&1])] {
					working[P.Household[i]] -= uint16(row.work)
				}
				nx[j] = int16(m) + 1 + int16(gaps[d>>52]) // geometric gap, mean 18 months
				if int32(nx[j]) < m+1 {
					nx[j] = int16(m + 1)
				}
			}
			// Households from kept counts.
			line := t.PovertyLineUSD
			poor := 0
			for h := ch.hFrom; h < ch.hTo; h++ {
				reg, area := int(H.Region[h]), int(H.Urban[h]&1)
				if reg >= population.NumRegions {
					continue
				}
				home := float64(atHome[h])
				earn := float64(working[h]) * t.RegionEmployment[reg] * t.HomeWage[reg][area]
				if (earn+remit[h]+t.HomeOther[reg][area]*home)*float64(H.Factor[h]) < line*home {
					poor += int(atHome[h])
				}
				a.regionHome[reg] += home
				remit[h] = 0
			}
			a.poor += float64(poor)
		}
	}
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		onAllCores(workers, month)
		m++ // the next month: a new set of persons is due
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "person-months/s")
	b.ReportMetric(float64(len(migrants)), "migrants")
	if accs[0].poor == 0 {
		b.Fatal("no household counted")
	}
}

// warmSim returns a simulation of 2005–2030 at the given scale after its
// first warm months (13 reach past the first yearly update).
func warmSim(b *testing.B, scale, warm int) *Sim {
	b.Helper()
	s, err := New(testConfig(b, scale, calendar.Of(2005, 1), calendar.Of(2030, 12)))
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < warm; i++ {
		if _, err := s.Step(); err != nil {
			s.Close()
			b.Fatal(err)
		}
	}
	return s
}

// onAllCores runs f(0) … f(workers-1) at once and waits for them.
func onAllCores(workers int, f func(w int)) {
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() { defer wg.Done(); f(w) }()
	}
	wg.Wait()
}
