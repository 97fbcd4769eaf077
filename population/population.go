// Package population holds the people of the model: every resident of
// Tajikistan as a person agent, grouped in households placed in regions.
//
// State is data-oriented: one slice per attribute (struct of arrays), so the
// monthly loop streams through a few bytes per person and allocates nothing.
// A person's identifier for life is ID (handed out in order of creation, as
// the index of the person's slot would be if no slot were ever reused); it
// keys the person's random draws. Slots are ordered physically by household
// (identifiers ascending within a household): the members of household h
// are the slots Start[h] to Start[h+1]-1, so the monthly loop reads person
// state sequentially. Newborns are appended; the dead keep their slot until
// the yearly Rebuild, which drops them and lays the persons out by household
// again. Persons born since the last rebuild are the "tail" and are counted
// per household in Tail until they join the index.
package population

import (
	"errors"
	"fmt"
	"math"

	"github.com/corridor-sim/corridor/calendar"
)

// Location of a person.
const (
	Home       uint8 = 0
	Russia     uint8 = 1
	Kazakhstan uint8 = 2
	Elsewhere  uint8 = 3
	Dead       uint8 = 255
)

// Flag bits of a person.
const (
	Female   uint8 = 1 << 0 // sex
	Returnee uint8 = 1 << 1 // returned migrant at home who has not found work since
	Legal    uint8 = 1 << 2 // abroad with a legal stay and work status
	Employed uint8 = 1 << 3 // abroad and working this month
	// Bits 4–6 hold the sector of work abroad (0–5), see Sector.
	sectorShift       = 4
	sectorMask  uint8 = 7 << sectorShift
)

// NoBan is the BanUntil value of a person without a re-entry ban.
const NoBan int16 = math.MinInt16

// Regions of Tajikistan, in the order of the sourced shares.
const (
	Khatlon = iota
	Sughd
	DRS // Districts of Republican Subordination
	Dushanbe
	GBAO
	NumRegions
)

// RegionNames are the regions' names for outputs.
var RegionNames = [NumRegions]string{"Khatlon", "Sughd", "DRS", "Dushanbe", "GBAO"}

// Persons is the person state, one entry per slot.
type Persons struct {
	N         int       // slots in use (living, and dead since the last Rebuild)
	NextID    uint32    // identifier of the next person added
	ID        []uint32  // identifier for life (keys the random draws)
	Birth     []int16   // birth month (calendar.Month)
	Household []uint32  // household index
	Loc       []uint8   // Home, Russia, Kazakhstan, Elsewhere or Dead
	Flags     []uint8   // Female, Returnee, Legal, Employed, sector
	Spell     []uint8   // months in the current spell abroad (saturating at 255)
	Overstay  []uint8   // months without legal status in the current spell (saturating)
	BanUntil  []int16   // first month in which the Russian re-entry ban no longer applies, or NoBan
	Savings   []float32 // USD saved during the current spell abroad
}

// Households is the household state.
type Households struct {
	N      int
	Region []uint8
	Urban  []uint8   // 1 if urban
	Factor []float32 // persistent income multiplier (mean 1)
	Abroad []uint16  // members abroad at the end of the last month
	Tail   []uint16  // living members born since the last Rebuild (not yet in Start)
	Start  []uint32  // members of h are the person slots Start[h]..Start[h+1]-1
	// order and scratch are Rebuild's work space (one entry per slot): the
	// slots in their new order, and one attribute at a time on its way there.
	order, scratch []uint32
}

// Population is the whole state.
type Population struct {
	P         Persons
	H         Households
	TailStart int // first person slot not yet in the household index
}

// ErrCapacity is returned when more persons or households are needed than were reserved.
var ErrCapacity = errors.New("population: reserved capacity exhausted")

