package datasets

import (
	"errors"

	tea "charm.land/bubbletea/v2"
	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/common"
)

// Messages of the screen's commands.
type (
	loadedMsg struct {
		seq  int
		page engine.DatasetPage
		err  error
	}
	// pollMsg asks for a quiet reload while something is under way.
	pollMsg struct{}
	// confirmTickMsg asks whether the files of this session's upload URLs
	// have arrived.
	confirmTickMsg struct{}
	confirmedMsg   struct {
		results []confirmResult
		manual  bool // the operator pressed c: say so even when nothing came
	}
	confirmResult struct {
		id   uuid.UUID
		name string
		d    model.Dataset
		err  error
	}
	detailMsg struct {
		seq int
		d   model.Dataset
		err error
	}
	deletedMsg struct {
		d   model.Dataset
		err error
	}
	revalidatedMsg struct {
		name string
		d    model.Dataset
		err  error
	}
	// cleanedMsg ends a clean: d is the new dataset of name's valid lines.
	cleanedMsg revalidatedMsg
	ticketMsg  struct {
		t   engine.UploadTicket
		err error
	}
)

// load fetches the list in a command. A quiet load (a poll) does not show
// "reloading", so a list under watch does not flicker.
func (m *Model) load(quiet bool) tea.Cmd {
	m.seq++
	seq := m.seq
	if !quiet {
		m.loading = true
	}
	c := m.common
	fetch := func() tea.Msg {
		ctx, cancel := c.CallContext()
		defer cancel()
		page, err := c.Backend.Datasets(ctx, "", 1, Limit)
		return loadedMsg{seq: seq, page: page, err: err}
	}
	return tea.Batch(fetch, m.spin())
}

// armPoll schedules the next quiet reload while something is under way.
func (m *Model) armPoll() tea.Cmd {
	if m.polling || !m.anyActive() || m.common.Ctx.Err() != nil {
		return nil
	}
	m.polling = true
	return common.Tick(m.common.Ctx, PollInterval, pollMsg{})
}

// armConfirm schedules the next arrival check while upload URLs wait.
func (m *Model) armConfirm() tea.Cmd {
	if m.confirming || len(m.tickets) == 0 || m.common.Ctx.Err() != nil {
		return nil
	}
	m.confirming = true
	return common.Tick(m.common.Ctx, ConfirmInterval, confirmTickMsg{})
}

// confirm asks the engine, for each dataset, whether its file arrived; the
// engine starts its validation when it has.
func (m *Model) confirm(ds []model.Dataset, manual bool) tea.Cmd {
	if len(ds) == 0 {
		return nil
	}
	c := m.common
	return func() tea.Msg {
		out := confirmedMsg{manual: manual}
		for _, d := range ds {
			ctx, cancel := c.CallContext()
			got, err := c.Backend.ConfirmDataset(ctx, d.ID)
			cancel()
			out.results = append(out.results, confirmResult{id: d.ID, name: d.Name, d: got, err: err})
		}
		return out
	}
}

// confirmDue drops the tickets whose URL expired (their datasets stay in
// uploading; c or the CLI can still confirm them) and checks the rest.
func (m *Model) confirmDue() tea.Cmd {
	m.confirming = false
	now := m.common.Now()
	var due []model.Dataset
	var cmds []tea.Cmd
	for id, t := range m.tickets {
		if !now.Before(t.ExpiresAt) {
			delete(m.tickets, id)
			cmds = append(cmds, common.Notice("The upload URL of “"+t.Dataset.Name+"” expired; nothing arrived"))
			continue
		}
		due = append(due, t.Dataset)
	}
	return tea.Batch(append(cmds, m.confirm(due, false))...)
}

