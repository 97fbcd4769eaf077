package params

import (
	"strings"
	"testing"
)

func TestDefaultsValid(t *testing.T) {
	p := Defaults()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, pr := range p.List() {
		if pr.Name == "" || pr.Unit == "" || pr.Doc == "" || pr.Source == "" {
			t.Errorf("parameter %+v lacks a name, unit, doc or source", pr)
		}
		switch pr.Status {
		case Sourced, Derived, Assumption, Calibrated:
		default:
			t.Errorf("%s: status %q", pr.Name, pr.Status)
		}
	}
}

func TestSet(t *testing.T) {
	p := Defaults()
	if err := p.Set("remit_share", 0.4); err != nil || p.RemitShare != 0.4 {
		t.Fatalf("Set: %v, %v", err, p.RemitShare)
	}
	tests := []struct{ name, want string }{
		{"remit_shar", "did you mean remit_share"},
		{"nonsense_parameter_name", "unknown parameter"},
		{"departure_season", "profile"},
	}
	for _, tc := range tests {
		err := p.Set(tc.name, 0.1)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Set(%q): %v, want %q", tc.name, err, tc.want)
		}
	}
	if err := p.Set("remit_share", 1.5); err == nil {
		t.Error("a share of 1.5 was accepted")
	}
}

func TestLevenshtein(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"abc", "abc", 0}, {"kitten", "sitting", 3}, {"", "ab", 2}, {"ж", "жи", 1}} {
		if got := Levenshtein(tc.a, tc.b); got != tc.d {
			t.Errorf("Levenshtein(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.d)
		}
	}
}
