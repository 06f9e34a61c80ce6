package uitest

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// RunFixture is Run for screens on the conversation fixture: it waits as
// long as a fixture call is in flight, so a slow machine (or -race) never
// loses a fetch's answer, and otherwise leaves timers behind after the
// same short wait as Run.
func RunFixture(b *Backend, cmd tea.Cmd) []tea.Msg {
	const longest = 20 * time.Second
	d := b.Data()
	idle := 0
	return runUntil(cmd, func(since time.Duration) bool {
		// Idle for two ticks running: a call that just returned has had
		// time to hand its message over.
		if d.Busy() {
			idle = 0
		} else {
			idle++
		}
		return since > longest || (since > shortWait && idle >= 2)
	})
}
