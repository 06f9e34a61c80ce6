package theme

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// The styles of the job comparison (a colour per job) and the job log.

// seriesColours are six hues that stay apart from each other and readable
// on a light and on a dark background, the first the theme's accent.
func (t *Theme) seriesColours() []color.Color {
	ld := lipgloss.LightDark(t.dark)
	return []color.Color{
		ld(lipgloss.Color("#5A3FC0"), lipgloss.Color("#9D86F9")),
		ld(lipgloss.Color("#02875A"), lipgloss.Color("#3FD88F")),
		ld(lipgloss.Color("#B35C00"), lipgloss.Color("#FFA94D")),
		ld(lipgloss.Color("#0069A8"), lipgloss.Color("#5CC8FF")),
		ld(lipgloss.Color("#C5004A"), lipgloss.Color("#FF6B8B")),
		ld(lipgloss.Color("#7A6A00"), lipgloss.Color("#E6D45C")),
	}
}

// buildCompare builds the styles of the job comparison and the job log.
func (t *Theme) buildCompare(p palette) {
	s := lipgloss.NewStyle()
	colours := t.seriesColours()
	t.Series = make([]lipgloss.Style, len(colours))
	for i, c := range colours {
		t.Series[i] = t.fg(s, c)
	}
	t.SeriesMarks = make([]string, len(colours))
	if t.noColor {
		copy(t.SeriesMarks, []string{"", "•", "×", "+", "#", "o"})
	}
	t.CompareDiff = t.fg(s.Bold(true), p.warn)
	t.CompareBest = t.fg(s.Bold(true), p.ok)
	if t.noColor {
		t.CompareBest = s.Bold(true).Underline(true)
	}
	t.LogMatch = s.Reverse(true)
	t.LogMatchCurrent = s.Reverse(true).Bold(true)
	if !t.noColor {
		t.LogMatch = s.Foreground(p.fg).Background(p.highlight)
		t.LogMatchCurrent = s.Bold(true).Foreground(p.accentFg).Background(p.accent)
	}
	t.LogStderr = t.fg(s, p.subtle)
	if t.noColor {
		t.LogStderr = s
	}
}
