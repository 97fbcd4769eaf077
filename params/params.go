// Package params holds the model's behavioural and structural parameters:
// one value per parameter with its unit, its status (sourced, assumption or
// calibrated) and its source. The figures behind "sourced" values are in
// data/ (parameters_extracted.csv and the other reference files).
//
// Defaults returns the reference parameter set. Parameters can be listed
// (for the run manifest and docs/model.md) and overridden by name.
package params

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
	"sync"
)

// Status says where a parameter's value comes from.
const (
	Sourced    = "sourced"    // taken from a cited figure
	Derived    = "derived"    // computed from cited figures; the formula is in the doc
	Assumption = "assumption" // no source found: a named modelling assumption
	Calibrated = "calibrated" // set by hand (issue 2) or by `corridor calibrate` to fit 2005–2018
)

// Params is the complete parameter set of one run. Field tags:
// name (the override key), unit, status, source, doc. Fields are float64
// unless a fixed-size array is needed.
type Params struct {
	// Demography and households.
	MaleShare        float64 `name:"male_share" unit:"share" status:"sourced" source:"2020 census men 4,901.0k / women 4,760.6k (kabar.kg; parameters.md §1)" doc:"share of men in the population"`
	InitialGrowth    float64 `name:"initial_growth" unit:"1/year" status:"sourced" source:"TajStat population growth ≈2.0%/yr 2000–10 (parameters.md §1)" doc:"growth rate of the stable population used for the 2005 age structure"`
	MortalityMakeham float64 `name:"mortality_makeham" unit:"1/year" status:"assumption" source:"no age-specific life table in the data" doc:"age-independent annual death hazard (Gompertz–Makeham A)"`
	MortalityGompB   float64 `name:"mortality_gompertz_b" unit:"1/year" status:"assumption" source:"no age-specific life table in the data" doc:"Gompertz B: annual hazard at age 0 of the senescent component"`
	MortalityGompC   float64 `name:"mortality_gompertz_c" unit:"1/year of age" status:"assumption" source:"no age-specific life table in the data" doc:"Gompertz C: rate at which the senescent hazard grows with age"`
	InfantMortality  float64 `name:"infant_mortality" unit:"share" status:"assumption" source:"no infant-mortality figure in the data" doc:"probability of dying in the first year of life"`
	HouseholdSize    float64 `name:"household_size" unit:"persons" status:"sourced" source:"2010 census: 7,523,010 members in 1,197,187 households = 6.3 (TajStat; parameters.md §1)" doc:"mean household size of the initial population"`
	HouseholdSplit   float64 `name:"household_split_size" unit:"persons" status:"calibrated" source:"set so that the number of households follows the 2010 census count as the population grows" doc:"households reaching this many living members split in two at the yearly household update"`
	UrbanShare       float64 `name:"urban_share" unit:"share" status:"sourced" source:"2020 census: urban 26.2% (Asia-Plus 2021-10-13; parameters.md §1)" doc:"share of the population in urban households (Dushanbe wholly urban; the rest spread evenly over the other regions, an assumption)"`
	WorkingAgeMin    float64 `name:"working_age_min" unit:"years" status:"sourced" source:"TajStat labour resources aged 16–63 (parameters.md §9)" doc:"youngest age at which a person may work or migrate"`
	WorkingAgeMax    float64 `name:"working_age_max" unit:"years" status:"sourced" source:"TajStat labour resources aged 16–63 (parameters.md §9)" doc:"oldest age at which a person works or stays abroad (inclusive)"`

	// Departure.
	DepartureBase     float64 `name:"departure_base" unit:"1/month" status:"calibrated" source:"fitted by hand to departures 2015–2018 and stocks 2011/2014" doc:"monthly departure probability of a rural man aged 18–29 in a household without a migrant, at the reference wage gap, averaged over the year"`
	WomenPropensity   float64 `name:"women_propensity" unit:"ratio" status:"calibrated" source:"set so that women are ≈13–16% of departures (2016 15.8%, 2018 13.3%; migrants_tajikistan.csv)" doc:"departure propensity of women relative to men"`
	UrbanPropensity   float64 `name:"urban_propensity" unit:"ratio" status:"assumption" source:"migration is predominantly rural (81% of the poor are rural; parameters.md §8); no sourced ratio" doc:"departure propensity of urban relative to rural residents"`
	GapElasticity     float64 `name:"gap_elasticity" unit:"elasticity" status:"calibrated" source:"fitted by hand to the fall in departures 2014→2015 (−25% to Russia) and 2009" doc:"elasticity of the departure hazard to the expected earnings gap (migrant earnings abroad in USD ÷ home earnings in USD)"`
	GapReference      float64 `name:"gap_reference" unit:"ratio" status:"calibrated" source:"about the 2005–2013 mean of the model's own gap" doc:"earnings gap at which the departure hazard equals departure_base"`
	HouseholdNetwork  float64 `name:"household_network" unit:"ratio" status:"assumption" source:"networks raise migration (Shimizutani & Yamada 2022, parameters.md §4, qualitative)" doc:"departure propensity multiplier when another household member is abroad"`
	RegionalNetwork   float64 `name:"regional_network" unit:"elasticity" status:"assumption" source:"networks raise migration (qualitative); no regional intensity figure was found (parameters.md gap 8)" doc:"elasticity of departure propensity to the region's migrant prevalence relative to the national one"`
	ShareKazakhstan   float64 `name:"share_kazakhstan" unit:"share" status:"sourced" source:"2016 departures: Kazakhstan 12,400 of 517,300 (migrants_tajikistan.csv)" doc:"share of departures going to Kazakhstan"`
	ShareElsewhere    float64 `name:"share_elsewhere" unit:"share" status:"sourced" source:"2016 departures: Russia 504,900 + Kazakhstan 12,400 = 517,300 (all); other destinations ≈0" doc:"share of departures going to other destinations"`
	BannedKnow        float64 `name:"banned_know" unit:"share" status:"assumption" source:"many banned migrants learn of the ban only at the Russian airport (IOM; parameters.md §10), share not given" doc:"share of banned would-be migrants who know of their ban before travelling"`
	BannedRedirect    float64 `name:"banned_redirect" unit:"share" status:"assumption" source:"no figure found" doc:"share of banned would-be migrants who know of the ban and go to Kazakhstan instead"`
	PassportDeterrent float64 `name:"passport_deterrent" unit:"ratio" status:"assumption" source:"foreign-passport entry from 2015-01-01 (policy_events.csv); its cost is not quantified in the data" doc:"departure propensity multiplier to Russia while a foreign passport is required"`

	// Work and legal status abroad.
	PayRatio          float64 `name:"pay_ratio" unit:"ratio" status:"calibrated" source:"prior: raw migrant–native gap 36% (2007) and 45% (2009) (Lokshin & Chernina 2013), 20–25% (2016) (parameters.md §5)" doc:"migrant monthly earnings relative to the Russian average nominal wage"`
	ProductivitySigma float64 `name:"productivity_sigma" unit:"log points" status:"assumption" source:"no figure" doc:"standard deviation of a migrant's persistent log-earnings multiplier"`
	EmployedOnArrival float64 `name:"employed_on_arrival" unit:"share" status:"assumption" source:"no figure" doc:"share of arriving migrants who find work in their first month"`
	JobFind           float64 `name:"job_find" unit:"1/month" status:"calibrated" source:"share of migrants currently working 75–86% (L2T 2015–16, parameters.md §3)" doc:"monthly probability that a migrant without work finds work, at reference Russian growth"`
	JobLoss           float64 `name:"job_loss" unit:"1/month" status:"calibrated" source:"share of migrants currently working 75–86% (L2T 2015–16, parameters.md §3)" doc:"monthly probability that a working migrant loses work, at reference Russian growth"`
	DemandElasticity  float64 `name:"demand_elasticity" unit:"1/pp" status:"calibrated" source:"IMF (Behar 2014): remittances −1.5% per −1 pp of Russian GDP growth (parameters.md §12)" doc:"semi-elasticity of job finding (+) and job loss (−) to Russian real GDP growth above growth_reference"`
	GrowthReference   float64 `name:"growth_reference" unit:"% y/y" status:"assumption" source:"round figure near Russian growth 2010–2013 (macro_russia.csv)" doc:"Russian growth at which job_find and job_loss apply"`
	WinterJobFactor   float64 `name:"winter_job_factor" unit:"ratio" status:"calibrated" source:"working share 75% in January vs 85–86% in May–July (L2T, parameters.md §3)" doc:"multiplier on job finding in December–February (construction slack season)"`
	LegalMax          float64 `name:"legal_max" unit:"share" status:"assumption" source:"no legal-status survey found (parameters.md gap 1)" doc:"share of arrivals who would register and hold the required permits if registration were unhurried and permits free"`
	RegistrationTau   float64 `name:"registration_tau" unit:"days" status:"assumption" source:"registration deadline 3 days (2007) then 15 days (2013) (policy_events.csv); the time to register is not measured" doc:"mean time a newcomer needs to register; P(registered in time) = 1 − exp(−grace/τ)"`
	PatentAversion    float64 `name:"patent_aversion" unit:"1/(fee/earnings)" status:"calibrated" source:"patents to Tajiks ≈300k (2014), 433.7k (2016) against ≈1 m present (parameters.md §10)" doc:"take-up of a required patent = exp(−aversion × monthly fee ÷ monthly earnings)"`
	StatusLapse       float64 `name:"status_lapse" unit:"1/month" status:"assumption" source:"no figure" doc:"monthly probability that a legal migrant falls out of status (expired registration, unpaid patent); tripled while out of work"`
	Regularise        float64 `name:"regularise" unit:"1/month" status:"assumption" source:"no figure" doc:"monthly probability that an irregular migrant regularises"`
	CheckRate         float64 `name:"check_rate" unit:"1/month" status:"calibrated" source:"deportations of Tajiks 5,600 in 2006 (enforcement.csv)" doc:"monthly probability that an irregular migrant is caught, detained and deported, at enforcement intensity 1"`
	ExitBanEarly      float64 `name:"exit_ban_early" unit:"share" status:"assumption" source:"before 2013 bans came mainly from deportation (enforcement.csv: 5-year ban on deportation)" doc:"probability that an overstayer leaving Russia is banned, before the 2013 ban regime"`
	ExitBanLate       float64 `name:"exit_ban_late" unit:"share" status:"calibrated" source:"Tajiks under bans ≤198k (Sep 2014) and ≈400k (before the 2017 agreement) (enforcement.csv)" doc:"probability that an overstayer leaving Russia is banned, from 2013"`
	BanOverstayMonths float64 `name:"ban_overstay_months" unit:"months" status:"sourced" source:"overstay >120 days ⇒ 3-year ban (FMS via UNIAN, Jan 2015; parameters.md §10)" doc:"months of irregular stay after which an exit ban may be imposed"`

	// Earnings, remittances, savings, return.
	RemitShare        float64 `name:"remit_share" unit:"share" status:"calibrated" source:"prior ≈40–60% (IRIN 2003 anecdote; UNSOURCED.csv 50–60%)" doc:"share of a migrant's earnings (after the patent fee) sent home"`
	RemitCompensation float64 `name:"remit_compensation" unit:"elasticity" status:"calibrated" source:"short-run compensating remitting after ruble falls: Kyrgyz remittances −2% in 2014 despite RUB −42% (IMF KG Selected Issues 2016, parameters.md §11)" doc:"elasticity of the remitted share to the fall of migrant earnings in USD below their mean of the previous 12 months"`
	RemitShareMax     float64 `name:"remit_share_max" unit:"share" status:"assumption" source:"no figure" doc:"highest share of earnings a migrant sends home when compensating"`
	SaveShare         float64 `name:"save_share" unit:"share" status:"assumption" source:"no figure; earnings per season ≈1,000 USD in 2003 (Economist, parameters.md §5)" doc:"share of earnings (after the patent fee) saved to carry home"`
	TransferCostEarly float64 `name:"transfer_cost_early" unit:"share" status:"assumption" source:"UNSOURCED.csv: roughly 1.5–2.5% for 2015–19; Russia cheapest G8 sender in 2014 (parameters.md §7)" doc:"cost of a transfer before 2020, as a share of the amount"`
	TargetMonths      float64 `name:"target_months" unit:"months of home earnings" status:"calibrated" source:"median spell ≈7 months (THPS 2009, parameters.md §4); spell lengths 2023 (IOM)" doc:"median savings target, in months of the current home wage (the target moves with the wage)"`
	TargetSigma       float64 `name:"target_sigma" unit:"log points" status:"assumption" source:"spread of spell lengths (IOM 2023, parameters.md §4)" doc:"dispersion of savings targets across migrants"`
	ReturnBase        float64 `name:"return_base" unit:"1/month" status:"calibrated" source:"returns 2–4% of current migrants per month (L2T 2015–16, parameters.md §3)" doc:"monthly return probability for other reasons (family, illness)"`
	ReturnWinter      float64 `name:"return_winter" unit:"1/month" status:"calibrated" source:"returns peak in November, departures in March–April (parameters.md §4, §12); Jan–May holds ≈27% of returns (2016, migrants_tajikistan.csv)" doc:"extra monthly return probability in November and December for migrants who have been away at least 6 months"`
	ReturnOnTarget    float64 `name:"return_on_target" unit:"1/month" status:"assumption" source:"target-earner behaviour (qualitative)" doc:"monthly return probability once the savings target is reached"`
	ReturnJobless     float64 `name:"return_jobless" unit:"1/month" status:"assumption" source:"2009 crisis: about a third of migrants returned (DFID survey, parameters.md §8)" doc:"monthly return probability of a migrant without work"`

	// Home economy and households.
	HomeWageAnchor  float64 `name:"home_wage_anchor" unit:"USD/month" status:"sourced" source:"average nominal wage 472 TJS ≈ 103 USD, March 2011 (Asia-Plus; parameters.md §9)" doc:"average home wage in 2011; other years follow GDP per person in USD"`
	HomeEmployment  float64 `name:"home_employment" unit:"share" status:"derived" source:"employment-to-population 39.4% at ages 15–75 (LFS 2009, parameters.md §9) ÷ ≈0.85 working-age share of ages 15–75" doc:"share of working-age residents at home who work"`
	UrbanWage       float64 `name:"urban_wage" unit:"ratio" status:"assumption" source:"agricultural wage ≈35% of the average wage (Feb 2014, parameters.md §9) suggests a large gap; the split is assumed" doc:"urban earnings relative to the national average"`
	RuralWage       float64 `name:"rural_wage" unit:"ratio" status:"assumption" source:"see urban_wage" doc:"rural earnings relative to the national average"`
	OtherIncome     float64 `name:"other_income" unit:"share of home wage per person" status:"assumption" source:"own-farm output, pensions and transfers are not in the data" doc:"income per household member at home besides wages and remittances"`
	IncomeSigma     float64 `name:"income_sigma" unit:"log points" status:"assumption" source:"poverty dynamics: ≈50% never poor, ≈10% chronically poor, ≈40% cross the line (WB 2015, parameters.md §8)" doc:"dispersion of a household's persistent income multiplier"`
	PovertyLine     float64 `name:"poverty_line" unit:"USD/person/month (2011 prices)" status:"calibrated" source:"set so that the 2007 poverty rate is ≈53.5% (ADB, parameters.md §8); later years are a test" doc:"poverty line per person and month, in constant March-2011 USD"`
	ReturneeJobFind float64 `name:"returnee_job_find" unit:"1/month" status:"assumption" source:"no figure; jobs needed ≥200,000/yr vs ≈280k entrants (parameters.md §9)" doc:"monthly probability that a jobless returnee finds work at home"`

	// Initial conditions (January 2005).
	InitialMigrants float64 `name:"initial_migrants" unit:"persons" status:"derived" source:">400,000 staying in Russia in January 2006 (ministry survey) and 371,000 employed in Russia in 2005 (IOM) (migrants_tajikistan.csv, parameters.md §3)" doc:"migrants abroad at the start (January 2005)"`
	InitialBans     float64 `name:"initial_bans" unit:"persons" status:"derived" source:"≈18,000 deported in 2004 with 5-year bans; >50,000 deported 2004–06 (enforcement.csv)" doc:"Tajiks under re-entry bans at the start: two years of 2004-level deportations"`

	// Seasonal profiles.
	DepartureSeason [12]float64 `name:"departure_season" unit:"share of annual departures" status:"derived" source:"Jan–May 52.4% and H1 59.7% of 2016 departures (migrants_tajikistan.csv); peak March–April (parameters.md §4); the split within those spans is assumed" doc:"seasonal profile of the departure hazard, January to December (sums to 1)"`

	// Age profile of departure propensity.
	AgeProfile [6]float64 `name:"age_profile" unit:"ratio" status:"calibrated" source:"men aged 18–29 are 50.6% of Tajik men present in Russia (FMS 2014, parameters.md §4); migrants are young (Danzer & Ivaschenko 2010)" doc:"departure propensity by age band 16–17, 18–24, 25–29, 30–39, 40–49, 50–62, relative to ages 18–29"`

	// Sector shares of migrant employment in Russia.
	SectorShares [6]float64 `name:"sector_shares" unit:"share" status:"sourced" source:"IOM returnee survey Nov 2023: construction 43, services 18, transport 11, manufacturing 7, trade 5, other 16 (parameters.md §4)" doc:"sector of a migrant's work in Russia: construction, services, transport, manufacturing, trade, other"`
}

