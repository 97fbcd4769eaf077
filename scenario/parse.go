package scenario

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/corridor-sim/corridor/calendar"
	"github.com/corridor-sim/corridor/drivers"
	"github.com/corridor-sim/corridor/params"
	"github.com/corridor-sim/corridor/policy"
)

// A FileError is an error in a scenario file, at a line and column, in a
// field given by its path (for example events[2].lever). Its message is
// one line: "file:line:column: field: message".
type FileError struct {
	File         string
	Line, Column int    // 1-based; 0 when the error has no position (an empty file)
	Field        string // path of the field, e.g. "events[2].lever"; "" for the whole file
	Msg          string
	// UnknownLever is the lever name when the error is an unknown lever
	// (so that a caller can tell a lever that is not in this build).
	UnknownLever string
}

func (e *FileError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Msg)
	return strings.Join(strings.Fields(b.String()), " ")
}

// maxFileBytes bounds a scenario file, which is a short list of events.
const maxFileBytes = 1 << 20

// Parse reads a scenario file; filename is used in error messages, which
// name file, line, column and field, and to find a file named by extends
// relative to it. The error, if any, is a *FileError.
func Parse(filename string, src []byte) (*Scenario, error) {
	return parseFile(filename, src, nil)
}

// ParseFile reads and parses the scenario file at path.
func ParseFile(path string) (*Scenario, error) {
	return loadPath(path, nil)
}

func loadPath(path string, stack []string) (*Scenario, error) {
	fi, err := os.Stat(path)
	if err == nil && !fi.Mode().IsRegular() {
		return nil, &FileError{File: path, Msg: "not a regular file"}
	}
	if err == nil && fi.Size() > maxFileBytes {
		return nil, &FileError{File: path, Msg: fmt.Sprintf("file of %d bytes is too large for a scenario (at most %d)", fi.Size(), maxFileBytes)}
	}
	src, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &FileError{File: path, Msg: "cannot read: " + err.Error()}
	}
	return parseFile(path, src, stack)
}

// parseFile parses src; stack holds the files being loaded through
// extends, to report cycles.
func parseFile(filename string, src []byte, stack []string) (sc *Scenario, err error) {
	defer func() {
		if r := recover(); r != nil {
			sc, err = nil, &FileError{File: filename, Msg: fmt.Sprintf("cannot parse the file (YAML parser failure: %v)", r)}
		}
	}()
	if len(src) > maxFileBytes {
		return nil, &FileError{File: filename, Msg: fmt.Sprintf("file of %d bytes is too large for a scenario (at most %d)", len(src), maxFileBytes)}
	}
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		return nil, yamlError(filename, err, nil)
	}
	var body ast.Node
	switch len(f.Docs) {
	case 0:
	case 1:
		body = f.Docs[0].Body
	default:
		// The second document's start marker, or its first token (an
		// empty document after "---" has no body to ask).
		var tk *token.Token
		switch d := f.Docs[1]; {
		case d.Start != nil:
			tk = d.Start
		case d.Body != nil:
			tk = d.Body.GetToken()
		}
		return nil, posError(filename, tk, "", "a scenario file holds one YAML document; found a second one")
	}
	if body == nil {
		return nil, &FileError{File: filename, Msg: "empty scenario file (it needs at least name:)"}
	}
	// Aliases are refused: a scenario is a short list that does not need
	// them, and nested aliases can expand exponentially ("billion laughs").
	// Tags (!name, !!str) are refused too: no scenario needs them, and the
	// YAML decoder fails on some of them (an empty tag on a list field).
	var alias, tag *token.Token
	ast.Walk(visitFunc(func(n ast.Node) {
		switch n.(type) {
		case *ast.AliasNode:
			if alias == nil {
				alias = n.GetToken()
			}
		case *ast.TagNode:
			if tag == nil {
				tag = n.GetToken()
			}
		}
	}), body)
	ix := newIndex()
	ix.walk(body, "")
	if alias != nil {
		return nil, posError(filename, alias, ix.at(alias.Position.Line, alias.Position.Column), "YAML aliases (*name) are not supported in scenario files; repeat the value instead")
	}
	if tag != nil {
		return nil, posError(filename, tag, ix.at(tag.Position.Line, tag.Position.Column), fmt.Sprintf("YAML tags (%s) are not supported in scenario files; write the plain value", tag.Value))
	}
	if _, ok := unwrap(body).(*ast.MappingNode); !ok {
		return nil, posError(filename, body.GetToken(), "", "a scenario file is a mapping of keys (name:, events:, ...), not a "+nodeKind(body))
	}
	var file File
	if err := yaml.NodeToValue(body, &file, yaml.DisallowUnknownField()); err != nil {
		return nil, yamlError(filename, err, ix)
	}
	r := &resolver{file: filename, ix: ix}
	return r.resolve(&file, stack)
}

