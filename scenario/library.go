package scenario

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// The shipped scenarios: one YAML file per scenario in library/, named
// after it. library/README.md says which question each answers.
//
//go:embed library/*.yaml library/README.md
var libraryFS embed.FS

// libraryPrefix is the file name prefix of shipped scenarios in messages.
const libraryPrefix = "library/"

// LibraryFS returns the shipped scenario files (library/NAME.yaml) and
// their README.
func LibraryFS() fs.FS { return libraryFS }

// LibraryNames returns the names of the shipped scenarios, history first,
// then in alphabetical order, whether or not they load in this build.
func LibraryNames() []string {
	es, err := fs.ReadDir(libraryFS, "library")
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range es {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			names = append(names, n)
		}
	}
	slices.SortFunc(names, func(a, b string) int {
		switch {
		case a == b:
			return 0
		case a == "history":
			return -1
		case b == "history":
			return 1
		}
		return strings.Compare(a, b)
	})
	return names
}

func isLibraryName(name string) bool { return slices.Contains(LibraryNames(), name) }

// LibrarySource returns the YAML of the shipped scenario called name.
func LibrarySource(name string) ([]byte, error) {
	if !isLibraryName(name) {
		return nil, fmt.Errorf("unknown scenario %q%s", name, suggestOrList(name, LibraryNames()))
	}
	return libraryFS.ReadFile(path.Join("library", name+".yaml"))
}

func parseLibrary(name string, stack []string) (*Scenario, error) {
	src, err := LibrarySource(name)
	if err != nil {
		return nil, err
	}
	sc, err := parseFile(libraryPrefix+name+".yaml", src, stack)
	if err != nil {
		return nil, err
	}
	if sc.Name != name {
		return nil, &FileError{File: libraryPrefix + name + ".yaml", Field: "name", Msg: fmt.Sprintf("%q does not match the file name", sc.Name)}
	}
	return sc, nil
}

// Library returns the shipped scenarios that load in this build, history
// first. A scenario naming a lever this build lacks is left out; Lookup of
// its name reports why.
func Library() []*Scenario {
	var out []*Scenario
	for _, n := range LibraryNames() {
		if sc, err := parseLibrary(n, nil); err == nil {
			out = append(out, sc)
		}
	}
	return out
}

// Lookup returns the shipped scenario called name, or loads the file at
// name when it ends in .yaml or .yml. Errors in files are *FileError.
func Lookup(name string) (*Scenario, error) {
	if strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml") {
		return ParseFile(name)
	}
	if isLibraryName(name) {
		return parseLibrary(name, nil)
	}
	if strings.ContainsAny(name, `/\`) {
		return nil, fmt.Errorf("scenario %q: a scenario file must end in .yaml or .yml", name)
	}
	return nil, fmt.Errorf("unknown scenario %q%s; a scenario file must end in .yaml or .yml", name, suggestOrList(name, LibraryNames()))
}

// IsUnknownLever reports whether err is a scenario file naming a lever
// that this build does not have, and which.
func IsUnknownLever(err error) (string, bool) {
	var fe *FileError
	if errors.As(err, &fe) && fe.UnknownLever != "" {
		return fe.UnknownLever, true
	}
	return "", false
}
