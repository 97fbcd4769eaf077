package sim

import (
	"github.com/corridor-sim/corridor/behaviour"
	"github.com/corridor-sim/corridor/policy"
	"github.com/corridor-sim/corridor/population"
)

// runChunk applies one month to every person of a chunk's households and
// accumulates the chunk's totals. It allocates nothing.
func (s *Sim) runChunk(ch *chunk) {
	ch.acc = accum{}
	ch.nBirths = 0
	ch.overflow = false
	a := &ch.acc
	t := &s.tab
	m := t.M
	k := &s.keys
	kLife, kBirth, kHome, kAmnesty := k.life, k.birth, k.home, k.amnesty

	pop := s.pop
	P := &pop.P
	H := &pop.H
	// Local slice headers stay in registers across the stores below.
	// Slices of one length: one comparison bounds every access below and
	// frees registers (one length instead of five).
	n := P.N
	locs, births, flagsOf, bans, ids := P.Loc[:n], P.Birth[:n], P.Flags[:n], P.BanUntil[:n], P.ID[:n]
	starts := H.Start
	ages, depart := &s.ages, &t.Depart
	mm := int32(m)
	amnestyOn := t.Amnesty > 0

	// Frequent counts live in registers (integers) and are added to the
	// accumulator once per household or chunk; floating-point
	// read-modify-writes through a pointer would chain through memory.
	var deaths, fertile, bansActive, jobless, workingAll int
	var residents, home, households, withMigrant, homeWorkers, poor int
	var earnSum, remitSum float64
	var regWorking, regAbroad, regHome, regPoor, regHomeWorkers [population.NumRegions]int
	var regRemit [population.NumRegions]float64
	line := t.PovertyLineUSD
	for h := ch.hFrom; h < ch.hTo; h++ {
		region := int(H.Region[h])
		if region >= population.NumRegions {
			continue // never: lets the compiler drop bounds checks below
		}
		area := int(H.Urban[h] & 1)
		urban := area == 1
		network := H.Abroad[h] > 0
		wage := t.HomeWage[region][area]
		other := t.HomeOther[region][area]
		returneeFind := t.RegionJobFind[region]
		var living, atHome, abroad, working, workingAge int
		var remit float64
		tail := int(H.Tail[h])
		cellBase := behaviour.HouseholdCell(urban, network, region)

		// The household's members occupy consecutive slots.
		for slot, end := starts[h], starts[h+1]; slot < end; slot++ {
			i := int(slot)
			if i >= n {
				continue // never: lets the compiler drop bounds checks below
			}
			loc := locs[i]
			if loc == population.Dead {
				continue
			}
			id := uint64(ids[i])
			age := int(uint32(mm-int32(births[i])) / 12)
			if age > population.MaxAge {
				age = population.MaxAge
			}
			row := &ages[age]
			life := kLife.Uint64(id)
			if uint32(life) < row.death {
				// A death abroad leaves the stock; it is not a return.
				locs[i] = population.Dead
				deaths++
				continue
			}
			living++
			flags := flagsOf[i]
			ban := bans[i]
			if ban != population.NoBan {
				if int32(ban) <= mm {
					bans[i] = population.NoBan
					ban = population.NoBan
				} else if amnestyOn && uint32(kAmnesty.Uint64(id)) < t.Amnesty {
					bans[i] = population.NoBan
					ban = population.NoBan
					a.bansLifted++
				} else {
					bansActive++
				}
			}

			if loc == population.Home {
				// Branch-light: sex and age are random across persons, so
				// they enter as 0/1 arithmetic and table lookups; only rare
				// events (a birth, a departure, a returnee) take a branch.
				female := int(flags & population.Female) // 0 or 1
				fert := int(row.fert) & female
				fertile += fert
				// One draw for everyone at home, so that the rare event is
				// the only branch (a branch on sex and age mispredicts often).
				if fert&lessU32(uint32(kBirth.Uint64(id)), t.Birth) != 0 {
					if ch.nBirths < len(ch.births) {
						ch.births[ch.nBirths] = uint32(i)
						ch.nBirths++
					} else {
						ch.overflow = true
					}
				}
				band := int(row.band)
				work := int(row.work) // 1 if of working age
				workingAge += work
				// The departure threshold is 0 outside working age.
				if uint32(life>>32) < depart[cellBase+int(row.cell[female&1])] {
					if s.depart(i, id, ban, region, band, policy.HomeCell(region, female, band), a) {
						abroad++ // counted in the stocks by depart
						continue
					}
					flags = flagsOf[i]
				}
				atHome++
				if flags&population.Returnee != 0 {
					switch {
					case work == 0: // aged out: no longer a jobless returnee
						flagsOf[i] = flags &^ population.Returnee
					case uint32(kHome.Uint64(id)) < returneeFind:
						flagsOf[i] = flags &^ population.Returnee
					default:
						jobless++
						work = 0
					}
				}
				working += work
				continue
			}

			// Abroad.
			workingAge++
			band := int(row.band)
			if s.abroadMonth(i, id, age, band, a, &remit) {
				// Returned home this month.
				atHome++
				if band != 0 {
					jobless++
				} else {
					workingAge--
				}
				continue
			}
			abroad++ // counted in the stocks by abroadMonth
		}

		H.Abroad[h] = uint16(abroad)
		regWorking[region] += workingAge
		regAbroad[region] += abroad
		living += tail
		atHome += tail
		if living == 0 {
			continue
		}
		residents += living - tail
		home += atHome - tail
		households++
		if abroad > 0 {
			withMigrant++
		}
		employed := float64(working) * t.RegionEmployment[region]
		homeEarn := employed * wage
		homeWorkers += working
		regHomeWorkers[region] += working
		earnSum += homeEarn
		remitSum += remit
		regRemit[region] += remit
		regHome[region] += atHome
		// Poor if income per person at home is below the line:
		// (earnings + remittances + other income) × factor < line × persons.
		// Poverty varies at random from household to household: a
		// conditional move instead of a branch (with no one at home, the
		// count added is 0 either way).
		poorHere := 0
		if (homeEarn+remit+other*float64(atHome))*float64(H.Factor[h]) < line*float64(atHome) {
			poorHere = atHome
		}
		poor += poorHere
		regPoor[region] += poorHere
	}
	for r := range regWorking {
		a.regionWorking[r] += float64(regWorking[r])
		a.regionAbroad[r] += float64(regAbroad[r])
		a.regionHome[r] += float64(regHome[r])
		a.regionPoor[r] += float64(regPoor[r])
		a.regionRemit[r] += regRemit[r]
		workingAll += regWorking[r]
	}
	a.population += float64(residents)
	a.atHome += float64(home)
	a.households += float64(households)
	a.hhWithMigrant += float64(withMigrant)
	if t.UniformEmployment {
		a.homeEmployed += float64(homeWorkers) * t.HomeEmployment
	} else {
		for r, w := range regHomeWorkers {
			a.homeEmployed += float64(w) * t.RegionEmployment[r]
		}
	}
	a.homeEarnUSD += earnSum
	a.remitHouseholds += remitSum
	a.poor += float64(poor)
	a.deaths += float64(deaths)
	a.fertile += float64(fertile)
	a.bansActive += float64(bansActive)
	a.returneesJobless += float64(jobless)
	a.workingAge += float64(workingAll)
}

