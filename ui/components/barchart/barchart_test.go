package barchart

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"brightrun/ui/theme"
)

func TestFromCountsOrdersLargestFirst(t *testing.T) {
	bars := FromCounts(map[string]int{"edge_case": 2, "template": 10, "alpha": 2})
	got := []string{bars[0].Label, bars[1].Label, bars[2].Label}
	if strings.Join(got, ",") != "template,alpha,edge_case" {
		t.Errorf("order %v", got)
	}
}

func TestViewScalesToTheLargestBar(t *testing.T) {
	c := New(theme.New(true), "Tiers", 30)
	c.Bars = FromCounts(map[string]int{"template": 10, "edge_case": 5})
	lines := strings.Split(ansi.Strip(c.View()), "\n")
	// Labels take 9 cells (the longest), values 2: 17 cells of bar.
	if len(lines) != 3 {
		t.Fatalf("%d lines:\n%s", len(lines), strings.Join(lines, "\n"))
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w != 30 {
			t.Errorf("line %d is %d wide, want 30: %q", i, w, l)
		}
	}
	full := strings.Count(lines[1], "█")
	half := strings.Count(lines[2], "█")
	if full != 17 || half != 8 || !strings.Contains(lines[2], "█▌") {
		t.Errorf("bars of %d and %d½ cells, want 17 and 8½:\n%s", full, half, strings.Join(lines, "\n"))
	}
	if !strings.HasSuffix(lines[1], " 10") || !strings.HasSuffix(lines[2], "  5") {
		t.Errorf("values not right-aligned:\n%s", strings.Join(lines, "\n"))
	}
}

func TestSmallValuesStayVisibleAndPartialCellsUseEighths(t *testing.T) {
	if got := drawBar(1, 1000, 10); got != "▏" {
		t.Errorf("tiny value drew %q, want one eighth", got)
	}
	if got := drawBar(3, 8, 2); got != "▊" { // 6 of 16 eighths
		t.Errorf("drawBar(3,8,2) = %q", got)
	}
	if got := drawBar(0, 8, 2); got != "" {
		t.Errorf("zero drew %q", got)
	}
}

func TestMaxBarsAndNarrowWidths(t *testing.T) {
	c := New(theme.New(true), "", 20)
	c.Bars = FromCounts(map[string]int{"a": 5, "b": 4, "c": 3, "d": 2, "e": 1})
	c.MaxBars = 3
	v := ansi.Strip(c.View())
	if !strings.Contains(v, "+3 more") || strings.Count(v, "\n") != 2 {
		t.Errorf("MaxBars 3:\n%s", v)
	}
	for _, w := range []int{1, 2, 5, 8} {
		c.Width = w
		c.Bars = FromCounts(map[string]int{"a_very_long_persona_key": 1234567})
		for _, l := range strings.Split(ansi.Strip(c.View()), "\n") {
			if ansi.StringWidth(l) > w {
				t.Errorf("width %d: line %q too wide", w, l)
			}
		}
	}
	c.Width = 0
	if c.View() != "" {
		t.Error("zero width drew something")
	}
}

func TestEmptyChartSaysSo(t *testing.T) {
	c := New(theme.New(true), "Personas", 20)
	if v := ansi.Strip(c.View()); !strings.Contains(v, "no data") {
		t.Errorf("empty chart: %q", v)
	}
}

func TestFormat(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 1234567: "1,234,567", 8.25: "8.2", -1000: "-1,000"} {
		if got := defaultFormat(v); got != want {
			t.Errorf("defaultFormat(%v) = %q, want %q", v, got, want)
		}
	}
}
