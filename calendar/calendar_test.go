package calendar

import "testing"

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		in   string
		want Month
	}{
		{"2000-01", 0},
		{"2005-01", 60},
		{"2013-08", 163},
		{"1999-12", -1},
		{"2030-12", 371},
	}
	for _, tc := range tests {
		got, err := Parse(tc.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.in, err)
		}
		if got != tc.want {
			t.Errorf("Parse(%q) = %d, want %d", tc.in, got, tc.want)
		}
		if got.String() != tc.in {
			t.Errorf("String() = %q, want %q", got.String(), tc.in)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{"", "2013", "2013-13", "2013-00", "13-08", "2013-8", "abcd-01", "2013/08"} {
		if _, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) succeeded, want error", in)
		}
	}
}

func TestYearMonthConsistent(t *testing.T) {
	for m := Month(-30); m < 400; m++ {
		if Of(m.Year(), m.MonthOfYear()) != m {
			t.Fatalf("Of(Year, MonthOfYear) of %d = %d", m, Of(m.Year(), m.MonthOfYear()))
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"2005-01", "2030-12", "x", "9999-99", "-001-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := Parse(s)
		if err != nil {
			return
		}
		if back, err := Parse(m.String()); err != nil || back != m {
			t.Fatalf("%q parsed to %d, which does not round-trip (%v)", s, m, err)
		}
	})
}
