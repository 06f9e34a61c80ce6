package cli

import (
	"context"
	"fmt"

	"brightrun/engine"
)

// runMigrate applies the schema migrations. Opening the engine already
// migrates (with an advisory lock), so this reports what that did.
func runMigrate(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "migrate", &c, true)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	return withEngine(ctx, env, c, func(e *engine.Engine) error {
		m := e.Migration()
		if c.json {
			return printJSON(env.Stdout, m)
		}
		if len(m.Applied) == 0 {
			fmt.Fprintf(env.Stdout, "schema is up to date (version %d)\n", m.To)
			return nil
		}
		for _, a := range m.Applied {
			fmt.Fprintf(env.Stdout, "applied %s\n", a)
		}
		fmt.Fprintf(env.Stdout, "schema migrated from version %d to %d\n", m.From, m.To)
		return nil
	})
}