type visitFunc func(ast.Node)

func (f visitFunc) Visit(n ast.Node) ast.Visitor {
	f(n)
	return f
}

// nodeKind names the YAML kind of a node for messages.
func nodeKind(n ast.Node) string {
	switch unwrap(n).(type) {
	case *ast.SequenceNode:
		return "list"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "mapping"
	case *ast.NullNode:
		return "null"
	default:
		return "single value"
	}
}

func unwrap(n ast.Node) ast.Node {
	for {
		switch v := n.(type) {
		case *ast.TagNode:
			n = v.Value
		case *ast.AnchorNode:
			n = v.Value
		default:
			return n
		}
	}
}

func posError(file string, tk *token.Token, field, msg string) *FileError {
	e := &FileError{File: file, Field: field, Msg: msg}
	if tk != nil && tk.Position != nil {
		e.Line, e.Column = tk.Position.Line, tk.Position.Column
	}
	return e
}

// yamlError turns an error of the YAML parser or decoder into a FileError.
func yamlError(file string, err error, ix *index) *FileError {
	var ye yaml.Error
	if !errors.As(err, &ye) {
		return &FileError{File: file, Msg: oneLine(err.Error())}
	}
	tk := ye.GetToken()
	field := ""
	if ix != nil && tk != nil && tk.Position != nil {
		field = ix.at(tk.Position.Line, tk.Position.Column)
	}
	msg := ye.GetMessage()
	var te *yaml.TypeError
	var ue *yaml.UnknownFieldError
	var ne *yaml.UnexpectedNodeTypeError
	var oe *yaml.OverflowError
	switch {
	case errors.As(err, &ne):
		msg = fmt.Sprintf("want %s, got %s", nodeTypeName(ne.Expected), nodeTypeName(ne.Actual))
	case errors.As(err, &oe):
		msg = fmt.Sprintf("%s is out of range for %s", oe.SrcNum, kindOf(oe.DstType.String()))
		if strings.HasPrefix(oe.DstType.String(), "uint") {
			msg = fmt.Sprintf("%s is out of range (want a whole number ≥ 0)", oe.SrcNum)
		}
	case errors.As(err, &te):
		msg = fmt.Sprintf("want %s, got %s", kindOf(te.DstType.String()), describeToken(tk))
	case errors.As(err, &ue):
		if field != "" {
			msg += knownFields(field)
		}
	}
	return posError(file, tk, field, oneLine(msg))
}

