// Package datasets is the Datasets tab: the operator's datasets with their
// live status (uploading → validating → ready | error), the whole
// validation report of one, and the two ways in: an upload from this
// machine with a progress bar, cancellable, or a presigned URL to upload
// from another machine (the SSH case), whose arrival the screen notices by
// itself and turns into a validation.
//
// Every engine call runs in a command. The list reloads when Postgres pushes
// a change to a dataset (common.EventMsg), so a status change shows within
// a second; while a dataset is under way it also reloads every PollInterval,
// a fallback for a lost event; while an
// upload URL handed out here waits for its file, the screen asks the engine
// every ConfirmInterval whether it arrived.
package datasets

import (
	"context"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/table"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/components/listscreen"
)

// Timing of the screen's background work.
const (
	// PollInterval is how often the list reloads while a dataset uploads
	// or validates, should a pushed event be lost.
	PollInterval = 5 * time.Second
	// ConfirmInterval is how often the engine is asked whether the file of
	// an upload URL made here has arrived.
	ConfirmInterval = 3 * time.Second
	// Limit is how many datasets one load fetches.
	Limit = 500
)

// mode is what the screen shows and where keys go.
type mode int

const (
	modeList    mode = iota
	modeDetail       // one dataset's report
	modePick         // choosing a file to upload
	modeName         // naming the chosen file before it is sent
	modeURLName      // naming a dataset to upload from elsewhere
	modeTicket       // the URL and curl line of that upload
	modeDelete       // waiting for y or n
)

// Model is the Datasets screen.
type Model struct {
	common common.Common
	keys   keyMap
	mode   mode
	// back is where the delete question and the prompts return to.
	back mode

	table   table.Model
	spinner spinner.Model     // frames for the rows and the header
	filter  listscreen.Filter // typed while Active; its value stays after enter

	items   []model.Dataset // newest first, as the backend returned them
	shown   []model.Dataset // what the filter lets through, in table order
	total   int
	loaded  bool
	loading bool // a load the operator asked for (quiet polls are not shown)
	seq     int  // id of the newest load, so a slow older answer is dropped
	loadErr error
	polling bool // a poll tick is pending
	ticking bool // a spinner tick is pending

	detail detail
	pick   picker
	// startDir, when set, is where the file picker opens (tests); else the
	// working directory, then the last directory a file was chosen from.
	startDir string

	up    *upload // the upload in flight, at most one
	upSeq int

	// tickets are the upload URLs handed out in this session whose files
	// have not arrived yet.
	tickets    map[uuid.UUID]engine.UploadTicket
	confirming bool                // a confirm tick is pending
	ticket     engine.UploadTicket // the one the URL box shows
	name       textinput.Model     // the prompts' input
	deleting   model.Dataset       // what the delete question is about
}

// New builds the screen; it starts loading in Init.
func New(c common.Common) common.Screen {
	m := &Model{common: c, keys: defaultKeyMap(), tickets: map[uuid.UUID]engine.UploadTicket{}}
	// u, d, b, f and space are the screen's; paging stays on pgup/pgdown.
	km := listscreen.TableKeys(m.keys.ListKeys)
	km.HalfPageUp.SetKeys("ctrl+u")
	km.HalfPageDown.SetKeys("ctrl+d")
	m.table = table.New(table.WithKeyMap(km), table.WithFocused(true))
	m.spinner = spinner.New(spinner.WithSpinner(spinner.MiniDot))
	m.filter = listscreen.NewFilter("Filter: ", "name", 64)
	m.name = textinput.New()
	m.name.Prompt = ""
	m.name.CharLimit = 120
	m.detail = newDetail()
	m.pick = newPicker()
	m.applyTheme()
	return m
}

// Title is the tab label.
func (m *Model) Title() string { return "Datasets" }

// Badge shows how far an upload has come while one runs, so it stays in
// sight from the other tabs.
func (m *Model) Badge() string {
	if m.up == nil {
		return ""
	}
	return m.up.percent()
}

// InputFocused is true while the screen takes typed text or asks a
// question: the filter, the picker, the prompts, the URL box and the delete
// question keep q, digits and tab from the shell.
func (m *Model) InputFocused() bool {
	switch m.mode {
	case modeList:
		return m.filter.Active()
	case modeDetail:
		return false
	}
	return true
}

// SetSize lays out the table, the report and the picker in the new area.
func (m *Model) SetSize(w, h int) {
	m.common.SetSize(w, h)
	m.layoutTable()
	m.detail.resize(m)
	m.pick.resize(m)
	m.filter.SetWidth(max(10, w-len(m.filter.Prompt)-2))
	m.name.SetWidth(max(10, w-12))
}

// Init starts the first load.
func (m *Model) Init() tea.Cmd { return m.load(false) }

func (m *Model) applyTheme() {
	t := m.common.Theme
	m.table.SetStyles(t.Table())
	// The frame is styled with the badge around it, so it carries none.
	m.spinner.Style = lipgloss.NewStyle()
	m.filter.SetStyles(t.TextInput())
	m.name.SetStyles(t.TextInput())
	m.pick.applyTheme(t)
	m.detail.applyTheme(t)
	if m.up != nil {
		m.up.applyTheme(t)
	}
}

// selected is the dataset under the list's cursor.
func (m *Model) selected() (model.Dataset, bool) {
	i := m.table.Cursor()
	if i < 0 || i >= len(m.shown) {
		return model.Dataset{}, false
	}
	return m.shown[i], true
}

// find returns the listed dataset with id.
func (m *Model) find(id uuid.UUID) (model.Dataset, bool) {
	for _, d := range m.items {
		if d.ID == id {
			return d, true
		}
	}
	return model.Dataset{}, false
}

// anyActive reports whether something is under way that the list should
// follow: a listed dataset uploading or validating, or an upload here.
func (m *Model) anyActive() bool {
	if m.up != nil {
		return true
	}
	for _, d := range m.items {
		if active(d) {
			return true
		}
	}
	return false
}

// spins reports whether anything on screen shows the spinner.
func (m *Model) spins() bool {
	return m.loading || m.anyActive() || m.detail.loading || len(m.tickets) > 0 ||
		(m.mode == modeDetail && active(m.detail.d))
}

// spin starts the spinner's ticks unless they run already.
func (m *Model) spin() tea.Cmd {
	if m.ticking || !m.spins() {
		return nil
	}
	m.ticking = true
	return m.spinner.Tick
}

// matches is the keys' test, kept short for the many switches.
func matches(k tea.KeyPressMsg, b ...key.Binding) bool { return key.Matches(k, b...) }

// Handles names the messages that lead to this tab: a dataset to open.
func (m *Model) Handles(msg tea.Msg) bool {
	_, ok := msg.(common.OpenDatasetMsg)
	return ok
}

// openedMsg is a dataset read to open its report (OpenDatasetMsg).
type openedMsg struct {
	ds  model.Dataset
	err error
}

// readToOpen reads a dataset to open its report.
func (m *Model) readToOpen(id uuid.UUID) tea.Cmd {
	return m.common.Call(func(ctx context.Context, b common.Backend) tea.Msg {
		ds, err := b.Dataset(ctx, id)
		return openedMsg{ds: ds, err: err}
	})
}
