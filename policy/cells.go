package policy

import "fmt"

// Cells: levers that target a group of persons store their values per cell,
// so that the monthly decision tables (package behaviour) turn them into
// threshold tables once a month and the per-person work stays a lookup.
//
// A home cell is region × sex × age group, for decisions taken at home
// (departures, the border, arrival). A work cell is sector × sex × age
// group, for migrants abroad (checks, deportations). Age group 0 is
// "outside working age"; groups 1–6 are the age groups of Target.AgeGroup.
const (
	NumRegions   = 5 // khatlon, sughd, drs, dushanbe, gbao (population.Region order)
	NumSectors   = 6 // construction, services, transport, manufacturing, trade, other
	NumSexes     = 2 // male, female
	NumAgeGroups = 7 // 0 outside working age, then 16-17, 18-24, 25-29, 30-39, 40-49, 50-63
	NumHomeCells = NumRegions * NumSexes * NumAgeGroups
	NumWorkCells = NumSectors * NumSexes * NumAgeGroups
)

// Target vocabularies, in index order.
var (
	Destinations = []string{"russia", "kazakhstan", "elsewhere"}
	Regions      = []string{"khatlon", "sughd", "drs", "dushanbe", "gbao"}
	Sectors      = []string{"construction", "services", "transport", "manufacturing", "trade", "other"}
	Sexes        = []string{"male", "female"}
	AgeGroups    = []string{"16-17", "18-24", "25-29", "30-39", "40-49", "50-63"} // groups 1–6
)

// HomeCell is the index of region r, sex female (0 or 1) and age group g.
func HomeCell(r, female, g int) int { return (r*NumSexes+female)*NumAgeGroups + g }

// WorkCell is the index of sector s, sex female (0 or 1) and age group g.
func WorkCell(s, female, g int) int { return (s*NumSexes+female)*NumAgeGroups + g }

// index returns the position of v in names, -1 for "" (any) and an error
// for an unknown value.
func index(kind, v string, names []string) (int, error) {
	if v == "" {
		return -1, nil
	}
	for i, n := range names {
		if n == v {
			return i, nil
		}
	}
	return 0, fmt.Errorf("unknown %s %q (want one of %v)", kind, v, names)
}

// resolved is a Target as indices; -1 means any.
type resolved struct{ dest, region, sector, sex, age int }

func (t Target) resolve() (resolved, error) {
	var r resolved
	var err error
	if r.dest, err = index("destination", t.Destination, Destinations); err != nil {
		return r, err
	}
	if r.region, err = index("region", t.Region, Regions); err != nil {
		return r, err
	}
	if r.sector, err = index("sector", t.Sector, Sectors); err != nil {
		return r, err
	}
	if r.sex, err = index("sex", t.Sex, Sexes); err != nil {
		return r, err
	}
	if r.age, err = index("age_group", t.AgeGroup, AgeGroups); err != nil {
		return r, err
	}
	if r.age >= 0 {
		r.age++ // groups are 1–6
	}
	return r, nil
}

func match(want, got int) bool { return want < 0 || want == got }

// Validate reports whether every target value is known.
func (t Target) Validate() error { _, err := t.resolve(); return err }

// eachHome calls f for every home cell the target selects. Age group 0
// (outside working age) is selected only when no age group is given.
func (t Target) eachHome(f func(c int)) {
	r, _ := t.resolve()
	for reg := 0; reg < NumRegions; reg++ {
		for sex := 0; sex < NumSexes; sex++ {
			for g := 0; g < NumAgeGroups; g++ {
				if match(r.region, reg) && match(r.sex, sex) && match(r.age, g) {
					f(HomeCell(reg, sex, g))
				}
			}
		}
	}
}

// eachWork calls f for every work cell the target selects.
func (t Target) eachWork(f func(c int)) {
	r, _ := t.resolve()
	for s := 0; s < NumSectors; s++ {
		for sex := 0; sex < NumSexes; sex++ {
			for g := 0; g < NumAgeGroups; g++ {
				if match(r.sector, s) && match(r.sex, sex) && match(r.age, g) {
					f(WorkCell(s, sex, g))
				}
			}
		}
	}
}

// eachRegion calls f for every region the target selects.
func (t Target) eachRegion(f func(r int)) {
	r, _ := t.resolve()
	for reg := 0; reg < NumRegions; reg++ {
		if match(r.region, reg) {
			f(reg)
		}
	}
}

// eachSector calls f for every sector the target selects.
func (t Target) eachSector(f func(s int)) {
	r, _ := t.resolve()
	for s := 0; s < NumSectors; s++ {
		if match(r.sector, s) {
			f(s)
		}
	}
}

// OrShare combines two independent shares: 1 − (1 − a)(1 − b).
// A zero share leaves the other unchanged exactly (1 − (1 − b) need not equal b
// in floating point), so that neutral events keep results byte-identical.
func OrShare(a, b float64) float64 {
	switch {
	case a == 0:
		return b
	case b == 0:
		return a
	}
	return 1 - (1-a)*(1-b)
}
