// Package logpane is a log in a viewport: lines with a style each, that
// follows the end while it is there, scrolls both ways, and searches with
// a typed query (smart case: a query with a capital letter matches case
// exactly), stepping through the matches. What the lines are — a job's
// events and its trainer's output — is its user's business.
package logpane

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"charm.land/bubbles/v2/textinput"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/ui/format"
	"brightrun/ui/theme"
)

// Pane is the log's state.
type Pane struct {
	vp viewport.Model
	// styles are each line's style, by line.
	styles []lipgloss.Style
	lines  []string
	follow bool // keep the end in view as lines arrive

	input  textinput.Model
	typing bool
	query  string
	// matchLines is the line of each match, cur the current match as
	// the viewport counts it (-1: none chosen).
	matchLines []int
	cur        int

	// gen counts the changes of what the viewport shows besides its size
	// and offsets (the lines, their styles, the marks); drawn holds the
	// last lines drawn, for the frames where none of it moved.
	gen   int
	drawn struct {
		key   drawKey
		lines []string
	}
}

type drawKey struct{ gen, w, h, y, x, cur int }

// New is an empty log that follows its end; placeholder is the search
// input's ("search the log").
func New(t *theme.Theme, placeholder string) Pane {
	vp := viewport.New()
	vp.SetHorizontalStep(8)
	vp.MouseWheelEnabled = false
	in := textinput.New()
	in.Prompt = "/"
	in.Placeholder = placeholder
	in.SetStyles(t.TextInput())
	p := Pane{vp: vp, input: in, follow: true, cur: -1}
	p.Restyle(t)
	return p
}

// Restyle takes the theme's match styles (after a change of background).
func (p *Pane) Restyle(t *theme.Theme) {
	p.vp.HighlightStyle = t.LogMatch
	p.vp.SelectedHighlightStyle = t.LogMatchCurrent
	p.input.SetStyles(t.TextInput())
	p.gen++
}

// Typing reports whether a query is being typed.
func (p *Pane) Typing() bool { return p.typing }

// Query is the query searched for ("" for none).
func (p *Pane) Query() string { return p.query }

// Matches is how many matches the query has.
func (p *Pane) Matches() int { return len(p.matchLines) }

// Current is the current match, from 0 (-1: none chosen).
func (p *Pane) Current() int { return p.cur }

// Following reports whether the end stays in view as lines arrive.
func (p *Pane) Following() bool { return p.follow }

// Lines are the lines the log holds.
func (p *Pane) Lines() []string { return p.lines }

// Viewport is the log's viewport, for scrolling and sizing it.
func (p *Pane) Viewport() *viewport.Model { return &p.vp }

// Input is the search input.
func (p *Pane) Input() *textinput.Model { return &p.input }

// Generation counts the changes of what the log shows besides its size
// and offsets.
func (p *Pane) Generation() int { return p.gen }

// Buffers are the lines' and styles' storage, emptied, for the next
// SetLines to fill without allocating anew (the viewport keeps its own
// copy of the lines).
func (p *Pane) Buffers() ([]string, []lipgloss.Style) {
	return p.lines[:0], p.styles[:0]
}

// SetLines replaces the lines and their styles (both are the pane's
// afterwards): the end stays in view where it was followed, anywhere else
// the view stays where it was; the search marks follow the new lines.
func (p *Pane) SetLines(lines []string, styles []lipgloss.Style) {
	p.gen++
	p.lines, p.styles = lines, styles
	y, x := p.vp.YOffset(), p.vp.XOffset()
	p.vp.SetContentLines(append([]string(nil), p.lines...))
	p.vp.StyleLineFunc = func(i int) lipgloss.Style {
		if i < len(p.styles) {
			return p.styles[i]
		}
		return lipgloss.NewStyle()
	}
	p.highlight()
	if p.follow {
		p.vp.GotoBottom()
	} else {
		p.vp.SetYOffset(y)
		p.vp.SetXOffset(x)
	}
	p.cur = nearestMatch(p.matchLines, p.vp.YOffset())
}

// highlight marks the query's matches in the viewport (none without a
// query).
func (p *Pane) highlight() {
	p.gen++
	p.vp.ClearHighlights()
	p.matchLines = p.matchLines[:0]
	if p.query == "" {
		return
	}
	ranges, lines := findMatches(p.lines, p.query)
	p.matchLines = lines
	if len(ranges) > 0 {
		p.vp.SetHighlights(ranges)
	}
}

