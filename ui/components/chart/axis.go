package chart

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"charm.land/lipgloss/v2"

	"brightrun/ui/format"
	"brightrun/ui/theme"
)

// StepLabel is a step axis label: "12,400".
func StepLabel(v float64) string { return format.Thousands(int64(math.Round(v))) }

// AxisNumber is a value axis label: short at any magnitude.
func AxisNumber(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1000:
		return format.Thousands(int64(math.Round(v)))
	case a != 0 && a < 0.01:
		return fmt.Sprintf("%.1e", v)
	}
	return fmt.Sprintf("%.3g", v)
}

// HasValue reports whether a series has anything to draw (NaN is a gap).
func HasValue(v []float64) bool {
	for _, x := range v {
		if !math.IsNaN(x) {
			return true
		}
	}
	return false
}

// MaxWidth is the width of a plot: plain text of single-width characters
// (digits, '.', '-', box drawing, the series' marks), so one rune is one
// cell.
func MaxWidth(s string) int {
	w := 0
	for line := range strings.SplitSeq(s, "\n") {
		w = max(w, utf8.RuneCountInString(line))
	}
	return w
}

// TruncatePlain cuts a line of plain single-width text to w cells.
func TruncatePlain(line string, w int) string {
	n := 0
	for i := range line {
		if n == w {
			return line[:i]
		}
		n++
	}
	return line
}

// Styled renders s unless it is only spaces, which need no style.
func Styled(st lipgloss.Style, s string) string {
	if strings.TrimSpace(s) == "" {
		return s
	}
	return st.Render(s)
}

// Painted paints s unless it is only spaces, which need no paint.
func Painted(p theme.Paint, s string) string {
	if strings.TrimSpace(s) == "" {
		return s
	}
	return p.Render(s)
}