// knownFields lists the valid keys next to an unknown field.
func knownFields(field string) string {
	var keys []string
	switch {
	case !strings.Contains(field, "."):
		keys = []string{"name", "description", "extends", "period", "seed", "scale", "params", "drivers", "events"}
	case strings.HasPrefix(field, "period."):
		keys = []string{"from", "until"}
	case regexp.MustCompile(`^drivers\[\d+\]\.change\.`).MatchString(field):
		keys = []string{"percent", "set", "growth_pp"}
	case regexp.MustCompile(`^drivers\[\d+\]\.[^.]+$`).MatchString(field):
		keys = []string{"series", "from", "until", "change", "ramp_months", "source"}
	case regexp.MustCompile(`^events\[\d+\]\.target\.`).MatchString(field):
		keys = []string{"destination", "region", "sector", "sex", "age_group"}
	case regexp.MustCompile(`^events\[\d+\]\.[^.]+$`).MatchString(field):
		keys = []string{"lever", "from", "until", "intensity", "settings", "target", "source"}
	default:
		return ""
	}
	last := field[strings.LastIndexAny(field, ".]")+1:]
	if s := suggest(last, keys); s != "" {
		return s
	}
	return " (valid: " + strings.Join(keys, ", ") + ")"
}

func kindOf(goType string) string {
	switch strings.TrimPrefix(goType, "*") {
	case "float64":
		return "a number"
	case "int", "uint64":
		return "a whole number"
	case "string":
		return "a text value"
	case "[]scenario.Event", "[]scenario.DriverChange":
		return "a list"
	default:
		return "a mapping"
	}
}

func nodeTypeName(t ast.NodeType) string {
	switch t {
	case ast.SequenceType:
		return "a list"
	case ast.MappingType, ast.MappingValueType:
		return "a mapping"
	case ast.IntegerType, ast.FloatType:
		return "a number"
	case ast.StringType, ast.LiteralType:
		return "a text value"
	case ast.NullType:
		return "nothing"
	case ast.BoolType:
		return "true/false"
	}
	return "a " + strings.ToLower(t.String())
}

