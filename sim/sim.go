// Package sim is the monthly simulation loop: it owns the population, asks
// the behaviour tables for each month's decisions, applies them to every
// person in parallel, and reduces what happened into a Record per month.
//
// Work is split into fixed chunks of whole households, independent of the
// number of threads; each chunk accumulates into its own slot and slots are
// reduced in chunk order, so results are byte-identical for any GOMAXPROCS.
// Random draws are keyed by (seed, decision, month, person) (package rng),
// so any worker may process any chunk, and two scenarios with one seed share
// every draw their levers do not change.
package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/corridor-sim/corridor/behaviour"
	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/drivers"
	"github.com/corridor-sim/corridor/economy"
	"github.com/corridor-sim/corridor/params"
	"github.com/corridor-sim/corridor/policy"
	"github.com/corridor-sim/corridor/population"
	"github.com/corridor-sim/corridor/rng"
)

// Config describes one run.
type Config struct {
	Seed    uint64
	Scale   int // persons per agent (1 = full scale)
	Span    calendar.Range
	Params  params.Params
	Drivers *drivers.Paths
	Policy  *policy.Timeline
	// Workers is the number of goroutines (0: GOMAXPROCS). It never changes results.
	Workers int
	// Progress, if set, is called after each month with months done and total.
	Progress func(done, total int)
}

// RegionShares are the regions' shares of the population at the 2010
// census: Khatlon 2,676k, Sughd 2,237k, DRS 1,722k, Dushanbe 724k,
// GBAO 206k (data/parameters_extracted.csv).
var RegionShares = func() [population.NumRegions]float64 {
	c := [population.NumRegions]float64{2676, 2237, 1722, 724, 206}
	t := 0.0
	for _, v := range c {
		t += v
	}
	for i := range c {
		c[i] /= t
	}
	return c
}()

// ChunkPersons is the target number of persons per work chunk.
const ChunkPersons = 16384

// Sim is a running simulation.
type Sim struct {
	cfg   Config
	p     *params.Params
	pop   *population.Population
	econ  *economy.Economy
	mort  [population.MaxAge + 1]float64
	prod  behaviour.QuantileTable // productivity multipliers
	tgt   behaviour.QuantileTable // savings-target multipliers
	scale float64

	chunks []chunk
	arena  []uint32 // backing store of the chunks' birth buffers, allocated once
	tab    behaviour.Month
	ages   [population.MaxAge + 1]ageRow // the month's age tables, fused
	keys   monthKeys
	month  calendar.Month

	// last is the previous month's reduced totals (kept for checks).
	last accum

	timings Timings

	// State carried between months.
	prev        behaviour.Prev
	lastDeaths  float64 // agents
	lastPop     float64 // agents
	lastFertile float64 // women aged 15–49 at home, agents
	started     bool

	// Workers, and the task they run together.
	task     int
	group    int
	workers  int
	next     atomic.Int64
	panicked atomic.Pointer[error]
	start    []chan struct{}
	wg       sync.WaitGroup
	stop     chan struct{}
}

type chunk struct {
	hFrom, hTo int // household range [hFrom, hTo)
	births     []uint32
	nBirths    int
	overflow   bool
	acc        accum
}

// accum holds one chunk's monthly totals. Counts are in agents.
type accum struct {
	population, atHome, workingAge, households, deaths float64
	abroad, russia, kazakhstan, elsewhere, women       float64
	employed, legal, irregular                         float64
	sector                                             [6]float64
	departures, depRussia, depWomen, refused           float64
	returns, retSeasonal, retTarget, retJobLoss        float64
	deportations, bansIssued, bansLifted, bansActive   float64
	returneesJobless                                   float64
	earningsUSD, remitUSD, costUSD, patentRUB          float64
	homeEmployed, homeEarnUSD                          float64
	hhWithMigrant, poor                                float64
	remitHouseholds                                    float64 // remittances summed over receiving households
	fertile                                            float64
	regionAbroad, regionWorking                        [population.NumRegions]float64
	regionHome, regionPoor, regionRemit                [population.NumRegions]float64
	russiaCell                                         [policy.NumWorkCells]float64
	russiaIrregular, demandRussia, legalDemand         float64
}

