package jobs

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"charm.land/bubbles/v2/textinput"
	"charm.land/bubbles/v2/viewport"
	"charm.land/lipgloss/v2"
	"github.com/google/uuid"

	tea "charm.land/bubbletea/v2"

	"brightrun/model"
	"brightrun/ui/format"
	"brightrun/ui/theme"
)

// The job view's log: the job's events (stage changes, checkpoints,
// warnings, errors, rescues) merged by time with what its trainer printed
// (an exec trainer's stderr and log messages), in a viewport that follows
// the end while it is there, scrolls both ways, and searches with /
// (smart case: a query with a capital letter matches case exactly), n and
// N stepping through the matches.

// Limits of what the log holds: output is read in batches of
// outputBatch lines, and only the newest maxOutputLines are kept (the
// CLI's `job logs` prints every line).
const (
	outputBatch    = 2000
	maxOutputLines = 5000
)

// logKindWidth is the width of the kind column: "checkpoint".
const logKindWidth = 10

// logPane is the log's state.
type logPane struct {
	vp     viewport.Model
	events []model.JobEvent
	output []model.JobOutputLine
	// dropped counts the output lines let go off the front.
	dropped int
	lastSeq int64
	// fetching marks an output read in flight; more a change that came
	// meanwhile (or a full batch), read again when it lands.
	fetching, more bool
	// styles are each line's style (its kind's), by line.
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

	zoom bool // the log takes the whole view below the header

	// gen counts the changes of what the viewport shows besides its size
	// and offsets (the lines, their styles, the marks); drawn holds the
	// last lines drawn, for the frames where none of it moved.
	gen   int
	drawn struct {
		key   logDrawKey
		lines []string
	}
}

type logDrawKey struct{ gen, w, h, y, x, cur int }

// newLogPane is an empty log that follows its end.
func newLogPane(t *theme.Theme) logPane {
	vp := viewport.New()
	vp.SetHorizontalStep(8)
	vp.MouseWheelEnabled = false
	in := textinput.New()
	in.Prompt = "/"
	in.Placeholder = "search the log"
	in.SetStyles(t.TextInput())
	l := logPane{vp: vp, input: in, follow: true, cur: -1}
	l.restyle(t)
	return l
}

// restyle takes the theme's match styles (after a change of background).
func (l *logPane) restyle(t *theme.Theme) {
	l.vp.HighlightStyle = t.LogMatch
	l.vp.SelectedHighlightStyle = t.LogMatchCurrent
	l.input.SetStyles(t.TextInput())
	l.gen++
}

func (l *logPane) searching() bool { return l.typing }

// setEvents replaces the events (the log is short and read whole); the
// same events again, as at most changes of a running job, change nothing.
func (l *logPane) setEvents(ev []model.JobEvent, t *theme.Theme) {
	if len(ev) > 0 && slices.EqualFunc(ev, l.events, sameEvent) {
		return
	}
	l.events = ev
	l.rebuild(t)
}

func sameEvent(a, b model.JobEvent) bool {
	return a.At.Equal(b.At) && a.Kind == b.Kind && a.Stage == b.Stage && a.Step == b.Step && a.Message == b.Message
}

// addOutput appends lines read after lastSeq, dropping the oldest past
// maxOutputLines.
func (l *logPane) addOutput(lines []model.JobOutputLine, t *theme.Theme) {
	for _, o := range lines {
		if o.Seq <= l.lastSeq {
			continue
		}
		l.output = append(l.output, o)
		l.lastSeq = o.Seq
	}
	if over := len(l.output) - maxOutputLines; over > 0 {
		l.output = append(l.output[:0:0], l.output[over:]...)
		l.dropped += over
	}
	l.rebuild(t)
}

