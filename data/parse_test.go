package data

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io/fs"
	"math"
	"strconv"
	"strings"
	"testing"
)

const (
	hCommon    = "series,country,year,period,value,unit,source,source_kind,estimate,note\n"
	hMonthly   = "year,month,rub_per_usd_mean,fixings,source,note\n"
	hEvents    = "date,date_precision,jurisdiction,category,event,quantity,unit,source,source_kind,note\n"
	hUnsourced = "series,country,year,period,best_value,unit,confidence,note\n"
	okRow      = "gdp,Tajikistan,2010,annual,5.6e9,USD,http://x,dataset,no,\n"
)

// parse runs the parser of the given format on input, naming the file x.csv.
func parse(f format, input string) error {
	r := strings.NewReader(input)
	var err error
	switch f {
	case common:
		_, err = parseObservations("x.csv", "data/x.csv", r)
	case monthly:
		_, err = parseMonthly("x.csv", "data/x.csv", r)
	case events:
		_, err = parseEvents("x.csv", "data/x.csv", r)
	case unsourced:
		_, err = parseUnsourced("x.csv", "data/x.csv", r)
	}
	return err
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name   string
		format format
		input  string
		want   string // the whole error text
	}{
		{"bad number", common, hCommon + okRow + "gdp,Tajikistan,2011,annual,abc,USD,http://x,dataset,no,\n",
			`data/x.csv:3: column "value": "abc" is not a number`},
		{"NaN", common, hCommon + "gdp,Tajikistan,2011,annual,NaN,USD,http://x,dataset,no,\n",
			`data/x.csv:2: column "value": "NaN" is not a finite number`},
		{"infinity", common, hCommon + "gdp,Tajikistan,2011,annual,-Inf,USD,http://x,dataset,no,\n",
			`data/x.csv:2: column "value": "-Inf" is not a finite number`},
		{"overflow", common, hCommon + "gdp,Tajikistan,2011,annual,1e999,USD,http://x,dataset,no,\n",
			`data/x.csv:2: column "value": "1e999" is out of range`},
		{"missing column", common, "series,country,year,period,value,unit,source_kind,estimate,note\n" + okRow,
			`data/x.csv:1: missing column "source" (want the header "series,country,year,period,value,unit,source,source_kind,estimate,note")`},
		{"unexpected column", common, strings.TrimSuffix(hCommon, "\n") + ",extra\n" + okRow,
			`data/x.csv:1: unexpected column "extra" (want the header "series,country,year,period,value,unit,source,source_kind,estimate,note")`},
		{"columns out of order", common, "country,series,year,period,value,unit,source,source_kind,estimate,note\n" + okRow,
			`data/x.csv:1: column 1 is "country", want "series" (want the header "series,country,year,period,value,unit,source,source_kind,estimate,note")`},
		{"repeated column", common, strings.TrimSuffix(hCommon, "\n") + ",note\n",
			`data/x.csv:1: repeated columns in the header "series,country,year,period,value,unit,source,source_kind,estimate,note,note"`},
		{"wrong format", common, hMonthly + "2000,1,28.25,18,src,\n",
			`data/x.csv:1: missing column "series" (want the header "series,country,year,period,value,unit,source,source_kind,estimate,note")`},
		{"short row", common, hCommon + okRow + "gdp,Tajikistan,2011,annual,5,USD,http://x,dataset,no\n",
			`data/x.csv:3: row has 9 fields, want 10 (series,country,year,period,value,unit,source,source_kind,estimate,note)`},
		{"long row", common, hCommon + "gdp,Tajikistan,2011,annual,5,USD,http://x,dataset,no,,\n",
			`data/x.csv:2: row has 11 fields, want 10 (series,country,year,period,value,unit,source,source_kind,estimate,note)`},
		{"year too early", common, hCommon + "gdp,Tajikistan,1890,annual,5,USD,http://x,dataset,no,\n",
			`data/x.csv:2: column "year": year 1890 is outside 1990–2100`},
		{"year not a number", common, hCommon + "gdp,Tajikistan,20x0,annual,5,USD,http://x,dataset,no,\n",
			`data/x.csv:2: column "year": "20x0" is not a year (want YYYY in 1990–2100, a range YYYY-YYYY, or "unknown (...)")`},
		{"year text", common, hCommon + "gdp,Tajikistan,soon,annual,5,USD,http://x,dataset,no,\n",
			`data/x.csv:2: column "year": "soon" is not a year (want YYYY in 1990–2100, a range YYYY-YYYY, or "unknown (...)")`},
		{"reversed year range", common, hCommon + "gdp,Tajikistan,2019-2016,annual,5,USD,http://x,dataset,no,\n",
			`data/x.csv:2: column "year": "2019-2016" is not a year (want YYYY in 1990–2100, a range YYYY-YYYY, or "unknown (...)")`},
		{"empty file", common, "",
			`data/x.csv:1: file is empty, want the header "series,country,year,period,value,unit,source,source_kind,estimate,note"`},
		{"empty value with unit", common, hCommon + "gdp,Tajikistan,2011,annual,,USD,http://x,dataset,no,\n",
			`data/x.csv:2: column "value": empty, but the row has unit "USD" (only rows without a unit may leave it empty)`},
		{"value without unit", common, hCommon + "gdp,Tajikistan,2011,annual,5,,http://x,dataset,no,\n",
			`data/x.csv:2: column "unit": empty, but the row has the number "5"`},
		{"empty series", common, hCommon + ",Tajikistan,2011,annual,5,USD,http://x,dataset,no,\n",
			`data/x.csv:2: column "series": empty, a value is required`},
		{"empty source", common, hCommon + "gdp,Tajikistan,2011,annual,5,USD,,dataset,no,\n",
			`data/x.csv:2: column "source": empty, a value is required`},
		{"bad quote", common, hCommon + "gdp,Tajikistan,2011,annual,5,USD,http://x,dataset,no,a \"quoted\" note\n",
			`data/x.csv:2: bad CSV at character 56: bare " in non-quoted-field`},
		{"line after a multi-line field", common, hCommon + "gdp,Tajikistan,2010,annual,5,USD,http://x,dataset,no,\"two\nlines\"\n" + "gdp,Tajikistan,2011,annual,x,USD,http://x,dataset,no,\n",
			`data/x.csv:4: column "value": "x" is not a number`},

		{"month out of range", monthly, hMonthly + "2000,13,28.25,18,src,\n",
			`data/x.csv:2: column "month": "13" is not a month 1–12`},
		{"month repeated", monthly, hMonthly + "2000,1,28.25,18,src,\n2000,1,28.30,18,src,\n",
			`data/x.csv:3: column "month": 2000-01 does not come after 2000-01 on line 2 (months must be in order, without repeats)`},
		{"no fixings", monthly, hMonthly + "2000,1,28.25,0,src,\n",
			`data/x.csv:2: column "fixings": "0" is not a number of fixings 1–31`},
		{"negative rate", monthly, hMonthly + "2000,1,-28.25,18,src,\n",
			`data/x.csv:2: column "rub_per_usd_mean": "-28.25" is not a positive exchange rate`},
		{"monthly bad year", monthly, hMonthly + "200,1,28.25,18,src,\n",
			`data/x.csv:2: column "year": "200" is not a year`},

		{"unknown precision", events, hEvents + "2015-01,week,RU,entry,x,,,src,news,\n",
			`data/x.csv:2: column "date_precision": "week" is not one of day, month, year, approx`},
		{"date does not match precision", events, hEvents + "2015-13-01,day,RU,entry,x,,,src,news,\n",
			`data/x.csv:2: column "date": "2015-13-01" is not a date of the form YYYY-MM-DD (precision day)`},
		{"approx date without a year", events, hEvents + "early 2022,approx,RU,entry,x,,,src,news,\n",
			`data/x.csv:2: column "date": "early 2022" does not start with a year (precision approx)`},
		{"event quantity without unit", events, hEvents + "2015,year,RU,patent_fee,x,4000,,src,news,\n",
			`data/x.csv:2: column "unit": empty, but the row has the number "4000"`},

		{"unsourced bad value", unsourced, hUnsourced + "rub_per_usd,Russian Federation,2024,annual,92,6,RUB per USD,medium,\n",
			`data/x.csv:2: row has 9 fields, want 8 (series,country,year,period,best_value,unit,confidence,note)`},
		{"unsourced no confidence", unsourced, hUnsourced + "rub_per_usd,Russian Federation,2024,annual,92.6,RUB per USD,,\n",
			`data/x.csv:2: column "confidence": empty, a value is required`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := parse(tc.format, tc.input)
			if err == nil {
				t.Fatalf("no error, want %s", tc.want)
			}
			if err.Error() != tc.want {
				t.Errorf("error\n  %s\nwant\n  %s", err, tc.want)
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != "data/x.csv" || pe.Line < 1 {
				t.Errorf("error is not a *ParseError with file and line: %#v", err)
			}
		})
	}
}

