package jobs

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/google/uuid"

	"brightrun/ui/common"
)

// The sweep view (opened on launching a sweep from Configure): the
// comparison's chart of every run of the sweep, live as the comparison is,
// and under it the runs ranked by best validation loss, the leader marked;
// p on a run clones it into Configure as the next single run.

// sweepState is what a comparison opened on a sweep adds: which sweep,
// and the cursor in the ranking.
type sweepState struct {
	id     uuid.UUID
	name   string
	cursor int // a position in ranked()
}

// openSweep shows a sweep's runs and reads them.
func (m *Model) openSweep(id uuid.UUID, name string) tea.Cmd {
	m.closeLive()
	m.cmp = &comparison{fetching: map[uuid.UUID]bool{}, more: map[uuid.UUID]bool{}, sweep: &sweepState{id: id, name: name}}
	return m.loadCompare()
}

// loadSweep reads the sweep with every run and its curves at once, as a
// comparison's first load.
func (m *Model) loadSweep(seq int, id uuid.UUID, keep int) tea.Cmd {
	return m.common.Call(func(ctx context.Context, b common.Backend) tea.Msg {
		d, err := b.Sweep(ctx, id, keep)
		return compareMsg{seq: seq, cmp: d.Comparison, err: err}
	})
}

// ranked is the runs' indexes, best validation loss first; runs without
// one yet follow in launch order.
func (c *comparison) ranked() []int {
	out := make([]int, len(c.jobs))
	for i := range out {
		out[i] = i
	}
	slices.SortStableFunc(out, func(a, b int) int {
		va, vb := c.jobs[a].BestValLoss, c.jobs[b].BestValLoss
		switch {
		case va == nil && vb == nil:
			return 0
		case va == nil:
			return 1
		case vb == nil:
			return -1
		}
		return cmp.Compare(*va, *vb)
	})
	return out
}

// leader is the index of the run ranked first, -1 while no run has a
// validation loss.
func (c *comparison) leader() int {
	r := c.ranked()
	if len(r) == 0 || c.jobs[r[0]].BestValLoss == nil {
		return -1
	}
	return r[0]
}

// sweepKey is a key in the sweep view: the ranking's cursor and p;
// the chart's switches and back are the comparison's.
func (m *Model) sweepKey(k tea.KeyPressMsg) (tea.Cmd, bool) {
	c := m.cmp
	s := c.sweep
	switch {
	case key.Matches(k, m.keys.RowUp):
		s.cursor = max(0, s.cursor-1)
	case key.Matches(k, m.keys.RowDown):
		s.cursor = min(max(0, len(c.jobs)-1), s.cursor+1)
	case key.Matches(k, m.keys.Promote):
		if r := c.ranked(); s.cursor < len(r) {
			return common.CloneJob(c.jobs[r[s.cursor]].Job), true
		}
	default:
		return nil, false
	}
	return nil, true
}

// runLabel is a run's name without its sweep's in front.
func (s *sweepState) runLabel(name string) string {
	if l := strings.TrimPrefix(name, s.name+" · "); l != name {
		return l
	}
	return name
}
