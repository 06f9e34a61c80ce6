// Package trainingfiles is the Training files tab: the operator's training
// files with their counts, and one file's stats, its persona, arc and tier
// distributions as bar charts, and its conversations in order. From here a
// file is rebuilt, exported (JSONL or JSON) to a local path, trimmed of a
// conversation, deleted, or turned into a dataset in one key (the bridge
// to the Datasets tab). Files are made in the Conversations tab.
package trainingfiles

import (
	"context"

	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"
	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/components/confirm"
	"brightrun/ui/components/listscreen"
	"brightrun/ui/components/pathprompt"
)

// Model is the Training files screen.
type Model struct {
	common  common.Common
	keys    keyMap
	table   table.Model
	spinner spinner.Model

	files   []model.TrainingFile // newest first
	loaded  bool
	loading bool
	loadErr error
	seq     int // the newest list load

	detail *detail // open when one file is shown

	// At most one question is open: where to export, or are you sure.
	prompt       *pathprompt.Model
	promptFormat string
	promptFile   model.TrainingFile
	confirm      *confirm.Model
	onYes        func() tea.Cmd

	// working names the operation in flight ("Rebuilding"), for the header.
	working string
}

// New builds the screen; the list loads in Init.
func New(c common.Common) common.Screen {
	m := &Model{common: c, keys: defaultKeyMap()}
	m.table = newTable(m.keys.ListKeys)
	m.spinner = spinner.New(spinner.WithSpinner(spinner.MiniDot))
	m.applyTheme()
	return m
}

// newTable is a table bubble moved by the house's list keys (g/G the
// first and last row, pgup/pgdn a page), which leave b, d and f to the
// screen.
func newTable(keys common.ListKeys) table.Model {
	return table.New(table.WithKeyMap(listscreen.TableKeys(keys)), table.WithFocused(true))
}

// Title is the tab label.
func (m *Model) Title() string { return "Training files" }

// InputFocused is true while a path is typed or a question is open.
func (m *Model) InputFocused() bool { return m.prompt != nil || m.confirm != nil }

// SetSize lays the list, the detail and any open question out again.
func (m *Model) SetSize(w, h int) {
	m.common.SetSize(w, h)
	m.layoutList()
	if m.detail != nil {
		m.detail.setSize(w, h)
	}
	if m.prompt != nil {
		m.prompt.SetWidth(min(w, 76))
	}
	if m.confirm != nil {
		m.confirm.SetWidth(min(w, 60))
	}
}

// Init loads the list.
func (m *Model) Init() tea.Cmd { return m.load() }

func (m *Model) applyTheme() {
	m.table.SetStyles(m.common.Theme.Table())
	m.spinner.Style = m.common.Theme.Spinner
	if m.detail != nil {
		m.detail.applyTheme()
	}
}

// selected is the file under the cursor: the open one in the detail, else
// the list's.
func (m *Model) selected() (model.TrainingFile, bool) {
	if m.detail != nil {
		return m.detail.file(), true
	}
	i := m.table.Cursor()
	if i < 0 || i >= len(m.files) {
		return model.TrainingFile{}, false
	}
	return m.files[i], true
}

// listMsg is a loaded list; seq drops an older load's late answer.
type listMsg struct {
	seq   int
	files []model.TrainingFile
	err   error
}

// load fetches the list in a command.
func (m *Model) load() tea.Cmd {
	m.seq++
	seq := m.seq
	m.loading = true
	return tea.Batch(m.spinner.Tick, m.common.Call(func(ctx context.Context, b common.Backend) tea.Msg {
		files, err := b.TrainingFiles(ctx)
		return listMsg{seq: seq, files: files, err: err}
	}))
}

// gotList shows a loaded list, keeping the cursor on the same file.
func (m *Model) gotList(msg listMsg) tea.Cmd {
	if msg.seq != m.seq {
		return nil
	}
	m.loading = false
	m.loadErr = msg.err
	if msg.err != nil {
		return common.Err("load training files", msg.err)
	}
	var keep uuid.UUID
	if tf, ok := m.selected(); ok && m.detail == nil {
		keep = tf.ID
	}
	m.files, m.loaded = msg.files, true
	m.layoutList()
	for i, f := range m.files {
		if f.ID == keep {
			m.table.SetCursor(i)
		}
	}
	return nil
}