// monthKeys are the month's random-number keys, one per decision, mixed
// once per month rather than once per person.
type monthKeys struct {
	life, birth, birthSex, home, amnesty rng.Key
	dest, destKnow, destRedirect         rng.Key
	destRefuse                           rng.Key
	arrive                               arriveKeys
	abroad, check, sector, ret, exitBan  rng.Key
	static                               rng.Key // persistent traits: the same in every month
}

// arriveKeys draw the legal status, work and sector of an arriving migrant.
type arriveKeys struct{ legal, employed, sector rng.Key }

func newArriveKeys(k rng.Key) arriveKeys {
	return arriveKeys{legal: k, employed: k.Sub(1), sector: k.Sub(2)}
}

func newMonthKeys(seed uint64, m calendar.Month) monthKeys {
	key := func(st rng.Stream) rng.Key { return rng.NewKey(seed, st, int64(m)) }
	dest := key(rng.Destination)
	ret := key(rng.Return)
	abroad := key(rng.Abroad)
	return monthKeys{
		life: key(rng.Life), birth: key(rng.Birth), birthSex: key(rng.Birth).Sub(1),
		home: key(rng.Home), amnesty: key(rng.Amnesty),
		dest: dest, destKnow: dest.Sub(10), destRedirect: dest.Sub(10).Sub(1),
		destRefuse: dest.Sub(30),
		arrive:     newArriveKeys(dest.Sub(20)),
		abroad:     abroad, check: abroad.Sub(1), sector: abroad.Sub(2),
		ret: ret, exitBan: ret.Sub(1),
		static: rng.NewKey(seed, rng.Static, 0),
	}
}

// Timings are the wall-clock time a Sim spent in each phase of Step, summed
// over the months stepped (for benchmarks: they never affect results).
type Timings struct {
	Tables  time.Duration // the month's decision tables and keys
	Persons time.Duration // the parallel pass over every person
	Serial  time.Duration // reduction, births, newborns' deaths, the record
	Yearly  time.Duration // January: household splits and the rebuild of the index
}

// Timings returns the time spent so far in each phase of Step.
func (s *Sim) Timings() Timings { return s.timings }

// ErrCapacity reports that the run needed more persons or households than were reserved.
var ErrCapacity = population.ErrCapacity

// New creates the initial population for cfg and readies the workers.
func New(cfg Config) (*Sim, error) {
	if cfg.Scale < 1 {
		return nil, fmt.Errorf("sim: scale must be at least 1, got %d", cfg.Scale)
	}
	if cfg.Drivers == nil || cfg.Policy == nil {
		return nil, errors.New("sim: drivers and policy are required")
	}
	if cfg.Span.Len() < 1 {
		return nil, fmt.Errorf("sim: empty span %v", cfg.Span)
	}
	p := cfg.Params
	if err := p.Validate(); err != nil {
		return nil, err
	}
	econ, err := economy.New(&p, cfg.Drivers)
	if err != nil {
		return nil, err
	}
	s := &Sim{cfg: cfg, p: &p, econ: econ, scale: float64(cfg.Scale)}
	mort := population.Mortality{Makeham: p.MortalityMakeham, GompertzB: p.MortalityGompB, GompertzC: p.MortalityGompC, Infant: p.InfantMortality}
	s.mort = mort.MonthlyProbabilities()
	s.prod = behaviour.NewLognormalTable(p.ProductivitySigma)
	s.tgt = behaviour.NewLognormalTable(p.TargetSigma)

	start := cfg.Span.From
	p0 := cfg.Drivers.At(start).TjPopulation
	pEnd := cfg.Drivers.At(cfg.Span.Until).TjPopulation
	n0 := int(math.Round(p0 / s.scale))
	if n0 < 100 {
		return nil, fmt.Errorf("sim: scale %d leaves only %d agents; use a smaller --scale", cfg.Scale, n0)
	}
	// Person slots: the yearly rebuild drops the dead, so the slots needed
	// are the largest population of the span plus one year of births and a
	// margin: 8% of it (an assumption, well above a crude birth rate of
	// 3%); ErrCapacity, never a wrong result, if ever exceeded.
	pMax := math.Max(p0, pEnd)
	for m := start; m <= cfg.Span.Until; m++ {
		pMax = math.Max(pMax, cfg.Drivers.At(m).TjPopulation)
	}
	personCap := int(pMax/s.scale*1.08) + 1024
	// Households are never dropped (a split adds one): room for the
	// splits of the whole span, as many as growth plus 1.5% a year of
	// deaths would need.
	years := float64(cfg.Span.Len()) / 12
	births := math.Max(0, pEnd-p0) + 0.015*years*pMax
	hhCap := int(float64(n0+int(births/s.scale*1.1)+1024)/p.HouseholdSize*1.6) + 1024
	s.pop, err = population.Generate(population.Setup{
		Seed: cfg.Seed, Start: start, Persons: n0, PersonCap: personCap, HouseholdCap: hhCap,
		HouseholdSize: p.HouseholdSize, MaleShare: p.MaleShare, Growth: p.InitialGrowth, Mortality: mort,
		RegionShares: RegionShares, UrbanShare: p.UrbanShare, IncomeSigma: p.IncomeSigma,
	})
	if err != nil {
		return nil, err
	}
	s.seedMigrants()
	// Chunks and their birth buffers are allocated once, for the largest
	// population the capacity allows, so the monthly loop never allocates.
	maxChunks := personCap/ChunkPersons*2 + 16
	s.chunks = make([]chunk, 0, maxChunks)
	s.arena = make([]uint32, personCap/8+64*maxChunks)
	s.buildChunks()
	s.lastPop = float64(n0)
	s.month = start
	s.startWorkers()
	return s, nil
}