// NewEmpty reserves room for personCap persons and householdCap households.
func NewEmpty(personCap, householdCap int) *Population {
	p := &Population{}
	p.P = Persons{
		ID:        make([]uint32, personCap),
		Birth:     make([]int16, personCap),
		Household: make([]uint32, personCap),
		Loc:       make([]uint8, personCap),
		Flags:     make([]uint8, personCap),
		Spell:     make([]uint8, personCap),
		Overstay:  make([]uint8, personCap),
		BanUntil:  make([]int16, personCap),
		Savings:   make([]float32, personCap),
	}
	p.H = Households{
		Region:  make([]uint8, householdCap),
		Urban:   make([]uint8, householdCap),
		Factor:  make([]float32, householdCap),
		Abroad:  make([]uint16, householdCap),
		Tail:    make([]uint16, householdCap),
		Start:   make([]uint32, householdCap+1),
		order:   make([]uint32, personCap),
		scratch: make([]uint32, personCap),
	}
	return p
}

// BytesPerPerson is the number of bytes of state held per person slot
// (persons' attributes, identifier and Rebuild's two work entries).
const BytesPerPerson = 4 + 2 + 4 + 1 + 1 + 1 + 1 + 2 + 4 + 4 + 4

// BytesPerHousehold is the number of bytes of state held per household.
const BytesPerHousehold = 1 + 1 + 4 + 2 + 2 + 4

// StateBytes returns the bytes of state reserved by p.
func (p *Population) StateBytes() int {
	return cap(p.P.Loc)*BytesPerPerson + cap(p.H.Region)*BytesPerHousehold
}

// Add appends a newborn to household h and returns its index.
func (p *Population) Add(h uint32, birth calendar.Month, female bool) (int, error) {
	i := p.P.N
	if i >= len(p.P.Loc) {
		return 0, fmt.Errorf("%w: %d person slots", ErrCapacity, len(p.P.Loc))
	}
	p.P.N++
	p.P.ID[i] = p.P.NextID
	p.P.NextID++
	p.P.Birth[i] = int16(birth)
	p.P.Household[i] = h
	p.P.Loc[i] = Home
	p.P.Flags[i] = 0
	if female {
		p.P.Flags[i] = Female
	}
	p.P.Spell[i] = 0
	p.P.Overstay[i] = 0
	p.P.BanUntil[i] = NoBan
	p.P.Savings[i] = 0
	p.H.Tail[h]++
	return i, nil
}

// AddHousehold appends a household and returns its index.
func (p *Population) AddHousehold(region, urban uint8, factor float32) (uint32, error) {
	h := p.H.N
	if h >= len(p.H.Region) {
		return 0, fmt.Errorf("%w: %d households", ErrCapacity, len(p.H.Region))
	}
	p.H.N++
	p.H.Region[h] = region
	p.H.Urban[h] = urban
	p.H.Factor[h] = factor
	p.H.Abroad[h] = 0
	p.H.Tail[h] = 0
	return uint32(h), nil
}

// Sector returns the sector index (0–5) stored in a person's flags.
func Sector(flags uint8) int { return int(flags&sectorMask) >> sectorShift }

// WithSector returns flags with the sector set to s.
func WithSector(flags uint8, s int) uint8 {
	return flags&^sectorMask | uint8(s)<<sectorShift&sectorMask
}

// Rebuild rebuilds the household index from the persons' Household field:
// it drops the dead and lays the living out by household, in slot order
// within a household (which is identifier order: the indexed members of a
// household come from one household's range, newborns after them), and
// empties the tail. It runs once a year and allocates nothing.
//
// Rebuild is RebuildOrder, then RebuildGather and RebuildPlace of every
// group (RebuildGroups), then RebuildFinish; a caller with several cores
// runs each gather and each place in parts at once (any split gives the
// same result), one group and phase after the other.
func (p *Population) Rebuild() {
	p.RebuildOrder()
	for g := 0; g < RebuildGroups; g++ {
		p.RebuildGather(g, 0, 1)
		p.RebuildPlace(g, 0, 1)
	}
	p.RebuildFinish()
}

// RebuildGroups is the number of attribute groups Rebuild moves one at a
// time through its scratch space.
const RebuildGroups = 5

