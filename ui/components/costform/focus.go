package costform

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"brightrun/ui/common"
	"brightrun/ui/components/numfield"
	"brightrun/ui/components/selector"
)

// Rows are a form's controls by field: its selectors, and its number
// inputs (indexed by field; those of the selector rows are unused).
type Rows[F ~int] struct {
	Selectors map[F]*selector.Model
	Inputs    []numfield.Model
}

// Focus moves the form's cursor to row f: every row blurred, then f's
// control focused, a number input with its cursor at the end (the command
// makes it blink).
func (r Rows[F]) Focus(f F) tea.Cmd {
	r.Blur()
	if s, ok := r.Selectors[f]; ok {
		s.Focus()
		return nil
	}
	r.Inputs[f].CursorEnd()
	return r.Inputs[f].Focus()
}

// UpdateSelector gives k to row f when that row is a selector: isSelector
// says whether it was (a number input's key is the screen's to give), and
// changed whether the selector's value moved.
func (r Rows[F]) UpdateSelector(f F, k tea.KeyPressMsg) (isSelector, changed bool) {
	s, ok := r.Selectors[f]
	if !ok {
		return false, false
	}
	*s, changed = s.Update(k)
	return true, changed
}

// Blur takes the cursor off every row.
func (r Rows[F]) Blur() {
	for i := range r.Inputs {
		if _, sel := r.Selectors[F(i)]; !sel {
			r.Inputs[i].Blur()
		}
	}
	for _, s := range r.Selectors {
		s.Blur()
	}
}

// Keys are the form's own keys, the same on both screens: Edit enters the
// form, Next and Prev move its cursor, Change steps a selector, Done
// leaves it, Compare shows every preset on every GPU. A screen embeds them
// in its key map beside its own.
type Keys struct {
	Edit, Next, Prev, Change, Done, Compare key.Binding
}

// DefaultKeys are the form's keys. Letters are free to bind while editing:
// the number fields refuse them (e, the exponent, is left alone).
func DefaultKeys() Keys {
	return Keys{
		Edit:    common.Key("enter", "edit", "enter", "e", "i"),
		Next:    common.Key("tab/↓", "next field", "tab", "down"),
		Prev:    common.Key("shift+tab/↑", "prev field", "shift+tab", "up"),
		Change:  common.Key("←/→", "change", "left", "right"),
		Done:    common.Key("esc", "done editing", "esc"),
		Compare: common.Key("c", "compare", "c"),
	}
}

// Navigate handles a cursor key while the form is edited: Done leaves the
// form (every row blurred, *editing false); Next and Prev move *focus round
// the rows, one per input. It reports whether k was one of them, so that
// the screen gives any other key to its own bindings or to the row.
func (r Rows[F]) Navigate(k tea.KeyPressMsg, nav Keys, focus *F, editing *bool) (tea.Cmd, bool) {
	n := F(len(r.Inputs))
	switch {
	case key.Matches(k, nav.Done):
		*editing = false
		r.Blur()
		return nil, true
	case key.Matches(k, nav.Next):
		*focus = (*focus + 1) % n
	case key.Matches(k, nav.Prev):
		*focus = (*focus + n - 1) % n
	default:
		return nil, false
	}
	return r.Focus(*focus), true
}
