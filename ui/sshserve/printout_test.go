package sshserve_test

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"brightrun/ui/components/printout"
	"brightrun/ui/sshserve"
)

// printoutModel prints a long line outside the frame on p, and says when
// it is back.
type printoutModel struct {
	print printout.Model
	back  int
}

func (m *printoutModel) Init() tea.Cmd { return nil }

func (m *printoutModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	wasActive := m.print.Active()
	if handled, cmd := m.print.Update(msg); handled {
		if wasActive && !m.print.Active() {
			m.back++
		}
		return m, cmd
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if msg.String() == "p" {
			return m, printout.Show("https://example.com/" + strings.Repeat("x", 150) + "?sig=END")
		}
	}
	return m, nil
}

func (m *printoutModel) View() tea.View {
	if m.print.Active() {
		return m.print.View()
	}
	v := tea.NewView("frame, back " + strings.Repeat("I", m.back))
	v.AltScreen = true
	return v
}

// Over SSH the printout leaves the frame, writes the URL whole for the
// terminal to wrap, and one enter brings the frame back.
func TestPrintoutOverSSH(t *testing.T) {
	f := start(t, func(c *sshserve.Config) {
		c.NewModel = func(sshserve.Terminal) tea.Model { return &printoutModel{} }
	})
	term := f.open(t, f.alice, 80, 24, nil)
	if text, err := term.WaitText(5*time.Second, "frame, back"); err != nil {
		t.Fatalf("no frame: %v\n%s", err, text)
	}
	term.Press("p")
	text, err := term.WaitText(5*time.Second, "enter returns to brightrun", "?sig=END")
	if err != nil {
		t.Fatalf("no printout: %v\n%s", err, text)
	}
	// The terminal wrapped the URL: its rows join back into it.
	joined := strings.Join(strings.Fields(text), "")
	if want := "https://example.com/" + strings.Repeat("x", 150) + "?sig=END"; !strings.Contains(joined, want) {
		t.Errorf("the URL is not on the screen whole:\n%s", text)
	}
	term.Press("enter")
	if text, err := term.WaitText(5*time.Second, "frame, back I"); err != nil {
		t.Fatalf("one enter did not bring the frame back: %v\n%s", err, text)
	}
}
