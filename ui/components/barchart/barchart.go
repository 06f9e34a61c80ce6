// Package barchart draws small horizontal bar charts in text: a label, a
// bar of Unicode eighth blocks and the value, one line per bar. Bars are
// characters, not colours, so a chart reads the same under NO_COLOR; every
// line is padded to the chart's width so charts can stand side by side.
package barchart

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/ui/theme"
)

// Bar is one labelled value.
type Bar struct {
	Label string
	Value float64
}

// Styles are the looks of a chart's parts.
type Styles struct {
	Title lipgloss.Style
	Label lipgloss.Style
	Bar   lipgloss.Style
	Value lipgloss.Style
	More  lipgloss.Style // the "+3 more" line
}

// Model is a chart. It is a plain value: set the fields and call View.
type Model struct {
	Title string
	Bars  []Bar
	// Width is the width of every line, title included.
	Width int
	// MaxBars, when above zero, draws only the first MaxBars bars and a
	// last line saying how many were left out.
	MaxBars int
	// Format renders a value; nil writes whole numbers with thousands
	// separators and others with one decimal.
	Format func(float64) string
	Styles Styles
}

// New returns an empty chart in the theme's styles.
func New(th *theme.Theme, title string, width int) Model {
	return Model{Title: title, Width: width, Styles: Styles{
		Title: th.Strong, Label: th.ChartLabel, Bar: th.ChartBar, Value: th.ChartValue, More: th.Muted,
	}}
}

// FromCounts turns a distribution into bars, largest first, ties by label,
// so the same counts always draw the same chart.
func FromCounts(counts map[string]int) []Bar {
	bars := make([]Bar, 0, len(counts))
	for k, v := range counts {
		bars = append(bars, Bar{Label: k, Value: float64(v)})
	}
	slices.SortFunc(bars, func(a, b Bar) int {
		if c := cmp.Compare(b.Value, a.Value); c != 0 {
			return c
		}
		return strings.Compare(a.Label, b.Label)
	})
	return bars
}

// eighths are the partial blocks, from one eighth to a full cell.
var eighths = []rune{'▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'}

// View draws the title (when set) and one line per bar.
func (m Model) View() string {
	w := m.Width
	if w <= 0 {
		return ""
	}
	var lines []string
	if m.Title != "" {
		lines = append(lines, pad(m.Styles.Title.Render(ansi.Truncate(m.Title, w, "…")), w))
	}
	bars, hidden := m.Bars, 0
	if m.MaxBars > 0 && len(bars) > m.MaxBars {
		keep := max(1, m.MaxBars-1) // the last line says what was left out
		bars, hidden = bars[:keep], len(bars)-keep
	}
	if len(bars) == 0 {
		return strings.Join(append(lines, pad(m.Styles.More.Render("no data"), w)), "\n")
	}

	format := m.Format
	if format == nil {
		format = defaultFormat
	}
	labelW, valueW, top := 0, 0, 0.0
	values := make([]string, len(bars))
	for i, b := range bars {
		labelW = max(labelW, ansi.StringWidth(b.Label))
		values[i] = format(b.Value)
		valueW = max(valueW, ansi.StringWidth(values[i]))
		top = max(top, b.Value)
	}
	// The label may take up to two fifths of the line; the bar gets the
	// rest, and at least one cell.
	labelW = min(labelW, max(3, w*2/5))
	barW := w - labelW - valueW - 2
	if barW < 1 {
		labelW = max(0, labelW+barW-1)
		barW = 1
	}
	for i, b := range bars {
		label := ansi.Truncate(b.Label, labelW, "…")
		label += strings.Repeat(" ", max(0, labelW-ansi.StringWidth(label)))
		bar := drawBar(b.Value, top, barW)
		bar += strings.Repeat(" ", max(0, barW-ansi.StringWidth(bar)))
		value := strings.Repeat(" ", max(0, valueW-ansi.StringWidth(values[i]))) + values[i]
		line := m.Styles.Label.Render(label) + " " + m.Styles.Bar.Render(bar) + " " + m.Styles.Value.Render(value)
		lines = append(lines, pad(ansi.Truncate(line, w, ""), w))
	}
	if hidden > 0 {
		lines = append(lines, pad(m.Styles.More.Render("+"+strconv.Itoa(hidden)+" more"), w))
	}
	return strings.Join(lines, "\n")
}

// drawBar is value's share of top in eighths of width cells; anything above
// zero shows at least one eighth, so a small count never looks like none.
func drawBar(value, top float64, width int) string {
	if value <= 0 || top <= 0 {
		return ""
	}
	n := int(math.Round(value / top * float64(width*8)))
	n = max(1, min(n, width*8))
	return strings.Repeat("█", n/8) + func() string {
		if n%8 == 0 {
			return ""
		}
		return string(eighths[n%8-1])
	}()
}

func defaultFormat(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return thousands(int64(v))
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func pad(s string, w int) string {
	return s + strings.Repeat(" ", max(0, w-ansi.StringWidth(s)))
}
