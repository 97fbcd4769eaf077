package serve

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzRunRequest feeds arbitrary bodies to the request decoder and the
// scenario check: they must answer with a 4xx status or a FieldError that
// names a field for a bad custom scenario, never panic.
func FuzzRunRequest(f *testing.F) {
	for _, s := range []string{
		`{"scale": 100, "until": "2010-12"}`,
		`{"scenario": "history", "members": 3}`,
		`{"custom": {"name": "x", "events": [{"lever": "border_closure", "from": "2010-01", "until": "2011-01", "intensity": 0.5}]}}`,
		`{"custom": {"name": "x", "events": [{"lever": "enforcement_campaign", "from": "2010-01", "settings": {"a": 1}, "target": {"region": "sughd"}}]}}`,
		`{"scale": "x"}`, `{"scal": 1}`, `[`, ``, `{} {}`, `{"seed": -1}`,
	} {
		f.Add(s)
	}
	s := &Server{cfg: Defaults()}
	f.Fuzz(func(t *testing.T, body string) {
		var req RunRequest
		w := httptest.NewRecorder()
		r := httptest.NewRequest("POST", "/api/runs", strings.NewReader(body))
		status, err := s.decode(w, r, &req)
		if err != nil {
			if status < 400 || status > 499 {
				t.Fatalf("decode error %v with status %d", err, status)
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Message == "" {
				t.Fatalf("decode error %v is not a FieldError with a message", err)
			}
			return
		}
		if req.Custom != nil {
			if _, err := req.Custom.scenario("custom"); err != nil {
				var fe *FieldError
				if !errors.As(err, &fe) || !strings.HasPrefix(fe.Field, "custom.") {
					t.Fatalf("scenario error %v does not name a custom field", err)
				}
			}
		}
	})
}

// FuzzParseCSVTable reads arbitrary text as a result table: an error or a
// table whose rows all have one value per column, never a panic.
func FuzzParseCSVTable(f *testing.F) {
	f.Add("year,months,remittances_usd\n2005,12,1000\n2006,12,2000\n")
	f.Add("month,population\n2005-01,7000000\n")
	f.Add("month,population\n2005-13,7000000\n")
	f.Add("seed,year,months,x\n1,2005,12,3\n2,2005,12,4\n")
	f.Add("a,b\n1\n")
	f.Fuzz(func(t *testing.T, src string) {
		tab, err := parseCSVTable("fuzz.csv", strings.NewReader(src))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		for i, r := range tab.Rows {
			if len(r) != len(tab.Columns) {
				t.Fatalf("row %d has %d values for %d columns", i, len(r), len(tab.Columns))
			}
		}
	})
}
