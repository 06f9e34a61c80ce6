package cli

import (
	"errors"
	"flag"
	"math"
	"strings"
	"time"
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

// Type names the value in cobra's help.
func (dataDirFlag) Type() string { return "string" }

func (f dataDirFlag) Set(v string) error {
	if v == "" {
		return errors.New("the data dir is empty: give a directory, or leave the flag out for the default")
	}
	*f.dir = v
	return nil
}

// pathFlags are the flags whose value is a local file path or a shell
// command: the system takes any bytes there, so they are not held to UTF-8.
var pathFlags = map[string]bool{"data-dir": true, "out": true, "key": true, "host-key": true, "exec-trainer": true, "work-dir": true}

// checkValues holds every flag and argument to what any command accepts:
// text is UTF-8 (checkUTF8), numbers are finite (checkNumbers). Each
// command then checks its own ranges.
func checkValues(fs *flagSet, positional []string) error {
	if err := checkNumbers(fs); err != nil {
		return err
	}
	return checkUTF8(fs, positional)
}

// checkNumbers refuses NaN and infinities in every float flag (they pass
// any "v < lo || v > hi" test, and mean nothing as a rate or a score) and a
// negative value in every duration flag (no flag means anything by one).
func checkNumbers(fs *flagSet) error {
	var bad error
	fs.Visit(func(f *flag.Flag) {
		g, ok := f.Value.(flag.Getter)
		if bad != nil || !ok {
			return
		}
		switch v := g.Get().(type) {
		case float64:
			if math.IsNaN(v) || math.IsInf(v, 0) {
				bad = usagef("%s: --%s %s is not a finite number", cmdName(fs), f.Name, f.Value.String())
			}
		case time.Duration:
			if v < 0 {
				bad = usagef("%s: --%s %s is negative", cmdName(fs), f.Name, v)
			}
		}
	})
	return bad
}

// checkUTF8 refuses a flag value or positional argument that is not valid
// UTF-8 before it can reach the database (which would answer with an
// SQLSTATE) or a stored name: a usage error naming the flag or argument.
// File paths are exempt (see pathFlags and flagSet.pathArgsFrom).
func checkUTF8(fs *flagSet, positional []string) error {
	var bad error
	fs.Visit(func(f *flag.Flag) {
		if bad == nil && !pathFlags[f.Name] && !utf8.ValidString(f.Value.String()) {
			bad = usagef("%s: --%s is not valid UTF-8 (%q)", cmdName(fs), f.Name, f.Value.String())
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
			return usagef("%s: argument %d %q is not valid UTF-8", cmdName(fs), i+1, a)
		}
	}
	return nil
}

// cmdName is the command as errors name it: "conversations list".
func cmdName(fs *flagSet) string {
	return strings.TrimPrefix(fs.Name(), "brightrun ")
}
