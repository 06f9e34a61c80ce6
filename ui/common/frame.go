package common

import "charm.land/lipgloss/v2"

// Fit draws a screen's view in the area the shell gave it: nothing before
// the screen has an area, else what view draws, cut to it.
func (c Common) Fit(view func() string) string {
	w, h := c.Width, c.Height
	if w <= 0 || h <= 0 {
		return ""
	}
	return lipgloss.NewStyle().MaxHeight(h).MaxWidth(w).Render(view())
}
