package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"brightrun/engine"
	"brightrun/ui/termtext"
)

// runImport is `brightrun import PATH... [--json]`: files, directories
// (walked for *.json) and globs. Exit 1 when any file was rejected.
func runImport(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "import", &c, true)
	fs.pathArgsFrom = 0
	paths, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usagef("import: give at least one file, directory or glob pattern")
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		ctx, stop := interruptible(ctx)
		defer stop()
		progress, done := importProgressLine(env.Stderr)
		res, err := s.Import(ctx, paths, progress)
		done()
		if err != nil {
			return fmt.Errorf("%w (before it stopped: %d imported, %d updated, %d rejected)",
				err, res.Imported, res.Updated, len(res.Rejected))
		}
		if c.json {
			if err := printJSON(env.Stdout, res); err != nil {
				return err
			}
		} else {
			printImportResult(env.Stdout, res)
		}
		if len(res.Rejected) > 0 {
			return errNegative
		}
		return nil
	})
}

func printImportResult(w io.Writer, res engine.ImportResult) {
	for _, r := range res.Rejected {
		fmt.Fprintf(w, "rejected  %s\n", termtext.Line(fmt.Sprint(r)))
	}
	for _, k := range res.NewPersonas {
		fmt.Fprintf(w, "new persona         %s\n", termtext.Line(k))
	}
	for _, k := range res.NewEmotionalArcs {
		fmt.Fprintf(w, "new emotional arc   %s\n", termtext.Line(k))
	}
	for _, k := range res.NewTopics {
		fmt.Fprintf(w, "new training topic  %s\n", termtext.Line(k))
	}
	fmt.Fprintf(w, "imported %d, updated %d, rejected %d\n", res.Imported, res.Updated, len(res.Rejected))
}

// importProgressLine shows "importing 1234/5000" on stderr, rewritten in place
// at most ten times a second, when stderr is a terminal; otherwise (a
// script, a log file) it stays quiet. done clears the line.
func importProgressLine(w io.Writer) (progress func(engine.ImportProgress), done func()) {
	if !isTerminal(w) {
		return nil, func() {}
	}
	var last time.Time
	shown := false
	progress = func(p engine.ImportProgress) {
		if now := time.Now(); p.Done == p.Total || now.Sub(last) >= 100*time.Millisecond {
			last = now
			shown = true
			fmt.Fprintf(w, "\rimporting %d/%d", p.Done, p.Total)
		}
	}
	done = func() {
		if shown {
			fmt.Fprint(w, "\r\033[K")
		}
	}
	return progress, done
}

// isTerminal says whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
