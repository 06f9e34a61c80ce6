package jobs

import (
	"fmt"

	tea "charm.land/bubbletea/v2"
	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/ui/common"
)

// Marks: space marks the job under the cursor for a comparison (and
// unmarks it), u clears every mark, C compares the marked jobs. Marks
// stay across pages and filters, so jobs far apart in the list can be
// compared; each shows its place in the comparison (its colour there).

// markIndex is where id stands among the marks, -1 when unmarked.
func (m *Model) markIndex(id uuid.UUID) int {
	for i, j := range m.marks {
		if j.ID == id {
			return i
		}
	}
	return -1
}

// toggleMark marks or unmarks the job under the cursor; a seventh mark
// is refused with the limit.
func (m *Model) toggleMark() tea.Cmd {
	j, ok := m.selected()
	if !ok {
		return nil
	}
	if i := m.markIndex(j.ID); i >= 0 {
		m.marks = append(m.marks[:i], m.marks[i+1:]...)
		return nil
	}
	if len(m.marks) >= model.MaxCompareJobs {
		return common.Err("mark job", fmt.Errorf("at most %d jobs can be compared at once: unmark one first (space on a marked job, u for all)", model.MaxCompareJobs))
	}
	m.marks = append(m.marks, j)
	return nil
}

// compareMarked opens the comparison of the marked jobs, or says how many
// more it needs.
func (m *Model) compareMarked() tea.Cmd {
	if n := len(m.marks); n < model.MinCompareJobs {
		return common.Notice(fmt.Sprintf("Mark %d or more jobs with space to compare them (%d marked)", model.MinCompareJobs, n))
	}
	return m.openCompare()
}

// markCell is the mark column of a job: ✓ and its place in the
// comparison.
func (m *Model) markCell(j model.Job) string {
	if i := m.markIndex(j.ID); i >= 0 {
		return fmt.Sprintf("✓%d", i+1)
	}
	return ""
}
