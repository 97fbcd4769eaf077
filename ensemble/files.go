package ensemble

import (
	"encoding/json"
	"fmt"
	"io"
	"reflect"

	"github.com/corridor-sim/corridor/results"
)

// The files of an ensemble output folder, besides manifest.json.
const (
	QuantilesFile = "annual_quantiles.csv"
	MembersFile   = "members.parquet"
	InfoFile      = "ensemble.json"
)

// Files returns the files of the ensemble's output folder, for
// results.WriteOutput: annual_quantiles.csv (the [Quantiles] table, one row
// per year), members.parquet (every member's annual table, see
// [WriteParquet]) and ensemble.json (the member keys, see [Info]).
func (e *Ensemble) Files() ([]results.File, error) {
	q, err := e.Quantiles()
	if err != nil {
		return nil, err
	}
	info := e.Info()
	return []results.File{
		{Name: QuantilesFile, Write: q.WriteCSV},
		{Name: MembersFile, Write: func(w io.Writer) error { return WriteParquet(w, e.Members) }},
		{Name: InfoFile, Write: func(w io.Writer) error { return writeJSON(w, info) }},
	}, nil
}

// Info describes how the members of an ensemble were formed; it is written
// to ensemble.json.
type Info struct {
	Members      int      `json:"members"`
	Seed         uint64   `json:"seed"`       // base seed
	ParamSets    int      `json:"param_sets"` // number of parameter sets
	SeedRule     string   `json:"seed_rule"`  // how a member's seed follows from its index
	ParamSetRule string   `json:"param_set_rule"`
	Quantiles    []string `json:"quantiles"` // the suffixes of annual_quantiles.csv
	Method       string   `json:"quantile_method"`
	Keys         []Key    `json:"member_keys"`
}

// MarshalJSON writes a Key with snake_case names.
func (k Key) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Member   int    `json:"member"`
		Seed     uint64 `json:"seed"`
		ParamSet int    `json:"param_set"`
	}{k.Member, k.Seed, k.ParamSet})
}

// Info returns the description of the ensemble's members.
func (e *Ensemble) Info() Info {
	in := Info{
		Members:      len(e.Members),
		Seed:         e.Options.Seed,
		ParamSets:    len(e.Options.ParamSets),
		SeedRule:     "seed of member i = seed + i",
		ParamSetRule: "parameter set of member i = i mod param_sets",
		Quantiles:    Suffixes,
		Method:       "R quantile(x, type = 4): linear interpolation of the empirical distribution function",
	}
	for _, m := range e.Members {
		in.Keys = append(in.Keys, m.Key)
	}
	return in
}

func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// memberColumns are the leading columns of members.parquet.
var memberColumns = []results.ParquetField{
	{Name: "member", Type: reflect.TypeFor[int64]()},
	{Name: "seed", Type: reflect.TypeFor[uint64]()},
	{Name: "param_set", Type: reflect.TypeFor[int64]()},
}

// rowType returns the struct type of one row of members.parquet for
// annual tables with the given columns: member, seed, param_set, then
// year and months as int64, then one float64 per annual column.
func rowType(cols []results.Column) (reflect.Type, error) {
	return results.ParquetRowType(memberColumns, cols)
}

// WriteParquet writes the members' annual tables to w as one Parquet file
// in long form: one row per member and year, with the columns member, seed,
// param_set (the member's [Key]), year and months (int64), then every
// annual column as an unrounded float64, named and ordered as in
// annual.csv. The members must have tables with the same columns.
func WriteParquet(w io.Writer, members []Member) error {
	if len(members) == 0 {
		return fmt.Errorf("ensemble: no members to write")
	}
	cols := members[0].Annual.Columns
	for _, m := range members[1:] {
		if !sameColumns(m.Annual.Columns, cols) {
			return fmt.Errorf("ensemble: member %d has other columns than member %d", m.Member, members[0].Member)
		}
	}
	t, err := rowType(cols)
	if err != nil {
		return err
	}
	row := reflect.New(t)
	pw := results.NewParquetWriter(w, t)
	v := row.Elem()
	for _, m := range members {
		for _, r := range m.Annual.Rows {
			v.Field(0).SetInt(int64(m.Member))
			v.Field(1).SetUint(m.Seed)
			v.Field(2).SetInt(int64(m.ParamSet))
			results.SetParquetRow(v, len(memberColumns), r)
			if err := pw.Write(row.Interface()); err != nil {
				return err
			}
		}
	}
	return pw.Close()
}

func sameColumns(a, b []results.Column) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name {
			return false
		}
	}
	return true
}
