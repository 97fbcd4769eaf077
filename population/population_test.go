package population

import (
	"math"
	"reflect"
	"testing"

	"github.com/corridor-sim/corridor/calendar"
)

var mort = Mortality{Makeham: 0.0012, GompertzB: 0.00003, GompertzC: 0.095, Infant: 0.03}

func setup(n int) Setup {
	return Setup{
		Seed: 1, Start: calendar.Of(2005, 1), Persons: n, PersonCap: n * 2, HouseholdCap: n,
		HouseholdSize: 6.3, MaleShare: 0.507, Growth: 0.02, Mortality: mort,
		RegionShares: [NumRegions]float64{0.354, 0.296, 0.228, 0.096, 0.027}, UrbanShare: 0.262, IncomeSigma: 0.45,
	}
}

func TestGenerate(t *testing.T) {
	const n = 60000
	pop, err := Generate(setup(n))
	if err != nil {
		t.Fatal(err)
	}
	if pop.P.N != n {
		t.Fatalf("%d persons, want %d", pop.P.N, n)
	}
	if want := int(math.Round(n / 6.3)); pop.H.N != want {
		t.Fatalf("%d households, want %d", pop.H.N, want)
	}
	// Every person is listed once, in its own household, which has an adult.
	seen := make([]bool, n)
	urban, dushanbe := 0, 0
	for h := 0; h < pop.H.N; h++ {
		from, to := int(pop.H.Start[h]), int(pop.H.Start[h+1])
		if to <= from {
			t.Fatalf("household %d is empty", h)
		}
		adult := false
		for i := from; i < to; i++ {
			if seen[i] || pop.P.Household[i] != uint32(h) {
				t.Fatalf("person %d listed twice or in the wrong household", i)
			}
			seen[i] = true
			if a := int(calendar.Of(2005, 1)-calendar.Month(pop.P.Birth[i])) / 12; a >= HeadMinAge && a <= HeadMaxAge {
				adult = true
			}
		}
		if !adult {
			t.Fatalf("household %d has no adult", h)
		}
		if pop.H.Urban[h] == 1 {
			urban += to - from
		}
		if pop.H.Region[h] == Dushanbe {
			dushanbe++
			if pop.H.Urban[h] != 1 {
				t.Fatal("a Dushanbe household is rural")
			}
		}
	}
	if s := float64(urban) / n; math.Abs(s-0.262) > 0.02 {
		t.Errorf("urban share %v, want ≈0.262", s)
	}
	if s := float64(dushanbe) / float64(pop.H.N); math.Abs(s-0.096) > 0.01 {
		t.Errorf("Dushanbe share %v", s)
	}
	males := 0
	for i := 0; i < n; i++ {
		if pop.P.Flags[i]&Female == 0 {
			males++
		}
	}
	if s := float64(males) / n; math.Abs(s-0.507) > 0.01 {
		t.Errorf("male share %v", s)
	}
}

func TestGenerateDeterministic(t *testing.T) {
	a, _ := Generate(setup(5000))
	b, _ := Generate(setup(5000))
	for i := 0; i < 5000; i++ {
		if a.P.Birth[i] != b.P.Birth[i] || a.P.Household[i] != b.P.Household[i] || a.P.Flags[i] != b.P.Flags[i] {
			t.Fatalf("person %d differs between two generations with one seed", i)
		}
	}
}

func TestGenerateErrors(t *testing.T) {
	s := setup(100)
	s.Persons = 0
	if _, err := Generate(s); err == nil {
		t.Fatal("zero persons accepted")
	}
	s = setup(100)
	s.PersonCap = 50
	if _, err := Generate(s); err == nil {
		t.Fatal("capacity below persons accepted")
	}
}

