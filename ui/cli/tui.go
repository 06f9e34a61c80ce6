package cli

import (
	"context"
	"fmt"

	"brightrun/engine"
)

// runTUI opens the engine for the local operator and hands it to the
// full-screen app.
func runTUI(ctx context.Context, env Env, c common) error {
	if env.RunTUI == nil {
		return usagef("this build has no TUI")
	}
	if cfg, err := engine.LoadConfig(c.dataDir, env.Getenv); err == nil && cfg.Mode == engine.ModeLocal {
		if info, err := engine.LocalServices(cfg); err == nil && !info.Running {
			fmt.Fprintf(env.Stderr, "starting the local services in %s …\n", cfg.DataDir)
		}
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		return env.RunTUI(ctx, env, e, s)
	})
}
