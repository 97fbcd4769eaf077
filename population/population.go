// Package population holds the people of the model: every resident of
// Tajikistan as a person agent, grouped in households placed in regions.
//
// State is data-oriented: one slice per attribute (struct of arrays), so the
// monthly loop streams through a few bytes per person and allocates nothing.
// A person's index is its identifier for life; persons are never moved or
// removed (the dead keep their slot), and newborns are appended. Households
// list their members through a compressed index (Start/Members) that is
// rebuilt once a year; persons born since the last rebuild are the "tail"
// and are counted per household in Tail until they join the index.
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
	N         int       // slots in use (living and dead)
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
	Tail   []uint16  // living members born since the last Rebuild (not in Members)
	Start  []uint32  // members of h are Members[Start[h]:Start[h+1]]
	// Members lists person indices by household; it has capacity for every slot.
	Members []uint32
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
		Members: make([]uint32, personCap),
	}
	return p
}

// BytesPerPerson is the number of bytes of state held per person slot
// (persons' attributes plus their entry in the household index).
const BytesPerPerson = 2 + 4 + 1 + 1 + 1 + 1 + 2 + 4 + 4

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

// Rebuild rebuilds the household index from the persons' Household field,
// leaving out the dead, and empties the tail. It runs once a year.
func (p *Population) Rebuild() {
	h := &p.H
	start := h.Start[:h.N+1]
	clear(start)
	for i := 0; i < p.P.N; i++ {
		if p.P.Loc[i] != Dead {
			start[p.P.Household[i]+1]++
		}
	}
	for k := 1; k <= h.N; k++ {
		start[k] += start[k-1]
	}
	// Fill by position: pos[k] = start[k] + members placed so far. Reuse
	// Tail as the running count, since it is reset here anyway.
	clear(h.Tail[:h.N])
	for i := 0; i < p.P.N; i++ {
		if p.P.Loc[i] == Dead {
			continue
		}
		hh := p.P.Household[i]
		h.Members[start[hh]+uint32(h.Tail[hh])] = uint32(i)
		h.Tail[hh]++
	}
	clear(h.Tail[:h.N])
	p.TailStart = p.P.N
}

// Living returns the number of living members of household k (indexed and tail).
func (p *Population) Living(k int) int {
	n := int(p.H.Tail[k])
	for _, i := range p.H.Members[p.H.Start[k]:p.H.Start[k+1]] {
		if p.P.Loc[i] != Dead {
			n++
		}
	}
	return n
}
