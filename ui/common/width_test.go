package common

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestWidthCountsAsStringWidth(t *testing.T) {
	cases := []string{
		"", "plain", "\x1b[1mbold\x1b[0m", "\x1b[38;5;203m● running\x1b[m 42%",
		"├──┤ 0.53 ╭─╮ ⠁⠂ █░ …·→", "café ñ", "日本語", "👍 ok", "e\u0301", "a\u200db",
		"\x1b]8;;https://x.y\x07link\x1b]8;;\x07", "\x1b]8;;u\x1b\\l\x1b]8;;\x1b\\", "tab\there",
		"\x1b[", "\x1b", "soft\u00adhyphen", "✓ done ✗ failed", "½ ¼ ©", "emoji ❤️ heart",
		"\x1b[31;1;4mred\x1b[0m—dash", "⚠ warn", "↑↓←→", "▲▼◆◇○●■□",
	}
	for _, s := range cases {
		if got, want := Width(s), ansi.StringWidth(s); got != want {
			t.Errorf("Width(%q) = %d, ansi.StringWidth %d", s, got, want)
		}
	}
	// Every character of the fast path, alone and after a letter.
	for _, r := range []struct{ lo, hi rune }{{0xa0, 0x2ff}, {0x2010, 0x205e}, {0x2190, 0x21ff}, {0x2500, 0x25ff}, {0x2800, 0x28ff}} {
		for c := r.lo; c <= r.hi; c++ {
			s := "a" + string(c) + strings.Repeat(string(c), 2)
			if got, want := Width(s), ansi.StringWidth(s); got != want {
				t.Errorf("Width(%q U+%04X) = %d, ansi.StringWidth %d", s, c, got, want)
			}
		}
	}
}

func BenchmarkWidth(b *testing.B) {
	line := "\x1b[38;5;244m  0.53 ┤\x1b[m\x1b[38;5;81m╭─╮   ╭──────╮\x1b[m  \x1b[1mstep 1,234/5,000\x1b[m · elapsed 4m"
	b.Run("Width", func(b *testing.B) {
		for b.Loop() {
			Width(line)
		}
	})
	b.Run("ansi.StringWidth", func(b *testing.B) {
		for b.Loop() {
			ansi.StringWidth(line)
		}
	})
}
