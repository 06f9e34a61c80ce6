package cli

import (
	"context"
	"fmt"
	"io"

	"brightrun/engine"
)

// runDemoSeed is `brightrun demo seed [--json]`: write the reference data
// and the demo conversations now, in any mode (a new zero-config
// installation gets them by itself; a shared one only this way).
func runDemoSeed(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "demo seed", &c, true)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		ctx, stop := interruptible(ctx)
		defer stop()
		res, err := s.SeedDemo(ctx)
		if err != nil {
			return err
		}
		if c.json {
			return printJSON(env.Stdout, res)
		}
		fmt.Fprintf(env.Stdout, "demo data: %s; %d files: %d new conversations, %d updated\n",
			referenceCounts(res), res.Files, res.Import.Imported, res.Import.Updated)
		return nil
	})
}

func referenceCounts(r engine.DemoResult) string {
	return fmt.Sprintf("%d personas, %d emotional arcs, %d training topics", r.Personas, r.EmotionalArcs, r.Topics)
}

// seedDemoIfNew gives a new zero-config installation its demo data on the
// first command that opens a session, and says so on stderr (stdout stays
// clean for --json). A failure is a warning: the command itself goes on,
// and the next start tries again.
func seedDemoIfNew(ctx context.Context, stderr io.Writer, s *engine.Session) {
	seeded, res, err := s.SeedDemoIfNew(ctx)
	switch {
	case err != nil:
		fmt.Fprintf(stderr, "brightrun: demo data not seeded: %s\n", oneLine(err.Error()))
	case seeded && res.Files > 0:
		fmt.Fprintf(stderr, "seeded demo data: %d conversations, %s\n", res.Conversations(), referenceCounts(res))
	}
}