// rebuild lays the events and the output out by time and puts them in the
// viewport, keeping the view where it was (or at the end, following) and
// the search's matches on the new text.
func (l *logPane) rebuild(t *theme.Theme) {
	l.gen++
	l.lines, l.styles = l.lines[:0], l.styles[:0]
	add := func(text string, st lipgloss.Style) {
		l.lines = append(l.lines, text)
		l.styles = append(l.styles, st)
	}
	ev, out := l.events, l.output
	for len(ev) > 0 || len(out) > 0 {
		if len(ev) > 0 && (len(out) == 0 || !out[0].At.Before(ev[0].At)) {
			e := ev[0]
			ev = ev[1:]
			msg := e.Message
			if e.Step > 0 && !strings.Contains(msg, fmt.Sprintf("step %d", e.Step)) {
				msg += fmt.Sprintf(" (step %s)", format.Thousands(int64(e.Step)))
			}
			add(logLine(format.StampUTC(e.At), e.Kind, msg), eventStyle(t, e.Kind))
			continue
		}
		o := out[0]
		out = out[1:]
		st := lipgloss.NewStyle()
		if o.Stream == model.StreamStderr {
			st = t.LogStderr
		}
		add(logLine(format.StampUTC(o.At), o.Stream, o.Text), st)
	}
	y, x := l.vp.YOffset(), l.vp.XOffset()
	l.vp.SetContentLines(append([]string(nil), l.lines...))
	l.vp.StyleLineFunc = func(i int) lipgloss.Style {
		if i < len(l.styles) {
			return l.styles[i]
		}
		return lipgloss.NewStyle()
	}
	l.highlight()
	if l.follow {
		l.vp.GotoBottom()
	} else {
		l.vp.SetYOffset(y)
		l.vp.SetXOffset(x)
	}
	l.cur = nearestMatch(l.matchLines, l.vp.YOffset())
}

// logLine is one line of the log: time, kind and text, tabs and control
// characters made spaces so columns stay put.
func logLine(at, kind, text string) string {
	text = strings.Map(func(r rune) rune {
		if r == '\t' || r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, text)
	return fmt.Sprintf("%s  %-*s  %s", at, logKindWidth, kind, text)
}

// eventStyle is the colour of an event's line by its kind.
func eventStyle(t *theme.Theme, kind string) lipgloss.Style {
	switch kind {
	case model.EventWarning:
		return t.Warning
	case model.EventError:
		return t.Error
	case model.EventCheckpoint:
		return t.Success
	}
	return lipgloss.NewStyle()
}

// highlight marks the query's matches in the viewport (none without a
// query).
func (l *logPane) highlight() {
	l.gen++
	l.vp.ClearHighlights()
	l.matchLines = l.matchLines[:0]
	if l.query == "" {
		return
	}
	ranges, lines := findMatches(l.lines, l.query)
	l.matchLines = lines
	if len(ranges) > 0 {
		l.vp.SetHighlights(ranges)
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

// search starts typing a query.
func (l *logPane) search() tea.Cmd {
	l.typing = true
	l.input.SetValue(l.query)
	l.input.CursorEnd()
	return l.input.Focus()
}

// submit takes the typed query and shows its first match from the view
// down (wrapping to the first of all).
func (l *logPane) submit() {
	l.typing = false
	l.input.Blur()
	l.query = strings.TrimSpace(l.input.Value())
	l.highlight()
	l.cur = nearestMatch(l.matchLines, l.vp.YOffset())
	if l.cur < 0 && len(l.matchLines) > 0 {
		l.vp.HighlightNext()
		l.cur = 0
	}
	l.follow = l.vp.AtBottom()
}

// cancelSearch stops typing and keeps the query there was.
func (l *logPane) cancelSearch() {
	l.typing = false
	l.input.Blur()
}

// clearSearch forgets the query and its marks.
func (l *logPane) clearSearch() {
	l.query = ""
	l.highlight()
	l.cur = -1
}

// step moves to the next (d = 1) or the previous (d = -1) match, as the
// viewport counts them.
func (l *logPane) step(d int) {
	n := len(l.matchLines)
	if n == 0 {
		return
	}
	if d > 0 {
		l.vp.HighlightNext()
		l.cur = (l.cur + 1) % n
	} else {
		l.vp.HighlightPrevious()
		l.cur = (l.cur - 1 + n) % n
	}
	l.follow = l.vp.AtBottom()
}

// scrolled records where the operator left the view: at the end it
// follows new lines, anywhere else it stays.
func (l *logPane) scrolled() {
	l.follow = l.vp.AtBottom()
	l.cur = nearestMatch(l.matchLines, l.vp.YOffset())
}

// Messages of the log's reads, naming their job.
type outputMsg struct {
	id    uuid.UUID
	lines []model.JobOutputLine
	err   error
}
