package conversations

import (
	"context"

	tea "charm.land/bubbletea/v2"
	"github.com/google/uuid"

	"brightrun/ui/common"
	"brightrun/ui/format"
)

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
	return m.common.Call(func(ctx context.Context, b common.Backend) tea.Msg {
		ids, err := b.ConversationIDs(ctx, q)
		return selectedAllMsg{querySeq: seq, ids: ids, err: err}
	})
}

func (m *Model) gotAll(msg selectedAllMsg) tea.Cmd {
	if msg.querySeq != m.querySeq {
		return nil
	}
	if msg.err != nil {
		return common.Err("select all", msg.err)
	}
	added := m.sel.Add(msg.ids)
	m.refreshRows()
	note := format.Count(added, "more conversation", "more conversations") + " selected · " +
		format.Thousands(int64(m.sel.Len())) + " in all"
	if left := m.total - len(msg.ids); left > 0 {
		note += " · " + format.Count(left, "raw one", "raw ones") + " left out (not enriched)"
	}
	return common.Notice(note)
}
