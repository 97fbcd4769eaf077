package calibration

import (
	"fmt"
	"math"
	"slices"

	"github.com/corridor-sim/corridor/results"
	"github.com/corridor-sim/corridor/sim"
)

// A Statistic computes one series of a simulated history in a year.
type Statistic struct {
	Name string
	Unit string
	Doc  string
	eval func(h *History, year int) float64
}

// History is a simulated history prepared for computing statistics: its
// annual and monthly tables.
type History struct {
	annual, monthly *results.Table
	years           map[int][]float64
	months          map[[2]int][]float64 // (year, month 1..12) → row
}

// NewHistory prepares the records of a run.
func NewHistory(recs []sim.Record) (*History, error) {
	a, err := results.Annual(recs)
	if err != nil {
		return nil, err
	}
	m, err := results.Monthly(recs)
	if err != nil {
		return nil, err
	}
	h := &History{annual: a, monthly: m, years: map[int][]float64{}, months: map[[2]int][]float64{}}
	yc := a.Index("year")
	for _, row := range a.Rows {
		if a.Index("months") >= 0 && row[a.Index("months")] != 12 {
			continue // a partial year is not comparable with annual figures
		}
		h.years[int(row[yc])] = row
	}
	for i, rec := range recs {
		y, mo := rec.Month.Year(), rec.Month.MonthOfYear()
		h.months[[2]int{y, mo}] = m.Rows[i]
	}
	return h, nil
}

// Years returns the complete years of the history, in order.
func (h *History) Years() []int {
	var ys []int
	for y := range h.years {
		ys = append(ys, y)
	}
	slices.Sort(ys)
	return ys
}

// Value returns statistic name in year, or NaN if the year was not
// simulated in full.
func (h *History) Value(name string, year int) float64 {
	s, ok := series[name]
	if !ok {
		return math.NaN()
	}
	return s.eval(h, year)
}

func (h *History) col(name string, year int) float64 {
	row, ok := h.years[year]
	j := h.annual.Index(name)
	if !ok || j < 0 {
		return math.NaN()
	}
	return row[j]
}

// monthSum sums column name over months from..to (1..12) of year.
func (h *History) monthSum(name string, year, from, to int) float64 {
	j := h.monthly.Index(name)
	if j < 0 {
		return math.NaN()
	}
	sum := 0.0
	for mo := from; mo <= to; mo++ {
		row, ok := h.months[[2]int{year, mo}]
		if !ok {
			return math.NaN()
		}
		sum += row[j]
	}
	return sum
}

func column(name, unit, doc string) Statistic {
	return Statistic{Name: name, Unit: unit, Doc: doc, eval: func(h *History, y int) float64 { return h.col(name, y) }}
}

func ratio(name, unit, doc, num, den string, from, to int) Statistic {
	return Statistic{Name: name, Unit: unit, Doc: doc, eval: func(h *History, y int) float64 {
		return h.monthSum(num, y, from, to) / h.monthSum(den, y, from, to)
	}}
}

func seasonShare(name, doc, flow string, from, to int) Statistic {
	return Statistic{Name: name, Unit: "share", Doc: doc, eval: func(h *History, y int) float64 {
		return h.monthSum(flow, y, from, to) / h.monthSum(flow, y, 1, 12)
	}}
}

// statistics lists the series a target may name.
var statistics = []Statistic{
	column("remittances_usd", "USD", "annual.csv remittances_usd"),
	column("remittances_pct_gdp", "% of GDP", "annual.csv remittances_pct_gdp"),
	{Name: "cbr_transfers_usd", Unit: "USD", Doc: "annual.csv remittances_usd: the model has one remittance concept and does not separate channels or senders",
		eval: func(h *History, y int) float64 { return h.col("remittances_usd", y) }},
	column("migrants_in_russia", "persons", "annual.csv migrants_in_russia (mean of month-end stocks)"),
	column("departures", "persons", "annual.csv departures"),
	column("entry_bans_active", "persons", "annual.csv entry_bans_active (mean of month-end stocks)"),
	column("deportations", "persons", "annual.csv deportations"),
	column("poverty_rate", "share", "annual.csv poverty_rate"),
	column("households_with_migrant_share", "share", "annual.csv households_with_migrant_share"),
	ratio("migrants_women_share", "share", "migrants_women ÷ migrants_abroad, annual means", "migrants_women", "migrants_abroad", 1, 12),
	seasonShare("departures_share_jan_may", "departures in January–May ÷ departures in the year", "departures", 1, 5),
	seasonShare("departures_share_h1", "departures in January–June ÷ departures in the year", "departures", 1, 6),
	seasonShare("returns_share_jan_may", "returns in January–May ÷ returns in the year", "returns", 1, 5),
	ratio("migrants_working_share_jan", "share", "migrants_employed ÷ migrants_abroad in January", "migrants_employed", "migrants_abroad", 1, 1),
	ratio("migrants_working_share_may_jul", "share", "migrants_employed ÷ migrants_abroad over May–July", "migrants_employed", "migrants_abroad", 5, 7),
	ratio("migrants_working_share_nov", "share", "migrants_employed ÷ migrants_abroad in November", "migrants_employed", "migrants_abroad", 11, 11),
}

var series = func() map[string]Statistic {
	m := map[string]Statistic{}
	for _, s := range statistics {
		if _, dup := m[s.Name]; dup {
			panic(fmt.Sprintf("calibration: statistic %s listed twice", s.Name))
		}
		m[s.Name] = s
	}
	return m
}()

// SeriesNames returns the names of the statistics a target may use, in
// their documented order.
func SeriesNames() []string {
	out := make([]string, len(statistics))
	for i, s := range statistics {
		out[i] = s.Name
	}
	return out
}

// Statistics returns the statistics a target may use, in order.
func Statistics() []Statistic { return slices.Clone(statistics) }