// Population exposes the state (read-only use: tests and benchmarks).
func (s *Sim) Population() *population.Population { return s.pop }

// Agents returns the number of person slots in use: the living, and those
// who died since the last yearly update (which frees their slots).
func (s *Sim) Agents() int { return s.pop.P.N }

// StateBytes returns the bytes of person and household state reserved.
func (s *Sim) StateBytes() int { return s.pop.StateBytes() }

// Close stops the workers. A Sim must not be used after Close.
func (s *Sim) Close() {
	if s.stop != nil {
		close(s.stop)
		s.stop = nil
	}
}

// seedMigrants places the initial migrant stock and ban stock (January of
// the first month) among working-age persons at home, with the departure
// propensities' age, sex and urban profile.
func (s *Sim) seedMigrants() {
	p, pop := s.p, s.pop
	m := s.cfg.Span.From
	weight := func(i int) float64 {
		a := int(m-calendar.Month(pop.P.Birth[i])) / 12
		b := behaviour.Band(a, p)
		if b == 0 {
			return 0
		}
		w := p.AgeProfile[b-1]
		if pop.P.Flags[i]&population.Female != 0 {
			w *= p.WomenPropensity
		}
		if pop.H.Urban[pop.P.Household[i]] == 1 {
			w *= p.UrbanPropensity
		}
		return w
	}
	total := 0.0
	for i := 0; i < pop.P.N; i++ {
		total += weight(i)
	}
	if total == 0 {
		return
	}
	pol := s.cfg.Policy.At(m)
	tab := behaviour.NewMonth(m, p, s.cfg.Drivers.At(m), pol, s.econ, behaviour.Prev{}, 0, s.mort)
	key := rng.NewKey(s.cfg.Seed, rng.Setup, int64(m)+1)
	kMig := p.InitialMigrants / s.scale / total
	kBan := p.InitialBans / s.scale / total
	for i := 0; i < pop.P.N; i++ {
		w := weight(i)
		if w == 0 {
			continue
		}
		id := uint64(pop.P.ID[i])
		u := key.Float64(id)
		switch {
		case u < kMig*w:
			loc := population.Russia
			region := int(pop.H.Region[pop.P.Household[i]])
			a := int(m-calendar.Month(pop.P.Birth[i])) / 12
			hc := policy.HomeCell(region, int(pop.P.Flags[i]&population.Female), behaviour.Band(a, p))
			if key.Sub(1).Float64(id) < tab.ToKazakhstan[hc] {
				loc = population.Kazakhstan
			}
			spell := uint8(1 + key.Sub(2).Uint64(id)%12)
			ak := newArriveKeys(key.Sub(3))
			s.arrive(i, id, loc, region, &tab, &ak, nil)
			pop.P.Spell[i] = spell
			if pop.P.Flags[i]&population.Legal == 0 && loc == population.Russia {
				pop.P.Overstay[i] = spell
			}
			pop.H.Abroad[pop.P.Household[i]]++
		case u < kMig*w+kBan*w && pop.P.Flags[i]&population.Female == 0:
			pop.P.BanUntil[i] = int16(m) + int16(1+key.Sub(4).Uint64(id)%60)
		}
	}
}