// Defaults returns the parameter set of a run: the reference values with
// the shipped calibration (params/calibrated.json, written by
// `corridor calibrate --install`) applied on top.
func Defaults() Params {
	p := Reference()
	for _, cv := range shipped().values {
		// Names and ranges are checked by a test; an unknown name is skipped
		// so that a stale file never stops a run.
		_ = p.Set(cv.Name, cv.Value)
	}
	return p
}

// Reference returns the reference parameter set: the sourced values and
// the hand-set starting values of the calibrated parameters, before the
// shipped calibration is applied. `corridor calibrate` starts from it.
func Reference() Params {
	return Params{
		MaleShare:        4901.0 / (4901.0 + 4760.6),
		InitialGrowth:    0.020,
		MortalityMakeham: 0.0012,
		MortalityGompB:   0.00003,
		MortalityGompC:   0.095,
		InfantMortality:  0.030,
		HouseholdSize:    6.3,
		HouseholdSplit:   11,
		UrbanShare:       0.262,
		WorkingAgeMin:    16,
		WorkingAgeMax:    62,

		DepartureBase:     0.044,
		WomenPropensity:   0.11,
		UrbanPropensity:   0.7,
		GapElasticity:     0.7,
		GapReference:      5.0,
		HouseholdNetwork:  1.5,
		RegionalNetwork:   1.0,
		ShareKazakhstan:   12400.0 / 517300.0,
		ShareElsewhere:    0,
		BannedKnow:        0.6,
		BannedRedirect:    0.3,
		PassportDeterrent: 0.9,

		PayRatio:          0.78,
		ProductivitySigma: 0.3,
		EmployedOnArrival: 0.7,
		JobFind:           0.35,
		JobLoss:           0.05,
		DemandElasticity:  0.03,
		GrowthReference:   3.0,
		WinterJobFactor:   0.5,
		LegalMax:          0.9,
		RegistrationTau:   5,
		PatentAversion:    3.0,
		StatusLapse:       0.02,
		Regularise:        0.02,
		CheckRate:         0.0015,
		ExitBanEarly:      0.02,
		ExitBanLate:       0.35,
		BanOverstayMonths: 4,

		RemitShare:        0.5,
		RemitCompensation: 1.0,
		RemitShareMax:     0.8,
		SaveShare:         0.15,
		TransferCostEarly: 0.02,
		TargetMonths:      30,
		TargetSigma:       0.8,
		ReturnBase:        0.008,
		ReturnWinter:      0.06,
		ReturnOnTarget:    0.3,
		ReturnJobless:     0.12,

		HomeWageAnchor:  103,
		HomeEmployment:  0.394 / 0.85,
		UrbanWage:       1.5,
		RuralWage:       0.82,
		OtherIncome:     0.25,
		IncomeSigma:     0.45,
		PovertyLine:     50,
		ReturneeJobFind: 0.08,

		InitialMigrants: 380000,
		InitialBans:     36000,

		DepartureSeason: [12]float64{0.06, 0.08, 0.14, 0.14, 0.104, 0.073, 0.07, 0.07, 0.08, 0.07, 0.06, 0.053},
		AgeProfile:      [6]float64{0.3, 1.0, 1.0, 0.6, 0.35, 0.12},
		SectorShares:    [6]float64{0.43, 0.18, 0.11, 0.07, 0.05, 0.16},
	}
}

