// Package costs is the Costs tab: a month's spend from the cost records, a
// bar chart by day and the costliest jobs. It reads the operator's own
// records (everyone's for the admin, the local account), when the tab is
// shown, on ctrl+r and when the month changes.
package costs

import (
	"context"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"brightrun/model"
	"brightrun/ui/common"
)

// Model is the Costs screen.
type Model struct {
	common  common.Common
	keys    keyMap
	spinner spinner.Model

	month   model.Month
	report  model.CostReport
	loaded  bool // report is month's
	loading bool
	seq     int // id of the newest load, so a slow older answer is dropped
	loadErr error
}

type loadedMsg struct {
	seq    int
	report model.CostReport
	err    error
}

// New builds the screen on the current month; it loads in Init.
func New(c common.Common) common.Screen {
	m := &Model{common: c, keys: defaultKeyMap(), month: model.MonthOf(c.Now())}
	m.spinner = spinner.New(spinner.WithSpinner(spinner.Dot))
	m.spinner.Style = c.Theme.Spinner
	return m
}

// Title is the tab label.
func (m *Model) Title() string { return "Costs" }

// InputFocused: the screen takes no text.
func (m *Model) InputFocused() bool { return false }

// SetSize records the area.
func (m *Model) SetSize(w, h int) { m.common.SetSize(w, h) }

// Init starts the first load.
func (m *Model) Init() tea.Cmd { return m.load() }

// Waiting says a load is under way.
func (m *Model) Waiting() bool { return m.loading }

// load reads the month's costs by day in a command.
func (m *Model) load() tea.Cmd {
	m.seq++
	m.loading = true
	seq, month := m.seq, m.month
	return tea.Batch(m.common.Call(func(ctx context.Context, b common.Backend) tea.Msg {
		r, err := b.Costs(ctx, month, "day")
		return loadedMsg{seq: seq, report: r, err: err}
	}), m.spinner.Tick)
}

// Update handles the screen's messages.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.ActivatedMsg:
		return m, m.load()
	case common.EventMsg:
		// A job's end writes its cost record in the same transaction.
		if msg.Event.OnTable("training_jobs") && msg.Event.Op != "UPDATE" {
			return m, m.load()
		}
	case common.ThemeChangedMsg:
		m.spinner.Style = m.common.Theme.Spinner
	case spinner.TickMsg:
		return m, m.spin(msg)
	case loadedMsg:
		return m, m.take(msg)
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	}
	return m, nil
}

// spin moves the spinner while a load runs.
func (m *Model) spin(msg spinner.TickMsg) (cmd tea.Cmd) {
	if m.loading && msg.ID == m.spinner.ID() {
		m.spinner, cmd = m.spinner.Update(msg)
	}
	return cmd
}

// take shows the newest load's answer; an older one is dropped.
func (m *Model) take(msg loadedMsg) tea.Cmd {
	if msg.seq != m.seq {
		return nil
	}
	m.loading, m.loadErr = false, msg.err
	if msg.err != nil {
		return common.Err("load costs", msg.err)
	}
	m.report, m.loaded = msg.report, true
	return nil
}

func (m *Model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.keys.Reload):
		return m.load()
	case key.Matches(k, m.keys.Prev):
		m.month = model.MonthOf(m.month.Start().AddDate(0, -1, 0))
	case key.Matches(k, m.keys.Next):
		if next := model.MonthOf(m.month.End()); !next.Start().After(m.common.Now()) {
			m.month = next
		} else {
			return nil // the future has no costs yet
		}
	default:
		return nil
	}
	m.loaded = false
	return m.load()
}
