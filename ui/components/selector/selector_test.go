package selector

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"brightrun/ui/internal/uitest"
	"brightrun/ui/theme"
)

func TestCycling(t *testing.T) {
	for _, tc := range []struct {
		name  string
		wrap  bool
		keys  []string
		want  string
		moved bool
	}{
		{"next", true, []string{"right"}, "b", true},
		{"wrap back", true, []string{"left"}, "c", true},
		{"wrap forward", true, []string{"l", "l", "l"}, "a", true},
		{"no wrap stops at start", false, []string{"-"}, "a", false},
		{"no wrap stops at end", false, []string{"+", "+", "+", "+"}, "c", true},
		{"other keys ignored", true, []string{"x", "enter"}, "a", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := New(theme.New(true), []string{"a", "b", "c"}, tc.wrap)
			m.Focus()
			moved := false
			for _, k := range tc.keys {
				var changed bool
				m, changed = m.Update(uitest.Key(k))
				moved = moved || changed
			}
			if m.Value() != tc.want || moved != tc.moved {
				t.Errorf("value %q moved %v, want %q %v", m.Value(), moved, tc.want, tc.moved)
			}
		})
	}
}

func TestBlurredIgnoresKeys(t *testing.T) {
	m := New(theme.New(true), []string{"a", "b"}, true)
	m, _ = m.Update(uitest.Key("right"))
	if m.Value() != "a" {
		t.Errorf("a blurred selector moved to %q", m.Value())
	}
}

func TestViewPadsToWidestOption(t *testing.T) {
	m := New(theme.New(true), []string{"fast", "balanced"}, false)
	v := ansi.Strip(m.View())
	if v != "  fast     ›" {
		t.Errorf("view %q", v)
	}
	m.SetValue("balanced")
	if v := ansi.Strip(m.View()); !strings.HasPrefix(v, "‹ balanced") || !strings.HasSuffix(v, " ") {
		t.Errorf("view at the end %q", v)
	}
}
