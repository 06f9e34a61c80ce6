package app_test

import (
	"strings"
	"testing"
	"time"

	"brightrun/ui/app"
	"brightrun/ui/common"
	"brightrun/ui/internal/uitest"
)

// The SSH server's warnings take the help line, count down, and go when
// taken back; tiny terminals draw without a panic.
func TestSessionEndingWarning(t *testing.T) {
	m := start(t, uitest.NewBackend(t), 80, 24, app.Options{})
	m.Update(common.SessionEndingMsg{Reason: "the server is shutting down", At: uitest.Now.Add(5 * time.Second)})
	if got := plain(m); !strings.Contains(got, "⚠ the server is shutting down: this session closes in 5s") {
		t.Fatalf("no warning:\n%s", got)
	}
	m.Update(common.SessionEndingMsg{})
	if got := plain(m); strings.Contains(got, "closes in") || !strings.Contains(got, "mark all read") {
		t.Fatalf("warning not taken back:\n%s", got)
	}
	for _, s := range [][2]int{{0, 0}, {1, 1}, {5, 5}, {1, 24}, {80, 1}, {3, 2}} {
		m := start(t, uitest.NewBackend(t), s[0], s[1], app.Options{})
		m.Update(common.SessionEndingMsg{Reason: "idle", At: uitest.Now.Add(time.Minute)})
		for _, k := range []string{"2", "?", "1"} {
			press(m, k)
			_ = content(m)
		}
	}
}
