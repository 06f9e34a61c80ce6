package common

import (
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Width is the cells s takes on a terminal, escape sequences left out, as
// ansi.StringWidth counts them. Every frame of every session measures
// each of its lines, and ansi.StringWidth splits the text into grapheme
// clusters to do it; a line of plain text, box drawing and colour codes,
// which is nearly every line, is counted here byte by byte instead.
func Width(s string) int {
	if n, ok := simpleWidth(s); ok {
		return n
	}
	return ansi.StringWidth(s)
}

// simpleWidth counts s when every character in it is one cell wide on its
// own (see narrow); ok is false at anything else.
func simpleWidth(s string) (n int, ok bool) {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b:
			end, ok := skipEscape(s, i)
			if !ok {
				return 0, false
			}
			i = end
		case c >= 0x20 && c < 0x7f:
			n++
			i++
		case c < 0x80:
			return 0, false // a control character
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if !narrow(r) {
				return 0, false
			}
			n++
			i += size
		}
	}
	return n, true
}

// skipEscape is the end of the CSI (ESC [ … final byte) or OSC (ESC ] …
// BEL or ST) sequence at s[i]; ok is false for any other.
func skipEscape(s string, i int) (end int, ok bool) {
	if i+1 >= len(s) {
		return 0, false
	}
	switch s[i+1] {
	case '[':
		for j := i + 2; j < len(s); j++ {
			if c := s[j]; c >= 0x40 && c <= 0x7e {
				return j + 1, true
			} else if c < 0x20 || c > 0x3f {
				return 0, false
			}
		}
	case ']':
		for j := i + 2; j < len(s); j++ {
			switch s[j] {
			case 0x07:
				return j + 1, true
			case 0x1b:
				if j+1 < len(s) && s[j+1] == '\\' {
					return j + 2, true
				}
				return 0, false
			}
		}
	}
	return 0, false
}

// narrow reports the characters our screens draw with that take one cell
// and never join the next into one cluster: Latin letters with their
// accents precomposed, general punctuation, arrows, box drawing, blocks,
// geometric shapes and braille.
func narrow(r rune) bool {
	switch {
	case r >= 0xa0 && r <= 0x2ff:
		return r != 0xad // the soft hyphen takes no cell
	case r >= 0x2010 && r <= 0x2027, r >= 0x2030 && r <= 0x205e:
		return true
	case r >= 0x2190 && r <= 0x21ff:
		return true
	case r >= 0x2500 && r <= 0x25ff:
		return r != 0x25fd && r != 0x25fe // emoji: two cells
	case r >= 0x2800 && r <= 0x28ff:
		return true
	}
	return false
}

// Truncate cuts s to w cells with tail at the end, as ansi.Truncate, and
// hands s back as it is when it fits.
func Truncate(s string, w int, tail string) string {
	if Width(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, tail)
}
