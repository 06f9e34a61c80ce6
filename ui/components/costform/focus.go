package costform

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

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

// Nav are the keys that move a form's cursor while it is being edited.
type Nav struct{ Done, Next, Prev key.Binding }

// Navigate handles a cursor key while the form is edited: Done leaves the
// form (every row blurred, *editing false); Next and Prev move *focus round
// the rows, one per input. It reports whether k was one of them, so that
// the screen gives any other key to its own bindings or to the row.
func (r Rows[F]) Navigate(k tea.KeyPressMsg, nav Nav, focus *F, editing *bool) (tea.Cmd, bool) {
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
