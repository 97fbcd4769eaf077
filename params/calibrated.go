package params

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"sync"
)

// The shipped calibration, written by `corridor calibrate --install`
// (see docs/calibration.md): the fitted values of the free parameters with
// the date, data hash and fit, and a sample of plausible parameter sets.
var (
	//go:embed calibrated.json
	calibratedJSON []byte
	//go:embed sample.csv
	sampleCSV []byte
)

// CalibratedValue is one fitted parameter value of the shipped calibration.
type CalibratedValue struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

type shippedCalibration struct {
	date   string
	values []CalibratedValue
	has    map[string]bool
	err    error
}

var shipped = sync.OnceValue(func() *shippedCalibration {
	var doc struct {
		Date       string            `json:"date"`
		Parameters []CalibratedValue `json:"parameters"`
	}
	c := &shippedCalibration{has: map[string]bool{}}
	if err := json.Unmarshal(calibratedJSON, &doc); err != nil {
		c.err = fmt.Errorf("params/calibrated.json: %v", err)
		return c
	}
	c.date = doc.Date
	c.values = doc.Parameters
	for _, v := range doc.Parameters {
		c.has[v.Name] = true
	}
	return c
})

// CalibratedJSON returns the shipped calibration file (params/calibrated.json).
func CalibratedJSON() []byte { return bytes.Clone(calibratedJSON) }

// SampleCSV returns the shipped sample file (params/sample.csv).
func SampleCSV() []byte { return bytes.Clone(sampleCSV) }

// ShippedCalibration returns the fitted values of the shipped calibration and its
// date, or an error if params/calibrated.json cannot be read.
func ShippedCalibration() (date string, values []CalibratedValue, err error) {
	c := shipped()
	return c.date, append([]CalibratedValue(nil), c.values...), c.err
}

// ParseSample reads a sample file: a header "member,objective,<name>..."
// and one parameter set per row. Each set is Defaults() with the row's
// values applied. filename is used in error messages (file:line:column).
func ParseSample(filename string, src []byte) ([]Params, error) {
	r := csv.NewReader(bytes.NewReader(src))
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s:1:1: header: %v", filename, err)
	}
	if len(head) < 3 || head[0] != "member" || head[1] != "objective" {
		return nil, fmt.Errorf("%s:1:1: header: want member,objective,<parameter>..., got %q", filename, head)
	}
	var out []Params
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v", filename, err)
		}
		p := Defaults()
		for i := 2; i < len(head); i++ {
			line, col := r.FieldPos(i)
			x, err := strconv.ParseFloat(rec[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%s:%d:%d: %s: %q is not a number", filename, line, col, head[i], rec[i])
			}
			if err := p.Set(head[i], x); err != nil {
				return nil, fmt.Errorf("%s:%d:%d: %s: %v", filename, line, col, head[i], err)
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// ShippedSample returns the shipped sample of plausible parameter sets.
func ShippedSample() ([]Params, error) { return ParseSample("params/sample.csv", sampleCSV) }
