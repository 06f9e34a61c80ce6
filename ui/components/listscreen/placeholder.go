package listscreen

import (
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/ui/theme"
)

// Placeholder draws what a list shows instead of its rows, centred in
// Width × Height: while it loads, when the load failed, or when there is
// nothing to show.
type Placeholder struct {
	Theme         *theme.Theme
	Width, Height int
}

// Loading is the spinner's frame and "Loading <what>…".
func (p Placeholder) Loading(spinner, what string) string {
	return p.Centered(spinner+" Loading "+what+"…", "")
}

// Failed says the load of what failed, why, and how to retry.
func (p Placeholder) Failed(what string, err error) string {
	return p.Centered(p.Theme.Error.Render("Could not load "+what),
		p.Theme.Muted.Render(ansi.Truncate(err.Error(), max(1, p.Width-2), "…")+" · ctrl+r to retry"))
}

// Unloaded is what stands in for rows that have not arrived: the failure
// of the load, or the spinner while it runs. ok is false once the rows
// are loaded, for the caller to draw them (or its empty state).
func (p Placeholder) Unloaded(loaded bool, err error, spinner, what string) (s string, ok bool) {
	switch {
	case loaded:
		return "", false
	case err != nil:
		return p.Failed(what, err), true
	}
	return p.Loading(spinner, what), true
}

// Empty is the empty state: what is missing, and what puts something there.
func (p Placeholder) Empty(title, hint string) string {
	return p.Centered(p.Theme.Strong.Render(title), p.Theme.Muted.Render(hint))
}

// Centered is one or two lines (a blank line between) in the middle of
// the area.
func (p Placeholder) Centered(line1, line2 string) string {
	block := line1
	if line2 != "" {
		block += "\n\n" + line2
	}
	return lipgloss.Place(max(1, p.Width), max(1, p.Height), lipgloss.Center, lipgloss.Center, block)
}
