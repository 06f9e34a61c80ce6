package sshserve_test

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"brightrun/ui/app"
	"brightrun/ui/internal/uitest"
	"brightrun/ui/sshserve"
)

// The real shell, served: tiny and zero terminals draw without a panic,
// and the shutdown warning shows in place of the help line.
func TestServedAppSurvivesTinyTerminalsAndShowsShutdown(t *testing.T) {
	f := start(t, func(c *sshserve.Config) {
		c.Grace = 1500 * time.Millisecond
		c.NewModel = func(term sshserve.Terminal) tea.Model {
			b := uitest.NewBackend(t)
			b.UserValue = term.User
			return app.New(b, app.Options{Context: term.Ctx, NoColor: term.NoColor, Remote: true})
		}
	})
	term := f.open(t, f.alice, 0, 0, nil)
	for _, s := range [][2]int{{1, 1}, {5, 5}, {0, 5}, {5, 0}, {3, 1}, {20, 3}, {100, 30}} {
		if err := term.Resize(s[0], s[1]); err != nil {
			t.Fatal(err)
		}
		time.Sleep(30 * time.Millisecond)
	}
	// Every tab draws at a small size too.
	term.Resize(30, 8)
	for _, k := range []string{"1", "2", "3", "4", "5", "6", "7", "?", "?"} {
		term.Press(k)
		time.Sleep(30 * time.Millisecond)
	}
	term.Resize(100, 30)
	term.Press("1")
	if text, err := term.WaitText(5*time.Second, "brightrun", "alice"); err != nil {
		t.Fatalf("app after tiny sizes: %v\n%s", err, text)
	}
	go f.srv.Shutdown(t.Context())
	text, err := term.WaitText(5*time.Second, "the server is shutting down: this session closes in")
	if err != nil {
		t.Fatalf("no shutdown warning: %v\n%s", err, text)
	}
	select {
	case <-term.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("session outlived the shutdown")
	}
	if strings.Contains(f.log.String(), "ssh session failed") {
		t.Errorf("a session failed:\n%s", f.log)
	}
}