// countAbroad adds person i (in age band band), abroad at the end of the
// month, to the stocks.
func (s *Sim) countAbroad(i, band int, a *accum) {
	P := &s.pop.P
	a.abroad++
	f := P.Flags[i]
	switch P.Loc[i] {
	case population.Russia:
		a.russia++
		a.russiaCell[policy.WorkCell(population.Sector(f), int(f&population.Female), band)]++
		if f&population.Legal == 0 {
			a.russiaIrregular++
		}
	case population.Kazakhstan:
		a.kazakhstan++
	default:
		a.elsewhere++
	}
	if f&population.Female != 0 {
		a.women++
	}
	if f&population.Legal != 0 {
		a.legal++
	} else {
		a.irregular++
	}
	if f&population.Employed != 0 {
		a.employed++
		if P.Loc[i] == population.Russia {
			a.sector[population.Sector(f)]++
		}
	}
}

// depart handles the person in slot i (identifier id) who decided to leave:
// destination choice, the border, and arrival. region, band and hc are the
// person's region, age band and policy home cell. It reports whether the
// person is abroad now, and if so counts the person in the stocks
// (countAbroad).
func (s *Sim) depart(i int, id uint64, ban int16, region, band, hc int, a *accum) bool {
	t := &s.tab
	k := &s.keys
	u := k.dest.Float64(id)
	loc := population.Russia
	switch {
	case u < t.ToKazakhstan[hc]:
		loc = population.Kazakhstan
	case u < t.ToKazakhstan[hc]+t.ToElsewhere[hc]:
		loc = population.Elsewhere
	}
	if loc == population.Russia {
		if !t.EntryOpen {
			return false
		}
		if ban != population.NoBan {
			if k.destKnow.Float64(id) < t.BannedKnow {
				if k.destRedirect.Float64(id) >= t.Redirect {
					return false
				}
				loc = population.Kazakhstan
			} else {
				a.refused++
				return false
			}
		} else {
			a.demandRussia++
			// Refusals at the border and visa quotas.
			if t.AnyRefusal && k.destRefuse.Float64(id) < t.Refuse[hc] {
				a.refused++
				return false
			}
		}
	}
	s.arrive(i, id, loc, region, t, &k.arrive, a)
	a.departures++
	if loc == population.Russia {
		a.depRussia++
	}
	if s.pop.P.Flags[i]&population.Female != 0 {
		a.depWomen++
	}
	s.countAbroad(i, band, a)
	return true
}

