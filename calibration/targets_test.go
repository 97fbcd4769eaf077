package calibration

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/corridor-sim/corridor/data"
)

// update rewrites calibration/targets.csv from package observed:
//
//	go test ./calibration -run TestTargetsFile -update
var update = flag.Bool("update", false, "rewrite targets.csv (and the docs tables) from the code")

func TestTargetsFile(t *testing.T) {
	ref, err := data.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	ts, err := BuildTargets(ref)
	if err != nil {
		t.Fatal(err)
	}
	want := FormatTargets(ts)
	if *update {
		if err := os.WriteFile("targets.csv", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(want, defaultTargetsCSV) {
		t.Fatal("calibration/targets.csv differs from BuildTargets(observed); run go test ./calibration -run TestTargetsFile -update")
	}
	got, err := DefaultTargets()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ts) {
		t.Fatalf("parsed %d targets, built %d", len(got), len(ts))
	}
	// Every weighted series has targets, every year is in sample.
	have := map[string]bool{}
	for _, tg := range got {
		have[tg.Series] = true
		if tg.Year > data.LastInSampleYear || tg.Year < FirstTargetYear {
			t.Errorf("%s %d outside %d–%d", tg.Series, tg.Year, FirstTargetYear, data.LastInSampleYear)
		}
	}
	for s := range SeriesWeights {
		if !have[s] {
			t.Errorf("series %s has a weight but no target", s)
		}
	}
}

func TestParseTargetsErrors(t *testing.T) {
	head := strings.Join(TargetsHeader, ",") + "\n"
	tests := []struct{ name, src, want string }{
		{"empty", "", "t.csv:1:1: header: empty file"},
		{"header", "series,year,value,kind,weight,src\n", "t.csv:1:"},
		{"no rows", head, "no targets"},
		{"series", head + "remittance,2010,1,exact,1,x\n", "t.csv:2:1: series: unknown series \"remittance\""},
		{"year", head + "remittances_usd,20x0,1,exact,1,x\n", "t.csv:2:17: year: \"20x0\" is not a whole year"},
		{"forecast year", head + "remittances_usd,2019,1,exact,1,x\n", "year: 2019 is after 2018"},
		{"early year", head + "remittances_usd,2004,1,exact,1,x\n", "year: 2004 is before 2005"},
		{"value", head + "remittances_usd,2010,-1,exact,1,x\n", "t.csv:2:22: value: \"-1\" is not a positive"},
		{"kind", head + "remittances_usd,2010,1,about,1,x\n", "kind: \"about\" is not one of"},
		{"weight", head + "remittances_usd,2010,1,exact,NaN,x\n", "weight: \"NaN\""},
		{"source", head + "remittances_usd,2010,1,exact,1,\n", "source: empty"},
		{"fields", head + "remittances_usd,2010,1,exact\n", "t.csv:2:"},
		{"duplicate", head + "remittances_usd,2010,1,exact,1,x\nremittances_usd,2010,2,exact,1,y\n", "t.csv:3:17: year: remittances_usd 2010 is already given on line 2"},
		{"quote", head + "remittances_usd,2010,1,exact,1,\"x\n", "t.csv:2:"},
	}
	for _, tc := range tests {
		_, err := ParseTargets("t.csv", []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to contain %q", tc.name, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error spans lines: %q", tc.name, err)
		}
	}
}

func TestParseTargetsRoundTrip(t *testing.T) {
	ts, err := DefaultTargets()
	if err != nil {
		t.Fatal(err)
	}
	again, err := ParseTargets("x.csv", FormatTargets(ts))
	if err != nil {
		t.Fatal(err)
	}
	for i := range ts {
		if ts[i] != again[i] {
			t.Fatalf("row %d: %+v became %+v", i, ts[i], again[i])
		}
	}
}

// FuzzParseTargets checks that no input makes the parser panic, that
// errors are one line naming the file, and that accepted files round-trip.
func FuzzParseTargets(f *testing.F) {
	f.Add(defaultTargetsCSV)
	f.Add([]byte(strings.Join(TargetsHeader, ",") + "\nremittances_usd,2010,1e9,exact,1,x\n"))
	f.Add([]byte("series,year\n\"a"))
	f.Fuzz(func(t *testing.T, src []byte) {
		ts, err := ParseTargets("f.csv", src)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.csv") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("bad error %q", err)
			}
			return
		}
		again, err := ParseTargets("f.csv", FormatTargets(ts))
		if err != nil || len(again) != len(ts) {
			t.Fatalf("round trip: %v", err)
		}
	})
}
