package rng

import (
	"math"
	"testing"
)

func TestDeterministic(t *testing.T) {
	a := NewKey(42, Life, 160)
	b := NewKey(42, Life, 160)
	for id := uint64(0); id < 1000; id++ {
		if a.Uint64(id) != b.Uint64(id) {
			t.Fatalf("same key, id %d: draws differ", id)
		}
	}
}

func TestKeysDiffer(t *testing.T) {
	base := NewKey(1, Life, 100)
	others := []Key{NewKey(2, Life, 100), NewKey(1, Birth, 100), NewKey(1, Life, 101), base.Sub(0)}
	for i, k := range others {
		same := 0
		for id := uint64(0); id < 1000; id++ {
			if k.Uint64(id) == base.Uint64(id) {
				same++
			}
		}
		if same > 0 {
			t.Errorf("key %d shares %d of 1000 draws with the base key", i, same)
		}
	}
}

// TestUniform checks the mean, variance and the frequency of a threshold
// event over many identifiers, with tolerances of about five standard errors.
func TestUniform(t *testing.T) {
	const n = 200000
	k := NewKey(7, Return, 12)
	var sum, sumsq float64
	thr := Threshold32(0.1)
	hits := 0
	for id := uint64(0); id < n; id++ {
		u := k.Float64(id)
		if u < 0 || u >= 1 {
			t.Fatalf("draw %v outside [0,1)", u)
		}
		sum += u
		sumsq += u * u
		if uint32(k.Uint64(id)) < thr {
			hits++
		}
	}
	mean := sum / n
	variance := sumsq/n - mean*mean
	if math.Abs(mean-0.5) > 5*math.Sqrt(1.0/12/n) {
		t.Errorf("mean %v, want 0.5", mean)
	}
	if math.Abs(variance-1.0/12) > 0.002 {
		t.Errorf("variance %v, want 1/12", variance)
	}
	p := float64(hits) / n
	if math.Abs(p-0.1) > 5*math.Sqrt(0.1*0.9/n) {
		t.Errorf("threshold 0.1 hit with frequency %v", p)
	}
}

func TestNormal(t *testing.T) {
	const n = 100000
	k := NewKey(3, Static, 0)
	var sum, sumsq float64
	for id := uint64(0); id < n; id++ {
		z := k.Normal(id)
		sum += z
		sumsq += z * z
	}
	if m := sum / n; math.Abs(m) > 0.02 {
		t.Errorf("normal mean %v", m)
	}
	if v := sumsq / n; math.Abs(v-1) > 0.03 {
		t.Errorf("normal variance %v", v)
	}
}

func TestThresholdEdges(t *testing.T) {
	if Threshold32(0) != 0 || Threshold32(-1) != 0 || Threshold32(math.NaN()) != 0 {
		t.Error("non-positive probability must give a zero threshold")
	}
	if Threshold32(1) != math.MaxUint32 || Threshold64(2) != math.MaxUint64 {
		t.Error("probability ≥ 1 must give the maximum threshold")
	}
}

func BenchmarkUint64(b *testing.B) {
	k := NewKey(1, Life, 1)
	var x uint64
	for i := 0; i < b.N; i++ {
		x ^= k.Uint64(uint64(i))
	}
	_ = x
}
