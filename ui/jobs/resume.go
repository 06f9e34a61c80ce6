package jobs

import (
	"context"
	"errors"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/components/confirm"
	"brightrun/ui/format"
)

// The job view's resume (R) and metrics export (e).

// ask opens a confirmation whose yes runs onYes.
func (m *Model) ask(question, detail string, onYes func() tea.Cmd) {
	c := confirm.New(m.common.Theme, question, detail)
	c.SetWidth(min(64, m.common.Width))
	m.live.confirm, m.live.onYes = &c, onYes
}

// planResume asks what resuming the open job would do, for the question.
func (m *Model) planResume() tea.Cmd {
	id := m.live.id
	return m.common.Call(func(ctx context.Context, b common.Backend) tea.Msg {
		p, err := b.PlanResume(ctx, id)
		return resumePlanMsg{id: id, plan: p, err: err}
	})
}

// gotResumePlan asks to resume, with the checkpoint and the cost still to
// come; a job that cannot resume says why (and, without a checkpoint, to
// clone it).
func (m *Model) gotResumePlan(msg resumePlanMsg) tea.Cmd {
	if m.live == nil || msg.id != m.live.id {
		return nil
	}
	if errors.Is(msg.err, model.ErrNotResumable) {
		return common.Notice(msg.err.Error())
	}
	if msg.err != nil {
		return common.Err("resume job", msg.err)
	}
	p := msg.plan
	m.ask(fmt.Sprintf("Resume job “%s” from its checkpoint at step %s?", p.Job.Name, format.Thousands(int64(p.Checkpoint.Step))),
		fmt.Sprintf("It goes back to the queue and continues after epoch %g: about %s more, on top of the %s spent.",
			p.Checkpoint.Epoch, format.Money(p.RemainingCost), format.Money(p.SpentCost)), m.resumeJob)
	return nil
}

// resumeJob puts the open job back in the queue.
func (m *Model) resumeJob() tea.Cmd {
	id := m.live.id
	m.live.busy = "resuming…"
	return m.common.Call(func(ctx context.Context, b common.Backend) tea.Msg {
		j, err := b.ResumeJob(ctx, id)
		return resumedMsg{job: j, err: err}
	})
}

// gotResumed shows the job queued again and follows it from there.
func (m *Model) gotResumed(msg resumedMsg) tea.Cmd {
	if m.live != nil {
		m.live.busy, m.live.cost = "", nil
	}
	if msg.err != nil {
		return common.Err("resume job", msg.err)
	}
	if m.detail != nil && m.detail.ID == msg.job.ID {
		j := msg.job
		m.detail = &j
	}
	return tea.Batch(common.Notice(fmt.Sprintf("Job %s queued again: it resumes after step %s", msg.job.Name,
		format.Thousands(int64(msg.job.CurrentStep)))), m.fetchLive())
}

// exportMetrics writes the job's curve as CSV into the data dir's exports
// folder; over SSH that folder is on the server, so it shows the command
// that writes it on the operator's machine instead.
func (m *Model) exportMetrics(j model.Job) tea.Cmd {
	if m.common.Remote {
		return common.Notice(fmt.Sprintf("Run on your machine: brightrun job metrics %s --format csv --out %s-metrics.csv",
			j.ID, j.ID.String()[:8]))
	}
	id := j.ID
	return m.common.Call(func(ctx context.Context, b common.Backend) tea.Msg {
		path, n, err := b.ExportJobMetrics(ctx, id, model.MetricsCSV, "")
		return exportedMsg{path: path, n: n, err: err}
	})
}
