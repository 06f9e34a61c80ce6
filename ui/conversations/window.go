package conversations

import (
	"context"

	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/components/listscreen"
)

// windowSize is how many rows one fetch reads: a few screens' worth, so
// scrolling stays local and a fetch is rare, while the memory held stays
// the same with 100 or 100,000 conversations.
const windowSize = 200

// window is the slice of the query's result the screen holds.
type window struct {
	offset int
	rows   []model.Conversation
}

func (w window) has(i int) bool { return i >= w.offset && i < w.offset+len(w.rows) }

func (w window) row(i int) (model.Conversation, bool) {
	if !w.has(i) {
		return model.Conversation{}, false
	}
	return w.rows[i-w.offset], true
}

// pageMsg is one fetched window. seq is the fetch it answers: only the
// newest fetch's answer is used, so a slow old one never overwrites it.
type pageMsg struct {
	seq  int
	page model.ConversationPage
	err  error
}

// pageHeight is how many rows the table shows.
func (m *Model) pageHeight() int { return max(1, m.common.Height-2) }

// fetch reads the window starting at offset in a command.
func (m *Model) fetch(offset int) tea.Cmd {
	m.fetchSeq++
	seq := m.fetchSeq
	m.fetching, m.fetchOffset = true, offset
	q := m.query
	q.Offset, q.Limit = offset, windowSize
	return tea.Batch(m.spinner.Tick, m.common.Call(func(ctx context.Context, b common.Backend) tea.Msg {
		page, err := b.ListConversations(ctx, q)
		return pageMsg{seq: seq, page: page, err: err}
	}))
}

// ensureWindow fetches a new window, centred on the cursor, when the rows
// a page above and below the visible ones are not all held (and not
// already on their way).
func (m *Model) ensureWindow() tea.Cmd {
	if !m.loaded {
		return nil
	}
	h := m.pageHeight()
	from := max(0, m.top-h)
	to := min(m.total, m.top+2*h)
	if from >= to {
		return nil
	}
	covered := func(off, n int) bool { return from >= off && to <= off+n }
	if covered(m.win.offset, len(m.win.rows)) {
		return nil
	}
	if m.fetching && covered(m.fetchOffset, windowSize) {
		return nil
	}
	off := max(0, min(m.cursor-windowSize/2, m.total-windowSize))
	return m.fetch(off)
}

// gotPage takes a fetched window in, when it is the newest.
func (m *Model) gotPage(msg pageMsg) tea.Cmd {
	if msg.seq != m.fetchSeq {
		return nil
	}
	m.fetching = false
	if msg.err != nil {
		m.loadErr = msg.err
		return common.Err("load conversations", msg.err)
	}
	m.loadErr = nil
	m.loaded = true
	m.stale = false
	m.total = msg.page.Total
	m.win = window{offset: msg.page.Offset, rows: msg.page.Conversations}
	m.changed()
	m.clampCursor()
	m.refreshRows()
	// The total may have changed under a jump to the end: fetch again if
	// the cursor's rows are still not held.
	return m.ensureWindow()
}

// requery starts over after the filter, the facets or the sort changed:
// back to the first row, the old rows shown, marked stale, until the new
// arrive (a blank table between keystrokes would flicker).
func (m *Model) requery() tea.Cmd {
	m.querySeq++
	m.cursor, m.top = 0, 0
	m.stale = true
	m.changed()
	m.refreshRows()
	return m.fetch(0)
}

// reload fetches the current window again (after an import, or when the
// tab is shown), keeping the cursor where it is.
func (m *Model) reload() tea.Cmd {
	off := 0
	if m.loaded {
		off = max(0, min(m.cursor-windowSize/2, m.total-windowSize))
	}
	return m.fetch(off)
}

// move puts the cursor on row i (clamped) and scrolls the page to show it.
func (m *Model) move(i int) tea.Cmd {
	m.cursor = i
	m.clampCursor()
	m.refreshRows()
	return m.ensureWindow()
}

func (m *Model) clampCursor() {
	nav := m.nav()
	nav.Clamp()
	m.cursor, m.top = nav.Cursor, nav.Top
}

// nav is the cursor and the shown rows as the list base moves them.
func (m *Model) nav() listscreen.Nav {
	return listscreen.Nav{Cursor: m.cursor, Top: m.top, Total: m.total, Height: m.pageHeight()}
}

// refreshRows gives the table bubble the visible page only, so drawing a
// frame costs the same at any total. The bubble renders its rows on every
// SetRows and SetCursor; a move inside the page only sets the cursor, and
// a new page goes in with one real render (see setPage).
func (m *Model) refreshRows() {
	h := m.pageHeight()
	page := pageKey{top: m.top, rows: min(m.total, m.top+h) - m.top, version: m.version, sel: m.sel.Version}
	if page == m.shown {
		m.table.SetCursor(m.cursor - m.top)
		return
	}
	rows := m.rowBuf[:0]
	for i := m.top; i < min(m.total, m.top+h); i++ {
		if c, ok := m.win.row(i); ok {
			rows = append(rows, cells(m.cols, c, m.sel.Has(c.ID)))
		} else {
			rows = append(rows, pendingRow(m.cols))
		}
	}
	m.rowBuf = rows
	m.setPage(rows, m.cursor-m.top)
	m.shown = page
}

// pageKey says what the table bubble holds: which rows, and the versions
// of what they show (window and columns, selection).
type pageKey struct{ top, rows, version, sel int }

// changed marks the shown page out of date.
func (m *Model) changed() { m.version++ }

// setPage hands the bubble new rows with the cursor at cursor. SetCursor
// only reaches rows the bubble already has, and both calls render every
// row; so the cursor is placed on as many empty rows first (nothing to
// render), and the real rows go in last, rendered once.
func (m *Model) setPage(rows []table.Row, cursor int) {
	if cap(m.blank) < len(rows) {
		m.blank = make([]table.Row, len(rows))
	}
	m.table.SetRows(m.blank[:len(rows)])
	m.table.SetCursor(cursor)
	m.table.SetRows(rows)
}

// current is the conversation under the cursor, when its row is held.
func (m *Model) current() (model.Conversation, bool) {
	if m.total == 0 {
		return model.Conversation{}, false
	}
	return m.win.row(m.cursor)
}
