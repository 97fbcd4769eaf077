// Package calendar holds the model's time axis: whole calendar months,
// counted from January 2000, the first month of the reference data.
package calendar

import (
	"fmt"
	"strconv"
	"strings"
)

// Month is a calendar month, counted from January 2000 (Month 0).
// Months before 2000 are negative.
type Month int32

// Origin is the calendar year of Month 0.
const Origin = 2000

// Of returns the Month of a calendar year and month (1–12).
func Of(year, month int) Month {
	return Month((year-Origin)*12 + (month - 1))
}

// Year returns the calendar year of m.
func (m Month) Year() int {
	return Origin + floorDiv(int(m), 12)
}

// MonthOfYear returns the month of the year, 1 (January) to 12 (December).
func (m Month) MonthOfYear() int {
	return int(m) - floorDiv(int(m), 12)*12 + 1
}

// String formats m as YYYY-MM.
func (m Month) String() string {
	return fmt.Sprintf("%04d-%02d", m.Year(), m.MonthOfYear())
}

// Parse reads a month written as YYYY-MM (for example 2013-08).
// A bare year YYYY is not accepted: months are explicit everywhere.
func Parse(s string) (Month, error) {
	y, mo, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok || len(y) != 4 || len(mo) != 2 {
		return 0, fmt.Errorf("month %q: want YYYY-MM, for example 2013-08", s)
	}
	year, err := strconv.Atoi(y)
	if err != nil {
		return 0, fmt.Errorf("month %q: year %q is not a number", s, y)
	}
	month, err := strconv.Atoi(mo)
	if err != nil || month < 1 || month > 12 {
		return 0, fmt.Errorf("month %q: month %q is not 01–12", s, mo)
	}
	return Of(year, month), nil
}

// Range is a closed interval of months [From, Until].
type Range struct {
	From, Until Month
}

// Len is the number of months in r.
func (r Range) Len() int { return int(r.Until-r.From) + 1 }

// Contains reports whether m lies in r.
func (r Range) Contains(m Month) bool { return m >= r.From && m <= r.Until }

func (r Range) String() string { return r.From.String() + ".." + r.Until.String() }

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
