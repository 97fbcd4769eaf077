// Package rng provides keyed, counter-based random numbers.
//
// A draw is a pure function of (seed, stream, month, person): there is no
// generator state to share or advance. That is what makes corridor's output
// independent of thread scheduling (any worker may process any person) and
// gives common random numbers across scenarios: a person's draw for a given
// month and decision is the same in every scenario run with the same seed,
// so differences between scenarios come from the levers, not from noise.
//
// The construction is a keyed hash: the seed, stream and month are mixed
// once per month into a Key, and each person's draw is one further round of
// the SplitMix64 finalizer (Steele, Lea & Flood 2014) over the key and the
// person's identifier. The finalizer is a bijection with full avalanche, so
// distinct persons give distinct, uncorrelated draws.
package rng

// Stream names one kind of decision. Each decision draws from its own
// stream, so adding a decision never shifts the draws of another.
type Stream uint64

// The decision streams used by the model. New streams must be appended,
// never inserted, so that existing draws stay the same.
const (
	Life        Stream = iota + 1 // death (low 32 bits) and departure (high 32 bits)
	Birth                         // births to women at home
	Destination                   // destination, legal status and sector at departure
	Abroad                        // monthly events abroad: work, status, checks
	Return                        // return decisions
	Home                          // events at home: finding work after return
	Amnesty                       // ban amnesties
	Static                        // persistent traits drawn once (productivity, savings target)
	Household                     // household traits and household formation
	Setup                         // the initial population
)

// Key is a pre-mixed (seed, stream, month) triple.
type Key uint64

// NewKey mixes a seed, a stream and a month into a Key.
func NewKey(seed uint64, s Stream, month int64) Key {
	h := mix(seed ^ 0x243F6A8885A308D3)
	h = mix(h ^ uint64(s)*0x9E3779B97F4A7C15)
	h = mix(h ^ uint64(month)*0xD1B54A32D192ED03)
	return Key(h)
}

// Uint64 returns the key's draw for identifier id.
func (k Key) Uint64(id uint64) uint64 {
	return mix(uint64(k) ^ id*0x9E3779B97F4A7C15)
}

// Float64 returns the key's draw for id as a uniform number in [0, 1).
func (k Key) Float64(id uint64) float64 {
	return float64(k.Uint64(id)>>11) * 0x1p-53
}

// Sub returns a derived key for a second draw of the same decision.
func (k Key) Sub(n uint64) Key { return Key(mix(uint64(k) ^ (n+1)*0xBF58476D1CE4E5B9)) }

// Threshold32 converts a probability to a threshold for the 32-bit halves
// of a draw: a half is below the threshold with probability p.
func Threshold32(p float64) uint32 {
	switch {
	case !(p > 0): // also catches NaN
		return 0
	case p >= 1:
		return 1<<32 - 1
	}
	return uint32(p * (1 << 32))
}

// Threshold64 converts a probability to a threshold for a full 64-bit draw.
func Threshold64(p float64) uint64 {
	switch {
	case !(p > 0):
		return 0
	case p >= 1:
		return 1<<64 - 1
	}
	return uint64(p * (1 << 64))
}

// Normal returns a standard normal deviate from two uniforms of the key's
// draws for id (Box–Muller). It is used only outside hot loops.
func (k Key) Normal(id uint64) float64 {
	u1 := k.Float64(id)
	u2 := k.Sub(1).Float64(id)
	if u1 < 1e-300 {
		u1 = 1e-300
	}
	return sqrtNeg2Log(u1) * cos2Pi(u2)
}

func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}
