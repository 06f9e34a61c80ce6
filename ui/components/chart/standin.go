package chart

import "github.com/guptarohit/asciigraph"

// A chart of many series is one plot in which each series draws with
// characters of its own from Unicode's private use area (one per line
// glyph), so after plotting every cell says which series it belongs to,
// and can be drawn back as its glyph in that series' style whatever the
// plot overlapped.

// LineGlyphs are a line's box-drawing characters, in the order of the
// stand-ins of a series (SeriesChars).
var LineGlyphs = [...]string{"─", "│", "╭", "╮", "╰", "╯", "╴", "╶"}

// standIn is the first private-use rune; series s, glyph g is standIn +
// s×16 + g.
const standIn = 0xE000

// SeriesChars is the stand-in character set of series s.
func SeriesChars(s int) asciigraph.CharSet {
	r := func(g int) string { return string(rune(standIn + s*16 + g)) }
	return asciigraph.CharSet{
		Horizontal: r(0), VerticalLine: r(1), ArcDownRight: r(2), ArcDownLeft: r(3),
		ArcUpRight: r(4), ArcUpLeft: r(5), EndCap: r(6), StartCap: r(7),
		UpRight: asciigraph.DefaultCharSet.UpRight, DownHorizontal: asciigraph.DefaultCharSet.DownHorizontal,
	}
}

// IsStandIn reports whether r is a series' stand-in.
func IsStandIn(r rune) bool { return r >= standIn && r < standIn+16*2*16 }

// StandIn says whose stand-in r is: the series and its glyph (an index of
// LineGlyphs); ok is false for any other rune.
func StandIn(r rune) (series, glyph int, ok bool) {
	if !IsStandIn(r) {
		return 0, 0, false
	}
	k := int(r - standIn)
	return k / 16, k % 16, true
}
