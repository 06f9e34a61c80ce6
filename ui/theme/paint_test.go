package theme

import (
	"testing"

	"charm.land/lipgloss/v2"
)

// A paint renders exactly what its style renders, and falls back to the
// style where the style does more than colour its text.
func TestPaintRendersAsItsStyle(t *testing.T) {
	red := lipgloss.Color("#ff0000")
	styles := map[string]lipgloss.Style{
		"plain":     lipgloss.NewStyle(),
		"colour":    lipgloss.NewStyle().Foreground(red),
		"bold":      lipgloss.NewStyle().Bold(true).Foreground(red),
		"padding":   lipgloss.NewStyle().Padding(0, 1).Foreground(red),
		"width":     lipgloss.NewStyle().Width(12),
		"no colour": New(true).ChartTrain,
		"theme":     New(false).ChartAxis,
	}
	for name, st := range styles {
		p := NewPaint(st)
		for _, s := range []string{"", "a", " 2.3 ┼─╮", "╰──────╯  ", "••• x"} {
			if got, want := p.Render(s), st.Render(s); got != want && s != "" {
				t.Errorf("%s: Render(%q) = %q, want %q", name, s, got, want)
			}
		}
	}
}
