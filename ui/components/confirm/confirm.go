// Package confirm asks a yes/no question before something that cannot be
// undone (deleting a training file, removing a conversation from one). y
// says yes and n or esc no; enter takes the highlighted choice, which starts
// on no, so an enter pressed out of habit never destroys anything: yes by
// enter takes a ← or tab to it first, and the panel shows which is
// highlighted.
package confirm

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/ui/theme"
)

// Result is the answer a key gave.
type Result int

// The answers.
const (
	Pending Result = iota
	Yes
	No
)

// KeyMap is the question's keys.
type KeyMap struct {
	Yes    key.Binding
	No     key.Binding
	Take   key.Binding // the highlighted choice
	Switch key.Binding // highlights the other choice
}

// DefaultKeyMap says yes with y and no with n or esc.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Yes:    key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes")),
		No:     key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n/esc", "no")),
		Take:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "take")),
		Switch: key.NewBinding(key.WithKeys("left", "right", "h", "l", "tab", "shift+tab"), key.WithHelp("←/→", "choose")),
	}
}

// Model is one question; Detail is an optional line of consequences.
type Model struct {
	KeyMap   KeyMap
	Question string
	Detail   string
	// yes is whether yes is highlighted (no is, at first).
	yes   bool
	theme *theme.Theme
	width int
}

// New asks question.
func New(th *theme.Theme, question, detail string) Model {
	return Model{KeyMap: DefaultKeyMap(), Question: question, Detail: detail, theme: th, width: 50}
}

// SetWidth sets the panel's width.
func (m *Model) SetWidth(w int) { m.width = max(10, w) }

// Update reads the answer from a key; anything else leaves it pending.
func (m Model) Update(msg tea.Msg) (Model, Result) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, Pending
	}
	switch {
	case key.Matches(k, m.KeyMap.Yes):
		return m, Yes
	case key.Matches(k, m.KeyMap.No):
		return m, No
	case key.Matches(k, m.KeyMap.Take):
		if m.yes {
			return m, Yes
		}
		return m, No
	case key.Matches(k, m.KeyMap.Switch):
		m.yes = !m.yes
	}
	return m, Pending
}

// Highlighted is the choice enter takes.
func (m Model) Highlighted() Result {
	if m.yes {
		return Yes
	}
	return No
}

// View draws the question in a panel, with the two choices under it, the
// highlighted one marked ▸ and shown reversed.
func (m Model) View() string {
	t := m.theme
	inner := m.width - 4
	lines := []string{t.Strong.Render(ansi.Wrap(m.Question, inner, " "))}
	if m.Detail != "" {
		lines = append(lines, t.Muted.Render(ansi.Wrap(m.Detail, inner, " ")))
	}
	choice := func(label string, on bool) string {
		if on {
			return "▸" + t.TabActive.Render(label)
		}
		return "  " + t.HelpDesc.Render(label) + " "
	}
	lines = append(lines, "", choice("yes", m.yes)+"  "+choice("no", !m.yes),
		t.HelpKey.Render("y")+" "+t.HelpDesc.Render("yes")+t.HelpSep.Render(" · ")+
			t.HelpKey.Render("n/esc")+" "+t.HelpDesc.Render("no")+t.HelpSep.Render(" · ")+
			t.HelpKey.Render("←/→ enter")+" "+t.HelpDesc.Render("choose"))
	return t.Panel.Width(m.width).Render(strings.Join(lines, "\n"))
}