func describeToken(tk *token.Token) string {
	if tk == nil {
		return "nothing"
	}
	switch tk.Type {
	case token.MappingValueType, token.MappingKeyType:
		return "a mapping"
	case token.SequenceEntryType, token.SequenceStartType:
		return "a list"
	}
	return strconv.Quote(tk.Value)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// An index maps field paths to positions in the file, and positions back
// to paths.
type index struct {
	value map[string]*token.Token // path → token of the value node
	key   map[string]*token.Token // path → token of the key (mapping entries)
	byPos map[[2]int]string       // line, column of a key or value → path
}

func newIndex() *index {
	return &index{value: map[string]*token.Token{}, key: map[string]*token.Token{}, byPos: map[[2]int]string{}}
}

func (ix *index) note(path string, tk *token.Token, key bool) {
	if tk == nil || tk.Position == nil {
		return
	}
	if key {
		ix.key[path] = tk
	} else if _, ok := ix.value[path]; !ok {
		ix.value[path] = tk
	}
	p := [2]int{tk.Position.Line, tk.Position.Column}
	if _, ok := ix.byPos[p]; !ok || key {
		ix.byPos[p] = path
	}
}

var plainKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// join appends a mapping key to a field path; a key that is not a plain
// name is quoted, so that a path is always one line.
func join(path, key string) string {
	if !plainKey.MatchString(key) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

func (ix *index) walk(n ast.Node, path string) {
	if n == nil {
		return
	}
	tk := n.GetToken()
	switch v := unwrap(n).(type) {
	case *ast.MappingNode:
		if len(v.Values) > 0 && v.Values[0].Key != nil {
			tk = v.Values[0].Key.GetToken()
		}
	case *ast.MappingValueNode:
		if v.Key != nil {
			tk = v.Key.GetToken()
		}
	}
	ix.note(path, tk, false)
	switch v := unwrap(n).(type) {
	case *ast.MappingNode:
		for _, mv := range v.Values {
			ix.entry(mv, path)
		}
	case *ast.MappingValueNode:
		ix.entry(v, path)
	case *ast.SequenceNode:
		for i, e := range v.Values {
			ix.walk(e, fmt.Sprintf("%s[%d]", path, i))
		}
	}
}

func (ix *index) entry(mv *ast.MappingValueNode, path string) {
	if mv == nil || mv.Key == nil {
		return
	}
	k := join(path, mv.Key.String())
	ix.note(k, mv.Key.GetToken(), true)
	if mv.Value != nil {
		ix.walk(mv.Value, k)
	}
}

// at returns the path of the key or value at line, column ("" if none).
func (ix *index) at(line, col int) string { return ix.byPos[[2]int{line, col}] }

// tok returns the token of the value at path, or of the closest parent
// that is in the file.
func (ix *index) tok(path string) *token.Token {
	for {
		if tk, ok := ix.value[path]; ok {
			return tk
		}
		if tk, ok := ix.key[path]; ok {
			return tk
		}
		if path == "" {
			return nil
		}
		path = path[:max(strings.LastIndexAny(path, ".["), 0)]
	}
}

// keyTok returns the token of the key at path (its value's if it has no key).
func (ix *index) keyTok(path string) *token.Token {
	if tk, ok := ix.key[path]; ok {
		return tk
	}
	return ix.tok(path)
}

// A resolver turns a decoded File into a Scenario, reporting errors at
// their place in the file.
type resolver struct {
	file string
	ix   *index
}

func (r *resolver) errAt(field, format string, args ...any) *FileError {
	return posError(r.file, r.ix.tok(field), field, fmt.Sprintf(format, args...))
}

func (r *resolver) errKey(field, format string, args ...any) *FileError {
	return posError(r.file, r.ix.keyTok(field), field, fmt.Sprintf(format, args...))
}

var namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// month parses a YYYY-MM field within the model's range.
func (r *resolver) month(field, s string) (calendar.Month, error) {
	m, err := calendar.Parse(s)
	if err != nil {
		return 0, r.errAt(field, "%v", strings.TrimPrefix(err.Error(), "calendar: "))
	}
	if m < ModelStart || m > MaxUntil {
		return 0, r.errAt(field, "%v is outside the model's range %v..%v", m, ModelStart, MaxUntil)
	}
	return m, nil
}

// whole reports an error if the value at field is written as anything
// but an integer (the decoder would truncate 1.5 to 1).
func (r *resolver) whole(field string) error {
	tk, ok := r.ix.value[field]
	if !ok {
		return nil
	}
	switch tk.Type {
	case token.IntegerType, token.BinaryIntegerType, token.OctetIntegerType, token.HexIntegerType:
		return nil
	}
	return r.errAt(field, "want a whole number, got %s", describeToken(tk))
}

func (r *resolver) resolve(f *File, stack []string) (*Scenario, error) {
	fields := []string{"seed", "scale"}
	for i := range f.Drivers {
		fields = append(fields, fmt.Sprintf("drivers[%d].ramp_months", i))
	}
	for _, fl := range fields {
		if err := r.whole(fl); err != nil {
			return nil, err
		}
	}
	if f.Name == "" {
		return nil, r.errKey("name", "missing: every scenario needs a name")
	}
	if !namePattern.MatchString(f.Name) {
		return nil, r.errAt("name", "%q is not a valid name (lower case letters, digits, - and _, starting with a letter or digit)", f.Name)
	}
	sc := &Scenario{Name: f.Name, Description: strings.TrimSpace(f.Description), Extends: f.Extends, File: r.file}
	if f.Extends != "" {
		base, err := r.base(f.Extends, stack)
		if err != nil {
			return nil, err
		}
		sc.Events = slices.Clone(base.Events)
		sc.Drivers = slices.Clone(base.Drivers)
		if len(base.Params) > 0 {
			sc.Params = map[string]float64{}
			for k, v := range base.Params {
				sc.Params[k] = v
			}
		}
		sc.From, sc.Until, sc.Seed, sc.Scale = base.From, base.Until, base.Seed, base.Scale
		if sc.Description == "" {
			sc.Description = base.Description
		}
	}
	if f.Period != nil {
		if f.Period.From != "" {
			m, err := r.month("period.from", f.Period.From)
			if err != nil {
				return nil, err
			}
			sc.From = m
		}
		if f.Period.Until != "" {
			m, err := r.month("period.until", f.Period.Until)
			if err != nil {
				return nil, err
			}
			sc.Until = m
		}
		if sc.From != 0 && sc.Until != 0 && sc.Until < sc.From {
			return nil, r.errAt("period.until", "%v is before period.from %v", sc.Until, sc.From)
		}
	}
	if f.Seed != nil {
		s := *f.Seed
		sc.Seed = &s
	}
	if f.Scale != nil {
		if *f.Scale < 1 {
			return nil, r.errAt("scale", "%d is not a whole number ≥ 1 (persons per agent)", *f.Scale)
		}
		sc.Scale = *f.Scale
	}
	if err := r.params(f, sc); err != nil {
		return nil, err
	}
	for i, d := range f.Drivers {
		o, err := r.driver(fmt.Sprintf("drivers[%d]", i), d)
		if err != nil {
			return nil, err
		}
		sc.Drivers = append(sc.Drivers, o)
	}
	for i, e := range f.Events {
		ev, err := r.event(fmt.Sprintf("events[%d]", i), e)
		if err != nil {
			return nil, err
		}
		sc.Events = append(sc.Events, ev)
	}
	return sc, nil
}

// base loads the scenario named by extends.
func (r *resolver) base(name string, stack []string) (*Scenario, error) {
	var id string
	var load func(stack []string) (*Scenario, error)
	switch {
	case isLibraryName(name):
		id = "library:" + name
		load = func(stack []string) (*Scenario, error) { return parseLibrary(name, stack) }
	case strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml"):
		path := name
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(r.file), path)
		}
		if strings.HasPrefix(r.file, libraryPrefix) {
			return nil, r.errAt("extends", "a library scenario can only extend library scenarios, not %q", name)
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			return nil, r.errAt("extends", "%v", err)
		}
		id = abs
		load = func(stack []string) (*Scenario, error) { return loadPath(path, stack) }
	default:
		return nil, r.errAt("extends", "unknown scenario %q%s; a file must end in .yaml or .yml", name, suggest(name, LibraryNames()))
	}
	self := r.self()
	for _, s := range stack {
		if s == id {
			return nil, r.errAt("extends", "cycle: %s", strings.Join(append(append(slices.Clone(stack), self), id), " → "))
		}
	}
	if self == id {
		return nil, r.errAt("extends", "a scenario cannot extend itself")
	}
	base, err := load(append(slices.Clone(stack), self))
	if err != nil {
		var fe *FileError
		if errors.As(err, &fe) && fe.File != r.file {
			// Say where the base was named, and keep its own position.
			tk := r.ix.tok("extends")
			line := 0
			if tk != nil && tk.Position != nil {
				line = tk.Position.Line
			}
			return nil, &FileError{File: fe.File, Line: fe.Line, Column: fe.Column, Field: fe.Field,
				Msg: fmt.Sprintf("%s (extended by %s:%d)", fe.Msg, r.file, line), UnknownLever: fe.UnknownLever}
		}
		return nil, err
	}
	return base, nil
}

