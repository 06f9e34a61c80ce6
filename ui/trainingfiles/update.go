package trainingfiles

import (
	"context"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/components/listscreen"
	"brightrun/ui/components/pathprompt"
)

// Update routes the screen's messages; see common.Screen for the routing.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.ActivatedMsg:
		return m, tea.Batch(m.load(), m.reloadDetail())
	case common.EventMsg:
		// Another process (the CLI, another operator's session of the same
		// user) created, rebuilt or deleted a training file.
		if msg.Event.OnTable("training_files") {
			return m, tea.Batch(m.load(), m.reloadDetail())
		}
		return m, nil
	case common.ThemeChangedMsg:
		m.applyTheme()
		return m, nil
	case spinner.TickMsg:
		return m, listscreen.Spin(&m.spinner, msg, m.busy())
	case listMsg:
		return m, m.gotList(msg)
	case detailMsg:
		if m.detail != nil && m.detail.loaded(msg) && msg.err != nil {
			return m, common.Err("open training file", msg.err)
		}
		return m, nil
	case changedMsg, exportedMsg, datasetMsg, deletedMsg:
		return m, m.answer(msg)
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	}
	if m.prompt != nil { // paste, cursor blinks
		var cmd tea.Cmd
		*m.prompt, cmd, _ = m.prompt.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m *Model) busy() bool {
	return m.loading || m.working != "" || (m.detail != nil && m.detail.data == nil && m.detail.err == nil)
}

// openDetail shows one file and fetches its conversations.
func (m *Model) openDetail(tf model.TrainingFile) tea.Cmd {
	m.detail = newDetail(&m.common, tf)
	return tea.Batch(m.spinner.Tick, m.reloadDetail())
}

// reloadDetail fetches the open file again, if one is open.
func (m *Model) reloadDetail() tea.Cmd {
	if m.detail == nil {
		return nil
	}
	id := m.detail.row.ID
	return m.common.Call(func(ctx context.Context, b common.Backend) tea.Msg {
		d, err := b.TrainingFile(ctx, id)
		return detailMsg{id: id, detail: d, err: err}
	})
}

// handleKey answers the open question, or runs a key of the list or the
// detail.
func (m *Model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	if m.confirm != nil {
		cmd, done := m.confirm.Answer(k, m.onYes, nil)
		if done {
			m.confirm, m.onYes = nil, nil
		}
		return cmd
	}
	if m.prompt != nil {
		p, cmd, res := m.prompt.Update(k)
		*m.prompt = p
		switch res {
		case pathprompt.Cancelled:
			m.prompt = nil
		case pathprompt.Submitted:
			return m.export()
		}
		return cmd
	}
	keys := m.keys
	if key.Matches(k, keys.Reload) {
		return tea.Batch(m.load(), m.reloadDetail())
	}
	if m.detail != nil && key.Matches(k, keys.Back) {
		m.detail = nil
		return nil
	}
	tf, ok := m.selected()
	if ok && m.working == "" {
		switch {
		case key.Matches(k, keys.Rebuild):
			return m.rebuild(tf)
		case key.Matches(k, keys.ExportJSONL):
			return m.askExport(tf, model.ArtifactJSONL)
		case key.Matches(k, keys.ExportJSON):
			return m.askExport(tf, model.ArtifactJSON)
		case key.Matches(k, keys.Dataset):
			return m.makeDataset(tf)
		case key.Matches(k, keys.Delete):
			m.askDelete(tf)
			return nil
		}
	}
	if m.detail != nil {
		if key.Matches(k, keys.Remove) && m.working == "" {
			if conv, ok := m.detail.current(); ok {
				m.askRemove(tf, conv)
			}
			return nil
		}
		var cmd tea.Cmd
		m.detail.table, cmd = m.detail.table.Update(k)
		return cmd
	}
	if ok && key.Matches(k, keys.Open) {
		return m.openDetail(tf)
	}
	var cmd tea.Cmd
	m.table, cmd = m.table.Update(k)
	return cmd
}