func TestAddAndRebuild(t *testing.T) {
	pop, err := Generate(setup(1000))
	if err != nil {
		t.Fatal(err)
	}
	h := uint32(3)
	before := pop.Living(int(h))
	i, err := pop.Add(h, calendar.Of(2005, 2), true)
	if err != nil {
		t.Fatal(err)
	}
	if pop.Living(int(h)) != before+1 || pop.H.Tail[h] != 1 {
		t.Fatal("newborn not counted in the tail")
	}
	newborn := pop.P.ID[i]
	pop.P.Loc[0] = Dead
	slots := pop.P.N
	pop.Rebuild()
	if pop.TailStart != pop.P.N || pop.H.Tail[h] != 0 {
		t.Fatal("Rebuild did not empty the tail")
	}
	if pop.P.N != slots-1 {
		t.Fatalf("%d slots after Rebuild, want %d (the dead dropped)", pop.P.N, slots-1)
	}
	found := false
	for j := pop.H.Start[h]; j < pop.H.Start[h+1]; j++ {
		if pop.P.ID[j] == newborn {
			found = true
			if pop.P.Household[j] != h || pop.P.Birth[j] != int16(calendar.Of(2005, 2)) || pop.P.Flags[j] != Female {
				t.Fatal("newborn's state not moved with it")
			}
		}
		if pop.P.ID[j] == 0 {
			t.Fatal("the dead are still indexed")
		}
	}
	if !found {
		t.Fatal("newborn not indexed after Rebuild")
	}
	// Slots are laid out by household, identifiers ascending within one.
	for k := 0; k < pop.H.N; k++ {
		for j := pop.H.Start[k]; j < pop.H.Start[k+1]; j++ {
			if pop.P.Household[j] != uint32(k) || j > pop.H.Start[k] && pop.P.ID[j] <= pop.P.ID[j-1] {
				t.Fatalf("slot %d out of order after Rebuild", j)
			}
		}
	}
	// Capacity errors instead of silent overflow.
	small := NewEmpty(1, 1)
	if _, err := small.AddHousehold(0, 0, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := small.AddHousehold(0, 0, 1); err == nil {
		t.Fatal("household capacity exceeded silently")
	}
	small.Add(0, 0, false)
	if _, err := small.Add(0, 0, false); err == nil {
		t.Fatal("person capacity exceeded silently")
	}
}

func TestSplitLarge(t *testing.T) {
	pop, err := Generate(setup(3000))
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for h := 0; h < pop.H.N; h++ {
		total += pop.Living(h)
	}
	hh := pop.H.N
	created, err := pop.SplitLarge(8, 1, calendar.Of(2006, 1), 0.45)
	if err != nil || created == 0 {
		t.Fatalf("created %d, %v", created, err)
	}
	pop.Rebuild()
	after := 0
	for h := 0; h < pop.H.N; h++ {
		n := pop.Living(h)
		after += n
		if n >= 8+8 {
			t.Fatalf("household %d still has %d members", h, n)
		}
	}
	if after != total || pop.H.N != hh+created {
		t.Fatalf("persons %d→%d, households %d+%d→%d", total, after, hh, created, pop.H.N)
	}
}

func TestMortality(t *testing.T) {
	q := mort.MonthlyProbabilities()
	for a := 2; a < MaxAge; a++ {
		if q[a] < q[a-1] {
			t.Fatalf("death probability falls at age %d", a)
		}
	}
	if q[MaxAge] != 1 {
		t.Fatal("nobody dies at the maximum age")
	}
	if q[0] <= q[1] {
		t.Fatal("infant mortality not above age 1")
	}
	c := mort.StableAgeDistribution(0.02)
	sum := 0.0
	for _, v := range c {
		sum += v
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Fatalf("shares sum to %v", sum)
	}
	// A growing population is young: the sourced median age is 22.4 (≈2020).
	if med := MedianAge(c); med < 18 || med > 28 {
		t.Fatalf("median age %v", med)
	}
	if MedianAge(mort.StableAgeDistribution(0.03)) >= MedianAge(c) {
		t.Fatal("faster growth did not give a younger population")
	}
}

func TestSector(t *testing.T) {
	for s := 0; s < 6; s++ {
		f := WithSector(Female|Legal, s)
		if Sector(f) != s || f&Female == 0 || f&Legal == 0 {
			t.Fatalf("sector %d round trip: %08b", s, f)
		}
	}
}

// BenchmarkRebuild measures the yearly rebuild (counting sort by household
// and the reordering of every attribute) for 1.1 million persons and
// reports persons per second. The first iteration takes 100,000 newborns
// from the tail into their households; later ones find the layout in place.
// Run: go test -run '^$' -bench Rebuild ./population/
func BenchmarkRebuild(b *testing.B) {
	const n = 1000000
	s := setup(n)
	pop, err := Generate(s)
	if err != nil {
		b.Fatal(err)
	}
	for k := 0; k < n/10; k++ {
		if _, err := pop.Add(uint32(k*7919%pop.H.N), calendar.Of(2005, 6), k%2 == 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pop.Rebuild()
	}
	b.ReportMetric(float64(pop.P.N)*float64(b.N)/b.Elapsed().Seconds(), "persons/s")
}

// TestRebuildInParts: the rebuild's moves split into any number of parts
// give the same persons as the serial Rebuild.
func TestRebuildInParts(t *testing.T) {
	prepare := func() *Population {
		pop, err := Generate(setup(5000))
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < pop.P.N; i += 7 {
			pop.P.Loc[i] = Dead
		}
		for k := 0; k < 300; k++ {
			if _, err := pop.Add(uint32(k*31%pop.H.N), calendar.Of(2005, 3), k%2 == 0); err != nil {
				t.Fatal(err)
			}
		}
		pop.P.Savings[11], pop.P.BanUntil[12], pop.P.Spell[13] = 123.5, 300, 9
		return pop
	}
	want := prepare()
	want.Rebuild()
	for _, parts := range []int{1, 2, 3, 8} {
		got := prepare()
		got.RebuildOrder()
		for g := 0; g < RebuildGroups; g++ {
			for p := 0; p < parts; p++ {
				got.RebuildGather(g, p, parts)
			}
			for p := parts - 1; p >= 0; p-- {
				got.RebuildPlace(g, p, parts)
			}
		}
		got.RebuildFinish()
		if got.P.N != want.P.N || got.TailStart != want.TailStart {
			t.Fatalf("%d parts: %d slots, want %d", parts, got.P.N, want.P.N)
		}
		n := want.P.N
		if !reflect.DeepEqual(got.P.ID[:n], want.P.ID[:n]) || !reflect.DeepEqual(got.P.Household[:n], want.P.Household[:n]) ||
			!reflect.DeepEqual(got.P.Birth[:n], want.P.Birth[:n]) || !reflect.DeepEqual(got.P.BanUntil[:n], want.P.BanUntil[:n]) ||
			!reflect.DeepEqual(got.P.Loc[:n], want.P.Loc[:n]) || !reflect.DeepEqual(got.P.Flags[:n], want.P.Flags[:n]) ||
			!reflect.DeepEqual(got.P.Spell[:n], want.P.Spell[:n]) || !reflect.DeepEqual(got.P.Overstay[:n], want.P.Overstay[:n]) ||
			!reflect.DeepEqual(got.P.Savings[:n], want.P.Savings[:n]) || !reflect.DeepEqual(got.H.Start[:got.H.N+1], want.H.Start[:want.H.N+1]) {
			t.Fatalf("%d parts: persons differ from the serial rebuild", parts)
		}
	}
}
