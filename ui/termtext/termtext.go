// Package termtext makes text that came from outside (names, descriptions,
// conversation turns, a trainer's output, error messages quoting them)
// inert before it reaches a terminal. Such text is data: an OSC 52
// sequence in a dataset name must not write the clipboard of whoever lists
// datasets, ESC[6n must not make the terminal type into stdin, and a colour
// in a stored name must not restyle the screen. Every control character is
// shown visibly instead, in Go's escape notation (\x1b, \u009b), so an
// operator sees that the text holds one; --json output keeps the exact text
// (encoding/json escapes it).
//
// It lives in ui, not model: what is safe to show depends on the terminal,
// and both the CLI and the TUI print through it.
package termtext

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Line makes s safe on one line: every control character, tab and newline
// included, is shown escaped. For names, titles, table cells and log lines.
func Line(s string) string { return inert(s, false) }

// Text makes s safe as a block of text: like Line, but a newline and a tab
// are kept, for multi-line contents (a conversation's turns).
func Text(s string) string { return inert(s, true) }

func inert(s string, keepLayout bool) string {
	if plain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			b.WriteByte(c)
			i++
			continue
		}
		if c < 0x80 { // C0 or DEL
			if keepLayout && (c == '\n' || c == '\t') {
				b.WriteByte(c)
			} else {
				fmt.Fprintf(&b, `\x%02x`, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, c) // not UTF-8: the byte itself
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// plain is the fast path: printable ASCII needs no copy.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// unsafeRune is a non-ASCII rune a terminal may act on instead of showing:
// the C1 controls (U+009B is CSI, U+009D OSC on terminals that take them in
// UTF-8) and the bidirectional overrides and isolates, which reorder what
// follows them on the line so a name can read as something else.
func unsafeRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}
