package policy

import (
	"math"
	"testing"

	"github.com/corridor-sim/corridor/calendar"
)

func TestHistoryTimeline(t *testing.T) {
	span := calendar.Range{From: calendar.Of(2005, 1), Until: calendar.Of(2030, 12)}
	tl, err := History(span, 0.02)
	if err != nil {
		t.Fatal(err)
	}
	at := func(y, m int) State { return tl.At(calendar.Of(y, m)) }
	tests := []struct {
		name string
		ok   bool
	}{
		{"3-day registration in 2010", at(2010, 1).RegistrationGraceDays == 3},
		{"15-day registration from 2013-08", at(2013, 8).RegistrationGraceDays == 15 && at(2013, 7).RegistrationGraceDays == 3},
		{"exit bans from 2013", !at(2012, 12).ExitBans && at(2013, 1).ExitBans},
		{"foreign passport and patents from 2015", !at(2014, 12).ForeignPassport && at(2015, 1).ForeignPassport && at(2015, 1).PatentRequired},
		{"Moscow patent 4,000 RUB in 2015", at(2015, 6).PatentFeeRUB == 4000},
		{"Moscow patent 7,500 RUB in 2024", at(2024, 6).PatentFeeRUB == 7500},
		{"amnesty in mid-2017 only", at(2017, 7).AmnestyShare == 0.25 && at(2017, 8).AmnestyShare == 0},
		{"border closed April 2020 – March 2021", !at(2020, 4).EntryOpen && !at(2021, 3).EntryOpen && at(2021, 4).EntryOpen && at(2020, 3).EntryOpen},
		{"exits limited during the closure", math.Abs(at(2020, 6).ExitFactor-0.3) < 1e-12 && at(2021, 4).ExitFactor == 1},
		{"2022 amnesty of 120,590", at(2022, 2).AmnestyCount == 120590},
		{"transfer cost 2% early, 1% 2020, 4.2% late", at(2010, 1).TransferCost == 0.02 && at(2020, 6).TransferCost == 0.01 && at(2022, 1).TransferCost == 0.042},
		{"checks ×3.1 after Crocus", at(2024, 3).Check[0] == 1 && at(2024, 4).Check[0] == 3.1 && at(2024, 4).Check[NumWorkCells-1] == 3.1},
		{"bank bar from 2025-02", !at(2025, 1).IrregularBankBar && at(2025, 2).IrregularBankBar && at(2025, 2).InformalCost == InformalTransferCost},
		{"57 deported in November 2011", at(2011, 11).DeportCount == 57 && at(2011, 11).DeportIrregularFirst && at(2011, 12).DeportCount == 0},
		{"ban lengths 5y before 2013, 3y from 2013, 3/5/10y from 2015", at(2012, 1).BanMonths == [3]float64{60, 60, 60} && !at(2012, 1).ExitBans &&
			at(2013, 1).BanMonths == [3]float64{36, 36, 36} && at(2013, 1).ExitBans && at(2015, 1).BanMonths == [3]float64{36, 60, 120} && at(2015, 1).DeportBanMonths == 60},
		{"exam from 2015", at(2014, 12).ExamFeeRUB == 0 && at(2015, 1).ExamFeeRUB == 3800 && at(2015, 1).ExamPassRate == 1},
		{"refusals and advisories 2024", at(2024, 4).Refusal[0] == 0.05 && at(2024, 4).Advisory[0] == 1 && at(2024, 5).Advisory[0] == 0.95 && at(2024, 9).Advisory[0] == 0.95*0.95},
		{"regional sector bans from 2024-07", at(2024, 7).SectorBan[1] == 0.1 && at(2024, 7).SectorBan[2] == 0.1 && at(2024, 7).SectorBan[0] == 0 && at(2024, 7).SectorLayoff[1] == 0.1 && at(2024, 8).SectorLayoff[1] == 0},
	}
	for _, tc := range tests {
		if !tc.ok {
			t.Errorf("%s: wrong", tc.name)
		}
	}
	for _, e := range tl.Events {
		if e.Source == "" || e.Lever == "" {
			t.Errorf("event %+v has no source or lever", e)
		}
		// Every event is a lever of the library, except the transfer cost (a
		// base value from data/PARAMETERS.md §7).
		if _, ok := LookupLever(e.Lever); !ok && e.Lever != "transfer_cost" {
			t.Errorf("history event %s %v is not a lever", e.Lever, e.From)
		}
	}
}

func TestAtClampsAndApply(t *testing.T) {
	span := calendar.Range{From: calendar.Of(2005, 1), Until: calendar.Of(2005, 12)}
	tl, err := NewTimeline(span, Base())
	if err != nil {
		t.Fatal(err)
	}
	tl.Apply(calendar.Of(2005, 6), calendar.Of(2005, 3), "check_intensity", "2", "test", func(s *State) { s.CheckIntensity = 2 })
	if tl.At(calendar.Of(2005, 5)).CheckIntensity != 1 || tl.At(calendar.Of(2005, 12)).CheckIntensity != 2 {
		t.Fatal("open-ended Apply wrong")
	}
	if tl.At(calendar.Of(2000, 1)).CheckIntensity != 1 || tl.At(calendar.Of(2040, 1)).CheckIntensity != 2 {
		t.Fatal("At does not clamp to the span")
	}
	if _, err := NewTimeline(calendar.Range{From: 10, Until: 9}, Base()); err == nil {
		t.Fatal("empty span accepted")
	}
}
