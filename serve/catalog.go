package serve

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/corridor-sim/corridor/calendar"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"
)

// Run states.
const (
	StateQueued    = "queued"
	StateRunning   = "running"
	StateDone      = "done"
	StateFailed    = "failed"
	StateCancelled = "cancelled"
	// StateNotSubmitted is reported (never stored) for a run of the
	// leverage table that is not in the catalog yet.
	StateNotSubmitted = "not submitted"
)

// RunInfo is a run as the catalog holds it and the API reports it.
type RunInfo struct {
	ID       string    `json:"id"`
	Scenario string    `json:"scenario"`
	Seed     uint64    `json:"seed"`
	Scale    int       `json:"scale"`
	Until    string    `json:"until"`
	Members  int       `json:"members"`
	State    string    `json:"state"`
	Error    string    `json:"error,omitempty"`
	Agents   int       `json:"agents,omitempty"`
	Created  time.Time `json:"created"`
	Finished time.Time `json:"finished,omitzero"`
	// Done and Total count simulated months (over all members) while the
	// run is running; Done = Total once it is done.
	Done  int      `json:"done"`
	Total int      `json:"total"`
	URL   string   `json:"url"` // the page that shows the run
	Files []string `json:"files,omitempty"`
	job   *job
}

// catalog is the run catalog: one SQLite table, so that runs survive a
// restart of the server.
type catalog struct{ db *sql.DB }

func openCatalog(path string) (*catalog, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	_, err = db.Exec(`CREATE TABLE IF NOT EXISTS runs (
		id TEXT PRIMARY KEY,
		job TEXT NOT NULL,
		state TEXT NOT NULL,
		error TEXT NOT NULL DEFAULT '',
		agents INTEGER NOT NULL DEFAULT 0,
		created INTEGER NOT NULL,
		finished INTEGER NOT NULL DEFAULT 0
	)`)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("run catalog %s: %v", path, err)
	}
	return &catalog{db: db}, nil
}

func (c *catalog) close() error { return c.db.Close() }

// put inserts or replaces a run.
func (c *catalog) put(ctx context.Context, r *RunInfo) error {
	b, err := json.Marshal(r.job)
	if err != nil {
		return err
	}
	var fin int64
	if !r.Finished.IsZero() {
		fin = r.Finished.UnixMilli()
	}
	_, err = c.db.ExecContext(ctx, `INSERT INTO runs (id, job, state, error, agents, created, finished) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET job=excluded.job, state=excluded.state, error=excluded.error, agents=excluded.agents, created=excluded.created, finished=excluded.finished`,
		r.ID, string(b), r.State, r.Error, r.Agents, r.Created.UnixMilli(), fin)
	return err
}

func scanRun(scan func(...any) error) (*RunInfo, error) {
	var (
		r            RunInfo
		js           string
		created, fin int64
	)
	if err := scan(&r.ID, &js, &r.State, &r.Error, &r.Agents, &created, &fin); err != nil {
		return nil, err
	}
	j := &job{}
	if err := json.Unmarshal([]byte(js), j); err != nil {
		return nil, fmt.Errorf("run catalog: run %s: %v", r.ID, err)
	}
	r.job = j
	j.until, _ = calendar.Parse(j.Until)
	r.Created = time.UnixMilli(created).UTC()
	if fin != 0 {
		r.Finished = time.UnixMilli(fin).UTC()
	}
	r.fill()
	return &r, nil
}

// fill copies the job's settings into the reported fields.
func (r *RunInfo) fill() {
	j := r.job
	r.Scenario, r.Seed, r.Scale, r.Until, r.Members = j.Scenario.Name, j.Seed, j.Scale, j.Until, j.Members
	r.Total = j.months() * j.Members
	if r.State == StateDone {
		r.Done = r.Total
		r.Files = j.files()
	}
	r.URL = "/?run=" + r.ID
}

// get returns the run with id, or nil if there is none.
func (c *catalog) get(ctx context.Context, id string) (*RunInfo, error) {
	row := c.db.QueryRowContext(ctx, `SELECT id, job, state, error, agents, created, finished FROM runs WHERE id = ?`, id)
	r, err := scanRun(row.Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return r, err
}

// list returns the runs, newest first, at most limit.
func (c *catalog) list(ctx context.Context, limit int) ([]*RunInfo, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT id, job, state, error, agents, created, finished FROM runs ORDER BY created DESC, id LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*RunInfo{}
	for rows.Next() {
		r, err := scanRun(rows.Scan)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// unfinished returns the runs that were queued or running, oldest first.
func (c *catalog) unfinished(ctx context.Context) ([]*RunInfo, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT id, job, state, error, agents, created, finished FROM runs WHERE state IN (?, ?) ORDER BY created, id`, StateQueued, StateRunning)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*RunInfo
	for rows.Next() {
		r, err := scanRun(rows.Scan)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
