package results

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func testManifest() Manifest {
	return Manifest{
		CorridorVersion: "0.1.0-test",
		GitCommit:       "0123456789abcdef0123456789abcdef01234567",
		GoVersion:       "go1.26.8",
		Seed:            math.MaxUint64, // does not fit a float64 exactly
		Scale:           10,
		Scenario:        "baseline",
		From:            "2005-01",
		Until:           "2030-12",
		Agents:          912_345,
		Parameters: []Parameter{
			{Name: "patent_price_rub", Value: 4000, Unit: "RUB per month", Source: "Moscow regional law, 2015"},
			{Name: "exchange_fee", Value: 0.015, Unit: "share", Source: "World Bank Remittance Prices Worldwide"},
		},
		InputsSHA256: strings.Repeat("ab", 32),
		Files: []FileInfo{
			{Name: "annual.csv", SHA256: strings.Repeat("01", 32), Bytes: 1234},
			{Name: "monthly.csv", SHA256: strings.Repeat("02", 32), Bytes: 56789},
		},
		ColumnsDoc: "docs/outputs.md",
	}
}

func TestWriteManifest(t *testing.T) {
	m := testManifest()
	var a, b bytes.Buffer
	if err := WriteManifest(&a, m); err != nil {
		t.Fatal(err)
	}
	if err := WriteManifest(&b, m); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two writes of the same manifest differ")
	}
	golden(t, "manifest.json", a.Bytes())

	// Round trip: parameters come back sorted by name, the rest unchanged.
	var got Manifest
	if err := json.Unmarshal(a.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := testManifest()
	want.Parameters[0], want.Parameters[1] = want.Parameters[1], want.Parameters[0]
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\ngot  %+v\nwant %+v", got, want)
	}
	if m.Parameters[0].Name != "patent_price_rub" {
		t.Error("WriteManifest reordered the caller's parameters")
	}
}

func TestWriteManifestEmptyLists(t *testing.T) {
	m := Manifest{From: "2005-01", Until: "2005-12"}
	var buf bytes.Buffer
	if err := WriteManifest(&buf, m); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"parameters": []`, `"files": []`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("manifest does not contain %s:\n%s", want, buf.String())
		}
	}
}

func TestWriteManifestErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Manifest)
		want string
	}{
		{"bad from", func(m *Manifest) { m.From = "2005" }, "manifest from"},
		{"missing until", func(m *Manifest) { m.Until = "" }, "manifest until"},
		{"NaN parameter", func(m *Manifest) { m.Parameters[0].Value = math.NaN() }, "NaN"},
	}
	for _, tc := range tests {
		m := testManifest()
		tc.edit(&m)
		var buf bytes.Buffer
		if err := WriteManifest(&buf, m); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: wrote %d bytes before failing", tc.name, buf.Len())
		}
	}
}

func TestNewManifest(t *testing.T) {
	m := NewManifest()
	if m.CorridorVersion != Version || m.GoVersion != runtime.Version() || m.ColumnsDoc != "docs/outputs.md" || m.GitCommit == "" {
		t.Errorf("NewManifest() = %+v", m)
	}
}

func TestBuildCommit(t *testing.T) {
	defer func(c string) { Commit = c }(Commit)
	tests := []struct {
		commit string
		want   string // "" means: whatever the build info says, but not empty
	}{
		{"abc123", "abc123"},
		{"", ""},
	}
	for _, tc := range tests {
		Commit = tc.commit
		got := BuildCommit()
		if tc.want != "" && got != tc.want || got == "" {
			t.Errorf("with Commit = %q, BuildCommit() = %q, want %q", tc.commit, got, tc.want)
		}
	}
}
