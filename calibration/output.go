package calibration

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/corridor-sim/corridor/params"
	"github.com/corridor-sim/corridor/results"
)

// The files a calibration writes into its output folder (besides the
// journal), and which --install copies to params/.
const (
	CalibratedFile = "calibrated.json"
	SampleFile     = "sample.csv"
)

// SampleRule says how the sample is chosen, for calibrated.json and the docs.
const SampleRule = "the best distinct candidates evaluated by the calibration (start point included) whose objective is at most " +
	"(1 + tolerance) × the best objective, at most size of them, best first. They are plausible by the fit criterion, " +
	"not draws from a posterior: most come from the last CMA-ES generations, so they describe the neighbourhood of the " +
	"optimum that the search explored, and understate parameter uncertainty."

// Calibrated is the content of calibrated.json.
type Calibrated struct {
	Date            string `json:"date"` // YYYY-MM-DD (UTC) of the run
	Command         string `json:"command"`
	CorridorVersion string `json:"corridor_version"`
	DataHash        string `json:"data_hash"`    // data.Reference.Hash of the data fitted
	TargetsHash     string `json:"targets_hash"` // SHA-256 of the targets file
	TargetsFile     string `json:"targets_file"`
	Settings        struct {
		Settings
		Until       string   `json:"until"`
		Seeds       []uint64 `json:"seeds"`
		Budget      int      `json:"budget"`
		Generations int      `json:"generations"`
		Optimiser   string   `json:"optimiser"`
	} `json:"settings"`
	// Parameters are the fitted values (read by params.Defaults).
	Parameters []params.CalibratedValue `json:"parameters"`
	Free       []FreeFit                `json:"free"`
	Objective  float64                  `json:"objective"`
	// StartObjective is the objective of the reference (hand-set) values.
	StartObjective float64 `json:"start_objective"`
	Evaluations    int     `json:"evaluations"`
	// RemittanceMAPE is the training MAPE of remittances_usd (exact
	// targets), in percent, at the recorded scale and seeds.
	RemittanceMAPE float64 `json:"remittances_usd_mape_pct"`
	Fit            struct {
		Series  []SeriesFit `json:"series"`
		Targets []TargetFit `json:"targets"`
	} `json:"fit"`
	// ScaleCheck is the fit of the fitted values re-run at full (or
	// another) scale, if the run made that check.
	ScaleCheck *Check `json:"scale_check,omitempty"`
	Sample     struct {
		File      string  `json:"file"`
		Size      int     `json:"size"`
		Tolerance float64 `json:"tolerance"`
		Rule      string  `json:"rule"`
	} `json:"sample"`
}

// FreeFit is one free parameter's bounds, start and fitted value.
type FreeFit struct {
	Name  string  `json:"name"`
	Lower float64 `json:"lower"`
	Upper float64 `json:"upper"`
	Start float64 `json:"start"`
	Value float64 `json:"value"`
}

// Document builds calibrated.json for a result. command is the command
// line that produced it; now is the run's date.
func (r *Result) Document(command string, now time.Time) Calibrated {
	var c Calibrated
	c.Date = now.UTC().Format("2006-01-02")
	c.Command = command
	c.CorridorVersion = results.Version
	c.DataHash = r.DataHash
	c.TargetsHash = r.TargetsHash
	c.TargetsFile = "calibration/targets.csv"
	c.Settings.Settings = r.Config.Settings
	c.Settings.Until = FitUntil.String()
	c.Settings.Seeds = Seeds(r.Config.Replicates)
	c.Settings.Budget = r.Config.Budget
	c.Settings.Generations = r.Generations
	c.Settings.Optimiser = "gonum optimize.CmaEsChol on logit-transformed bounds"
	for _, f := range r.Config.Free {
		start, _ := get(&r.Config.Start, f.Name)
		v := r.Best.Params[f.Name]
		c.Parameters = append(c.Parameters, params.CalibratedValue{Name: f.Name, Value: v})
		c.Free = append(c.Free, FreeFit{f.Name, f.Lower, f.Upper, start, v})
	}
	c.Objective = float64(r.Best.Objective)
	c.StartObjective = float64(r.Start.Objective)
	c.Evaluations = 1 + len(r.Visited)
	vals := unfloats(r.Best.Values)
	c.Fit.Targets, c.Fit.Series = Fit(r.Config.Targets, vals)
	if m, err := MAPE(r.Config.Targets, vals, "remittances_usd"); err == nil {
		c.RemittanceMAPE = m
	}
	c.ScaleCheck = r.Check
	c.Sample.File = SampleFile
	c.Sample.Size = len(r.Sample)
	c.Sample.Tolerance = r.Config.SampleTolerance
	c.Sample.Rule = SampleRule
	return c
}