// abroadMonth applies one month abroad to the person in slot i (identifier
// id, aged age, in age band band): work, legal status, enforcement,
// earnings and remittances, savings, and the return decision. It adds the
// remittances received by the household to *remit and reports whether the
// person returned home this month; one who stays abroad is counted in the
// stocks (countAbroad).
func (s *Sim) abroadMonth(i int, id uint64, age, band int, a *accum, remit *float64) bool {
	t := &s.tab
	k := &s.keys
	P := &s.pop.P
	flags := P.Flags[i]
	loc := P.Loc[i]
	if P.Spell[i] < 255 {
		P.Spell[i]++
	}
	if age > t.WorkingAgeMax {
		s.goHome(i, flags&^(population.Legal|population.Employed))
		a.returns++
		return true
	}
	d := k.abroad.Uint64(id)
	sec := population.Sector(flags)
	// Work.
	if flags&population.Employed != 0 {
		if uint32(d) < t.JobLoss[sec] {
			flags &^= population.Employed
		}
	} else if uint32(d) < t.JobFind[sec] {
		flags |= population.Employed
		// Under a sector ban, a job found may be in another sector.
		if t.AnySectorBan && uint32(k.sector.Uint64(id)) < t.SectorRedraw[sec] {
			sec = drawSector(k.sector.Sub(1).Float64(id), t)
			flags = population.WithSector(flags, sec)
		}
	}
	// Legal status and enforcement (Russia only).
	if loc == population.Russia {
		if flags&population.Legal != 0 {
			lapse := t.Lapse
			if flags&population.Employed == 0 {
				lapse = t.LapseIdle
			}
			if uint32(d>>32) < lapse {
				flags &^= population.Legal
			}
		} else if uint32(d>>32) < t.Regularise {
			flags |= population.Legal
		}
		irregular := flags&population.Legal == 0
		if irregular && P.Overstay[i] < 255 {
			P.Overstay[i]++
		}
		// Checks catch irregular migrants; a mass deportation takes its
		// share of everyone in the targeted cells (irregular first).
		if irregular || t.MassDeport {
			wc := policy.WorkCell(sec, int(flags&population.Female), band)
			cd := k.check.Uint64(id)
			caught := irregular && uint32(cd) < t.Check[wc]
			if !caught && t.MassDeport {
				th := t.DeportLegal[wc]
				if irregular {
					th = t.DeportIrregular[wc]
				}
				caught = uint32(cd>>32) < th
			}
			if caught {
				// Detained, deported, banned.
				s.goHome(i, flags&^(population.Legal|population.Employed))
				P.BanUntil[i] = int16(int(t.M) + int(t.DeportBan))
				a.deportations++
				a.bansIssued++
				a.bansActive++
				a.returns++
				return true
			}
		}
	}
	P.Flags[i] = flags
	// Persistent traits: productivity (low byte) and savings target (next byte).
	traits := k.static.Uint64(id)
	// Earnings and remittances.
	if flags&population.Employed != 0 {
		prod := float64(s.prod[traits&255])
		earnRUB := t.MigrantWageRUB * prod * t.DestWage[loc&3]
		fee := 0.0
		if loc == population.Russia && flags&population.Legal != 0 {
			fee = t.PatentFeeRUB
			a.patentRUB += fee
		}
		earnUSD := earnRUB / t.RubPerUSD
		net := earnUSD // (earnRUB - 0) / RubPerUSD, bit for bit
		if fee != 0 {
			net = (earnRUB - fee) / t.RubPerUSD
		}
		if net < 0 {
			net = 0
		}
		sent := t.RemitShare * net
		cost := t.TransferCost
		if flags&population.Legal == 0 {
			cost = t.IrregularCost
		}
		a.earningsUSD += earnUSD
		a.remitUSD += sent * (1 - cost)
		a.costUSD += sent * cost
		*remit += sent * (1 - cost)
		P.Savings[i] += float32(t.SaveShare * net)
	}
	// Return.
	pJob, pTarget, pWinter := 0.0, 0.0, 0.0
	if flags&population.Employed == 0 {
		pJob = t.ReturnJobless
	}
	target := t.TargetUSD * float64(s.tgt[(traits>>8)&255])
	if float64(P.Savings[i]) >= target {
		pTarget = t.ReturnTarget
	}
	if t.ReturnWinter > 0 && P.Spell[i] >= 6 {
		pWinter = t.ReturnWinter
	}
	u := k.ret.Float64(id)
	c1 := pJob
	c2 := c1 + pTarget
	c3 := c2 + pWinter
	c4 := c3 + t.ReturnBase
	if u >= c4 {
		s.countAbroad(i, band, a)
		return false
	}
	switch {
	case u < c1:
		a.retJobLoss++
	case u < c2:
		a.retTarget++
	case u < c3:
		a.retSeasonal++
	}
	a.returns++
	// Exit ban for overstayers leaving Russia.
	if loc == population.Russia && P.Overstay[i] >= t.OverstayBan && k.exitBan.Float64(id) < t.ExitBanProb {
		P.BanUntil[i] = int16(int(t.M) + t.BanMonths(P.Overstay[i]))
		a.bansIssued++
		a.bansActive++
	}
	s.goHome(i, flags&^(population.Legal|population.Employed))
	return true
}

