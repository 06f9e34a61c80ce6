// Package selector is a one-line choice among a few options, cycled with
// left/right (or h/l, -/+), drawn as "‹ balanced ›". Forms use it where a
// free-text input would only invite typos: presets, GPU types, GPU counts.
package selector

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"brightrun/ui/theme"
)

// KeyMap is the selector's keys; a form shows them in its help.
type KeyMap struct {
	Prev key.Binding
	Next key.Binding
}

// DefaultKeyMap cycles with the arrows, vim's h/l and -/+ (the natural keys
// for a count).
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Prev: key.NewBinding(key.WithKeys("left", "h", "-"), key.WithHelp("←/→", "change")),
		Next: key.NewBinding(key.WithKeys("right", "l", "+", "="), key.WithHelp("→", "next")),
	}
}

// Model holds the options, the chosen index and whether the form's cursor is
// on it. Options are display strings; callers map the index back to values.
type Model struct {
	KeyMap  KeyMap
	Options []string
	// Wrap makes cycling past the end start over; off for counts, where
	// going from 8 to 1 by pressing + would surprise.
	Wrap bool

	index   int
	focused bool
	theme   *theme.Theme
}

// New builds a selector over options with the first one chosen.
func New(th *theme.Theme, options []string, wrap bool) Model {
	return Model{KeyMap: DefaultKeyMap(), Options: options, Wrap: wrap, theme: th}
}

// Index is the chosen option's position.
func (m Model) Index() int { return m.index }

// Value is the chosen option, or "" when there are none.
func (m Model) Value() string {
	if m.index < 0 || m.index >= len(m.Options) {
		return ""
	}
	return m.Options[m.index]
}

// SetIndex chooses an option, clamped to the list.
func (m *Model) SetIndex(i int) {
	m.index = max(0, min(i, len(m.Options)-1))
}

// SetValue chooses the option equal to v, reporting whether it exists.
func (m *Model) SetValue(v string) bool {
	for i, o := range m.Options {
		if o == v {
			m.index = i
			return true
		}
	}
	return false
}

// Focus puts the form's cursor on the selector; only then does it take keys.
func (m *Model) Focus() { m.focused = true }

// Blur takes the cursor away.
func (m *Model) Blur() { m.focused = false }

// Focused reports whether the selector takes keys.
func (m Model) Focused() bool { return m.focused }

// Update cycles on the selector's keys and reports whether the value changed.
func (m Model) Update(msg tea.Msg) (Model, bool) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || !m.focused || len(m.Options) == 0 {
		return m, false
	}
	before := m.index
	switch {
	case key.Matches(k, m.KeyMap.Prev):
		m.step(-1)
	case key.Matches(k, m.KeyMap.Next):
		m.step(1)
	}
	return m, m.index != before
}

func (m *Model) step(d int) {
	n := len(m.Options)
	i := m.index + d
	switch {
	case m.Wrap:
		i = (i + n) % n
	default:
		i = max(0, min(i, n-1))
	}
	m.index = i
}

// View draws "‹ value ›", padded to the widest option so the arrows do not
// jump while cycling. Arrows that lead nowhere (no wrap, at an end) are blank.
func (m Model) View() string {
	width := 0
	for _, o := range m.Options {
		width = max(width, len([]rune(o)))
	}
	v := m.Value()
	v += strings.Repeat(" ", max(0, width-len([]rune(v))))
	left, right := "‹", "›"
	if !m.Wrap && m.index == 0 {
		left = " "
	}
	if !m.Wrap && m.index == len(m.Options)-1 {
		right = " "
	}
	t := m.theme
	val := t.Value
	if m.focused {
		val = t.ValueFocused
	}
	return t.Arrow.Render(left) + " " + val.Render(v) + " " + t.Arrow.Render(right)
}
