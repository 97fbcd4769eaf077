package calibration

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"sync"
)

// JournalFile is the name of the evaluation journal in the output folder.
const JournalFile = "evaluations.jsonl"

// Float is a float64 that survives JSON when it is not finite ("NaN",
// "+Inf", "-Inf" are written as strings). Finite values are written with
// the shortest representation that reads back to the same bits.
type Float float64

// MarshalJSON implements json.Marshaler.
func (f Float) MarshalJSON() ([]byte, error) {
	x := float64(f)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return []byte(`"` + strconv.FormatFloat(x, 'g', -1, 64) + `"`), nil
	}
	return strconv.AppendFloat(nil, x, 'g', -1, 64), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (f *Float) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(s) >= 2 && s[0] == '"' {
		s = s[1 : len(s)-1]
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("not a number: %s", b)
	}
	*f = Float(x)
	return nil
}

func floats(xs []float64) []Float {
	out := make([]Float, len(xs))
	for i, x := range xs {
		out[i] = Float(x)
	}
	return out
}

func unfloats(xs []Float) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}

// An Evaluation is one finished candidate: its point in the optimiser's
// space, its parameter values, the replicate seeds, the objective and each
// target's simulated value (mean over the seeds).
type Evaluation struct {
	Z         []Float            `json:"z"`
	Params    map[string]float64 `json:"params"`
	Seeds     []uint64           `json:"seeds"`
	Objective Float              `json:"objective"`
	Values    []Float            `json:"values"`
}

// journalHeader is the first line of a journal: what the evaluations in it
// depend on. A journal is replayed only under an identical header.
type journalHeader struct {
	Header struct {
		Settings    Settings  `json:"settings"`
		DataHash    string    `json:"data_hash"`
		TargetsHash string    `json:"targets_hash"`
		Free        []Free    `json:"free"`
		Start       []float64 `json:"start"`
		// StartValues are the start point's simulated target values, a
		// fingerprint of the model: if the code changed, they differ.
		StartValues []Float `json:"start_values"`
	} `json:"header"`
}

// journal is an append-only, fsync'd log of evaluations keyed by the exact
// bits of z.
type journal struct {
	mu    sync.Mutex
	f     *os.File
	byKey map[string]Evaluation
	order []string // keys in file order
}

func zKey(z []float64) string {
	b := make([]byte, 0, 17*len(z))
	for _, x := range z {
		b = strconv.AppendUint(b, math.Float64bits(x), 16)
		b = append(b, ',')
	}
	return string(b)
}

// openJournal opens (creating if needed) the journal at path. If it
// exists, its header must equal want apart from StartValues, which are
// returned for the caller to compare; complete lines are replayed, and a
// torn last line (a run killed while writing) is cut off.
func openJournal(path string, want journalHeader) (*journal, *journalHeader, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, nil, err
	}
	j := &journal{f: f, byKey: map[string]Evaluation{}}
	src, err := io.ReadAll(f)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if len(src) == 0 {
		return j, nil, nil
	}
	good := 0 // bytes of complete, parsed lines
	var have *journalHeader
	line := 0
	for len(src[good:]) > 0 {
		nl := bytes.IndexByte(src[good:], '\n')
		if nl < 0 {
			break // torn last line
		}
		text := src[good : good+nl]
		line++
		if line == 1 {
			var h journalHeader
			if err := json.Unmarshal(text, &h); err != nil {
				f.Close()
				return nil, nil, fmt.Errorf("%s:1: not a calibration journal header: %v", path, err)
			}
			have = &h
		} else {
			var e Evaluation
			if err := json.Unmarshal(text, &e); err != nil {
				f.Close()
				return nil, nil, fmt.Errorf("%s:%d: %v", path, line, err)
			}
			j.add(e)
		}
		good += nl + 1
	}
	if have == nil {
		// Only a torn header: start afresh.
		good = 0
	}
	if good < len(src) {
		if err := f.Truncate(int64(good)); err != nil {
			f.Close()
			return nil, nil, err
		}
	}
	if _, err := f.Seek(int64(good), io.SeekStart); err != nil {
		f.Close()
		return nil, nil, err
	}
	if have != nil {
		a, _ := json.Marshal(have.Header.Settings)
		b, _ := json.Marshal(want.Header.Settings)
		ha, hb := *have, want
		ha.Header.StartValues, hb.Header.StartValues = nil, nil
		ja, _ := json.Marshal(ha)
		jb, _ := json.Marshal(hb)
		if !bytes.Equal(ja, jb) {
			f.Close()
			what := "targets, data, free-parameter table or start values"
			if !bytes.Equal(a, b) {
				what = fmt.Sprintf("settings %s (now %s)", a, b)
			}
			return nil, nil, fmt.Errorf("%s was written with other %s; use another --out folder or delete it to start afresh", path, what)
		}
	}
	return j, have, nil
}

func (j *journal) add(e Evaluation) {
	k := zKey(unfloats(e.Z))
	if _, ok := j.byKey[k]; !ok {
		j.order = append(j.order, k)
	}
	j.byKey[k] = e
}

func (j *journal) lookup(z []float64) (Evaluation, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	e, ok := j.byKey[zKey(z)]
	return e, ok
}

// writeLine appends one JSON line and syncs the file.
func (j *journal) writeLine(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	j.mu.Lock()
	defer j.mu.Unlock()
	w := bufio.NewWriter(j.f)
	if _, err := w.Write(b); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return j.f.Sync()
}

func (j *journal) record(e Evaluation) error {
	if err := j.writeLine(e); err != nil {
		return err
	}
	j.mu.Lock()
	j.add(e)
	j.mu.Unlock()
	return nil
}

func (j *journal) close() error {
	if j == nil || j.f == nil {
		return nil
	}
	return j.f.Close()
}

var errModelChanged = errors.New("model changed")
