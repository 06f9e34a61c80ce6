package datasets

import (
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"brightrun/ui/common"
	"brightrun/ui/internal/uitest"
	"brightrun/ui/theme"
)

// newScreen builds the screen on the fixture with the NO_COLOR theme, sized.
func newScreen(t *testing.T, b *uitest.Backend, w, h int) *Model {
	t.Helper()
	c := common.New(t.Context(), b, theme.New(true), nil, uitest.Clock)
	m := New(c).(*Model)
	m.SetSize(w, h)
	return m
}

// newLoaded is newScreen with the first load delivered.
func newLoaded(t *testing.T, b *uitest.Backend, w, h int) *Model {
	t.Helper()
	m := newScreen(t, b, w, h)
	deliver(m, uitest.Run(m.Init()))
	return m
}

// deliver feeds messages to the screen and what their commands answer, and
// so on until nothing more comes within uitest.Run's wait (timers such as
// the poll are left behind), returning every answer. Spinner frames are
// dropped so golden files always show the first frame.
func deliver(m *Model, msgs []tea.Msg) []tea.Msg {
	var out []tea.Msg
	for depth := 0; len(msgs) > 0 && depth < 8; depth++ {
		var next []tea.Msg
		for _, msg := range msgs {
			if _, ok := msg.(spinner.TickMsg); ok {
				continue
			}
			_, cmd := m.Update(msg)
			next = append(next, uitest.Run(cmd)...)
		}
		out = append(out, next...)
		msgs = next
	}
	return out
}

// press sends keys and delivers what their commands answer, returning the
// messages passed on for the shell (errors, notices).
func press(m *Model, keys ...string) []tea.Msg {
	var passed []tea.Msg
	for _, k := range keys {
		_, cmd := m.Update(uitest.Key(k))
		msgs := uitest.Run(cmd)
		passed = append(passed, msgs...)
		passed = append(passed, deliver(m, msgs)...)
	}
	return passed
}

func typeText(m *Model, s string) {
	for _, msg := range uitest.Type(s) {
		m.Update(msg)
	}
}

// loop runs the screen the way Bubble Tea does, for flows whose commands
// live long (an upload): every command runs on its own goroutine and what
// it returns is fed back in arrival order, until a test's condition holds.
type loop struct {
	t      *testing.T
	m      *Model
	ch     chan tea.Msg
	passed []tea.Msg
}

func newLoop(t *testing.T, m *Model) *loop {
	return &loop{t: t, m: m, ch: make(chan tea.Msg, 64)}
}

func (l *loop) run(cmd tea.Cmd) {
	if cmd != nil {
		go func() { l.ch <- cmd() }()
	}
}

// send delivers one message as the program would.
func (l *loop) send(msg tea.Msg) {
	_, cmd := l.m.Update(msg)
	l.run(cmd)
}

func (l *loop) press(keys ...string) {
	for _, k := range keys {
		l.send(uitest.Key(k))
	}
}

// until delivers what arrives until ok holds after a delivery, and fails
// the test after a few seconds.
func (l *loop) until(what string, ok func() bool) {
	l.t.Helper()
	deadline := time.After(5 * time.Second)
	for !ok() {
		select {
		case msg := <-l.ch:
			switch msg := msg.(type) {
			case nil, spinner.TickMsg:
			case tea.BatchMsg:
				for _, c := range msg {
					l.run(c)
				}
			default:
				l.passed = append(l.passed, msg)
				l.send(msg)
			}
		case <-deadline:
			l.t.Fatalf("timed out waiting for %s; screen:\n%s", what, l.m.View())
		}
	}
}

// notices are the texts of the notices passed to the shell.
func notices(msgs []tea.Msg) []string {
	var out []string
	for _, msg := range msgs {
		if n, ok := msg.(common.NoticeMsg); ok {
			out = append(out, string(n))
		}
	}
	return out
}
