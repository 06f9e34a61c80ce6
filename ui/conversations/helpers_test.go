package conversations

import (
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"brightrun/ui/common"
	"brightrun/ui/internal/uitest"
	"brightrun/ui/theme"
)

// newScreen builds the screen on b at a size and delivers its first window.
func newScreen(t testing.TB, b *uitest.Backend, w, h int) *Model {
	t.Helper()
	b.Data() // the fixture's data, loaded here rather than in a command
	c := common.New(t.Context(), b, theme.New(true), nil, uitest.Clock)
	m := New(c).(*Model)
	m.SetSize(w, h)
	deliver(m, run(m, m.Init()))
	return m
}

// run runs a command's work the way Bubble Tea would, waiting for the
// fixture's calls however slow the machine.
func run(m *Model, cmd tea.Cmd) []tea.Msg {
	return uitest.RunFixture(m.common.Backend.(*uitest.Backend), cmd)
}

// deliver feeds messages to the screen and what their commands answer,
// until nothing more comes, and returns what the screen passed on for the
// shell (notices, errors). Spinner ticks are dropped so nothing loops.
func deliver(m *Model, msgs []tea.Msg) []tea.Msg {
	var passed []tea.Msg
	for len(msgs) > 0 {
		var next []tea.Msg
		for _, msg := range msgs {
			switch msg.(type) {
			case spinner.TickMsg:
				continue
			case common.NoticeMsg, common.ErrMsg:
				passed = append(passed, msg)
				continue
			}
			_, cmd := m.Update(msg)
			next = append(next, run(m, cmd)...)
		}
		msgs = next
	}
	return passed
}

// press sends keys one by one, delivering what each one's commands answer.
func press(m *Model, keys ...string) []tea.Msg {
	var passed []tea.Msg
	for _, k := range keys {
		passed = append(passed, send(m, uitest.Key(k))...)
	}
	return passed
}

// send delivers one message and everything it leads to.
func send(m *Model, msg tea.Msg) []tea.Msg {
	_, cmd := m.Update(msg)
	return deliver(m, run(m, cmd))
}

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
