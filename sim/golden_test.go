package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/params"
	"github.com/corridor-sim/corridor/policy"
)

var update = flag.Bool("update", false, "rewrite sim/testdata/golden.sha256 from the current model")

// goldenCases are the runs whose every record is guarded byte for byte.
// The scenario case switches on levers that reach every branch of the step
// (sector ban, permit quota, amnesty, recruitment, mass deportation, an
// alternative destination).
var goldenCases = []struct {
	name   string
	seed   uint64
	events []policy.LeverEvent
}{
	{name: "history-seed1", seed: 1},
	{name: "history-seed2", seed: 2},
	{name: "levers-seed1", seed: 1, events: []policy.LeverEvent{
		{Lever: "sector_ban", From: calendar.Of(2012, 1), Until: calendar.Of(2016, 12), Target: policy.Target{Sector: "trade"}},
		{Lever: "work_permit_quota", From: calendar.Of(2014, 1), Until: calendar.Of(2018, 12)},
		{Lever: "ban_amnesty", From: calendar.Of(2017, 1), Until: calendar.Of(2017, 6)},
		{Lever: "organised_recruitment", From: calendar.Of(2015, 1), Target: policy.Target{Region: "sughd"}},
		{Lever: "mass_deportation", From: calendar.Of(2020, 1), Until: calendar.Of(2020, 6)},
		{Lever: "alternative_destination", From: calendar.Of(2016, 1)},
	}},
}

// TestGoldenRecords guards the model's results: the SHA-256 of every
// record of a scale-200 run over 2005-01..2030-12 with the reference
// parameters (params.Reference), printed with all the
// digits of every field. A speed-up must leave them unchanged; the golden
// file changes only when the model changes (its behaviour, parameters,
// data or draws), and is then rewritten with
//
//	go test ./sim/ -run TestGoldenRecords -update
func TestGoldenRecords(t *testing.T) {
	path := filepath.Join("testdata", "golden.sha256")
	var got strings.Builder
	for _, c := range goldenCases {
		cfg := testConfig(t, 200, calendar.Of(2005, 1), calendar.Of(2030, 12))
		// The hand-set reference parameters, not the shipped calibration,
		// so that a re-calibration does not change the golden file.
		cfg.Params = params.Reference()
		cfg.Seed = c.seed
		for _, e := range c.events {
			if e.Intensity == 0 {
				l, ok := policy.LookupLever(e.Lever)
				if !ok {
					t.Fatalf("no lever %q", e.Lever)
				}
				e.Intensity = l.Standard
			}
			if err := cfg.Policy.ApplyEvent(e); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
		}
		h := sha256.New()
		for _, r := range runAll(t, cfg) {
			fmt.Fprintf(h, "%+v\n", r)
		}
		fmt.Fprintf(&got, "%s  %s\n", hex.EncodeToString(h.Sum(nil)), c.name)
	}
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (create it with -update)", err)
	}
	if got.String() != string(want) {
		t.Errorf("records changed (rewrite %s with -update only if the model itself changed):\ngot\n%swant\n%s", path, got.String(), want)
	}
}