// arrive sets the state of the person in slot i (identifier id) from region
// arriving at loc: legal status, work and sector. Recruited arrivals in
// Russia are legal and employed; a permit quota rations legal status. If a
// is not nil, the arrivals that would be legal without the quota are counted
// in it.
func (s *Sim) arrive(i int, id uint64, loc uint8, region int, t *behaviour.Month, k *arriveKeys, a *accum) {
	P := &s.pop.P
	f := P.Flags[i] & population.Female
	sec := drawSector(k.sector.Float64(id), t)
	if loc != population.Russia {
		// Kazakhstan (EAEU) and other destinations: treated as legal (assumption).
		f |= population.Legal
	} else {
		u := k.legal.Float64(id)
		r := t.Recruit[region]
		if u < r+(1-r)*t.LegalOnArrival {
			if a != nil {
				a.legalDemand++
			}
			if u < r+(1-r)*t.LegalOnArrival*t.PermitPass {
				f |= population.Legal
			}
			if u < r {
				f |= population.Employed // organised recruitment: a job on arrival
			}
		}
	}
	if f&population.Employed == 0 && k.employed.Float64(id) < t.EmployedOnArrival[sec] {
		f |= population.Employed
	}
	P.Flags[i] = population.WithSector(f, sec)
	P.Loc[i] = loc
	P.Spell[i] = 0
	P.Overstay[i] = 0
	P.Savings[i] = 0
}

// buildChunks splits the households into chunks of about ChunkPersons
// persons. It depends only on the population, never on the thread count.
func (s *Sim) buildChunks() {
	h := &s.pop.H
	s.chunks = s.chunks[:0]
	from, used := 0, 0
	for k := 0; k < h.N; k++ {
		if int(h.Start[k+1]-h.Start[from]) >= ChunkPersons || k == h.N-1 {
			n := int(h.Start[k+1]-h.Start[from])/8 + 64
			if len(s.chunks) == cap(s.chunks) || used+n > len(s.arena) {
				// Cannot happen within the reserved capacity. The chunk gets
				// no birth buffer, so its first birth makes Step fail with
				// ErrCapacity rather than allocate or drop the birth.
				s.chunks = append(s.chunks[:len(s.chunks):len(s.chunks)], chunk{hFrom: from, hTo: k + 1, overflow: true})
				from = k + 1
				continue
			}
			s.chunks = append(s.chunks, chunk{hFrom: from, hTo: k + 1, births: s.arena[used : used+n : used+n]})
			used += n
			from = k + 1
		}
	}
}

func (s *Sim) startWorkers() {
	n := s.cfg.Workers
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	s.workers = n
	s.stop = make(chan struct{})
	s.start = make([]chan struct{}, n)
	for w := 0; w < n; w++ {
		s.start[w] = make(chan struct{})
		go s.worker(w, s.start[w], s.stop)
	}
}

// Tasks the workers run together (Sim.task).
const (
	taskChunks = iota // the month of every person, chunk by chunk
	taskGather        // a part of population.RebuildGather of group Sim.group
	taskPlace         // a part of population.RebuildPlace of group Sim.group
)

func (s *Sim) worker(w int, start <-chan struct{}, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-start:
		}
		switch s.task {
		case taskChunks:
			s.runChunks()
		default:
			s.runRebuild(w)
		}
		s.wg.Done()
	}
}

