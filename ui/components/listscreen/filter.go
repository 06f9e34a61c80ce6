package listscreen

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// Filter is a list's `/` filter: a text input that is either being typed
// (Active) or kept, its text narrowing the rows, until cleared.
type Filter struct {
	textinput.Model
	active bool
}

// FilterEvent is what a message did to the filter.
type FilterEvent int

const (
	FilterUnchanged FilterEvent = iota // the text is the same (a cursor move, a blink)
	FilterEdited                       // the text changed: narrow the rows again
	FilterAccepted                     // enter: typing ends, the text stays
	FilterCancelled                    // esc: typing ends, the text is cleared
)

// NewFilter is an input showing prompt before the text and placeholder
// while empty, taking at most limit characters.
func NewFilter(prompt, placeholder string, limit int) Filter {
	in := textinput.New()
	in.Prompt, in.Placeholder, in.CharLimit = prompt, placeholder, limit
	return Filter{Model: in}
}

// Active is true while the filter is typed (it has the keyboard).
func (f *Filter) Active() bool { return f.active }

// Open starts typing, after the text kept from before.
func (f *Filter) Open() tea.Cmd {
	f.active = true
	f.CursorEnd()
	return f.Focus()
}

// Clear drops the text, typed or kept.
func (f *Filter) Clear() { f.SetValue("") }

// Handle takes a message while the filter is typed: accept ends typing and
// keeps the text, cancel ends it and clears the text, anything else (keys,
// pastes, blinks) goes to the input.
func (f *Filter) Handle(msg tea.Msg, accept, cancel key.Binding) (tea.Cmd, FilterEvent) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, accept):
			f.close()
			return nil, FilterAccepted
		case key.Matches(k, cancel):
			f.close()
			f.Clear()
			return nil, FilterCancelled
		}
	}
	before := f.Value()
	var cmd tea.Cmd
	f.Model, cmd = f.Model.Update(msg)
	if f.Value() == before {
		return cmd, FilterUnchanged
	}
	return cmd, FilterEdited
}

func (f *Filter) close() {
	f.active = false
	f.Blur()
}
