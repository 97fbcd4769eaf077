package params

import (
	"strings"
	"testing"
)

// TestShippedCalibration checks params/calibrated.json and params/sample.csv:
// every calibrated name is a scalar parameter, its value is valid, Defaults
// applies it and lists it as calibrated, and every sample member is a
// valid parameter set.
func TestShippedCalibration(t *testing.T) {
	date, values, err := ShippedCalibration()
	if err != nil {
		t.Fatal(err)
	}
	d := Defaults()
	r := Reference()
	list := map[string]Param{}
	for _, pr := range d.List() {
		list[pr.Name] = pr
	}
	for _, cv := range values {
		pr, ok := list[cv.Name]
		if !ok {
			t.Errorf("calibrated.json names %q, which is not a parameter", cv.Name)
			continue
		}
		if pr.Value != cv.Value {
			t.Errorf("Defaults().%s = %v, want the calibrated %v", cv.Name, pr.Value, cv.Value)
		}
		if pr.Status != Calibrated || !strings.Contains(pr.Source, "corridor calibrate "+date) {
			t.Errorf("%s: status %q, source %q", cv.Name, pr.Status, pr.Source)
		}
		p := r
		if err := p.Set(cv.Name, cv.Value); err != nil {
			t.Errorf("calibrated %s: %v", cv.Name, err)
		}
	}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	sample, err := ShippedSample()
	if err != nil {
		t.Fatal(err)
	}
	if len(values) > 0 && len(sample) == 0 {
		t.Error("a calibration is shipped without a sample")
	}
	for i, p := range sample {
		if err := p.Validate(); err != nil {
			t.Errorf("sample member %d: %v", i+1, err)
		}
	}
}

func TestParseSampleErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"", "s.csv:1:1: header"},
		{"a,b,c\n", "want member,objective"},
		{"member,objective,remit_share\n1,0.5,x\n", "s.csv:2:7: remit_share: \"x\" is not a number"},
		{"member,objective,remit_share\n1,0.5,2\n", "s.csv:2:7: remit_share: invalid parameters"},
		{"member,objective,no_such\n1,0.5,2\n", "unknown parameter"},
		{"member,objective,remit_share\n1,0.5\n", "s.csv"},
	}
	for _, tc := range tests {
		_, err := ParseSample("s.csv", []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.src, err, tc.want)
		}
	}
	ps, err := ParseSample("s.csv", []byte("member,objective,remit_share\n1,0.5,0.45\n2,0.6,0.55\n"))
	if err != nil || len(ps) != 2 || ps[0].RemitShare != 0.45 || ps[1].RemitShare != 0.55 {
		t.Errorf("ParseSample: %v, %d sets", err, len(ps))
	}
}

// FuzzParseSample checks that no sample file makes the parser panic and
// that every accepted set is valid.
func FuzzParseSample(f *testing.F) {
	f.Add(sampleCSV)
	f.Add([]byte("member,objective,remit_share\n1,0.5,0.45\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		ps, err := ParseSample("f.csv", src)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.csv") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		for _, p := range ps {
			if err := p.Validate(); err != nil {
				t.Fatal(err)
			}
		}
	})
}
