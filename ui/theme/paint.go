package theme

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// Paint is a style that only sets attributes (colour, bold), reduced to the
// escape sequences around its text. Rendering through lipgloss measures
// every grapheme of the text; a chart redrawn for fifty SSH sessions at
// each metric point does not need that for plain box-drawing characters.
type Paint struct {
	style     lipgloss.Style
	pre, post string
	ok        bool // pre and post stand for the style
}

// NewPaint reduces st to the sequences around a text, if it can be: a
// style with padding, borders or a width is kept as a style.
func NewPaint(st lipgloss.Style) Paint {
	const probe = "x"
	out := st.Render(probe)
	i := strings.Index(out, probe)
	if i < 0 || strings.Count(out, probe) != 1 {
		return Paint{style: st}
	}
	p := Paint{style: st, pre: out[:i], post: out[i+len(probe):]}
	// The reduction holds only if a longer text is wrapped the same way.
	const longer = "x─╮ ab"
	p.ok = st.Render(longer) == p.pre+longer+p.post
	return p
}

// Render styles s, which must be a single line.
func (p Paint) Render(s string) string {
	if !p.ok {
		return p.style.Render(s)
	}
	if s == "" {
		return ""
	}
	return p.pre + s + p.post
}
