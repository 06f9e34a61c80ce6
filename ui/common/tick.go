package common

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"
)

// Tick delivers msg after d, like tea.Tick, but gives up when ctx ends. A
// tea.Tick's goroutine waits out its whole interval even after the program
// has exited, and holds the screen it would have updated: a session that
// disconnects would keep its memory for as long as its longest timer. No
// screen needs the time a timer fired at, so it takes the message itself.
func Tick(ctx context.Context, d time.Duration, msg tea.Msg) tea.Cmd {
	return func() tea.Msg {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return msg
		case <-ctx.Done():
			return nil
		}
	}
}

// Debounce turns a burst of change events into one reload: the first event
// schedules the reload's message after a delay, and the events that follow
// before it arrives ride along. The zero value is ready.
type Debounce struct{ pending bool }

// Schedule returns the command that delivers msg after d, or nil while one
// is already on its way.
func (db *Debounce) Schedule(ctx context.Context, d time.Duration, msg tea.Msg) tea.Cmd {
	if db.pending {
		return nil
	}
	db.pending = true
	return Tick(ctx, d, msg)
}

// Fired records that the message arrived: the next event schedules again.
func (db *Debounce) Fired() { db.pending = false }