// findMatches finds every occurrence of q in the lines joined by "\n", as
// byte ranges of that text, with the line of each. A query without a
// capital letter ignores ASCII case.
func findMatches(lines []string, q string) (ranges [][]int, at []int) {
	fold := strings.ToLower(q) == q
	if fold {
		q = lowerASCII(q)
	}
	offset := 0
	for i, line := range lines {
		hay := line
		if fold {
			hay = lowerASCII(line)
		}
		for from := 0; from <= len(hay)-len(q); {
			k := strings.Index(hay[from:], q)
			if k < 0 {
				break
			}
			start := offset + from + k
			ranges = append(ranges, []int{start, start + len(q)})
			at = append(at, i)
			from += k + len(q)
		}
		offset += len(line) + 1
	}
	return ranges, at
}

// lowerASCII lowers A–Z only, so byte offsets stay those of s.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// nearestMatch is the first match at or below line top, as the viewport
// picks it after a scroll; -1 when there is none.
func nearestMatch(lines []int, top int) int {
	i := sort.SearchInts(lines, top)
	if i == len(lines) {
		return -1
	}
	return i
}

// Search starts typing a query.
func (p *Pane) Search() tea.Cmd {
	p.typing = true
	p.input.SetValue(p.query)
	p.input.CursorEnd()
	return p.input.Focus()
}

// UpdateInput passes a key or a blink to the query being typed.
func (p *Pane) UpdateInput(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return cmd
}

// Submit takes the typed query and shows its first match from the view
// down (wrapping to the first of all).
func (p *Pane) Submit() {
	p.typing = false
	p.input.Blur()
	p.query = strings.TrimSpace(p.input.Value())
	p.highlight()
	p.cur = nearestMatch(p.matchLines, p.vp.YOffset())
	if p.cur < 0 && len(p.matchLines) > 0 {
		p.vp.HighlightNext()
		p.cur = 0
	}
	p.follow = p.vp.AtBottom()
}

// CancelSearch stops typing and keeps the query there was.
func (p *Pane) CancelSearch() {
	p.typing = false
	p.input.Blur()
}

// ClearSearch forgets the query and its marks.
func (p *Pane) ClearSearch() {
	p.query = ""
	p.highlight()
	p.cur = -1
}

// Step moves to the next (d = 1) or the previous (d = -1) match, as the
// viewport counts them.
func (p *Pane) Step(d int) {
	n := len(p.matchLines)
	if n == 0 {
		return
	}
	if d > 0 {
		p.vp.HighlightNext()
		p.cur = (p.cur + 1) % n
	} else {
		p.vp.HighlightPrevious()
		p.cur = (p.cur - 1 + n) % n
	}
	p.follow = p.vp.AtBottom()
}

// Scrolled records where the operator left the view: at the end it
// follows new lines, anywhere else it stays.
func (p *Pane) Scrolled() {
	p.follow = p.vp.AtBottom()
	p.cur = nearestMatch(p.matchLines, p.vp.YOffset())
}

// SearchNote is the search's state for a title: no match, or the current
// match of how many; "" without a query.
func (p *Pane) SearchNote(t *theme.Theme) string {
	switch {
	case p.query == "":
		return ""
	case len(p.matchLines) == 0:
		return t.Error.Render(fmt.Sprintf("no match for “%s”", p.query))
	}
	at := "–"
	if p.cur >= 0 {
		at = format.Thousands(int64(p.cur + 1))
	}
	return t.Muted.Render(fmt.Sprintf("“%s” %s/%s · n/N · esc clears", p.query, at, format.Thousands(int64(len(p.matchLines)))))
}

// View draws the log in h lines of at most w cells: the viewport (or
// empty, muted, when there are no lines), and the search being typed on
// the last line.
func (p *Pane) View(t *theme.Theme, w, h int, empty string) []string {
	if p.typing {
		h--
	}
	var out []string
	if len(p.lines) == 0 {
		out = []string{t.Muted.Render(empty)}
	} else if h > 0 {
		// The viewport lays every visible line out again at each call,
		// and a running job's view is drawn at each new point: what did
		// not move since the last frame is that frame's.
		key := func() drawKey {
			return drawKey{gen: p.gen, w: w, h: h, y: p.vp.YOffset(), x: p.vp.XOffset(), cur: p.cur}
		}
		if p.drawn.lines == nil || p.drawn.key != key() {
			p.vp.SetWidth(w)
			p.vp.SetHeight(h)
			if y := p.vp.YOffset(); p.follow || p.vp.PastBottom() {
				// Sized since the last lines came: the end stays in view.
				p.vp.GotoBottom()
				if p.vp.YOffset() != y {
					p.cur = nearestMatch(p.matchLines, p.vp.YOffset())
				}
			}
			p.drawn.key, p.drawn.lines = key(), strings.Split(p.vp.View(), "\n")
		}
		out = slices.Clone(p.drawn.lines)
	}
	if p.typing {
		p.input.SetWidth(max(8, w-2))
		for len(out) < h {
			out = append(out, "")
		}
		out = append(out, ansi.Truncate(p.input.View(), w, "…"))
	}
	return out
}
