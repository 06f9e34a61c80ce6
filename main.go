// Command brightrun turns expert conversations into LoRA fine-tunes from the
// terminal. main only reads the first word and wires the parts together:
// config → store → engine → ui (TUI or CLI).
package main

import (
	"context"
	"fmt"
	"os"

	tea "charm.land/bubbletea/v2"

	"brightrun/engine"
	"brightrun/ui/app"
	"brightrun/ui/cli"
	"brightrun/ui/sshserve"
)

func main() {
	env := cli.Env{
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Getenv: os.Getenv,
		Spawn:  engine.SpawnServices,
		RunTUI: runTUI,

		SessionTUI: sessionTUI,
	}
	os.Exit(cli.Run(context.Background(), os.Args[1:], env))
}

// runTUI opens the full-screen app for the local operator.
func runTUI(ctx context.Context, env cli.Env, e *engine.Engine, s *engine.Session) error {
	notice := ""
	if res, ok := s.DemoSeeded(); ok {
		notice = fmt.Sprintf("Demo data seeded: %d conversations, ready to browse and bundle", res.Conversations())
	}
	m := app.New(s, app.Options{
		Context: ctx,
		Notice:  notice,
		DataDir: e.Config().DataDir,
		NoColor: env.Getenv("NO_COLOR") != "",
		Logger:  e.Log(),
	})
	_, err := tea.NewProgram(m, tea.WithContext(ctx)).Run()
	return err
}

// sessionTUI is the app of one `brightrun serve` session: its operator's,
// for its terminal, in remote mode (no local paths: the server's disk is
// not the operator's).
func sessionTUI(e *engine.Engine, s *engine.Session, t sshserve.Terminal) tea.Model {
	return app.New(s, app.Options{
		Context: t.Ctx,
		DataDir: e.Config().DataDir,
		NoColor: t.NoColor,
		Logger:  e.Log().With("user", t.User.Name, "remote", t.RemoteAddr),
		Remote:  true,
		Host:    serverHost(),
	})
}

// serverHost is the name the tab bar gives this server: its host name,
// or nothing where the system cannot say.
func serverHost() string {
	h, err := os.Hostname()
	if err != nil {
		return ""
	}
	return h
}
