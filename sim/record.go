package sim

import "github.com/corridor-sim/corridor/calendar"

// Record is what the simulation reports for one month: stocks at the end of
// the month and flows during it, for the whole population (already multiplied
// by the scale, so a run at --scale 10 reports persons, not agents).
//
// Each field's tags drive the output tables:
//   - csv: the column name in monthly.csv and annual.csv;
//   - agg: how months are combined into a year: "mean" for stocks and rates
//     (the mean of the twelve month-end values), "sum" for flows, "last" for
//     year-end values, "none" for columns computed from other columns;
//   - unit and doc: the column's documentation (docs/outputs.md).
type Record struct {
	Month calendar.Month `csv:"month" agg:"none" unit:"YYYY-MM" doc:"calendar month"`

	Population float64 `csv:"population" agg:"mean" unit:"persons" doc:"residents of Tajikistan alive at the end of the month, at home or abroad (migrants stay residents)"`
	AtHome     float64 `csv:"at_home" agg:"mean" unit:"persons" doc:"residents present in Tajikistan"`
	Births     float64 `csv:"births" agg:"sum" unit:"persons" doc:"births during the period"`
	Deaths     float64 `csv:"deaths" agg:"sum" unit:"persons" doc:"deaths during the period (at home or abroad)"`
	WorkingAge float64 `csv:"working_age" agg:"mean" unit:"persons" doc:"residents aged 16–62 (labour resources, TajStat definition 16–63)"`
	Households float64 `csv:"households" agg:"mean" unit:"households" doc:"households with at least one living member"`

	MigrantsAbroad       float64 `csv:"migrants_abroad" agg:"mean" unit:"persons" doc:"labour migrants abroad at the end of the month (all destinations); annual value is the mean of month-end stocks"`
	MigrantsInRussia     float64 `csv:"migrants_in_russia" agg:"mean" unit:"persons" doc:"labour migrants in Russia"`
	MigrantsInKazakhstan float64 `csv:"migrants_in_kazakhstan" agg:"mean" unit:"persons" doc:"labour migrants in Kazakhstan"`
	MigrantsElsewhere    float64 `csv:"migrants_elsewhere" agg:"mean" unit:"persons" doc:"labour migrants in other destinations"`
	MigrantsWomen        float64 `csv:"migrants_women" agg:"mean" unit:"persons" doc:"women among migrants abroad"`
	MigrantsEmployed     float64 `csv:"migrants_employed" agg:"mean" unit:"persons" doc:"migrants abroad who worked during the month"`
	MigrantsLegal        float64 `csv:"migrants_legal" agg:"mean" unit:"persons" doc:"migrants abroad with a legal stay and work status (registered and, where required, holding a paid-up patent or permit)"`
	MigrantsIrregular    float64 `csv:"migrants_irregular" agg:"mean" unit:"persons" doc:"migrants abroad without a legal status"`

	// Migrant employment in Russia by sector (the sector is drawn at departure
	// from the sourced sector shares; see docs/model.md). Summed over a year and
	// divided by 12 these are person-years of migrant labour.
	EmployedConstruction  float64 `csv:"employed_construction" agg:"mean" unit:"persons" doc:"migrants working in Russian construction"`
	EmployedServices      float64 `csv:"employed_services" agg:"mean" unit:"persons" doc:"migrants working in Russian community, social and personal services"`
	EmployedTransport     float64 `csv:"employed_transport" agg:"mean" unit:"persons" doc:"migrants working in Russian transport, storage and communications"`
	EmployedManufacturing float64 `csv:"employed_manufacturing" agg:"mean" unit:"persons" doc:"migrants working in Russian manufacturing"`
	EmployedTrade         float64 `csv:"employed_trade" agg:"mean" unit:"persons" doc:"migrants working in Russian trade"`
	EmployedOther         float64 `csv:"employed_other" agg:"mean" unit:"persons" doc:"migrants working in other Russian sectors"`

	Departures       float64 `csv:"departures" agg:"sum" unit:"persons" doc:"departures abroad for work (comparable to Tajik migration-card departures)"`
	DeparturesRussia float64 `csv:"departures_russia" agg:"sum" unit:"persons" doc:"departures to Russia"`
	DeparturesWomen  float64 `csv:"departures_women" agg:"sum" unit:"persons" doc:"departures by women"`
	RefusedEntry     float64 `csv:"refused_entry" agg:"sum" unit:"persons" doc:"would-be migrants turned back at the Russian border (mostly persons under an entry ban)"`
	Returns          float64 `csv:"returns" agg:"sum" unit:"persons" doc:"returns home, all reasons (including deportations)"`
	ReturnsSeasonal  float64 `csv:"returns_seasonal" agg:"sum" unit:"persons" doc:"returns for the winter season"`
	ReturnsTarget    float64 `csv:"returns_target" agg:"sum" unit:"persons" doc:"returns after reaching a savings target"`
	ReturnsJobLoss   float64 `csv:"returns_job_loss" agg:"sum" unit:"persons" doc:"returns after losing work abroad"`
	Deportations     float64 `csv:"deportations" agg:"sum" unit:"persons" doc:"migrants caught in checks, detained and deported from Russia"`
	BansIssued       float64 `csv:"bans_issued" agg:"sum" unit:"persons" doc:"Russian re-entry bans issued to Tajik citizens (on deportation or on exit after an overstay)"`
	BansLifted       float64 `csv:"bans_lifted" agg:"sum" unit:"persons" doc:"bans lifted by amnesty"`
	EntryBansActive  float64 `csv:"entry_bans_active" agg:"mean" unit:"persons" doc:"living Tajik citizens under a Russian re-entry ban at the end of the month"`
	ReturneesJobless float64 `csv:"returnees_jobless" agg:"mean" unit:"persons" doc:"returned migrants at home who have not found work since their return"`

	MigrantEarningsUSD float64 `csv:"migrant_earnings_usd" agg:"sum" unit:"USD" doc:"earnings of migrants abroad, converted at the month's exchange rate"`
	RemittancesUSD     float64 `csv:"remittances_usd" agg:"sum" unit:"USD" doc:"remittances received by households in Tajikistan, net of transfer costs"`
	TransferCostsUSD   float64 `csv:"transfer_costs_usd" agg:"sum" unit:"USD" doc:"fees paid on remittance transfers"`
	GDPUSD             float64 `csv:"gdp_usd" agg:"sum" unit:"USD" doc:"Tajik GDP in current USD (sourced annual series spread evenly over months; held or extended after the data end, see docs/model.md)"`
	RemittancesPctGDP  float64 `csv:"remittances_pct_gdp" agg:"none" unit:"% of GDP" doc:"remittances_usd / gdp_usd × 100 for the period"`

	HomeEmployed               float64 `csv:"home_employed" agg:"mean" unit:"persons" doc:"working-age residents at home with work"`
	HomeEarningsUSD            float64 `csv:"home_earnings_usd" agg:"sum" unit:"USD" doc:"earnings at home of working residents"`
	HouseholdsWithMigrant      float64 `csv:"households_with_migrant" agg:"mean" unit:"households" doc:"households with at least one member abroad"`
	HouseholdsWithMigrantShare float64 `csv:"households_with_migrant_share" agg:"mean" unit:"share" doc:"households_with_migrant / households"`
	PoorPersons                float64 `csv:"poor_persons" agg:"mean" unit:"persons" doc:"residents at home in households whose income per person is below the poverty line"`
	PovertyRate                float64 `csv:"poverty_rate" agg:"mean" unit:"share" doc:"poor_persons / at_home"`

	PatentRevenueRUB float64 `csv:"patent_revenue_rub" agg:"sum" unit:"RUB" doc:"patent payments made by Tajik migrants to Russian regional budgets"`

	// By region (population.RegionNames order): the cost of a lever to the
	// origin by region (docs/levers.md).
	MigrantsAbroadKhatlon  float64 `csv:"migrants_abroad_khatlon" agg:"mean" unit:"persons" doc:"labour migrants abroad (all destinations) from households in Khatlon"`
	MigrantsAbroadSughd    float64 `csv:"migrants_abroad_sughd" agg:"mean" unit:"persons" doc:"labour migrants abroad (all destinations) from households in Sughd"`
	MigrantsAbroadDRS      float64 `csv:"migrants_abroad_drs" agg:"mean" unit:"persons" doc:"labour migrants abroad (all destinations) from households in the Districts of Republican Subordination (DRS)"`
	MigrantsAbroadDushanbe float64 `csv:"migrants_abroad_dushanbe" agg:"mean" unit:"persons" doc:"labour migrants abroad (all destinations) from households in Dushanbe"`
	MigrantsAbroadGBAO     float64 `csv:"migrants_abroad_gbao" agg:"mean" unit:"persons" doc:"labour migrants abroad (all destinations) from households in Gorno-Badakhshan (GBAO)"`
	AtHomeKhatlon          float64 `csv:"at_home_khatlon" agg:"mean" unit:"persons" doc:"residents present at home in households in Khatlon (the month's newborns excluded)"`
	AtHomeSughd            float64 `csv:"at_home_sughd" agg:"mean" unit:"persons" doc:"residents present at home in households in Sughd (the month's newborns excluded)"`
	AtHomeDRS              float64 `csv:"at_home_drs" agg:"mean" unit:"persons" doc:"residents present at home in households in the Districts of Republican Subordination (DRS) (the month's newborns excluded)"`
	AtHomeDushanbe         float64 `csv:"at_home_dushanbe" agg:"mean" unit:"persons" doc:"residents present at home in households in Dushanbe (the month's newborns excluded)"`
	AtHomeGBAO             float64 `csv:"at_home_gbao" agg:"mean" unit:"persons" doc:"residents present at home in households in Gorno-Badakhshan (GBAO) (the month's newborns excluded)"`
	PoorPersonsKhatlon     float64 `csv:"poor_persons_khatlon" agg:"mean" unit:"persons" doc:"residents at home in households in Khatlon whose income per person is below the poverty line"`
	PoorPersonsSughd       float64 `csv:"poor_persons_sughd" agg:"mean" unit:"persons" doc:"residents at home in households in Sughd whose income per person is below the poverty line"`
	PoorPersonsDRS         float64 `csv:"poor_persons_drs" agg:"mean" unit:"persons" doc:"residents at home in households in the Districts of Republican Subordination (DRS) whose income per person is below the poverty line"`
	PoorPersonsDushanbe    float64 `csv:"poor_persons_dushanbe" agg:"mean" unit:"persons" doc:"residents at home in households in Dushanbe whose income per person is below the poverty line"`
	PoorPersonsGBAO        float64 `csv:"poor_persons_gbao" agg:"mean" unit:"persons" doc:"residents at home in households in Gorno-Badakhshan (GBAO) whose income per person is below the poverty line"`
	PovertyRateKhatlon     float64 `csv:"poverty_rate_khatlon" agg:"mean" unit:"share" doc:"poor_persons_khatlon / at_home_khatlon"`
	PovertyRateSughd       float64 `csv:"poverty_rate_sughd" agg:"mean" unit:"share" doc:"poor_persons_sughd / at_home_sughd"`
	PovertyRateDRS         float64 `csv:"poverty_rate_drs" agg:"mean" unit:"share" doc:"poor_persons_drs / at_home_drs"`
	PovertyRateDushanbe    float64 `csv:"poverty_rate_dushanbe" agg:"mean" unit:"share" doc:"poor_persons_dushanbe / at_home_dushanbe"`
	PovertyRateGBAO        float64 `csv:"poverty_rate_gbao" agg:"mean" unit:"share" doc:"poor_persons_gbao / at_home_gbao"`
	RemittancesUSDKhatlon  float64 `csv:"remittances_usd_khatlon" agg:"sum" unit:"USD" doc:"remittances received by households in Khatlon, net of transfer costs"`
	RemittancesUSDSughd    float64 `csv:"remittances_usd_sughd" agg:"sum" unit:"USD" doc:"remittances received by households in Sughd, net of transfer costs"`
	RemittancesUSDDRS      float64 `csv:"remittances_usd_drs" agg:"sum" unit:"USD" doc:"remittances received by households in the Districts of Republican Subordination (DRS), net of transfer costs"`
	RemittancesUSDDushanbe float64 `csv:"remittances_usd_dushanbe" agg:"sum" unit:"USD" doc:"remittances received by households in Dushanbe, net of transfer costs"`
	RemittancesUSDGBAO     float64 `csv:"remittances_usd_gbao" agg:"sum" unit:"USD" doc:"remittances received by households in Gorno-Badakhshan (GBAO), net of transfer costs"`
}