// handleConfirmed stops watching what arrived or failed for good, and
// keeps waiting for the rest.
func (m *Model) handleConfirmed(msg confirmedMsg) tea.Cmd {
	var cmds []tea.Cmd
	arrived := false
	for _, r := range msg.results {
		switch {
		case errors.Is(r.err, engine.ErrNotUploaded):
			if msg.manual {
				cmds = append(cmds, common.Notice("No file yet for “"+r.name+"”"))
			}
		case r.err != nil:
			delete(m.tickets, r.id)
			cmds = append(cmds, common.Err("check upload of “"+r.name+"”", r.err))
		default:
			delete(m.tickets, r.id)
			if r.id == m.ticket.Dataset.ID {
				m.ticket.Dataset = r.d // the box says it arrived
			}
			arrived = true
			cmds = append(cmds, common.Notice("The file of “"+r.name+"” arrived; validating"))
		}
	}
	if arrived {
		cmds = append(cmds, m.load(true))
	}
	return tea.Batch(append(cmds, m.armConfirm())...)
}

// loadDetail reads one dataset with its report.
func (m *Model) loadDetail(id uuid.UUID) tea.Cmd {
	m.detail.seq++
	seq := m.detail.seq
	m.detail.loading = true
	c := m.common
	fetch := func() tea.Msg {
		ctx, cancel := c.CallContext()
		defer cancel()
		d, err := c.Backend.Dataset(ctx, id)
		return detailMsg{seq: seq, d: d, err: err}
	}
	return tea.Batch(fetch, m.spin())
}

func (m *Model) deleteDataset(d model.Dataset) tea.Cmd {
	c := m.common
	return func() tea.Msg {
		ctx, cancel := c.CallContext()
		defer cancel()
		return deletedMsg{d: d, err: c.Backend.DeleteDataset(ctx, d.ID)}
	}
}

// revalidate validates a dataset again; one already under way is left be.
func (m *Model) revalidate(d model.Dataset) tea.Cmd {
	switch d.Status {
	case model.DatasetValidating:
		return common.Notice("“" + d.Name + "” is being validated already")
	case model.DatasetUploading:
		return common.Notice("“" + d.Name + "” has no file yet; c checks whether it arrived")
	}
	c := m.common
	return func() tea.Msg {
		ctx, cancel := c.CallContext()
		defer cancel()
		got, err := c.Backend.RevalidateDataset(ctx, d.ID)
		return revalidatedMsg{name: d.Name, d: got, err: err}
	}
}

// clean makes a new dataset of a ready dataset's valid lines. The backend
// streams the whole file, so the call has no deadline but the screen's.
func (m *Model) clean(d model.Dataset) tea.Cmd {
	if d.Status != model.DatasetReady || d.ErrorCount == 0 {
		return common.Notice("“" + d.Name + "” has no line to drop: clean copies a validated dataset's valid lines")
	}
	c := m.common
	return tea.Batch(common.Notice("Copying the valid lines of “"+d.Name+"”…"), func() tea.Msg {
		got, err := c.Backend.CleanDataset(c.Ctx, d.ID, "")
		return cleanedMsg{name: d.Name, d: got, err: err}
	})
}

// createTicket asks for a dataset waiting in uploading and its URL.
func (m *Model) createTicket(name string) tea.Cmd {
	c := m.common
	return func() tea.Msg {
		ctx, cancel := c.CallContext()
		defer cancel()
		t, err := c.Backend.DatasetUploadURL(ctx, name, "")
		return ticketMsg{t: t, err: err}
	}
}

// train opens the Configure tab on a ready dataset; one that cannot be
// trained on says why instead.
func (m *Model) train(d model.Dataset) tea.Cmd {
	if d.Status != model.DatasetReady || !d.TrainingReady {
		return common.Notice("“" + d.Name + "” is not ready for training: " + notReadyWhy(d))
	}
	return common.ConfigureDataset(d.ID)
}

func notReadyWhy(d model.Dataset) string {
	if d.ErrorMessage != "" {
		return d.ErrorMessage
	}
	return "its status is " + string(d.Status)
}
