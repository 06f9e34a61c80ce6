package trainingfiles

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"brightrun/ui/internal/screentest"
	"brightrun/ui/internal/uitest"
)

// newScreen builds the screen on b at a size, with its list loaded.
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

// paste pastes s into whatever has the keyboard, as a terminal does.
func paste(m *Model, s string) {
	_, cmd := m.Update(tea.PasteMsg{Content: s})
	deliver(m, run(m, cmd))
}
