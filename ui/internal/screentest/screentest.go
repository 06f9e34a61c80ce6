// Package screentest drives one screen in a test the way the shell and
// Bubble Tea would: it builds the screen on a fixture backend, runs the
// commands of every message, feeds their answers back until nothing more
// comes, and returns what the screen passed on for the shell (notices,
// errors). The list screens' tests share it instead of each keeping a copy.
package screentest

import (
	"testing"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"brightrun/ui/common"
	"brightrun/ui/internal/uitest"
	"brightrun/ui/theme"
)

// Driver feeds one screen on a fixture backend.
type Driver struct {
	Screen  common.Screen
	Backend *uitest.Backend
}

// New builds a screen with newScreen on b at w × h, colour off, and
// delivers what its Init asks for.
func New(t testing.TB, b *uitest.Backend, newScreen func(common.Common) common.Screen, w, h int) Driver {
	t.Helper()
	b.Data() // the fixture's data, loaded here rather than in a command
	c := common.New(t.Context(), b, theme.New(true), nil, uitest.Clock)
	d := Driver{Screen: newScreen(c), Backend: b}
	d.Screen.SetSize(w, h)
	d.Deliver(d.Run(d.Screen.Init()))
	return d
}

// Run runs a command's work the way Bubble Tea would, waiting for the
// fixture's calls however slow the machine.
func (d Driver) Run(cmd tea.Cmd) []tea.Msg { return uitest.RunFixture(d.Backend, cmd) }

// Deliver feeds messages to the screen and what their commands answer,
// until nothing more comes, and returns what the screen passed on for the
// shell (notices, errors). Spinner ticks are dropped so nothing loops.
func (d Driver) Deliver(msgs []tea.Msg) []tea.Msg {
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
			_, cmd := d.Screen.Update(msg)
			next = append(next, d.Run(cmd)...)
		}
		msgs = next
	}
	return passed
}

// Send delivers one message and everything it leads to.
func (d Driver) Send(msg tea.Msg) []tea.Msg {
	_, cmd := d.Screen.Update(msg)
	return d.Deliver(d.Run(cmd))
}

// Press sends keys one by one, delivering what each one's commands answer.
func (d Driver) Press(keys ...string) []tea.Msg {
	var passed []tea.Msg
	for _, k := range keys {
		passed = append(passed, d.Send(uitest.Key(k))...)
	}
	return passed
}