// Param describes one parameter for listings and manifests.
type Param struct {
	Name   string `json:"name"`
	Value  any    `json:"value"`
	Unit   string `json:"unit"`
	Status string `json:"status"`
	Source string `json:"source"`
	Doc    string `json:"doc"`
}

type field struct {
	index                           int
	name, unit, status, source, doc string
}

var (
	fieldsOnce sync.Once
	fields     []field
	byName     map[string]int
)

func loadFields() {
	t := reflect.TypeOf(Params{})
	byName = make(map[string]int)
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		fields = append(fields, field{i, f.Tag.Get("name"), f.Tag.Get("unit"), f.Tag.Get("status"), f.Tag.Get("source"), f.Tag.Get("doc")})
		byName[f.Tag.Get("name")] = len(fields) - 1
	}
}

// List returns every parameter of p in declaration order.
func (p *Params) List() []Param {
	fieldsOnce.Do(loadFields)
	v := reflect.ValueOf(p).Elem()
	out := make([]Param, len(fields))
	cal := shipped()
	for i, f := range fields {
		out[i] = Param{f.name, v.Field(f.index).Interface(), f.unit, f.status, f.source, f.doc}
		if cal.has[f.name] {
			out[i].Status = Calibrated
			out[i].Source = "corridor calibrate " + cal.date + ", see docs/calibration.md; prior: " + f.source
		}
	}
	return out
}

