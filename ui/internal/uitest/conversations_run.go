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
	if cmd == nil {
		return nil
	}
	const (
		wait    = 150 * time.Millisecond
		longest = 20 * time.Second
	)
	d := b.Data()
	ch := make(chan tea.Msg, 256)
	pending := 0
	start := func(c tea.Cmd) {
		if c == nil {
			return
		}
		pending++
		go func() { ch <- c() }()
	}
	start(cmd)
	var out []tea.Msg
	began, idle := time.Now(), 0
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for pending > 0 {
		select {
		case msg := <-ch:
			pending--
			if batch, ok := msg.(tea.BatchMsg); ok {
				for _, c := range batch {
					start(c)
				}
				continue
			}
			if msg != nil {
				out = append(out, msg)
			}
		case <-tick.C:
			// Idle for two ticks running: a call that just returned has
			// had time to hand its message over.
			if d.Busy() {
				idle = 0
			} else {
				idle++
			}
			if since := time.Since(began); since > longest || (since > wait && idle >= 2) {
				return out
			}
		}
	}
	return out
}
