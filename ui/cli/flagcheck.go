package cli

import (
	"errors"
	"flag"
	"unicode/utf8"
)

// dataDirFlag is --data-dir: given, it must name a directory. An empty
// value is refused rather than read as "the default", which would quietly
// use (and seed) a data dir the operator did not ask for. Leaving the flag
// out, or BRIGHTRUN_DATA_DIR empty, means the default.
type dataDirFlag struct{ dir *string }

func (f dataDirFlag) String() string {
	if f.dir == nil {
		return ""
	}
	return *f.dir
}

func (f dataDirFlag) Set(v string) error {
	if v == "" {
		return errors.New("the data dir is empty: give a directory, or leave the flag out for the default")
	}
	*f.dir = v
	return nil
}

// pathFlags are the flags whose value is a local file path or a shell
// command: the system takes any bytes there, so they are not held to UTF-8.
var pathFlags = map[string]bool{"data-dir": true, "out": true, "key": true, "host-key": true, "exec-trainer": true}

// checkUTF8 refuses a flag value or positional argument that is not valid
// UTF-8 before it can reach the database (which would answer with an
// SQLSTATE) or a stored name: a usage error naming the flag or argument.
// File paths are exempt (see pathFlags and flagSet.pathArgsFrom).
func checkUTF8(fs *flagSet, positional []string) error {
	var bad error
	fs.Visit(func(f *flag.Flag) {
		if bad == nil && !pathFlags[f.Name] && !utf8.ValidString(f.Value.String()) {
			bad = usagef("%s: --%s is not valid UTF-8 (%q)", fs.Name(), f.Name, f.Value.String())
		}
	})
	if bad != nil {
		return bad
	}
	for i, a := range positional {
		if fs.pathArgsFrom >= 0 && i >= fs.pathArgsFrom {
			break
		}
		if !utf8.ValidString(a) {
			return usagef("%s: argument %d %q is not valid UTF-8", fs.Name(), i+1, a)
		}
	}
	return nil
}