func TestParseAccepts(t *testing.T) {
	obs, err := parseObservations("x.csv", "x.csv", strings.NewReader("\ufeff"+hCommon+
		okRow+
		"bans,Tajikistan,unknown (c.2016-2018),point,151000,persons,http://x,news,yes,\n"+
		"stock,Tajikistan,2016-2019,point,1000000,persons,http://x,news,yes,\n"+
		"note,Tajikistan,2013,event,,,http://x,news,no,\"a note, with a comma\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != 4 {
		t.Fatalf("%d observations, want 4", len(obs))
	}
	if o := obs[0]; o.Year != 2010 || o.Value != 5.6e9 || o.Line != 2 || o.File != "x.csv" || o.Source != "http://x" {
		t.Errorf("row 1: %+v", o)
	}
	if o := obs[1]; o.Year != 0 || o.YearText != "unknown (c.2016-2018)" {
		t.Errorf("unknown year: %+v", o)
	}
	if o := obs[2]; o.Year != 0 || o.YearText != "2016-2019" {
		t.Errorf("year range: %+v", o)
	}
	if o := obs[3]; !math.IsNaN(o.Value) || o.Note != "a note, with a comma" {
		t.Errorf("note row: %+v", o)
	}

	evs, err := parseEvents("e.csv", "e.csv", strings.NewReader(hEvents+
		"2013-02-08,day,RU-TJ,registration,x,15,days,src,news,\n"+
		"2011-11,month,RU-TJ,enforcement,x,57,persons,src,news,\n"+
		"2015,year,RU-Moscow,patent_fee,x,4000,RUB per month,src,news,\n"+
		"2022 (early; verify),approx,RU-TJ,amnesty,x,,,src,news,\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]int{{2013, 2}, {2011, 11}, {2015, 0}, {2022, 0}}
	for i, e := range evs {
		if e.Year != want[i][0] || e.Month != want[i][1] {
			t.Errorf("event %d (%s): year %d month %d, want %v", i, e.Date, e.Year, e.Month, want[i])
		}
	}
	if evs[2].Value != 4000 || !math.IsNaN(evs[3].Value) {
		t.Errorf("event values %v, %v", evs[2].Value, evs[3].Value)
	}
}

// writeObservations writes obs in the common format.
func writeObservations(obs []Observation) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(commonHeader)
	for _, o := range obs {
		v := ""
		if !math.IsNaN(o.Value) {
			v = strconv.FormatFloat(o.Value, 'g', -1, 64)
		}
		w.Write([]string{o.Series, o.Country, o.YearText, o.Period, v, o.Unit, o.Source, o.SourceKind, o.Estimate, o.Note})
	}
	w.Flush()
	return b.Bytes()
}

func sameObservation(a, b Observation) bool {
	a.Line, b.Line = 0, 0
	if math.IsNaN(a.Value) && math.IsNaN(b.Value) {
		a.Value, b.Value = 0, 0
	}
	return a == b
}

func addSeeds(f *testing.F, names ...string) {
	for _, name := range names {
		b, err := fs.ReadFile(FS(), name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
}

// FuzzParse checks that the common-format parser never panics, that what it
// accepts obeys the format's rules, and that writing the result back and
// parsing it again gives the same values.
func FuzzParse(f *testing.F) {
	addSeeds(f, "enforcement.csv", "migrants_tajikistan.csv")
	f.Add(hCommon + okRow)
	f.Add(hCommon + "a,b,unknown,p,,,s,k,e,\"multi\nline\"\n")
	f.Add(hCommon + "a,b,2000-2010,p,0x1p-2,u,s,k,e,n\n")
	f.Fuzz(func(t *testing.T, input string) {
		obs, err := parseObservations("x.csv", "x.csv", strings.NewReader(input))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), "x.csv") {
				t.Fatalf("error %q is not a *ParseError naming the file", err)
			}
			return
		}
		for _, o := range obs {
			if math.IsInf(o.Value, 0) || (math.IsNaN(o.Value) != (o.Unit == "")) {
				t.Fatalf("line %d: value %v with unit %q", o.Line, o.Value, o.Unit)
			}
			if o.Year != 0 && (o.Year < MinYear || o.Year > MaxYear) {
				t.Fatalf("line %d: year %d", o.Line, o.Year)
			}
			if o.Series == "" || o.Country == "" || o.Source == "" {
				t.Fatalf("line %d: empty required field: %+v", o.Line, o)
			}
		}
		again, err := parseObservations("x.csv", "x.csv", bytes.NewReader(writeObservations(obs)))
		if err != nil {
			t.Fatalf("re-parsing the written rows: %v", err)
		}
		if len(again) != len(obs) {
			t.Fatalf("%d rows after the round trip, want %d", len(again), len(obs))
		}
		for i := range obs {
			if !sameObservation(obs[i], again[i]) {
				t.Fatalf("row %d changed in the round trip:\n%+v\n%+v", i, obs[i], again[i])
			}
		}
	})
}

func FuzzParseMonthly(f *testing.F) {
	addSeeds(f, "rub_per_usd_monthly.csv")
	f.Add(hMonthly + "2000,1,28.25,18,src,\n2000,2,28.5,20,src,\n")
	f.Fuzz(func(t *testing.T, input string) {
		rates, err := parseMonthly("x.csv", "x.csv", strings.NewReader(input))
		if err != nil {
			return
		}
		for i, m := range rates {
			if m.Month < 1 || m.Month > 12 || m.Year < MinYear || m.Year > MaxYear || !(m.Value > 0) || math.IsInf(m.Value, 0) || m.Fixings < 1 {
				t.Fatalf("accepted a bad row: %+v", m)
			}
			if i > 0 && m.Year*12+m.Month <= rates[i-1].Year*12+rates[i-1].Month {
				t.Fatalf("months out of order: %+v after %+v", m, rates[i-1])
			}
		}
	})
}

func FuzzParseEvents(f *testing.F) {
	addSeeds(f, "policy_events.csv")
	f.Add(hEvents + "2022 (early),approx,RU,amnesty,x,1,persons,src,news,\n")
	f.Fuzz(func(t *testing.T, input string) {
		evs, err := parseEvents("x.csv", "x.csv", strings.NewReader(input))
		if err != nil {
			return
		}
		for _, e := range evs {
			if e.Year < MinYear || e.Year > MaxYear || e.Month < 0 || e.Month > 12 || math.IsInf(e.Value, 0) {
				t.Fatalf("accepted a bad event: %+v", e)
			}
			if (e.Month == 0) != (e.DatePrecision == "year" || e.DatePrecision == "approx") {
				t.Fatalf("month %d with precision %q", e.Month, e.DatePrecision)
			}
		}
	})
}

func FuzzParseUnsourced(f *testing.F) {
	addSeeds(f, "UNSOURCED.csv")
	f.Fuzz(func(t *testing.T, input string) {
		us, err := parseUnsourced("x.csv", "x.csv", strings.NewReader(input))
		if err != nil {
			return
		}
		for _, u := range us {
			if math.IsInf(u.BestValue, 0) || (math.IsNaN(u.BestValue) != (u.Unit == "")) || u.Confidence == "" {
				t.Fatalf("accepted a bad row: %+v", u)
			}
			if u.Year != 0 && (u.Year < MinYear || u.Year > MaxYear) {
				t.Fatalf("year %d", u.Year)
			}
		}
	})
}