// runRebuild runs worker w's part of the rebuild task. A panic (a bug) is
// recovered and reported by Step as an error, as in runChunks.
func (s *Sim) runRebuild(w int) {
	defer func() {
		if r := recover(); r != nil {
			err := fmt.Errorf("internal error in the yearly update: %v", r)
			s.panicked.CompareAndSwap(nil, &err)
		}
	}()
	if s.task == taskGather {
		s.pop.RebuildGather(s.group, w, s.workers)
	} else {
		s.pop.RebuildPlace(s.group, w, s.workers)
	}
}

// runTask runs task on every worker and returns when all are done.
func (s *Sim) runTask(task, group int) {
	s.task, s.group = task, group
	s.next.Store(0)
	s.wg.Add(s.workers)
	for _, c := range s.start {
		c <- struct{}{}
	}
	s.wg.Wait()
}

// runChunks processes chunks until none is left. A panic (a bug) is
// recovered and reported by Step as an error instead of killing the process.
func (s *Sim) runChunks() {
	defer func() {
		if r := recover(); r != nil {
			err := fmt.Errorf("internal error in the monthly step: %v", r)
			s.panicked.CompareAndSwap(nil, &err)
		}
	}()
	for {
		c := int(s.next.Add(1)) - 1
		if c >= len(s.chunks) {
			return
		}
		s.runChunk(&s.chunks[c])
	}
}

// Run simulates every month of the span and returns one Record per month.
func (s *Sim) Run(ctx context.Context) ([]Record, error) {
	defer s.Close()
	out := make([]Record, 0, s.cfg.Span.Len())
	for m := s.cfg.Span.From; m <= s.cfg.Span.Until; m++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rec, err := s.Step()
		if err != nil {
			return nil, fmt.Errorf("%v: %w", m, err)
		}
		out = append(out, rec)
		if s.cfg.Progress != nil {
			s.cfg.Progress(len(out), s.cfg.Span.Len())
		}
	}
	return out, nil
}

// Step simulates the next month and returns its record.
func (s *Sim) Step() (Record, error) {
	m := s.month
	t0 := time.Now()
	if s.started && m.MonthOfYear() == 1 {
		if err := s.yearly(m); err != nil {
			return Record{}, err
		}
	}
	t1 := time.Now()
	s.timings.Yearly += t1.Sub(t0)
	s.started = true
	d := s.cfg.Drivers.At(m)
	birthProb := 0.0
	if s.lastFertile > 0 {
		want := d.TjPopulation/s.scale - s.lastPop + s.lastDeaths
		birthProb = math.Max(0, math.Min(0.05, want/s.lastFertile))
	}
	// The migrant wage in USD a family has come to expect: the mean of the
	// previous 12 months under the exchange rate and policy then in force.
	trail := 0.0
	for k := calendar.Month(1); k <= 12; k++ {
		mk := m - k
		trail += s.econ.MigrantWageRUB(mk) / (s.cfg.Drivers.At(mk).RubPerUSD * s.cfg.Policy.RubFactorAt(mk))
	}
	s.prev.TrailingWageUSD = trail / 12
	s.tab = behaviour.NewMonth(m, s.p, d, s.cfg.Policy.At(m), s.econ, s.prev, birthProb, s.mort)
	s.setAges()
	s.keys = newMonthKeys(s.cfg.Seed, m)
	t2 := time.Now()
	s.timings.Tables += t2.Sub(t1)

	// Parallel pass over chunks.
	s.runTask(taskChunks, 0)
	if p := s.panicked.Load(); p != nil {
		return Record{}, *p
	}
	t3 := time.Now()
	s.timings.Persons += t3.Sub(t2)
	defer func() { s.timings.Serial += time.Since(t3) }()

	// Serial: births in chunk order, then deaths among the newborn tail.
	var total accum
	for c := range s.chunks {
		ch := &s.chunks[c]
		if ch.overflow {
			return Record{}, fmt.Errorf("%w: birth buffer of chunk %d", ErrCapacity, c)
		}
		total.add(&ch.acc)
	}
	births, err := s.births(m)
	if err != nil {
		return Record{}, err
	}
	tailDeaths, tailAlive := s.tailDeaths(m, &total)
	total.deaths += tailDeaths
	total.population += tailAlive
	total.atHome += tailAlive

	rec := s.record(m, &total, births)
	s.last = total
	s.lastDeaths = total.deaths
	s.lastPop = total.population + births
	s.lastFertile = total.fertile
	var nat, work float64
	for r := range total.regionAbroad {
		if total.regionWorking[r] > 0 {
			s.prev.RegionPrevalence[r] = total.regionAbroad[r] / total.regionWorking[r]
		}
		nat += total.regionAbroad[r]
		work += total.regionWorking[r]
	}
	if work > 0 {
		s.prev.NationalPrevalence = nat / work
	}
	s.prev.BanStock = total.bansActive * s.scale // persons, like the amnesty counts
	for c, v := range total.russiaCell {
		s.prev.RussiaCell[c] = v * s.scale
	}
	s.prev.Russia = total.russia * s.scale
	s.prev.RussiaIrregular = total.russiaIrregular * s.scale
	s.prev.DemandRussia = total.demandRussia * s.scale
	s.prev.LegalDemand = total.legalDemand * s.scale
	for r := range total.regionWorking {
		s.prev.RegionHomeWorking[r] = (total.regionWorking[r] - total.regionAbroad[r]) * s.scale
	}
	s.month++
	return rec, nil
}