// Names returns every parameter name, sorted.
func Names() []string {
	fieldsOnce.Do(loadFields)
	names := make([]string, 0, len(fields))
	for _, f := range fields {
		names = append(names, f.name)
	}
	sort.Strings(names)
	return names
}

// Set overrides the scalar parameter name with value. It fails for unknown
// names (listing the nearest valid ones), array parameters, and values that
// are not finite.
func (p *Params) Set(name string, value float64) error {
	fieldsOnce.Do(loadFields)
	i, ok := byName[name]
	if !ok {
		return fmt.Errorf("unknown parameter %q%s", name, suggest(name, Names()))
	}
	if math.IsNaN(value) || math.IsInf(value, 0) {
		return fmt.Errorf("parameter %q: value must be a finite number", name)
	}
	fv := reflect.ValueOf(p).Elem().Field(fields[i].index)
	if fv.Kind() != reflect.Float64 {
		return fmt.Errorf("parameter %q is a profile, not a single number", name)
	}
	fv.SetFloat(value)
	return p.Validate()
}

// Validate checks that every parameter lies in its admissible range.
func (p *Params) Validate() error {
	var bad []string
	check := func(name string, v, lo, hi float64) {
		if !(v >= lo && v <= hi) {
			bad = append(bad, fmt.Sprintf("%s = %v is outside [%v, %v]", name, v, lo, hi))
		}
	}
	for _, pr := range p.List() {
		v, ok := pr.Value.(float64)
		if !ok {
			continue
		}
		switch pr.Unit {
		case "share":
			check(pr.Name, v, 0, 1)
		case "1/month":
			check(pr.Name, v, 0, 1)
		default:
			check(pr.Name, v, -1e12, 1e12)
		}
	}
	check("household_size", p.HouseholdSize, 1, 30)
	check("household_split_size", p.HouseholdSplit, 2, 60)
	check("working_age_min", p.WorkingAgeMin, 10, 30)
	check("working_age_max", p.WorkingAgeMax, p.WorkingAgeMin, 80)
	check("pay_ratio", p.PayRatio, 0.01, 5)
	check("gap_reference", p.GapReference, 0.01, 1000)
	check("home_wage_anchor", p.HomeWageAnchor, 1, 1e5)
	check("registration_tau", p.RegistrationTau, 0.01, 365)
	check("initial_migrants", p.InitialMigrants, 0, 5e6)
	check("initial_bans", p.InitialBans, 0, 5e6)
	check("share_kazakhstan + share_elsewhere", p.ShareKazakhstan+p.ShareElsewhere, 0, 1)
	sum := 0.0
	for _, s := range p.DepartureSeason {
		check("departure_season", s, 0, 1)
		sum += s
	}
	check("sum of departure_season", sum, 0.999, 1.001)
	sum = 0
	for _, s := range p.SectorShares {
		check("sector_shares", s, 0, 1)
		sum += s
	}
	check("sum of sector_shares", sum, 0.999, 1.001)
	if len(bad) > 0 {
		return fmt.Errorf("invalid parameters: %s", strings.Join(bad, "; "))
	}
	return nil
}

// suggest returns ", did you mean …?" with up to three names close to name.
func suggest(name string, names []string) string {
	type cand struct {
		n string
		d int
	}
	var cs []cand
	for _, n := range names {
		d := Levenshtein(name, n)
		if d <= max(3, len(name)/3) || strings.Contains(n, name) {
			cs = append(cs, cand{n, d})
		}
	}
	if len(cs) == 0 {
		return ""
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].d < cs[j].d || cs[i].d == cs[j].d && cs[i].n < cs[j].n })
	var out []string
	for i := 0; i < len(cs) && i < 3; i++ {
		out = append(out, cs[i].n)
	}
	return " (did you mean " + strings.Join(out, ", ") + "?)"
}

// Levenshtein returns the edit distance between a and b.
func Levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
