package costform

import (
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
