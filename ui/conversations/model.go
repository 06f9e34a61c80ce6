// Package conversations is the Conversations tab: a table of the
// operator's conversations that stays instant at 100,000 rows (it holds
// one window of the query, fetched in commands as the cursor nears its
// edge), sorted by any column, filtered as you type and by facets, with
// multi-selection across windows. From it the operator imports files,
// opens one conversation (turns and training pairs), exports it, and
// makes or extends training files from the selection.
package conversations

import (
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"
	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/components/listscreen"
	"brightrun/ui/format"
)

// mode is what the screen is doing; each but browse and detail holds the
// keyboard (see InputFocused).
type mode int

const (
	modeBrowse  mode = iota
	modeFilter       // typing the filter
	modeFacets       // the facet panel
	modeImport       // the import dialog
	modeNewFile      // the new-training-file form
	modeAddTo        // choosing a training file to add the selection to
	modeDetail       // one conversation
)

// Model is the Conversations screen.
type Model struct {
	common common.Common
	keys   keyMap
	mode   mode

	table   table.Model
	cols    []column
	titleW  int
	rowBuf  []table.Row
	blank   []table.Row // empty rows, see setPage
	shown   pageKey     // what the table holds
	version int         // bumped when what rows show changes
	spinner spinner.Model

	// The query and the window of its result that is held.
	query       model.ConversationQuery // filters and sort; paging is the window's
	win         window
	total       int
	cursor, top int // absolute rows: the cursor's and the first shown
	loaded      bool
	stale       bool // the query changed and its first window has not come
	loadErr     error
	fetchSeq    int // the newest fetch; older answers are dropped
	fetching    bool
	fetchOffset int
	querySeq    int // bumped when the query changes, for select-all answers

	sel listscreen.Selection[uuid.UUID]

	filter    listscreen.Filter
	filterSeq int

	facets   *facetPanel
	importer *importer
	form     *newFileForm
	addTo    *addToPicker
	detail   *detail

	// importDir is where the file picker opens (tests point it elsewhere).
	importDir string
}

// New builds the screen; the first window is fetched in Init.
func New(c common.Common) common.Screen {
	m := &Model{common: c, keys: defaultKeyMap(), importDir: "."}
	m.query.Sort, m.query.Desc = model.SortCreatedAt, true // newest first
	m.table = table.New(table.WithFocused(true))
	m.spinner = spinner.New(spinner.WithSpinner(spinner.MiniDot))
	m.filter = listscreen.NewFilter("/ ", "title or conversation id", 200)
	m.sel = listscreen.NewSelection[uuid.UUID]()
	m.facets = newFacetPanel(&m.common)
	m.applyTheme()
	m.layout()
	return m
}

// Title is the tab label.
func (m *Model) Title() string { return "Conversations" }

// Badge shows how many conversations are selected, so a selection made
// here is visible from the Training files tab.
func (m *Model) Badge() string {
	if n := m.sel.Len(); n > 0 {
		return "✓" + format.Thousands(int64(n))
	}
	return ""
}

// InputFocused is true while a dialog, the filter or the export prompt
// has the keyboard.
func (m *Model) InputFocused() bool {
	switch m.mode {
	case modeBrowse:
		return false
	case modeDetail:
		return m.detail != nil && m.detail.prompting()
	}
	return true
}

// SetSize lays the table and any open dialog out again.
func (m *Model) SetSize(w, h int) {
	m.common.SetSize(w, h)
	m.layout()
	if m.detail != nil {
		m.detail.setSize(w, h)
	}
	if m.importer != nil {
		m.importer.setSize(w, h)
	}
	m.facets.setSize(w, h)
}

// layout picks the columns for the width and sizes the table.
func (m *Model) layout() {
	m.cols, m.titleW = layoutColumns(m.common.Width)
	m.table.SetRows(nil) // the old rows may have more cells than the new columns
	m.changed()
	m.table.SetColumns(tableColumns(m.cols, m.titleW, m.sortColumn(), m.query.Desc))
	m.table.SetWidth(max(1, m.common.Width))
	m.table.SetHeight(m.pageHeight() + 1)
	m.clampCursor()
	m.refreshRows()
}

// Init fetches the first window.
func (m *Model) Init() tea.Cmd {
	return m.fetch(0)
}

func (m *Model) applyTheme() {
	th := m.common.Theme
	m.table.SetStyles(th.Table())
	m.filter.SetStyles(th.TextInput())
	m.spinner.Style = th.Spinner
	m.facets.applyTheme()
	if m.importer != nil {
		m.importer.applyTheme()
	}
}

// sortColumn is the column the query sorts by (created_at by default).
func (m *Model) sortColumn() string {
	if m.query.Sort == "" {
		return model.SortCreatedAt
	}
	return m.query.Sort
}
