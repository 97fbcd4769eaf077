package main

import (
	"strings"
	"testing"

	"github.com/corridor-sim/corridor/policy"
)

// TestLevers: the list names every lever of the library; a lever's page
// gives its mechanism, source, intensity range and settings; bad names get
// one line, a suggestion and exit 2.
func TestLevers(t *testing.T) {
	r := runCLI(t, "levers")
	wantOK(t, r, []string{"levers"})
	for _, l := range policy.Levers() {
		if !strings.Contains(r.stdout, "\n"+l.Name+" ") {
			t.Errorf("levers does not list %s", l.Name)
		}
	}
	r = runCLI(t, "levers", "visa_regime")
	wantOK(t, r, []string{"levers", "visa_regime"})
	l, _ := policy.LookupLever("visa_regime")
	for _, want := range []string{"mechanism  " + l.Mechanism, "source     " + l.Source, "setting    cost_usd:", "intensity  " + l.Unit} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("levers visa_regime lacks %q:\n%s", want, r.stdout)
		}
	}
	checkOneLineError(t, runCLI(t, "levers", "visa_regim"), `unknown lever "visa_regim"`, "did you mean visa_regime?")
	checkOneLineError(t, runCLI(t, "levers", "zzzzzzzzzz"), `unknown lever "zzzzzzzzzz"`, "see 'corridor levers'")
	checkOneLineError(t, runCLI(t, "levers", "a", "b"), "at most one lever name")
}
