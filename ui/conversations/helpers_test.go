package conversations

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"brightrun/ui/internal/screentest"
	"brightrun/ui/internal/uitest"
)

// newScreen builds the screen on b at a size and delivers its first window.
func newScreen(t testing.TB, b *uitest.Backend, w, h int) *Model {
	t.Helper()
	return screentest.New(t, b, New, w, h).Screen.(*Model)
}

func driver(m *Model) screentest.Driver {
	return screentest.Driver{Screen: m, Backend: m.common.Backend.(*uitest.Backend)}
}

func run(m *Model, cmd tea.Cmd) []tea.Msg        { return driver(m).Run(cmd) }
func deliver(m *Model, msgs []tea.Msg) []tea.Msg { return driver(m).Deliver(msgs) }
func press(m *Model, keys ...string) []tea.Msg   { return driver(m).Press(keys...) }
func send(m *Model, msg tea.Msg) []tea.Msg       { return driver(m).Send(msg) }

// typeText types s into whatever has the keyboard.
func typeText(m *Model, s string) []tea.Msg {
	var passed []tea.Msg
	for _, msg := range uitest.Type(s) {
		passed = append(passed, send(m, msg)...)
	}
	return passed
}

// waitFor runs cmd's commands (batches too) until a message of type T
// arrives or the timeout passes; it is for timers longer than uitest.Run
// waits for, like the filter's debounce.
func waitFor[T any](cmd tea.Cmd, timeout time.Duration) (T, bool) {
	var zero T
	ch := make(chan tea.Msg, 64)
	var start func(tea.Cmd)
	start = func(c tea.Cmd) {
		if c == nil {
			return
		}
		go func() { ch <- c() }()
	}
	start(cmd)
	deadline := time.After(timeout)
	for {
		select {
		case msg := <-ch:
			if b, ok := msg.(tea.BatchMsg); ok {
				for _, c := range b {
					start(c)
				}
				continue
			}
			if v, ok := msg.(T); ok {
				return v, true
			}
		case <-deadline:
			return zero, false
		}
	}
}