// self is the identity of the file being resolved, as in the extends stack.
func (r *resolver) self() string {
	if name, ok := strings.CutPrefix(r.file, libraryPrefix); ok {
		return "library:" + strings.TrimSuffix(strings.TrimSuffix(name, ".yaml"), ".yml")
	}
	abs, err := filepath.Abs(r.file)
	if err != nil {
		return r.file
	}
	return abs
}

func (r *resolver) params(f *File, sc *Scenario) error {
	if len(f.Params) == 0 {
		return nil
	}
	keys := make([]string, 0, len(f.Params))
	for k := range f.Params {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	known := params.Names()
	p := params.Defaults()
	for k, v := range sc.Params {
		if err := p.Set(k, v); err != nil {
			return r.errAt("extends", "%v", err)
		}
	}
	if sc.Params == nil {
		sc.Params = map[string]float64{}
	}
	for _, k := range keys {
		field := "params." + k
		if !slices.Contains(known, k) {
			return r.errKey(field, "unknown parameter %q%s", k, suggest(k, known))
		}
		if err := p.Set(k, f.Params[k]); err != nil {
			msg := err.Error()
			if strings.Contains(msg, "profile") {
				return r.errKey(field, "%s", msg)
			}
			return r.errAt(field, "%s", strings.TrimPrefix(msg, "invalid parameters: "))
		}
		sc.Params[k] = f.Params[k]
	}
	return nil
}

func (r *resolver) driver(field string, d DriverChange) (drivers.Override, error) {
	var o drivers.Override
	if d.Series == "" {
		return o, r.errAt(field, "missing series (one of %s)", strings.Join(drivers.Names(), ", "))
	}
	if !slices.Contains(drivers.Names(), d.Series) {
		return o, r.errAt(field+".series", "unknown driver series %q%s", d.Series, suggestOrList(d.Series, drivers.Names()))
	}
	if d.From == "" {
		return o, r.errAt(field, "missing from (the first month changed, YYYY-MM)")
	}
	from, err := r.month(field+".from", d.From)
	if err != nil {
		return o, err
	}
	until := from - 1 // open
	if d.Until != "" {
		if until, err = r.month(field+".until", d.Until); err != nil {
			return o, err
		}
		if until < from {
			return o, r.errAt(field+".until", "%v is before from %v (omit until for a change to the end of the run)", until, from)
		}
	}
	o = drivers.Override{Series: d.Series, From: from, Until: until, RampMonths: d.RampMonths, Source: d.Source}
	n := 0
	if d.Change.Percent != nil {
		o.Change, o.Value = drivers.Percent, *d.Change.Percent
		n++
	}
	if d.Change.Set != nil {
		o.Change, o.Value = drivers.Set, *d.Change.Set
		n++
	}
	if d.Change.GrowthPP != nil {
		o.Change, o.Value = drivers.GrowthPP, *d.Change.GrowthPP
		n++
	}
	if n != 1 {
		return o, r.errAt(field+".change", "give exactly one of percent, set, growth_pp (got %d)", n)
	}
	if d.RampMonths < 0 || d.RampMonths > 600 {
		return o, r.errAt(field+".ramp_months", "%d is outside 0..600", d.RampMonths)
	}
	if err := o.Check(); err != nil {
		return o, r.errAt(field+".change."+o.Change.String(), "%v", err)
	}
	return o, nil
}

func (r *resolver) event(field string, e Event) (policy.LeverEvent, error) {
	var ev policy.LeverEvent
	if e.Lever == "" {
		return ev, r.errAt(field, "missing lever (one of %s)", strings.Join(policy.LeverNames(), ", "))
	}
	l, ok := policy.LookupLever(e.Lever)
	if !ok {
		fe := r.errAt(field+".lever", "unknown lever %q%s", e.Lever, suggestOrList(e.Lever, policy.LeverNames()))
		fe.UnknownLever = e.Lever
		return ev, fe
	}
	if e.From == "" {
		return ev, r.errAt(field, "missing from (the first month in force, YYYY-MM)")
	}
	from, err := r.month(field+".from", e.From)
	if err != nil {
		return ev, err
	}
	until := from - 1 // open-ended
	if e.Until != "" {
		if until, err = r.month(field+".until", e.Until); err != nil {
			return ev, err
		}
		if until < from {
			return ev, r.errAt(field+".until", "%v is before from %v (omit until for an open-ended event)", until, from)
		}
	}
	ev = policy.LeverEvent{Lever: l.Name, From: from, Until: until, Intensity: l.Default, Source: e.Source}
	if e.Intensity != nil {
		v := *e.Intensity
		if math.IsNaN(v) || math.IsInf(v, 0) || v < l.Min || v > l.Max {
			return ev, r.errAt(field+".intensity", "%v is outside %g..%g for %s (%s)", v, l.Min, l.Max, l.Name, l.Unit)
		}
		ev.Intensity = v
	}
	if len(e.Settings) > 0 {
		keys := make([]string, 0, len(e.Settings))
		for k := range e.Settings {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var names []string
		for _, s := range l.Settings {
			names = append(names, s.Name)
		}
		ev.Settings = map[string]float64{}
		for _, k := range keys {
			sf := field + ".settings." + k
			i := slices.IndexFunc(l.Settings, func(s policy.Setting) bool { return s.Name == k })
			if i < 0 {
				if len(names) == 0 {
					return ev, r.errKey(sf, "lever %s has no settings", l.Name)
				}
				return ev, r.errKey(sf, "lever %s has no setting %q%s", l.Name, k, suggestOrList(k, names))
			}
			st, v := l.Settings[i], e.Settings[k]
			if math.IsNaN(v) || v < st.Min || v > st.Max {
				return ev, r.errAt(sf, "%v is outside %g..%g (%s)", v, st.Min, st.Max, st.Unit)
			}
			ev.Settings[k] = v
		}
	}
	if e.Target != nil {
		t := policy.Target{Destination: e.Target.Destination, Region: e.Target.Region, Sector: e.Target.Sector, Sex: e.Target.Sex, AgeGroup: e.Target.AgeGroup}
		for _, kv := range []struct{ kind, value string }{
			{"destination", t.Destination}, {"region", t.Region}, {"sector", t.Sector}, {"sex", t.Sex}, {"age_group", t.AgeGroup},
		} {
			if kv.value == "" {
				continue
			}
			tf := field + ".target." + kv.kind
			if !slices.Contains(l.Targets, kv.kind) {
				if len(l.Targets) == 0 {
					return ev, r.errKey(tf, "lever %s takes no target", l.Name)
				}
				return ev, r.errKey(tf, "lever %s cannot target by %s (accepts: %s)", l.Name, kv.kind, strings.Join(l.Targets, ", "))
			}
			if !slices.Contains(targetValues[kv.kind], kv.value) {
				return ev, r.errAt(tf, "unknown %s %q%s", kv.kind, kv.value, suggestOrList(kv.value, targetValues[kv.kind]))
			}
		}
		ev.Target = t
	}
	if err := ev.Check(); err != nil {
		return ev, r.errAt(field, "%v", err)
	}
	return ev, nil
}

// suggest returns " (did you mean a, b?)" with up to three names near name.
func suggest(name string, names []string) string {
	type cand struct {
		n string
		d int
	}
	var cs []cand
	for _, n := range names {
		d := params.Levenshtein(name, n)
		switch {
		case len(name) >= 3 && subsequence(name, n):
			cs = append(cs, cand{n, -1}) // only letters left out: first
		case d <= max(2, len(name)/3):
			cs = append(cs, cand{n, d})
		}
	}
	if len(cs) == 0 {
		return ""
	}
	slices.SortStableFunc(cs, func(a, b cand) int {
		if a.d != b.d {
			return a.d - b.d
		}
		return strings.Compare(a.n, b.n)
	})
	var out []string
	for i := 0; i < len(cs) && i < 3; i++ {
		out = append(out, cs[i].n)
	}
	return " (did you mean " + strings.Join(out, ", ") + "?)"
}

// subsequence reports whether the letters of a appear in b in order.
func subsequence(a, b string) bool {
	i := 0
	for j := 0; i < len(a) && j < len(b); j++ {
		if a[i] == b[j] {
			i++
		}
	}
	return i == len(a)
}

// suggestOrList suggests near names, or lists all of them when none is near.
func suggestOrList(name string, names []string) string {
	if s := suggest(name, names); s != "" {
		return s
	}
	return " (valid: " + strings.Join(names, ", ") + ")"
}