// yearly is the January update: households that grew large split, and the
// household index is rebuilt (newborns join it, the dead leave it).
func (s *Sim) yearly(m calendar.Month) error {
	if _, err := s.pop.SplitLarge(int(s.p.HouseholdSplit), s.cfg.Seed, m, s.p.IncomeSigma); err != nil {
		return err
	}
	// The rebuild's moves on every core, one group and phase at a time.
	s.pop.RebuildOrder()
	for g := 0; g < population.RebuildGroups; g++ {
		s.runTask(taskGather, g)
		s.runTask(taskPlace, g)
	}
	if p := s.panicked.Load(); p != nil {
		return *p
	}
	s.pop.RebuildFinish()
	s.buildChunks()
	return nil
}

func (s *Sim) births(m calendar.Month) (float64, error) {
	key := s.keys.birthSex
	n := 0
	for c := range s.chunks {
		ch := &s.chunks[c]
		for _, mother := range ch.births[:ch.nBirths] {
			h := s.pop.P.Household[mother]
			female := key.Float64(uint64(s.pop.P.ID[mother])) >= s.p.MaleShare
			if _, err := s.pop.Add(h, m, female); err != nil {
				return 0, err
			}
			n++
		}
	}
	return float64(n), nil
}

// tailDeaths applies mortality to persons born since the last rebuild (all
// under one year old, at home) and returns deaths and survivors.
// Newborns who die are taken out of their region's count at home.
func (s *Sim) tailDeaths(m calendar.Month, a *accum) (deaths, alive float64) {
	P := &s.pop.P
	key := s.keys.life
	for i := s.pop.TailStart; i < P.N; i++ {
		if P.Loc[i] == population.Dead || int(P.Birth[i]) == int(m) {
			continue // dead, or born this month (counted with births)
		}
		if uint32(key.Uint64(uint64(P.ID[i]))) < s.tab.Death[0] {
			P.Loc[i] = population.Dead
			h := P.Household[i]
			s.pop.H.Tail[h]--
			if r := s.pop.H.Region[h]; int(r) < len(a.regionHome) {
				a.regionHome[r]--
			}
			deaths++
			continue
		}
		alive++
	}
	return deaths, alive
}