// RebuildOrder is the serial first step of Rebuild: the new household
// index and the new order of the slots.
func (p *Population) RebuildOrder() {
	h := &p.H
	P := &p.P
	start := h.Start[:h.N+1]
	clear(start)
	for i := 0; i < P.N; i++ {
		if P.Loc[i] != Dead {
			start[P.Household[i]+1]++
		}
	}
	for k := 1; k <= h.N; k++ {
		start[k] += start[k-1]
	}
	// Fill by position: pos[k] = start[k] + members placed so far. Reuse
	// Tail as the running count, since it is reset here anyway.
	clear(h.Tail[:h.N])
	order := h.order
	for i := 0; i < P.N; i++ {
		if P.Loc[i] == Dead {
			continue
		}
		hh := P.Household[i]
		order[start[hh]+uint32(h.Tail[hh])] = uint32(i)
		h.Tail[hh]++
	}
	clear(h.Tail[:h.N])
}

// moved is the number of slots in the new order during a rebuild (after
// RebuildOrder): the end of the new household index.
func (p *Population) moved() int { return int(p.H.Start[p.H.N]) }

// part returns the range of new slots that part of parts handles.
func (p *Population) part(part, parts int) (lo, hi int) {
	n := p.moved()
	return part * n / parts, (part + 1) * n / parts
}

// RebuildGather copies group g of the attributes of the persons in the
// part's range of new slots into the scratch space, in their new order.
// The one-byte attributes travel four to a word, the two-byte ones two.
func (p *Population) RebuildGather(g, part, parts int) {
	P := &p.P
	lo, hi := p.part(part, parts)
	order, sc := p.H.order[lo:hi], p.H.scratch[lo:hi]
	switch g {
	case 0:
		for j, i := range order {
			sc[j] = P.ID[i]
		}
	case 1:
		for j, i := range order {
			sc[j] = P.Household[i]
		}
	case 2:
		for j, i := range order {
			sc[j] = math.Float32bits(P.Savings[i])
		}
	case 3:
		for j, i := range order {
			sc[j] = uint32(uint16(P.Birth[i])) | uint32(uint16(P.BanUntil[i]))<<16
		}
	case 4:
		for j, i := range order {
			sc[j] = uint32(P.Loc[i]) | uint32(P.Flags[i])<<8 | uint32(P.Spell[i])<<16 | uint32(P.Overstay[i])<<24
		}
	}
}

// RebuildPlace moves group g from the scratch space to the part's range of
// new slots. Every part of RebuildGather(g) must be done first.
func (p *Population) RebuildPlace(g, part, parts int) {
	P := &p.P
	lo, hi := p.part(part, parts)
	sc := p.H.scratch[lo:hi]
	switch g {
	case 0:
		copy(P.ID[lo:hi], sc)
	case 1:
		copy(P.Household[lo:hi], sc)
	case 2:
		sav := P.Savings[lo:hi]
		for j, v := range sc {
			sav[j] = math.Float32frombits(v)
		}
	case 3:
		birth, ban := P.Birth[lo:hi], P.BanUntil[lo:hi]
		for j, v := range sc {
			birth[j] = int16(uint16(v))
			ban[j] = int16(uint16(v >> 16))
		}
	case 4:
		loc, flags, spell, over := P.Loc[lo:hi], P.Flags[lo:hi], P.Spell[lo:hi], P.Overstay[lo:hi]
		for j, v := range sc {
			loc[j] = uint8(v)
			flags[j] = uint8(v >> 8)
			spell[j] = uint8(v >> 16)
			over[j] = uint8(v >> 24)
		}
	}
}

// RebuildFinish is the last step of Rebuild: the moved slots are the
// persons now, and the tail is empty.
func (p *Population) RebuildFinish() {
	n := p.moved()
	p.P.N = n
	p.TailStart = n
}

// Living returns the number of living members of household k (indexed and tail).
func (p *Population) Living(k int) int {
	n := int(p.H.Tail[k])
	for _, l := range p.P.Loc[p.H.Start[k]:p.H.Start[k+1]] {
		if l != Dead {
			n++
		}
	}
	return n
}