// drawSector returns the sector of uniform draw u under the month's sector
// shares of arrivals.
func drawSector(u float64, t *behaviour.Month) int {
	for k, c := range t.SectorCumulative {
		if u < c {
			return k
		}
	}
	return len(t.SectorCumulative) - 1
}

// goHome returns person i home as a jobless returnee.
func (s *Sim) goHome(i int, flags uint8) {
	P := &s.pop.P
	P.Loc[i] = population.Home
	P.Flags[i] = flags | population.Returnee
	P.Spell[i] = 0
	P.Overstay[i] = 0
	P.Savings[i] = 0
}

// ageRow is the month's tables for one age in years, side by side so that
// a person's age costs one lookup: the death threshold, the offset of the
// departure cell for a man and a woman (behaviour.CellOffset), the age
// band, 1 at working age, and 1 at fertile ages.
type ageRow struct {
	death            uint32
	cell             [2]uint16
	band, work, fert uint8
}

// setAges fills the age rows from the month's tables.
func (s *Sim) setAges() {
	t := &s.tab
	for a := range s.ages {
		band := int(t.Band[a])
		s.ages[a] = ageRow{
			death: t.Death[a],
			cell:  [2]uint16{uint16(behaviour.CellOffset(band, 0)), uint16(behaviour.CellOffset(band, 1))},
			band:  t.Band[a], work: t.Working[a], fert: t.Fertile[a],
		}
	}
}

// lessU32 returns 1 if a < b and 0 otherwise, without a branch.
func lessU32(a, b uint32) int { return int((uint64(a) - uint64(b)) >> 63) }
