package configure

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"brightrun/ui/common"
	"brightrun/ui/internal/uitest"
	"brightrun/ui/theme"
)

// newScreen builds the screen on the fixture at w × h with colour off and
// its datasets loaded.
func newScreen(t testing.TB, w, h int) (*Model, *uitest.Backend) {
	t.Helper()
	b := uitest.NewBackend(t)
	c := common.New(t.Context(), b, theme.New(true), nil, uitest.Clock)
	m := New(c).(*Model)
	m.SetSize(w, h)
	// A blinking cursor would make every command run wait for its timer.
	for f := range numFields {
		if f.isText() {
			st := m.inputs[f].Styles()
			st.Cursor.Blink = false
			m.inputs[f].SetStyles(st)
		}
	}
	feed(m, m.Init())
	return m, b
}

// feed runs a command and hands its messages back to the screen, as
// Bubble Tea would, until nothing more comes within the wait; it returns
// the messages the screen did not take (for the shell).
func feed(m *Model, cmd tea.Cmd) []tea.Msg {
	var rest []tea.Msg
	for range 10 {
		msgs := uitest.Run(cmd)
		if len(msgs) == 0 {
			return rest
		}
		var cmds []tea.Cmd
		for _, msg := range msgs {
			switch msg.(type) {
			case choicesMsg, launchedMsg, reloadMsg:
				_, c := m.Update(msg)
				cmds = append(cmds, c)
			default:
				rest = append(rest, msg)
			}
		}
		cmd = tea.Batch(cmds...)
	}
	return rest
}

// press sends keys and runs what they start.
func press(m *Model, keys ...string) []tea.Msg {
	var rest []tea.Msg
	for _, k := range keys {
		_, cmd := m.Update(uitest.Key(k))
		rest = append(rest, feed(m, cmd)...)
	}
	return rest
}

func typeText(m *Model, s string) {
	for _, msg := range uitest.Type(s) {
		m.Update(msg)
	}
}

// goTo starts editing and moves the cursor to f.
func goTo(m *Model, f field) {
	if !m.editing {
		m.Update(common.ActivatedMsg{})
	}
	for m.focus != f {
		press(m, "tab")
	}
}

func clearField(m *Model) {
	for range 20 {
		press(m, "backspace")
	}
}

// typeInto replaces field f's value with s.
func typeInto(m *Model, f field, s string) {
	goTo(m, f)
	clearField(m)
	typeText(m, s)
}
