// Package printout shows text outside the full-screen frame, for what a
// person copies by selecting it: a presigned URL, the curl line that uses
// it. The frame is cut to the terminal's width, so a long URL in it is cut
// into rows, and a selection across rows copies the breaks too. A printout
// leaves the alternate screen for one line of its own, prints the text
// above it as plain lines that the terminal wraps itself (a selection of a
// wrapped line copies it whole), and enter brings the frame back; the text
// stays in the terminal's scrollback.
//
// It keeps the program's input as it is: handing the terminal over
// (tea.Exec) would make Bubble Tea let go of its reader, and over SSH that
// reader cannot be interrupted and takes the next key with it.
package printout

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// Msg asks the program's top model to print Text outside the frame.
type Msg struct{ Text string }

// Show is the command that asks for a printout of text.
func Show(text string) tea.Cmd {
	return func() tea.Msg { return Msg{Text: text} }
}

// Back is the line under the printout.
const Back = "Printed above: select and copy it. enter returns to brightrun."

// tick is how often a pending printout checks that its line is drawn:
// the text is printed a tick after the line was, so that it goes to the
// main screen and not to the alternate one being left.
const tick = 40 * time.Millisecond

type tickMsg struct{ seq int }

// Model is the printout state of a program's top model.
type Model struct {
	text    string
	seq     int
	drawn   int // ticks since View first gave the line (0: not yet)
	viewed  bool
	printed bool
}

// Active reports whether a printout is shown: View is then the program's.
func (m *Model) Active() bool { return m.text != "" }

// Update takes the printout's messages and, while one is shown, every key:
// enter, esc or q brings the frame back. handled is false for what is
// not the printout's.
func (m *Model) Update(msg tea.Msg) (handled bool, cmd tea.Cmd) {
	switch msg := msg.(type) {
	case Msg:
		m.seq++
		*m = Model{text: msg.Text, seq: m.seq}
		return true, m.wait()
	case tickMsg:
		if msg.seq != m.seq || !m.Active() || m.printed {
			return true, nil
		}
		if m.viewed {
			m.drawn++
		}
		if m.drawn < 2 {
			return true, m.wait()
		}
		m.printed = true
		return true, tea.Println(m.text)
	case tea.KeyPressMsg:
		if !m.Active() {
			return false, nil
		}
		switch msg.String() {
		case "enter", "esc", "q":
			m.text = ""
		}
		return true, nil
	}
	return false, nil
}

func (m *Model) wait() tea.Cmd {
	seq := m.seq
	return tea.Tick(tick, func(time.Time) tea.Msg { return tickMsg{seq: seq} })
}

// View is the line under the printout, out of the alternate screen.
func (m *Model) View() tea.View {
	m.viewed = true
	return tea.NewView(Back)
}
