// Package confirm asks a yes/no question before something that cannot be
// undone (deleting a training file, removing a conversation from one). Only
// y says yes; enter does not, so a key pressed out of habit never destroys
// anything.
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
	Yes key.Binding
	No  key.Binding
}

// DefaultKeyMap says yes with y and no with n or esc.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Yes: key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes")),
		No:  key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n/esc", "no")),
	}
}

// Model is one question; Detail is an optional line of consequences.
type Model struct {
	KeyMap   KeyMap
	Question string
	Detail   string
	theme    *theme.Theme
	width    int
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
	}
	return m, Pending
}

// View draws the question in a panel.
func (m Model) View() string {
	t := m.theme
	inner := m.width - 4
	lines := []string{t.Strong.Render(ansi.Wrap(m.Question, inner, " "))}
	if m.Detail != "" {
		lines = append(lines, t.Muted.Render(ansi.Wrap(m.Detail, inner, " ")))
	}
	lines = append(lines, "", t.HelpKey.Render("y")+" "+t.HelpDesc.Render("yes")+t.HelpSep.Render(" · ")+
		t.HelpKey.Render("n/esc")+" "+t.HelpDesc.Render("no"))
	return t.Panel.Width(m.width).Render(strings.Join(lines, "\n"))
}
