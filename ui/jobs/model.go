// Package jobs is the Jobs tab: the operator's training jobs, newest first,
// each with its dataset's name, format and size, a coloured status badge,
// a status filter, a live job view (header, charts, a searchable log,
// cancel, download and clone) and a live comparison of two to six marked
// jobs (overlaid curves and a table of what differs). It reads one page at a time, as
// many rows as fit, so it is as quick with 10,000 jobs as with ten, and it
// follows changes as they happen: a change event on training_jobs reloads
// the visible page, a burst of events costing one load.
package jobs

import (
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/ui/common"
)

// ReloadDelay is how long the list waits after a change event before it
// reloads the page: running jobs change many times a second, and the
// events of that wait ride along with the first.
const ReloadDelay = 250 * time.Millisecond

// jobsTable is the table whose change events the list follows.
const jobsTable = "training_jobs"

// filters are the status filter's values in the order f cycles through
// them; "" is every status.
var filters = func() []string {
	out := []string{""}
	for _, s := range model.JobStatuses() {
		out = append(out, string(s))
	}
	return out
}()

// Model is the Jobs screen.
type Model struct {
	common common.Common
	keys   keyMap
	// cols are the columns that fit the width, sized; offset is the first
	// row of the page drawn (the page scrolls when it is taller than the
	// area, after a resize).
	cols   []column
	offset int

	filter int // index into filters
	// first is the position of the page's first job in the filtered list;
	// limit is the page's size, as many rows as fitted when it was loaded.
	// Pages are counted from first, so a resize keeps the place.
	first  int
	limit  int
	total  int
	jobs   []model.Job // the page
	cursor int         // on the page

	loaded    bool
	loading   bool // a load the operator waits for (reloads after events are quiet)
	reading   bool // a page read is in flight, shown or quiet
	seq       int  // id of the newest load; older answers are dropped
	loadErr   error
	reloading common.Debounce // a reload after change events is scheduled
	// stale: jobs changed while the job view or the comparison covered
	// the list; it is read again when the list shows.
	stale bool
	// keep is the job the cursor should land on when the page arrives.
	keep uuid.UUID
	// atEnd puts the cursor on the last row of the arriving page (moving
	// up past the top of a page).
	atEnd bool
	// fresh is a job created in this session, highlighted in the list.
	fresh uuid.UUID
	// fleet is the open Workers pane (nil when closed).
	fleet *fleetPane

	detail *model.Job // the job whose view is open
	live   *live      // what the job view holds beside the row

	// marks are the jobs marked for a comparison, in the order marked
	// (which gives each its colour there); cmp is the comparison when it
	// is open.
	marks  []model.Job
	cmp    *comparison
	cmpSeq int // the newest comparison load
}

// New builds the screen; it loads in Init.
func New(c common.Common) common.Screen {
	m := &Model{common: c, keys: defaultKeyMap(), limit: 1}
	return m
}

// Title is the tab label.
func (m *Model) Title() string { return "Jobs" }

// InputFocused is true while the job view asks a question (the cancel
// confirmation, the download directory), shows the download links (their
// keys are y and Y) or takes a search of its log:
// its keys are the question's. The list and the comparison take no typed
// text, so the shell's keys keep working there.
func (m *Model) InputFocused() bool {
	return m.live != nil && (m.live.confirm != nil || m.live.prompt != nil || m.live.urls != nil || m.live.log.Typing())
}

// Waiting is true while a read the screen will show is in flight: the
// page, the open job's new points or a compared job's (see common.Waiter).
func (m *Model) Waiting() bool {
	if m.reading || (m.live != nil && m.live.fetching) {
		return true
	}
	if m.cmp != nil {
		for _, f := range m.cmp.fetching {
			if f {
				return true
			}
		}
	}
	return false
}

// Handles names the messages that lead to this tab: a job or a sweep
// just created, a job to open.
func (m *Model) Handles(msg tea.Msg) bool {
	switch msg.(type) {
	case common.JobCreatedMsg, common.SweepCreatedMsg, common.OpenJobMsg:
		return true
	}
	return false
}

// SetSize sizes the columns to the new area. The page keeps its size
// until the next load (it scrolls within the area meanwhile), since a
// resize cannot start one.
func (m *Model) SetSize(w, h int) {
	m.common.SetSize(w, h)
	m.layout()
	if m.live != nil {
		m.live.log.Viewport().SetWidth(w)
	}
}

// Init loads the first page once the size is known; otherwise the page
// loads when the tab is first shown, at the size that fits.
func (m *Model) Init() tea.Cmd {
	if m.common.Height <= 0 {
		return nil
	}
	return m.load(true)
}

// selected is the job under the cursor.
func (m *Model) selected() (model.Job, bool) {
	if m.cursor < 0 || m.cursor >= len(m.jobs) {
		return model.Job{}, false
	}
	return m.jobs[m.cursor], true
}

// pages is how many pages the filter's jobs fill (at least one), and
// page the one shown, from 1.
func (m *Model) pages() int { return max(1, (m.total+m.limit-1)/m.limit) }
func (m *Model) page() int  { return m.first/m.limit + 1 }
