package conversations

import (
	"slices"

	tea "charm.land/bubbletea/v2"
	"github.com/google/uuid"

	"brightrun/ui/common"
)

// selection is the set of selected conversations, by row ID, kept across
// windows and queries, in the order they were selected: that order becomes
// a new training file's order.
type selection struct {
	order []uuid.UUID
	set   map[uuid.UUID]struct{}
	// version is bumped by every change, so the table knows to redraw.
	version int
}

func newSelection() selection { return selection{set: map[uuid.UUID]struct{}{}} }

func (s *selection) has(id uuid.UUID) bool { _, ok := s.set[id]; return ok }

func (s *selection) len() int { return len(s.order) }

func (s *selection) ids() []uuid.UUID { return slices.Clone(s.order) }

func (s *selection) toggle(id uuid.UUID) {
	s.version++
	if s.has(id) {
		delete(s.set, id)
		s.order = slices.DeleteFunc(s.order, func(x uuid.UUID) bool { return x == id })
		return
	}
	s.set[id] = struct{}{}
	s.order = append(s.order, id)
}

// add selects ids not selected yet and returns how many were new.
func (s *selection) add(ids []uuid.UUID) int {
	n := 0
	s.version++
	for _, id := range ids {
		if !s.has(id) {
			s.set[id] = struct{}{}
			s.order = append(s.order, id)
			n++
		}
	}
	return n
}

func (s *selection) clear() {
	s.version++
	clear(s.set)
	s.order = nil
}

// selectedAllMsg answers select-all: every ID of the query it was asked
// for (querySeq), which is dropped if the query changed meanwhile.
type selectedAllMsg struct {
	querySeq int
	ids      []uuid.UUID
	err      error
}

// selectAll asks for every ID matching the current filters in a command.
//
// Only conversations that can go into a training file are selected (the
// selection exists to build one): raw ones in the filtered set are left out,
// and the notice says how many.
func (m *Model) selectAll() tea.Cmd {
	q := m.query
	q.Offset, q.Limit = 0, 0
	q.Trainable = true
	seq := m.querySeq
	c := m.common
	return func() tea.Msg {
		ctx, cancel := c.CallContext()
		defer cancel()
		ids, err := c.Backend.ConversationIDs(ctx, q)
		return selectedAllMsg{querySeq: seq, ids: ids, err: err}
	}
}

func (m *Model) gotAll(msg selectedAllMsg) tea.Cmd {
	if msg.querySeq != m.querySeq {
		return nil
	}
	if msg.err != nil {
		return common.Err("select all", msg.err)
	}
	added := m.sel.add(msg.ids)
	m.refreshRows()
	note := common.Count(added, "more conversation", "more conversations") + " selected · " +
		common.Thousands(int64(m.sel.len())) + " in all"
	if left := m.total - len(msg.ids); left > 0 {
		note += " · " + common.Count(left, "raw one", "raw ones") + " left out (not enriched)"
	}
	return common.Notice(note)
}
