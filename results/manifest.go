package results

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"slices"

	"github.com/corridor-sim/corridor/calendar"
)

// Version is the corridor version recorded in manifests.
var Version = "0.1.0-dev"

// Commit is the git commit corridor was built from. Release builds set it
// with
//
//	-ldflags "-X github.com/corridor-sim/corridor/results.Commit=$(git rev-parse HEAD)"
//
// When it is empty, [BuildCommit] falls back to the build's VCS information.
var Commit = ""

// BuildCommit returns the git commit corridor was built from: [Commit] if
// set, else the vcs.revision that the go command stamps into binaries built
// inside a git checkout, else "unknown".
func BuildCommit() string {
	if Commit != "" {
		return Commit
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && s.Value != "" {
				return s.Value
			}
		}
	}
	return "unknown"
}

// Manifest describes a run well enough to repeat it. It is written to
// manifest.json in the output folder. It holds no timestamps, host names or
// thread counts: two runs with the same inputs write identical manifests.
type Manifest struct {
	CorridorVersion string      `json:"corridor_version"`
	GitCommit       string      `json:"git_commit"`
	GoVersion       string      `json:"go_version"`
	Seed            uint64      `json:"seed"`
	Scale           int         `json:"scale"`    // persons per agent
	Scenario        string      `json:"scenario"` // scenario name
	From            string      `json:"from"`     // first month written, YYYY-MM (the simulation starts in 2005-01)
	Until           string      `json:"until"`    // last month simulated and written, YYYY-MM
	Agents          int         `json:"agents"`   // agents at the start of the run
	Parameters      []Parameter `json:"parameters"`
	InputsSHA256    string      `json:"inputs_sha256"` // hash of the input data
	Files           []FileInfo  `json:"files"`         // the tables written with the manifest
	ColumnsDoc      string      `json:"columns_doc"`   // where the columns are documented
}

// A Parameter is one model parameter as used by the run.
type Parameter struct {
	Name   string  `json:"name"`
	Value  float64 `json:"value"`
	Unit   string  `json:"unit"`
	Source string  `json:"source"` // where the value comes from
}

// NewManifest returns a Manifest with the build information filled in:
// corridor version, git commit, Go version and the columns document.
func NewManifest() Manifest {
	return Manifest{
		CorridorVersion: Version,
		GitCommit:       BuildCommit(),
		GoVersion:       runtime.Version(),
		ColumnsDoc:      "docs/outputs.md",
	}
}

// WriteManifest writes m to w as indented JSON ending in a newline.
// Parameters are written sorted by name, so the order in which the caller
// gathered them does not matter; empty lists are written as [], not null.
// From and Until must be months written as YYYY-MM, and parameter values
// must be finite.
func WriteManifest(w io.Writer, m Manifest) error {
	for _, field := range []struct{ name, value string }{{"from", m.From}, {"until", m.Until}} {
		if _, err := calendar.Parse(field.value); err != nil {
			return fmt.Errorf("manifest %s: %w", field.name, err)
		}
	}
	m.Parameters = slices.Clone(m.Parameters)
	if m.Parameters == nil {
		m.Parameters = []Parameter{}
	}
	slices.SortStableFunc(m.Parameters, func(a, b Parameter) int { return cmp.Compare(a.Name, b.Name) })
	if m.Files == nil {
		m.Files = []FileInfo{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}
