package serve

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/params"
	"github.com/corridor-sim/corridor/results"
	"github.com/corridor-sim/corridor/scenario"
	"github.com/corridor-sim/corridor/sim"
)

// errQueueFull is returned by submit when the queue holds MaxQueued runs.
var errQueueFull = errors.New("the run queue is full")

// active is a queued or running run, held in memory.
type active struct {
	info   *RunInfo
	cancel context.CancelFunc // set while running
}

// queue is the bounded run queue: Config.Running workers take runs in
// submission order; at most Config.MaxQueued wait.
type queue struct {
	cfg     *Config
	cat     *catalog
	log     *log.Logger
	mu      sync.Mutex
	cond    *sync.Cond
	waiting []string           // ids in submission order
	runs    map[string]*active // queued and running runs
	closed  bool
	wg      sync.WaitGroup
	// executed counts how often each run was simulated (for tests: a
	// submission must never be run twice).
	executed map[string]int
	// durations of the last runs simulated, for Retry-After.
	durations []time.Duration
	// gate, if set (tests only), is called before a run is simulated; an
	// error ends the run as simulate's error would.
	gate func(ctx context.Context, id string) error
}

func newQueue(cfg *Config, cat *catalog, lg *log.Logger) *queue {
	q := &queue{cfg: cfg, cat: cat, log: lg, runs: map[string]*active{}, executed: map[string]int{}, gate: cfg.gate}
	q.cond = sync.NewCond(&q.mu)
	for range cfg.Running {
		q.wg.Add(1)
		go q.worker()
	}
	return q
}

// submit queues j unless an identical run is queued, running or done, in
// which case that run is returned. created reports whether j was queued.
func (q *queue) submit(ctx context.Context, j *job) (info *RunInfo, created bool, err error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return nil, false, errors.New("the server is shutting down")
	}
	if a, ok := q.runs[j.ID]; ok {
		return a.snapshot(), false, nil
	}
	old, err := q.cat.get(ctx, j.ID)
	if err != nil {
		return nil, false, err
	}
	if old != nil && old.State == StateDone && q.filesPresent(old) {
		return old, false, nil
	}
	if len(q.waiting) >= q.cfg.MaxQueued {
		return nil, false, errQueueFull
	}
	r := &RunInfo{ID: j.ID, State: StateQueued, Created: time.Now().UTC(), job: j}
	r.fill()
	if err := q.cat.put(ctx, r); err != nil {
		return nil, false, err
	}
	q.enqueue(r)
	return r.clone(), true, nil
}

// enqueue adds a run to the waiting list (q.mu held).
func (q *queue) enqueue(r *RunInfo) {
	q.runs[r.ID] = &active{info: r}
	q.waiting = append(q.waiting, r.ID)
	q.cond.Signal()
}

// resume re-queues the runs that a previous server left queued or running.
func (q *queue) resume(ctx context.Context) error {
	rs, err := q.cat.unfinished(ctx)
	if err != nil {
		return err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, r := range rs {
		if err := r.job.restore(); err != nil {
			r.State, r.Error, r.Finished = StateFailed, "cannot resume after a restart: "+err.Error(), time.Now().UTC()
			if err := q.cat.put(ctx, r); err != nil {
				return err
			}
			continue
		}
		r.State, r.Done = StateQueued, 0
		q.enqueue(r)
	}
	return nil
}

func (q *queue) filesPresent(r *RunInfo) bool {
	_, err := os.Stat(filepath.Join(q.cfg.runDir(r.ID), results.ManifestFile))
	return err == nil
}

// status returns the run's current state: from memory while it is queued
// or running, else from the catalog (nil if unknown).
func (q *queue) status(ctx context.Context, id string) (*RunInfo, error) {
	q.mu.Lock()
	if a, ok := q.runs[id]; ok {
		r := a.snapshot()
		q.mu.Unlock()
		return r, nil
	}
	q.mu.Unlock()
	return q.cat.get(ctx, id)
}

// cancel stops a queued or running run. It reports false if the run is
// neither.
func (q *queue) cancel(id string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	a, ok := q.runs[id]
	if !ok {
		return false
	}
	if a.cancel != nil {
		a.cancel()
		return true
	}
	for i, w := range q.waiting {
		if w == id {
			q.waiting = append(q.waiting[:i], q.waiting[i+1:]...)
			break
		}
	}
	q.finish(a, StateCancelled, "cancelled before it started")
	return true
}

// queued returns the number of runs waiting and running.
func (q *queue) counts() (waiting, running int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.waiting), len(q.runs) - len(q.waiting)
}

