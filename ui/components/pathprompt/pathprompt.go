// Package pathprompt asks for a local file path in a small panel: a title,
// a text input holding a proposed path the operator can edit, and a hint.
// Screens use it wherever something is written to or read from disk
// (exports, imports by path or glob), so every such question looks and
// behaves the same: enter accepts, esc cancels.
package pathprompt

import (
	"os"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/ui/theme"
)

// Result is what a key did to the prompt.
type Result int

// The outcomes of Update.
const (
	Editing   Result = iota // still asking
	Submitted               // enter on a non-empty path
	Cancelled               // esc
)

// KeyMap is the prompt's own keys; the input's editing keys are the text
// input bubble's.
type KeyMap struct {
	Submit key.Binding
	Cancel key.Binding
}

// DefaultKeyMap accepts with enter and cancels with esc.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "ok")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// Model is one question.
type Model struct {
	KeyMap KeyMap
	Title  string
	// Hint is a muted line under the input ("tab: raw / enriched").
	Hint  string
	input textinput.Model
	theme *theme.Theme
	width int
}

// New asks title, proposing value.
func New(th *theme.Theme, title, value string) Model {
	in := textinput.New()
	in.Prompt = "› "
	in.Placeholder = "path"
	in.SetStyles(th.TextInput())
	in.SetValue(value)
	in.CursorEnd()
	m := Model{KeyMap: DefaultKeyMap(), Title: title, input: in, theme: th}
	m.SetWidth(60)
	return m
}

// Focus puts the cursor in the input; call it once after New and send
// its command (the cursor's blink).
func (m *Model) Focus() tea.Cmd { return m.input.Focus() }

// SetWidth sets the width of the whole panel.
func (m *Model) SetWidth(w int) {
	m.width = max(10, w)
	m.input.SetWidth(max(1, m.width-4-lipgloss.Width(m.input.Prompt)-1))
}

// Value is the path as typed, trimmed.
func (m Model) Value() string { return strings.TrimSpace(m.input.Value()) }

// SetValue replaces the path, leaving the cursor at its end.
func (m *Model) SetValue(v string) {
	m.input.SetValue(v)
	m.input.CursorEnd()
}

// Update hands the key to the input unless it submits or cancels.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd, Result) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, m.KeyMap.Cancel):
			return m, nil, Cancelled
		case key.Matches(k, m.KeyMap.Submit):
			if m.Value() == "" {
				return m, nil, Editing
			}
			return m, nil, Submitted
		}
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return m, cmd, Editing
}

// View draws the panel: title, input, hint and the keys.
func (m Model) View() string {
	t := m.theme
	inner := m.width - 4
	lines := []string{t.Title.Render(ansi.Truncate(m.Title, inner, "…")), m.input.View()}
	if m.Hint != "" {
		lines = append(lines, t.Muted.Render(ansi.Truncate(m.Hint, inner, "…")))
	}
	lines = append(lines, t.Muted.Render(ansi.Truncate("enter ok · esc cancel · ctrl+u clear", inner, "…")))
	return t.Panel.Width(m.width).Render(strings.Join(lines, "\n"))
}

// Expand resolves a leading ~ to the home directory, the way a shell
// would, so "~/exports/x.json" works as typed. It is for the command that
// uses the path, not for Update.
func Expand(path string) string {
	if path != "~" && !strings.HasPrefix(path, "~/") {
		return path
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return path
	}
	return filepath.Join(home, strings.TrimPrefix(path, "~"))
}