func (a *accum) add(b *accum) {
	a.population += b.population
	a.atHome += b.atHome
	a.workingAge += b.workingAge
	a.households += b.households
	a.deaths += b.deaths
	a.abroad += b.abroad
	a.russia += b.russia
	a.kazakhstan += b.kazakhstan
	a.elsewhere += b.elsewhere
	a.women += b.women
	a.employed += b.employed
	a.legal += b.legal
	a.irregular += b.irregular
	for k := range a.sector {
		a.sector[k] += b.sector[k]
	}
	a.departures += b.departures
	a.depRussia += b.depRussia
	a.depWomen += b.depWomen
	a.refused += b.refused
	a.returns += b.returns
	a.retSeasonal += b.retSeasonal
	a.retTarget += b.retTarget
	a.retJobLoss += b.retJobLoss
	a.deportations += b.deportations
	a.bansIssued += b.bansIssued
	a.bansLifted += b.bansLifted
	a.bansActive += b.bansActive
	a.returneesJobless += b.returneesJobless
	a.earningsUSD += b.earningsUSD
	a.remitUSD += b.remitUSD
	a.costUSD += b.costUSD
	a.patentRUB += b.patentRUB
	a.homeEmployed += b.homeEmployed
	a.homeEarnUSD += b.homeEarnUSD
	a.hhWithMigrant += b.hhWithMigrant
	a.poor += b.poor
	a.remitHouseholds += b.remitHouseholds
	a.fertile += b.fertile
	for r := range a.regionAbroad {
		a.regionAbroad[r] += b.regionAbroad[r]
		a.regionWorking[r] += b.regionWorking[r]
		a.regionHome[r] += b.regionHome[r]
		a.regionPoor[r] += b.regionPoor[r]
		a.regionRemit[r] += b.regionRemit[r]
	}
	for c := range a.russiaCell {
		a.russiaCell[c] += b.russiaCell[c]
	}
	a.russiaIrregular += b.russiaIrregular
	a.demandRussia += b.demandRussia
	a.legalDemand += b.legalDemand
}

func (s *Sim) record(m calendar.Month, a *accum, births float64) Record {
	k := s.scale
	r := Record{
		Month:                 m,
		Population:            (a.population + births) * k,
		AtHome:                (a.atHome + births) * k,
		Births:                births * k,
		Deaths:                a.deaths * k,
		WorkingAge:            a.workingAge * k,
		Households:            a.households * k,
		MigrantsAbroad:        a.abroad * k,
		MigrantsInRussia:      a.russia * k,
		MigrantsInKazakhstan:  a.kazakhstan * k,
		MigrantsElsewhere:     a.elsewhere * k,
		MigrantsWomen:         a.women * k,
		MigrantsEmployed:      a.employed * k,
		MigrantsLegal:         a.legal * k,
		MigrantsIrregular:     a.irregular * k,
		EmployedConstruction:  a.sector[0] * k,
		EmployedServices:      a.sector[1] * k,
		EmployedTransport:     a.sector[2] * k,
		EmployedManufacturing: a.sector[3] * k,
		EmployedTrade:         a.sector[4] * k,
		EmployedOther:         a.sector[5] * k,
		Departures:            a.departures * k,
		DeparturesRussia:      a.depRussia * k,
		DeparturesWomen:       a.depWomen * k,
		RefusedEntry:          a.refused * k,
		Returns:               a.returns * k,
		ReturnsSeasonal:       a.retSeasonal * k,
		ReturnsTarget:         a.retTarget * k,
		ReturnsJobLoss:        a.retJobLoss * k,
		Deportations:          a.deportations * k,
		BansIssued:            a.bansIssued * k,
		BansLifted:            a.bansLifted * k,
		EntryBansActive:       a.bansActive * k,
		ReturneesJobless:      a.returneesJobless * k,
		MigrantEarningsUSD:    a.earningsUSD * k,
		RemittancesUSD:        a.remitUSD * k,
		TransferCostsUSD:      a.costUSD * k,
		GDPUSD:                s.tab.GDPUSD,
		HomeEmployed:          a.homeEmployed * k,
		HomeEarningsUSD:       a.homeEarnUSD * k,
		HouseholdsWithMigrant: a.hhWithMigrant * k,
		PoorPersons:           a.poor * k,
		PatentRevenueRUB:      a.patentRUB * k,
	}
	r.RemittancesPctGDP = r.RemittancesUSD / r.GDPUSD * 100
	if a.households > 0 {
		r.HouseholdsWithMigrantShare = a.hhWithMigrant / a.households
	}
	if a.atHome > 0 {
		r.PovertyRate = a.poor / (a.atHome)
	}
	r.setRegions(a, k)
	return r
}

// Capacity returns the number of person slots reserved.
func (s *Sim) Capacity() int { return len(s.pop.P.Loc) }