// MarshalCalibrated encodes calibrated.json (indented, finite numbers only).
func MarshalCalibrated(c Calibrated) ([]byte, error) {
	for _, t := range c.Fit.Targets {
		if math.IsNaN(t.Simulated) || math.IsInf(t.Simulated, 0) {
			return nil, fmt.Errorf("calibration: %s %d has no finite simulated value", t.Series, t.Year)
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ParseCalibrated reads calibrated.json.
func ParseCalibrated(filename string, src []byte) (*Calibrated, error) {
	var c Calibrated
	dec := json.NewDecoder(bytes.NewReader(src))
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%s: %v", filename, err)
	}
	return &c, nil
}

// SampleCSV encodes the sample: member, objective, then one column per
// free parameter (params.ParseSample reads it).
func (r *Result) SampleCSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	head := []string{"member", "objective"}
	for _, f := range r.Config.Free {
		head = append(head, f.Name)
	}
	w.Write(head)
	for i, e := range r.Sample {
		row := []string{strconv.Itoa(i + 1), strconv.FormatFloat(float64(e.Objective), 'g', -1, 64)}
		for _, f := range r.Config.Free {
			row = append(row, strconv.FormatFloat(e.Params[f.Name], 'g', -1, 64))
		}
		w.Write(row)
	}
	w.Flush()
	return b.Bytes()
}

// Write writes calibrated.json and sample.csv into dir, each atomically
// (a temporary file, synced, then renamed into place).
func (r *Result) Write(dir, command string, now time.Time) error {
	doc, err := MarshalCalibrated(r.Document(command, now))
	if err != nil {
		return err
	}
	if err := WriteFileAtomic(filepath.Join(dir, SampleFile), r.SampleCSV()); err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(dir, CalibratedFile), doc)
}

// Install copies calibrated.json and sample.csv from the calibration
// folder dir into the params folder paramsDir (the shipped location, which
// the binary embeds: rebuild to use them).
func Install(dir, paramsDir string) error {
	for _, name := range []string{SampleFile, CalibratedFile} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if err := WriteFileAtomic(filepath.Join(paramsDir, name), b); err != nil {
			return err
		}
	}
	return nil
}

// WriteFileAtomic writes b to path atomically (results.WriteFileAtomic).
func WriteFileAtomic(path string, b []byte) error {
	return results.WriteFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

func mkdirAll(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("output folder %s: %w", dir, err)
	}
	return nil
}

// Sample returns the shipped sample of plausible parameter sets
// (params/sample.csv, written by `corridor calibrate --install`), each a
// complete parameter set: params.Defaults() with the member's free values.
// An ensemble runs each member with its own seeds.
func Sample() ([]params.Params, error) {
	ps, err := params.ShippedSample()
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, fmt.Errorf("params/sample.csv holds no parameter sets; run corridor calibrate --install")
	}
	return ps, nil
}

// Shipped returns the shipped calibration (params/calibrated.json).
func Shipped() (*Calibrated, error) {
	return ParseCalibrated("params/calibrated.json", params.CalibratedJSON())
}
