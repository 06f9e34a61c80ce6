package cli

import (
	"context"
	"fmt"

	"brightrun/engine"
)

// runTUI opens the engine for the local operator and hands it to the
// full-screen app.
func runTUI(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "", &c, false)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(fs, pos); err != nil {
		return err
	}
	if env.RunTUI == nil {
		return usagef("this build has no TUI")
	}
	if cfg, err := engine.LoadConfig(c.dataDir, env.Getenv); err == nil && cfg.Mode == engine.ModeLocal {
		if info, err := engine.LocalServices(cfg); err == nil && !info.Running {
			fmt.Fprintf(env.Stderr, "starting the local services in %s …\n", cfg.DataDir)
		}
	}
	e, s, err := openSession(ctx, env, c)
	if err != nil {
		return err
	}
	defer e.Close()
	return env.RunTUI(ctx, env, e, s)
}