func (q *queue) worker() {
	defer q.wg.Done()
	for {
		q.mu.Lock()
		for len(q.waiting) == 0 && !q.closed {
			q.cond.Wait()
		}
		if q.closed {
			q.mu.Unlock()
			return
		}
		id := q.waiting[0]
		q.waiting = q.waiting[1:]
		a := q.runs[id]
		ctx, cancel := context.WithCancel(context.Background())
		a.cancel = cancel
		a.info.State = StateRunning
		q.executed[id]++
		info := a.info.clone()
		gate := q.gate
		q.mu.Unlock()
		if err := q.cat.put(context.Background(), info); err != nil {
			q.log.Printf("run catalog: %v", err)
		}

		var agents int
		err := error(nil)
		if gate != nil {
			err = gate(ctx, id)
		}
		began := time.Now()
		if err == nil {
			agents, err = q.execute(ctx, a)
		}
		cancel()
		q.mu.Lock()
		if err == nil {
			q.durations = append(q.durations, time.Since(began))
			if len(q.durations) > 10 {
				q.durations = q.durations[1:]
			}
		}
		switch {
		case q.closed && errors.Is(err, context.Canceled):
			// Stopped by the server's shutdown: left queued in the
			// catalog, to be resumed at the next start.
			a.info.State, a.info.Done = StateQueued, 0
			if err := q.cat.put(context.Background(), a.info); err != nil {
				q.log.Printf("run catalog: %v", err)
			}
			delete(q.runs, id)
		case errors.Is(err, context.Canceled):
			a.info.Agents = agents
			q.finish(a, StateCancelled, "cancelled while running; no results written")
		case err != nil:
			q.log.Printf("run %s failed: %v", id, err)
			a.info.Agents = agents
			q.finish(a, StateFailed, err.Error())
		default:
			a.info.Agents = agents
			q.finish(a, StateDone, "")
		}
		q.mu.Unlock()
	}
}

// finish records the end of a run (q.mu held).
func (q *queue) finish(a *active, state, msg string) {
	a.info.State, a.info.Error, a.info.Finished = state, msg, time.Now().UTC()
	a.info.fill()
	if err := q.cat.put(context.Background(), a.info); err != nil {
		q.log.Printf("run catalog: %v", err)
	}
	delete(q.runs, a.info.ID)
}

// execute simulates every member of the run and writes its folder.
func (q *queue) execute(ctx context.Context, a *active) (int, error) {
	j := a.info.job
	months := j.months()
	members := make([][]sim.Record, j.Members)
	agents := 0
	var in *scenario.Inputs
	for m := range j.Members {
		base := m * months
		res, err := scenario.Simulate(ctx, j.sc, scenario.Options{
			Seed: j.Seed + uint64(m), Scale: j.Scale, Until: j.until, Workers: q.cfg.SimWorkers,
			Progress: func(done, total int) {
				q.mu.Lock()
				a.info.Done = base + done
				q.mu.Unlock()
			},
		})
		if err != nil {
			return agents, err
		}
		if m == 0 {
			agents, in = res.Agents, res.Inputs
		}
		members[m] = res.Records
	}
	man := results.NewManifest()
	man.Seed, man.Scale, man.Scenario = j.Seed, j.Scale, j.Scenario.Name
	man.From, man.Until = scenario.ModelStart.String(), j.Until
	man.Agents = agents
	man.InputsSHA256 = in.Ref.Hash
	man.Parameters = manifestParams(&in.Params)
	files, err := runFiles(j, members)
	if err != nil {
		return agents, err
	}
	_, err = results.WriteOutput(q.cfg.runDir(j.ID), man, files...)
	return agents, err
}

// manifestParams flattens the parameter list as `corridor run` does
// (profiles become name[i]).
func manifestParams(p *params.Params) []results.Parameter {
	var out []results.Parameter
	for _, pr := range p.List() {
		src := pr.Status
		if pr.Source != "" {
			src += ": " + pr.Source
		}
		add := func(name string, v float64) {
			out = append(out, results.Parameter{Name: name, Value: v, Unit: pr.Unit, Source: src})
		}
		switch v := pr.Value.(type) {
		case float64:
			add(pr.Name, v)
		case [12]float64:
			for i, x := range v {
				add(fmt.Sprintf("%s[%d]", pr.Name, i), x)
			}
		case [6]float64:
			for i, x := range v {
				add(fmt.Sprintf("%s[%d]", pr.Name, i), x)
			}
		default:
			out = append(out, results.Parameter{Name: pr.Name, Unit: pr.Unit, Source: src + " (value: " + strings.TrimSpace(fmt.Sprint(v)) + ")"})
		}
	}
	return out
}

// close stops the workers after cancelling the running runs; queued runs
// stay queued in the catalog and resume at the next start.
func (q *queue) close() {
	q.mu.Lock()
	q.closed = true
	for _, a := range q.runs {
		if a.cancel != nil {
			a.cancel()
		}
	}
	q.cond.Broadcast()
	q.mu.Unlock()
	q.wg.Wait()
}

// meanDuration is the mean duration of the last (up to 10) runs, or 0.
func (q *queue) meanDuration() time.Duration {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.durations) == 0 {
		return 0
	}
	var sum time.Duration
	for _, d := range q.durations {
		sum += d
	}
	return sum / time.Duration(len(q.durations))
}

func (a *active) snapshot() *RunInfo { return a.info.clone() }

func (r *RunInfo) clone() *RunInfo {
	c := *r
	return &c
}

// months is the number of months a member simulates.
func (j *job) months() int { return int(j.until-scenario.ModelStart) + 1 }

// restore rebuilds the unexported fields of a job read from the catalog.
func (j *job) restore() error {
	m, err := calendar.Parse(j.Until)
	if err != nil {
		return err
	}
	j.until = m
	sc, err := j.Scenario.scenario("scenario")
	if err != nil {
		return err
	}
	j.sc = sc
	return nil
}
