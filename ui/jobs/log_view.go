package jobs

import (
	"fmt"
	"strings"

	"brightrun/ui/common"
	"brightrun/ui/format"
)

// logTitle is the log's heading: what it holds, then the search (its
// match and count, or that there is none) or the keys that reach it.
func (m *Model) logTitle(w int) string {
	l := &m.live.log
	key := fmt.Sprint(len(l.events), "|", len(l.output), "|", l.dropped, "|", l.Query(), "|", l.Matches(), "|",
		l.Current(), "|", l.Following(), "|", len(l.Lines()) > 0, "|", l.zoom, "|", w)
	return m.live.memo.title.Get(key, func() string { return m.drawLogTitle(w) })
}

func (m *Model) drawLogTitle(w int) string {
	t := m.common.Theme
	l := &m.live.log
	left := t.Strong.Render("Log")
	var parts []string
	if n := len(l.events); n > 0 {
		parts = append(parts, format.Counted(n, "event"))
	}
	if n := len(l.output) + l.dropped; n > 0 {
		parts = append(parts, format.Counted(n, "output line"))
	}
	if l.dropped > 0 {
		parts = append(parts, fmt.Sprintf("the first %s not shown", format.Thousands(int64(l.dropped))))
	}
	if len(parts) > 0 {
		left += "  " + t.Muted.Render(strings.Join(parts, " · "))
	}
	right := l.SearchNote(t)
	switch {
	case right != "":
	case !l.Following() && len(l.Lines()) > 0:
		right = t.Muted.Render("scrolled · G to follow · / search")
	default:
		right = t.Muted.Render("/ search · z " + map[bool]string{true: "chart", false: "full view"}[l.zoom])
	}
	gap := w - common.Width(left) - common.Width(right)
	if gap < 2 {
		return common.Truncate(left, w, "…")
	}
	return left + strings.Repeat(" ", gap) + right
}

// logLines draws the log in h lines of at most w cells: the viewport, and
// the search being typed on the last line.
func (m *Model) logLines(w, h int) []string {
	return m.live.log.View(m.common.Theme, w, h, "  none yet")
}