// setRegions fills the regional columns from the month's totals a (agents)
// at scale k.
func (r *Record) setRegions(a *accum, k float64) {
	abroad := [...]*float64{&r.MigrantsAbroadKhatlon, &r.MigrantsAbroadSughd, &r.MigrantsAbroadDRS, &r.MigrantsAbroadDushanbe, &r.MigrantsAbroadGBAO}
	home := [...]*float64{&r.AtHomeKhatlon, &r.AtHomeSughd, &r.AtHomeDRS, &r.AtHomeDushanbe, &r.AtHomeGBAO}
	poor := [...]*float64{&r.PoorPersonsKhatlon, &r.PoorPersonsSughd, &r.PoorPersonsDRS, &r.PoorPersonsDushanbe, &r.PoorPersonsGBAO}
	rate := [...]*float64{&r.PovertyRateKhatlon, &r.PovertyRateSughd, &r.PovertyRateDRS, &r.PovertyRateDushanbe, &r.PovertyRateGBAO}
	remit := [...]*float64{&r.RemittancesUSDKhatlon, &r.RemittancesUSDSughd, &r.RemittancesUSDDRS, &r.RemittancesUSDDushanbe, &r.RemittancesUSDGBAO}
	for i := range abroad {
		*abroad[i] = a.regionAbroad[i] * k
		*home[i] = a.regionHome[i] * k
		*poor[i] = a.regionPoor[i] * k
		if a.regionHome[i] > 0 {
			*rate[i] = a.regionPoor[i] / a.regionHome[i]
		}
		*remit[i] = a.regionRemit[i] * k
	}
}
