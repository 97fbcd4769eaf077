package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/scenario"
	"github.com/corridor-sim/corridor/serve"
)

type serveOptions struct {
	addr           string
	dataDir        string
	running        int
	maxQueued      int
	maxAgentMonths int64
	maxMembers     int
	maxBody        int64
	scale          int
	refScale       int
	refUntil       string
	workers        int
}

func newServeCmd(stdout, stderr io.Writer) *cobra.Command {
	d := serve.Defaults()
	o := serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Open the scenario workbench in the browser (a local web app and its JSON API)",
		Long: `Serve starts the scenario workbench: a web application and the JSON HTTP API
behind it, on the loopback address by default (only this machine can reach it).
Open the address it prints in a browser to

  - see the reference corridor (the history scenario) against the observed record:
    remittances in USD and % of GDP, migrants abroad by destination, departures
    and returns, deportations and the stock of re-entry bans, poverty and jobless
    returnees, each observed series linked to its source row;
  - browse the scenario library and run a scenario at a chosen scale, with a
    progress bar that follows the run;
  - build a scenario by adding levers on a timeline, checked as you type, and
    download it as YAML or upload a YAML file;
  - compare two runs side by side and as a difference (with 5–95% bands when
    they are ensembles), and see the leverage table;
  - download any result as CSV or Parquet and any chart as PNG or SVG; every
    run has a URL that can be shared.

Runs are kept in a run catalog (SQLite, runs.db) and result folders under
--data-dir, and survive a restart. Identical submissions (same scenario, seed,
scale, until and ensemble size) share one result. The API is described at
/openapi.json; docs/serve.md explains it and its limits.

At most --running runs are simulated at once and --max-queued wait; a full queue
answers HTTP 429 with Retry-After. A run larger than --max-agent-months
(agents × months × members) is refused.`,
		Example: `  corridor serve                               # http://127.0.0.1:8080, runs in ./corridor-runs
  corridor serve --addr 127.0.0.1:9000 --data-dir ~/corridor-runs
  corridor serve --ref-scale 100 --ref-until 2018-12    # a quicker front page
  curl -s localhost:8080/api/levers | jq '.levers[].name'
  curl -s -XPOST localhost:8080/api/runs -d '{"scenario":"history","scale":100,"until":"2018-12"}'`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return executeServe(cmd.Context(), o, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on; the default is reachable from this machine only")
	f.StringVar(&o.dataDir, "data-dir", d.DataDir, "folder of the run catalog (runs.db) and the run result folders")
	f.IntVar(&o.running, "running", d.Running, "runs simulated at once")
	f.IntVar(&o.maxQueued, "max-queued", d.MaxQueued, "runs that may wait; more submissions get HTTP 429")
	f.Int64Var(&o.maxAgentMonths, "max-agent-months", d.MaxAgentMonths, "largest run accepted, agents × months × ensemble members")
	f.IntVar(&o.maxMembers, "max-members", d.MaxMembers, "largest ensemble accepted")
	f.Int64Var(&o.maxBody, "max-body", d.MaxBodyBytes, "largest request body in bytes")
	f.IntVar(&o.scale, "scale", d.DefaultScale, "scale of runs that give none (persons per agent)")
	f.IntVar(&o.refScale, "ref-scale", d.Reference.Scale, "scale of the reference run on the front page")
	f.StringVar(&o.refUntil, "ref-until", d.Reference.Until, "last month of the reference run, YYYY-MM")
	f.IntVar(&o.workers, "workers", 0, "worker goroutines per simulation (0: all cores); never changes results")
	return cmd
}

func executeServe(ctx context.Context, o serveOptions, stdout, stderr io.Writer) error {
	for _, c := range []struct {
		name string
		v    int64
	}{{"--running", int64(o.running)}, {"--max-queued", int64(o.maxQueued)}, {"--max-agent-months", o.maxAgentMonths},
		{"--max-members", int64(o.maxMembers)}, {"--max-body", o.maxBody}, {"--scale", int64(o.scale)}, {"--ref-scale", int64(o.refScale)}} {
		if c.v < 1 {
			return usageError{fmt.Errorf("%s must be ≥ 1 (got %d)", c.name, c.v)}
		}
	}
	if o.workers < 0 {
		return usageError{fmt.Errorf("--workers must be ≥ 0 (got %d)", o.workers)}
	}
	until, err := calendar.Parse(o.refUntil)
	if err != nil {
		return usageError{fmt.Errorf("--ref-until: %v", err)}
	}
	if until < scenario.ModelStart || until > scenario.MaxUntil {
		return usageError{fmt.Errorf("--ref-until %v is outside the model's range %v..%v", until, scenario.ModelStart, scenario.MaxUntil)}
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return usageError{fmt.Errorf("--addr: %v", err)}
	}
	srv, err := serve.New(serve.Config{
		DataDir: o.dataDir, Running: o.running, MaxQueued: o.maxQueued, MaxAgentMonths: o.maxAgentMonths,
		MaxMembers: o.maxMembers, MaxBodyBytes: o.maxBody, DefaultScale: o.scale, SimWorkers: o.workers,
		Reference: serve.RunRequest{Scenario: "history", Scale: o.refScale, Until: until.String()},
		Logger:    log.New(stderr, "corridor serve: ", log.LstdFlags),
	})
	if err != nil {
		ln.Close()
		return usageError{err}
	}
	defer srv.Close()
	ctx, stop := interruptible(ctx)
	defer stop()
	// Requests (progress streams in particular) end when the server stops.
	base, cancelBase := context.WithCancel(context.Background())
	defer cancelBase()
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return base }}
	fmt.Fprintf(stdout, "corridor workbench on http://%s (runs in %s); Ctrl-C stops it\n", ln.Addr(), o.dataDir)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
		cancelBase()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
	}
	return nil
}
