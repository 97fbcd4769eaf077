package calibration

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/corridor-sim/corridor/data"
)

// smallConfig is a calibration small enough for a test: three free
// parameters, scale 400 (≈17,000 agents), one replicate, two generations
// of four candidates.
func smallConfig(t *testing.T, dir string) Config {
	t.Helper()
	ref, err := data.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	ts, err := DefaultTargets()
	if err != nil {
		t.Fatal(err)
	}
	return Config{
		Settings:   Settings{Scale: 400, Replicates: 1, Population: 4, Seed: 7, Step: 0.5},
		Budget:     8,
		Targets:    ts,
		TargetsCSV: DefaultTargetsCSV(),
		Ref:        ref,
		Free:       FreeParameters[:3],
		Dir:        dir,
		Workers:    2,
	}
}

func same(t *testing.T, what string, a, b *Result) {
	t.Helper()
	if !reflect.DeepEqual(a.Best, b.Best) {
		t.Errorf("%s: best differs:\n%+v\n%+v", what, a.Best, b.Best)
	}
	if !reflect.DeepEqual(a.Visited, b.Visited) {
		t.Errorf("%s: visited candidates differ", what)
	}
	if !reflect.DeepEqual(a.Sample, b.Sample) {
		t.Errorf("%s: samples differ", what)
	}
}

// TestRunResumeAndWorkers checks that an interrupted and resumed run gives
// the result of an uninterrupted one, replaying the journal instead of
// re-evaluating, and that the result does not depend on the number of
// candidates evaluated at once.
func TestRunResumeAndWorkers(t *testing.T) {
	tmp := t.TempDir()
	full, err := Run(context.Background(), smallConfig(t, filepath.Join(tmp, "full")))
	if err != nil {
		t.Fatal(err)
	}
	if len(full.Visited) != 8 || full.Generations != 2 || full.Replayed != 0 {
		t.Fatalf("visited %d, generations %d, replayed %d; want 8, 2, 0", len(full.Visited), full.Generations, full.Replayed)
	}
	if full.Best.Objective > full.Start.Objective {
		t.Errorf("best objective %v is worse than the start's %v", full.Best.Objective, full.Start.Objective)
	}

	// Interrupt after five finished evaluations, then resume.
	cfg := smallConfig(t, filepath.Join(tmp, "resumed"))
	ctx, cancel := context.WithCancel(context.Background())
	cfg.Progress = func(done, total int, best float64) {
		if done >= 5 {
			cancel()
		}
	}
	if _, err := Run(ctx, cfg); !errors.Is(err, ErrInterrupted) {
		t.Fatalf("interrupted run: %v, want ErrInterrupted", err)
	}
	// Tear the last line, as a kill during a write would.
	path := filepath.Join(tmp, "resumed", JournalFile)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(b, `{"z":[0.1,`...), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg = smallConfig(t, filepath.Join(tmp, "resumed"))
	resumed, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if resumed.Replayed < 3 {
		t.Errorf("resumed run replayed %d evaluations, want at least 3 of the 4+ kept", resumed.Replayed)
	}
	t.Logf("start %v, best %v, replayed on resume %d", full.Start.Objective, full.Best.Objective, resumed.Replayed)
	same(t, "resumed", full, resumed)

	cfg = smallConfig(t, filepath.Join(tmp, "serial"))
	cfg.Workers = 1
	serial, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "one worker", full, serial)

	// Other settings refuse the journal.
	cfg = smallConfig(t, filepath.Join(tmp, "full"))
	cfg.Seed = 8
	if _, err := Run(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "was written with other settings") {
		t.Errorf("journal with other settings: %v", err)
	}

	// Outputs: calibrated.json and sample.csv, readable back.
	if err := full.Write(filepath.Join(tmp, "full"), "test", fixedTime); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(tmp, "full", CalibratedFile))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := ParseCalibrated("calibrated.json", src)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Objective != float64(full.Best.Objective) || len(doc.Parameters) != 3 || doc.Evaluations != 9 || doc.DataHash != cfg.Ref.Hash {
		t.Errorf("calibrated.json: objective %v, %d parameters, %d evaluations, hash %s", doc.Objective, len(doc.Parameters), doc.Evaluations, doc.DataHash)
	}
	if len(full.Sample) == 0 || full.Sample[0].Objective != full.Best.Objective {
		t.Errorf("sample does not start with the best candidate")
	}
	for _, e := range full.Sample {
		if float64(e.Objective) > (1+DefaultSampleTolerance)*float64(full.Best.Objective) {
			t.Errorf("sample member with objective %v beyond the tolerance", e.Objective)
		}
	}
}

var fixedTime = mustTime("2026-12-01T08:00:00Z")

// TestRunRefusesChangedModel checks that a journal whose start point was
// simulated by another model (its fingerprint differs) is refused.
func TestRunRefusesChangedModel(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "j")
	cfg := smallConfig(t, dir)
	cfg.Budget = 1
	cfg.Population = 2
	if _, err := Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, JournalFile)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	head, rest, _ := strings.Cut(string(b), "\n")
	var h journalHeader
	if err := json.Unmarshal([]byte(head), &h); err != nil {
		t.Fatal(err)
	}
	h.Header.StartValues[0] *= 1.01 // as if the model had simulated another value
	nh, _ := json.Marshal(h)
	if err := os.WriteFile(path, []byte(string(nh)+"\n"+rest), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "the model gives other values at the start point") {
		t.Errorf("changed model: %v", err)
	}
}
