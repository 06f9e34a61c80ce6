package jobs

import (
	"fmt"
	"slices"
	"strings"

	"brightrun/ui/common"
	"brightrun/ui/format"
)

// logTitle is the log's heading: what it holds, then the search (its
// match and count, or that there is none) or the keys that reach it.
func (m *Model) logTitle(w int) string {
	l := &m.live.log
	key := fmt.Sprint(len(l.events), "|", len(l.output), "|", l.dropped, "|", l.query, "|", len(l.matchLines), "|",
		l.cur, "|", l.follow, "|", len(l.lines) > 0, "|", l.zoom, "|", w)
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
	var right string
	switch {
	case l.query != "" && len(l.matchLines) == 0:
		right = t.Error.Render(fmt.Sprintf("no match for “%s”", l.query))
	case l.query != "":
		at := "–"
		if l.cur >= 0 {
			at = format.Thousands(int64(l.cur + 1))
		}
		right = t.Muted.Render(fmt.Sprintf("“%s” %s/%s · n/N · esc clears", l.query, at, format.Thousands(int64(len(l.matchLines)))))
	case !l.follow && len(l.lines) > 0:
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
	t := m.common.Theme
	l := &m.live.log
	if l.typing {
		h--
	}
	var out []string
	if len(l.lines) == 0 {
		out = []string{t.Muted.Render("  none yet")}
	} else if h > 0 {
		// The viewport lays every visible line out again at each call,
		// and a running job's view is drawn at each new point: what did
		// not move since the last frame is that frame's.
		key := func() logDrawKey {
			return logDrawKey{gen: l.gen, w: w, h: h, y: l.vp.YOffset(), x: l.vp.XOffset(), cur: l.cur}
		}
		if l.drawn.lines == nil || l.drawn.key != key() {
			l.vp.SetWidth(w)
			l.vp.SetHeight(h)
			if y := l.vp.YOffset(); l.follow || l.vp.PastBottom() {
				// Sized since the last lines came: the end stays in view.
				l.vp.GotoBottom()
				if l.vp.YOffset() != y {
					l.cur = nearestMatch(l.matchLines, l.vp.YOffset())
				}
			}
			l.drawn.key, l.drawn.lines = key(), strings.Split(l.vp.View(), "\n")
		}
		out = slices.Clone(l.drawn.lines)
	}
	if l.typing {
		l.input.SetWidth(max(8, w-2))
		for len(out) < h {
			out = append(out, "")
		}
		out = append(out, common.Truncate(l.input.View(), w, "…"))
	}
	return out
}
