package trainingfiles

import (
	"testing"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"brightrun/ui/common"
	"brightrun/ui/internal/uitest"
	"brightrun/ui/theme"
)

// newScreen builds the screen on b at a size, with its list loaded.
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

// deliver feeds messages and what their commands answer until nothing more
// comes; notices and errors are returned, spinner ticks dropped.
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

func press(m *Model, keys ...string) []tea.Msg {
	var passed []tea.Msg
	for _, k := range keys {
		_, cmd := m.Update(uitest.Key(k))
		passed = append(passed, deliver(m, run(m, cmd))...)
	}
	return passed
}

// paste pastes s into whatever has the keyboard, as a terminal does.
func paste(m *Model, s string) {
	_, cmd := m.Update(tea.PasteMsg{Content: s})
	deliver(m, run(m, cmd))
}
