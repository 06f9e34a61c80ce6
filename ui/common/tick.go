package common

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"
)

// Tick is tea.Tick that gives up when ctx ends. A tea.Tick's goroutine
// waits out its whole interval even after the program has exited, and
// holds the screen it would have updated: a session that disconnects
// would keep its memory for as long as its longest timer.
func Tick(ctx context.Context, d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	return func() tea.Msg {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case at := <-t.C:
			return fn(at)
		case <-ctx.Done():
			return nil
		}
	}
}
