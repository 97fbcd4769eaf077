package policy

import (
	"errors"
	"math"
)

// The lever library. Each lever's doc strings are the reference for
// docs/levers.md; magnitudes that no source gives are named assumptions
// there and in the setting docs below.

const (
	ev   = "data/policy_events.csv"
	pm   = "data/PARAMETERS.md"
	src1 = "Shlapentokh (2013), the first source document"
	src2 = "Sethi (2017), the second source document"
)

func init() {
	// ---- Destination state (Russia) ----
	register(Lever{
		Name: "enforcement_campaign", Side: "destination",
		Summary:   "raids and document checks: the rate at which irregular migrants in Russia are caught, detained, deported and banned",
		Mechanism: "State.Check (by sector × sex × age group) multiplies check_rate × CheckIntensity, the monthly probability that an irregular migrant in Russia is caught; a caught migrant is deported home with a re-entry ban (DeportBanMonths)",
		Source:    src1 + " (2013 raids, 83 planned detention camps, ≥5,750 detained in Moscow Jul–Aug 2013: " + pm + " §10); " + pm + " §10 (MVD checks ×3.1 in Jan–Jul 2024)",
		Unit:      "× the check rate", Min: 0, Max: 50, Default: 2, Standard: 3, Months: 6,
		Targets: []string{"sector", "sex", "age_group"},
		Combine: "factors multiply",
		apply: func(s *State, e LeverEvent, _ int) {
			e.Target.eachWork(func(c int) { s.Check[c] *= e.Intensity })
		},
	})
	register(Lever{
		Name: "mass_deportation", Side: "destination",
		Summary:   "deportation of a share or a number of the Tajik migrants in Russia each month, irregular migrants first",
		Mechanism: "State.DeportShare (by work cell) is the monthly probability that a migrant in Russia is deported (home, banned for DeportBanMonths); count_per_month persons are turned into a share of the previous month's stock in the targeted cells; with irregular_first the share is taken from irregular migrants first (legal ones only once all irregular ones are taken, using the national irregular share of the previous month)",
		Source:    src1 + " (threats to deport Tajik migrants, 2013; 3,000 deported in half a year); " + ev + " 2011-11 (57 deported after the pilot dispute)",
		Unit:      "share of migrants in Russia per month", Min: 0, Max: 1, Default: 0.02, Standard: 0.02, Months: 6,
		Targets: []string{"sector", "sex", "age_group"},
		Combine: "shares combine as independent probabilities, 1 − (1 − a)(1 − b); counts add; irregular_first holds if any event sets it",
		Settings: []Setting{
			{Name: "count_per_month", Unit: "persons per month", Doc: "a number deported each month instead of (or on top of) the share", Default: 0, Min: 0, Max: 1e6},
			{Name: "irregular_first", Unit: "0 or 1", Doc: "1: irregular migrants are taken first", Default: 1, Min: 0, Max: 1},
		},
		apply: func(s *State, e LeverEvent, _ int) {
			count := e.Settings["count_per_month"]
			e.Target.eachWork(func(c int) {
				s.DeportShare[c] = OrShare(s.DeportShare[c], e.Intensity)
				if count > 0 {
					s.DeportCountCells[c] = true
				}
			})
			s.DeportCount += count
			if e.Settings["irregular_first"] >= 0.5 {
				s.DeportIrregularFirst = true
			}
		},
	})
	register(Lever{
		Name: "reentry_bans", Side: "destination",
		Summary:   "length of re-entry bans by violation: overstays of more than 180 and 270 days, shorter overstays, deportation",
		Mechanism: "State.BanMonths and DeportBanMonths: ban length on exit after an overstay (≥ ban_overstay_months, >180 days, >270 days) and after a deportation; State.ExitBans turns on systematic exit bans (probability exit_ban_late instead of exit_ban_early)",
		Source:    ev + " 2015-01-12 (>180 days ⇒ 5 years, >270 days ⇒ 10 years); " + pm + " §10 (3-year bans for overstays, 2013; >120 days ⇒ 3 years); " + ev + " 2007-01-06 (deportation ⇒ 5-year ban)",
		Unit:      "years of ban for an overstay of more than 180 days", Min: 0, Max: 50, Default: 5, Standard: 10, Months: 12,
		Combine: "the later event wins (a ban regime replaces the previous one)",
		Settings: []Setting{
			{Name: "years_270", Unit: "years", Doc: "ban for an overstay of more than 270 days", Default: 10, Min: 0, Max: 50},
			{Name: "years_base", Unit: "years", Doc: "ban for a shorter overstay (at least ban_overstay_months)", Default: 3, Min: 0, Max: 50},
			{Name: "years_deportation", Unit: "years", Doc: "ban after a deportation", Default: 5, Min: 0, Max: 50},
		},
		apply: func(s *State, e LeverEvent, _ int) {
			s.ExitBans = true
			s.BanMonths = [3]float64{12 * e.Settings["years_base"], 12 * e.Intensity, 12 * e.Settings["years_270"]}
			s.DeportBanMonths = 12 * e.Settings["years_deportation"]
		},
	})
	register(Lever{
		Name: "border_refusals", Side: "destination",
		Summary:   "refusals of entry at the Russian border to Tajik citizens who are not under a ban",
		Mechanism: "State.Refusal (by region × sex × age group): the probability that a would-be migrant heading for Russia is turned back at the border (counted in refused_entry) and stays home this month",
		Source:    src1 + " (17,000 prevented from entering in half a year, 2013); " + ev + " 2024-04-22 (mass entry refusals at Sagarchin)",
		Unit:      "share of entrants refused", Min: 0, Max: 1, Default: 0.1, Standard: 0.1, Months: 6,
		Targets: []string{"region", "sex", "age_group"},
		Combine: "shares combine as independent probabilities",
		apply: func(s *State, e LeverEvent, _ int) {
			e.Target.eachHome(func(c int) { s.Refusal[c] = OrShare(s.Refusal[c], e.Intensity) })
		},
	})
	register(Lever{
		Name: "visa_regime", Side: "destination",
		Summary:   "a visa for Tajik citizens entering Russia: approval rate, cost, waiting time and an annual quota",
		Mechanism: "Departures to Russia × approval rate × the entry-cost factor max(0, 1 − (cost_usd + delay_months·g)/(7·g)), g the expected monthly gain from migrating (USD) and 7 months the median spell (THPS 2009, " + pm + " §4); with a quota, would-be entrants pass with probability min(1, quota/12 ÷ last month's demand × seasonal ratio) and the rest are counted in refused_entry",
		Source:    src1 + " (threats of a visa regime, 2013); " + pm + " §10 (visa-regime proposals 2011 and 2024); " + ev + " 2024-04-02 (work-visa proposal)",
		Unit:      "share of applications approved", Min: 0, Max: 1, Default: 0.8, Standard: 0.8, Months: 12,
		Combine: "approval rates multiply; costs and delays add; the smallest quota holds",
		Settings: []Setting{
			{Name: "cost_usd", Unit: "USD", Doc: "cost of a visa to the migrant (fee, documents, intermediaries); assumption, no source", Default: 100, Min: 0, Max: 10000},
			{Name: "delay_months", Unit: "months", Doc: "waiting time for a visa; assumption, no source", Default: 1, Min: 0, Max: 24},
			{Name: "quota_per_year", Unit: "visas per year", Doc: "annual quota of work visas for Tajik citizens (0: none)", Default: 0, Min: 0, Max: 1e7},
		},
		apply: func(s *State, e LeverEvent, _ int) {
			s.Visa = true
			s.VisaApproval *= e.Intensity
			s.VisaCostUSD += e.Settings["cost_usd"]
			s.VisaDelayMonths += e.Settings["delay_months"]
			if q := e.Settings["quota_per_year"]; q > 0 && (s.VisaQuota == 0 || q < s.VisaQuota) {
				s.VisaQuota = q
			}
		},
	})
	register(Lever{
		Name: "foreign_passport", Side: "destination",
		Summary:   "entry only with a foreign (international) passport: cost and delay for those without one",
		Mechanism: "Departures to Russia × (1 − share + share × entry-cost factor(cost_usd, delay_months)), the entry-cost factor as for visa_regime. The 2015 requirement in the history is the calibrated parameter passport_deterrent instead, because the share without a passport and its cost in 2015 are not in the data",
		Source:    ev + " 2014-06-17 and 2015-01-01; " + src1 + " (a foreign-passport requirement proposed, 2013: the passport is 'a cumbersome and expensive process')",
		Unit:      "share of would-be migrants without a foreign passport", Min: 0, Max: 1, Default: 0.5, Standard: 0.5, Months: 12,
		Combine: "the largest share, cost and delay hold",
		Settings: []Setting{
			{Name: "cost_usd", Unit: "USD", Doc: "cost of obtaining a foreign passport; assumption, no source", Default: 100, Min: 0, Max: 10000},
			{Name: "delay_months", Unit: "months", Doc: "waiting time for a foreign passport; assumption, no source", Default: 2, Min: 0, Max: 24},
		},
		apply: func(s *State, e LeverEvent, _ int) {
			s.PassportShare = math.Max(s.PassportShare, e.Intensity)
			s.PassportCostUSD = math.Max(s.PassportCostUSD, e.Settings["cost_usd"])
			s.PassportDelayMonths = math.Max(s.PassportDelayMonths, e.Settings["delay_months"])
		},
	})
	register(Lever{
		Name: "registration_grace_days", Side: "destination",
		Summary:   "days a newly arrived migrant has to register at the place of stay",
		Mechanism: "State.RegistrationGraceDays: the share registering in time, 1 − exp(−grace/registration_tau), sets the legal share on arrival in Russia",
		Source:    ev + " 2007-01-06 (3 days), 2013-02-08 and the first source document (15 days from August 2013)",
		Unit:      "days", Min: 0, Max: 365, Default: 15, Standard: 3, Months: 12,
		Combine: "the later event wins",
		apply:   func(s *State, e LeverEvent, _ int) { s.RegistrationGraceDays = e.Intensity },
	})
	register(Lever{
		Name: "patent_fee", Side: "destination",
		Summary:   "a work patent is required and costs this much a month (Moscow price)",
		Mechanism: "State.PatentRequired and PatentFeeRUB: take-up exp(−patent_aversion × fee/earnings) scales the legal share on arrival and regularisation; legal migrants pay the fee (patent_revenue_rub), which lowers their net earnings and the expected gain of departing",
		Source:    ev + " 2015-01-01 (patent system) and the Moscow prices 2015, 2016, 2024, 2025, 2026; " + pm + " §10",
		Unit:      "RUB per month", Min: 0, Max: 100000, Default: 4000, Standard: 15000, Months: 12,
		Combine: "the later event wins",
		apply:   func(s *State, e LeverEvent, _ int) { s.PatentRequired, s.PatentFeeRUB = true, e.Intensity },
	})
	register(Lever{
		Name: "patent_exam", Side: "destination",
		Summary:   "the language, history and law exam required for a patent: pass rate and fee",
		Mechanism: "State.ExamPassRate multiplies the legal share on arrival and regularisation (those who fail cannot get a patent); the fee, spread over the certificate's validity, is added to the monthly cost in the take-up exp(−patent_aversion × cost/earnings)",
		Source:    ev + " 2015-01-01 (exam required); " + pm + " §10 (fee 3,800 RUB, certificate valid 3 years, 2023–24)",
		Unit:      "share passing", Min: 0, Max: 1, Default: 0.8, Standard: 0.7, Months: 12,
		Combine: "pass rates multiply; the highest fee and the shortest validity hold",
		Settings: []Setting{
			{Name: "fee_rub", Unit: "RUB", Doc: "exam fee (3,800 RUB in 2023–24, " + pm + " §10)", Default: 3800, Min: 0, Max: 100000},
			{Name: "valid_months", Unit: "months", Doc: "validity of the certificate (3 years, " + pm + " §10)", Default: 36, Min: 1, Max: 600},
		},
		apply: func(s *State, e LeverEvent, _ int) {
			s.ExamPassRate *= e.Intensity
			s.ExamFeeRUB = math.Max(s.ExamFeeRUB, e.Settings["fee_rub"])
			if v := e.Settings["valid_months"]; s.ExamValidMonths == 0 || v < s.ExamValidMonths {
				s.ExamValidMonths = v
			}
		},
	})
	register(Lever{
		Name: "work_permit_quota", Side: "destination",
		Summary:   "an annual quota of work patents or permits for Tajik citizens",
		Mechanism: "Arrivals in Russia who would be legal get status with probability min(1, quota/12 ÷ last month's legal demand × seasonal ratio); the others arrive irregular. Regularisation is scaled by the same ratio",
		Source:    pm + " §10 (patents issued to Tajiks ≈300,000 in 2014, 433,700 in 2016; quota-based work permits before 2015)",
		Unit:      "permits per year", Min: 0, Max: 1e7, Default: 300000, Standard: 200000, Months: 12,
		Combine: "the smallest quota holds",
		apply: func(s *State, e LeverEvent, _ int) {
			if !s.PermitQuotaOn || e.Intensity < s.PermitQuota {
				s.PermitQuota = e.Intensity
			}
			s.PermitQuotaOn = true
		},
	})
	register(Lever{
		Name: "sector_ban", Side: "destination",
		Summary:   "bans on migrant labour in a sector (or in a share of its jobs, e.g. in some regions)",
		Mechanism: "State.SectorBan: in the first month, that share of migrants working in the sector lose their job (SectorLayoff); while in force, new arrivals are not assigned to the banned share of the sector (its sector share is scaled by 1 − ban and the shares renormalised), and a migrant of the sector who finds work moves to another sector with probability ban. Jobless migrants return at return_jobless",
		Source:    pm + " §10 (regional bans in transport, hotels, education, health; 2024 bill for medical, pharmaceutical, school jobs); " + ev + " 2024-07-31",
		Unit:      "share of the sector's jobs closed to migrants", Min: 0, Max: 1, Default: 1, Standard: 0.25, Months: 12,
		Targets: []string{"sector"},
		Combine: "shares combine as independent probabilities",
		apply: func(s *State, e LeverEvent, k int) {
			e.Target.eachSector(func(sec int) {
				s.SectorBan[sec] = OrShare(s.SectorBan[sec], e.Intensity)
				if k == 0 {
					s.SectorLayoff[sec] = OrShare(s.SectorLayoff[sec], e.Intensity)
				}
			})
		},
	})
	register(Lever{
		Name: "ban_amnesty", Side: "destination",
		Summary:   "lifting of re-entry bans, by share or number",
		Mechanism: "State.AmnestyShare: each active ban is lifted with this probability in each month in force; count persons are turned into a share of the previous month's ban stock (in persons, so the number is the same at any scale)",
		Source:    ev + " 2017 (≈100,000 of ≈400,000) and 2022 (120,590); data/enforcement.csv; " + pm + " §10 (2021: ≈300,000 Tajik and Uzbek migrants)",
		Unit:      "share of active bans lifted per month", Min: 0, Max: 1, Default: 0.25, Standard: 0.25, Months: 1,
		Combine: "shares combine as independent probabilities; counts add",
		Settings: []Setting{
			{Name: "count", Unit: "persons per month", Doc: "a number of bans lifted each month in force", Default: 0, Min: 0, Max: 1e7},
		},
		apply: func(s *State, e LeverEvent, _ int) {
			s.AmnestyShare = OrShare(s.AmnestyShare, e.Intensity)
			s.AmnestyCount += e.Settings["count"]
		},
	})
	register(Lever{
		Name: "bank_transfer_bar", Side: "destination",
		Summary:   "a registry of irregular persons barred from bank transfers: their remittances go through costlier informal channels",
		Mechanism: "State.IrregularBankBar and InformalCost: irregular migrants pay the informal cost (share of the amount) instead of the formal transfer cost",
		Source:    ev + " 2024-06 and 2025-02-05 (registry of controlled persons); " + pm + " §10 (FZ-260: no bank transfers)",
		Unit:      "cost of the informal channel, share of the amount", Min: 0, Max: 0.9, Default: InformalTransferCost, Standard: InformalTransferCost, Months: 12,
		Combine: "the highest cost holds",
		apply: func(s *State, e LeverEvent, _ int) {
			if !s.IrregularBankBar {
				s.InformalCost = 0
			}
			s.IrregularBankBar = true
			s.InformalCost = math.Max(s.InformalCost, e.Intensity)
		},
	})
	register(Lever{
		Name: "border_closure", Side: "destination",
		Summary:   "no new entries to Russia; exits limited (as in 2020)",
		Mechanism: "State.EntryOpen = false (departures to Russia fail; Kazakhstan and elsewhere stay open); State.ExitFactor multiplies return probabilities by 1 − intensity",
		Source:    ev + " 2020-03-16 (entry barred), 2020-03-20/27 (flights suspended) to 2021-04-01",
		Unit:      "share of exits blocked", Min: 0, Max: 1, Default: 0.7, Standard: 0.7, Months: 6,
		Combine: "exit factors multiply",
		apply:   func(s *State, e LeverEvent, _ int) { s.EntryOpen = false; s.ExitFactor *= 1 - e.Intensity },
	})
	register(Lever{
		Name: "produce_ban", Side: "destination",
		Summary:   "a Russian ban on Tajik fruit, vegetables or dried fruit: agricultural incomes at home fall",
		Mechanism: "State.HomeIncome[region][rural] × (1 − intensity): rural home earnings and other income in the targeted regions; lower home income raises poverty and, through the earnings gap, departures",
		Source:    src1 + " (Russian cities stopped accepting Tajik fruit and vegetables, 2013); " + pm + " §10 (May 2010 dried-fruit ban: apricot orchard revenue −40%, Sughd ≈90% of dried-fruit exports; 2015 luggage ban; fruit and vegetable exports to Russia USD 50 m in H1 2014)",
		Unit:      "share of rural home income lost", Min: 0, Max: 1, Default: 0.05, Standard: 0.05, Months: 12,
		Targets: []string{"region"},
		Combine: "factors multiply",
		apply: func(s *State, e LeverEvent, _ int) {
			e.Target.eachRegion(func(r int) { s.HomeIncome[r][0] *= 1 - e.Intensity })
		},
	})
	register(Lever{
		Name: "rail_obstruction", Side: "destination",
		Summary:   "obstruction of Tajik trains transiting Russia: travel cost and time for migrants, freight losses for the home economy",
		Mechanism: "Departures to Russia × the entry-cost factor (intensity USD, delay_days/30 months); State.HomeIncome of every region and area × (1 − freight_loss)",
		Source:    src1 + " (Russian authorities sought to create problems for Tajik trains transiting Russian territory; April 2013 roundtable); " + pm + " §10 (8 rail cars of dried fruit returned, 2010)",
		Unit:      "extra cost of a trip to Russia, USD", Min: 0, Max: 5000, Default: 50, Standard: 100, Months: 6,
		Combine: "costs and delays add; freight factors multiply",
		Settings: []Setting{
			{Name: "delay_days", Unit: "days", Doc: "extra travel time; assumption, no source", Default: 5, Min: 0, Max: 365},
			{Name: "freight_loss", Unit: "share of home income", Doc: "home income lost through disrupted freight; assumption, no source", Default: 0.01, Min: 0, Max: 1},
		},
		apply: func(s *State, e LeverEvent, _ int) {
			s.RailCostUSD += e.Intensity
			s.RailDelayMonths += e.Settings["delay_days"] / 30
			f := 1 - e.Settings["freight_loss"]
			for r := range s.HomeIncome {
				s.HomeIncome[r][0] *= f
				s.HomeIncome[r][1] *= f
			}
		},
	})
	register(Lever{
		Name: "energy_price_shock", Side: "destination",
		Summary:   "a rise in the price of Russian fuel and energy sold to Tajikistan",
		Mechanism: "State.HomeIncome of the targeted regions ÷ (1 + energy_share × rise/100): real home income falls by the energy share of spending",
		Source:    src1 + " (the Kremlin's energy-tariff hike against Bakiev's Kyrgyzstan in 2010 cited as the precedent); " + src2 + " (fuel shortages)",
		Unit:      "% rise in energy prices", Min: 0, Max: 1000, Default: 50, Standard: 50, Months: 12,
		Targets: []string{"region"},
		Combine: "factors multiply",
		Settings: []Setting{
			{Name: "energy_share", Unit: "share of household income", Doc: "share of household income spent on fuel and energy; assumption, no source", Default: 0.1, Min: 0, Max: 1},
		},
		apply: func(s *State, e LeverEvent, _ int) {
			f := 1 / (1 + e.Settings["energy_share"]*e.Intensity/100)
			e.Target.eachRegion(func(r int) { s.HomeIncome[r][0] *= f; s.HomeIncome[r][1] *= f })
		},
	})
	register(Lever{
		Name: "labour_demand_shock", Side: "destination",
		Summary:   "a Russian recession or a fall (rise) in the demand for migrant labour, by sector",
		Mechanism: "State.DemandShockPP is added to Russian real growth in the job-finding, job-loss and employment-on-arrival rates of the targeted sectors (semi-elasticity demand_elasticity)",
		Source:    pm + " §11 (2008–09 crisis: Russian GDP −7.8% in 2009, ≈1/3 of migrants returned) and §12 (remittances −1.5% per −1 pp of Russian growth)",
		Unit:      "percentage points of Russian growth", Min: -30, Max: 30, Default: -5, Standard: -5, Months: 12,
		Targets: []string{"sector"},
		Combine: "shocks add",
		apply: func(s *State, e LeverEvent, _ int) {
			e.Target.eachSector(func(sec int) { s.DemandShockPP[sec] += e.Intensity })
		},
	})
	register(Lever{
		Name: "ruble_devaluation", Side: "destination",
		Summary:   "a fall of the ruble against the dollar, reached linearly over ramp_months",
		Mechanism: "State.RubFactor multiplies RUB/USD by 1/(1 − fall × min(1, (k+1)/ramp_months)) in the k-th month: migrant earnings, remittances and the earnings gap in USD fall; compensating remittances respond to the fall below the trailing 12-month mean",
		Source:    pm + " §11 (2014–16: −37% USD value of the ruble, CBR transfers −67% in USD; 2008–09: RUB −51% Mar 2008–Mar 2009)",
		Unit:      "% fall of the ruble's USD value", Min: 0, Max: 90, Default: 30, Standard: 30, Months: 12,
		Combine: "factors multiply",
		Settings: []Setting{
			{Name: "ramp_months", Unit: "months", Doc: "months over which the fall is reached (1: at once); assumption", Default: 3, Min: 1, Max: 60},
		},
		apply: func(s *State, e LeverEvent, k int) {
			ramp := math.Min(1, float64(k+1)/e.Settings["ramp_months"])
			s.RubFactor /= 1 - e.Intensity/100*ramp
		},
	})

	// ---- Origin state and third parties ----
	register(Lever{
		Name: "alternative_destination", Side: "third party",
		Summary:   "another destination opens or closes (Kazakhstan; Turkey, South Korea or the EU as elsewhere)",
		Mechanism: "State.DestShare replaces the sourced share of departures going to the target destination (elsewhere when no destination is named; diversion: the total departure hazard is unchanged unless Russia is deterred); wage_ratio multiplies migrant earnings there relative to the Russian migrant wage in USD. Migrants there are legal and pay no patent (assumption)",
		Source:    pm + " §3 and migrants_tajikistan.csv (2016: 12,400 of 517,300 departures to Kazakhstan); " + pm + " §9 (average wage in Kazakhstan USD 807 against 203 in Tajikistan, 2023); " + src1 + " (Dushanbe's hedging with other partners)",
		Unit:      "share of departures to the destination", Min: 0, Max: 1, Default: 0.1, Standard: 0.1, Months: 12,
		Targets: []string{"destination"},
		Combine: "the later event wins",
		Settings: []Setting{
			{Name: "wage_ratio", Unit: "ratio", Doc: "migrant earnings there ÷ migrant earnings in Russia (USD); assumption", Default: 1, Min: 0, Max: 10},
		},
		check: func(e LeverEvent) error {
			if e.Target.Destination == "russia" {
				return errors.New("the target destination must be kazakhstan or elsewhere")
			}
			return nil
		},
		apply: func(s *State, e LeverEvent, _ int) {
			d := 2 // elsewhere unless kazakhstan is named
			if e.Target.Destination == "kazakhstan" {
				d = 1
			}
			s.DestShare[d], s.DestSet[d], s.DestWage[d] = e.Intensity, true, e.Settings["wage_ratio"]
		},
	})
	register(Lever{
		Name: "patron_investment", Side: "third party",
		Summary:   "investment by another patron (e.g. China's USD 300 million of 2013), by region",
		Mechanism: "Tajik GDP + gdp_share × investment; home jobs in the targeted regions (all regions, by working-age residents at home, when none is named) = local_wage_share × investment ÷ (12 × home wage): home employment rises, which raises household incomes, lets jobless returnees find work and lowers the region's departure propensity through the earnings gap. The home labour market has no sectors, so the lever takes no sector target",
		Source:    src1 + " (May 2013: China agrees to invest USD 300 million in Tajikistan)",
		Unit:      "USD million per year", Min: 0, Max: 100000, Default: 300, Standard: 300, Months: 12,
		Targets: []string{"region"},
		Combine: "investments add",
		Settings: []Setting{
			{Name: "local_wage_share", Unit: "share", Doc: "share of the investment paid as local wages; assumption, no source", Default: 0.3, Min: 0, Max: 1},
			{Name: "gdp_share", Unit: "share", Doc: "share of the investment that adds to Tajik GDP; assumption", Default: 1, Min: 0, Max: 1},
		},
		apply: func(s *State, e LeverEvent, _ int) {
			usd := e.Intensity * 1e6
			s.GDPAddUSD += usd * e.Settings["gdp_share"]
			bill := usd * e.Settings["local_wage_share"]
			if e.Target.Region == "" {
				s.WageBillNational += bill
				return
			}
			e.Target.eachRegion(func(r int) { s.WageBill[r] += bill })
		},
	})
	register(Lever{
		Name: "hydro_power", Side: "origin",
		Summary:   "a hydro-power project (Rogun, Sangtuda-2) stalls or completes",
		Mechanism: "Tajik GDP × (1 + intensity/100) and home incomes of every region × the same factor; jobs (construction employment gained, or lost when negative) in the targeted regions, or spread over all regions",
		Source:    src1 + " (Rogun: USD 200 million collected from the population, the government unable to complete it; Iran built Sangtuda-2)",
		Unit:      "% change in Tajik GDP (negative: a stall)", Min: -20, Max: 20, Default: -1, Standard: -1, Months: 12,
		Targets: []string{"region"},
		Combine: "factors multiply; jobs add",
		Settings: []Setting{
			{Name: "jobs", Unit: "persons", Doc: "jobs at home gained (negative: lost); assumption, no source", Default: 0, Min: -1e6, Max: 1e6},
		},
		apply: func(s *State, e LeverEvent, _ int) {
			f := 1 + e.Intensity/100
			s.GDPFactor *= f
			for r := range s.HomeIncome {
				s.HomeIncome[r][0] *= f
				s.HomeIncome[r][1] *= f
			}
			if e.Target.Region == "" {
				s.JobsNational += e.Settings["jobs"]
				return
			}
			e.Target.eachRegion(func(r int) { s.Jobs[r] += e.Settings["jobs"] })
		},
	})
	register(Lever{
		Name: "travel_advisory", Side: "origin",
		Summary:   "the Tajik government advises citizens against travel to Russia",
		Mechanism: "State.Advisory (by region × sex × age group) multiplies the departure propensity to Russia",
		Source:    ev + " 2024-04-22 (MFA advice, 27 Apr 2024) and 2024-09-10 (embassy advisory); " + pm + " §10",
		Unit:      "× departures to Russia", Min: 0, Max: 1, Default: 0.9, Standard: 0.9, Months: 6,
		Targets: []string{"region", "sex", "age_group"},
		Combine: "factors multiply",
		apply: func(s *State, e LeverEvent, _ int) {
			e.Target.eachHome(func(c int) { s.Advisory[c] *= e.Intensity })
		},
	})
	register(Lever{
		Name: "remittance_fee", Side: "origin",
		Summary:   "a fee or tax on formal remittance transfers",
		Mechanism: "State.RemittanceFee is added to the formal transfer cost; households receive the amount sent × (1 − cost); irregular migrants barred from banks pay the informal cost instead",
		Source:    pm + " §7 (transfer costs 1.0% in 2020, 4.2% in 2021Q4)",
		Unit:      "share of the amount", Min: 0, Max: 0.5, Default: 0.02, Standard: 0.02, Months: 12,
		Combine: "fees add",
		apply:   func(s *State, e LeverEvent, _ int) { s.RemittanceFee += e.Intensity },
	})
	register(Lever{
		Name: "organised_recruitment", Side: "origin",
		Summary:   "organised recruitment of migrants for Russian employers, which raises the legal share",
		Mechanism: "State.Recruit: that share of arrivals in Russia from the targeted regions arrive legal and employed; the rest follow the usual rules. departure_boost multiplies the regions' departure propensity to Russia",
		Source:    pm + " §10 (patent holders ≈787k against ≈1.6 m work entries in 2021: the legal share is the lever's target); organised recruitment figures are not in the data",
		Unit:      "share of arrivals recruited", Min: 0, Max: 1, Default: 0.2, Standard: 0.2, Months: 12,
		Targets: []string{"region"},
		Combine: "shares combine as independent probabilities; boosts multiply",
		Settings: []Setting{
			{Name: "departure_boost", Unit: "ratio", Doc: "multiplier on departures to Russia from the targeted regions; assumption", Default: 1, Min: 0, Max: 5},
		},
		apply: func(s *State, e LeverEvent, _ int) {
			e.Target.eachRegion(func(r int) {
				s.Recruit[r] = OrShare(s.Recruit[r], e.Intensity)
				s.RecruitBoost[r] *= e.Settings["departure_boost"]
			})
		},
	})
}
