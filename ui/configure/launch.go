package configure

import (
	"errors"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/components/confirm"
	"brightrun/ui/format"
)

// launchedMsg is CreateJob's answer. When it failed, the command also
// listed the datasets again (checked), so the form shows their state now
// and can tell a dataset deleted meanwhile from other failures.
type launchedMsg struct {
	job        model.Job
	sweep      *engine.SweepLaunch // set when a sweep was launched
	err        error
	checked    bool
	choices    []engine.DatasetChoice
	choicesErr error
}

// askLaunch shows the confirmation with the estimate, or, while the form
// has problems, takes the cursor to the first of them.
func (m *Model) askLaunch() tea.Cmd {
	if !m.valid {
		for f := range numFields {
			if _, bad := m.fieldErrs[f]; bad {
				return m.focusField(f)
			}
		}
		return nil
	}
	r := m.result
	q := fmt.Sprintf("Launch this job on “%s”?", m.chosen.Name)
	if m.sweepRuns > 1 {
		q = fmt.Sprintf("Launch a sweep of %d runs on “%s”?", m.sweepRuns, m.chosen.Name)
	}
	detail := fmt.Sprintf("%s on %d × %s, training %s: about %s for %s. It is queued at once and starts when a worker is free.",
		r.Preset, r.GPUConfig.Count, r.GPUConfig.Type, m.currentModel().Name, format.Money(r.EstimatedCost), format.Hours(r.EstimatedDurationHours))
	if m.sweepRuns > 1 {
		detail = fmt.Sprintf("%d runs on %d × %s, training %s: about %s in all. Every run is queued at once, or none is; they start as workers are free.",
			m.sweepRuns, r.GPUConfig.Count, r.GPUConfig.Type, m.currentModel().Name, format.Money(m.sweepTotal))
	}
	if c := m.maxCost; c != nil {
		detail += fmt.Sprintf(" It stops, cancelled, if its cost reaches %s", format.Money(*c))
		if model.CapBelowEstimate(r.EstimatedCost, c) {
			detail += ": below the estimate, so it will stop early"
		}
		detail += "."
	}
	if m.patience > 0 {
		detail += fmt.Sprintf(" It stops early after %d evaluations without a better validation loss, keeping the best checkpoint.", m.patience)
	}
	m.ask = confirm.New(m.common.Theme, q, detail)
	m.ask.SetWidth(m.askWidth())
	m.mode = modeConfirm
	m.blurAll()
	return nil
}

// confirmKey waits for y (launch) or n/esc (back to the form).
func (m *Model) confirmKey(k tea.KeyPressMsg) tea.Cmd {
	var res confirm.Result
	m.ask, res = m.ask.Update(k)
	switch res {
	case confirm.Yes:
		m.mode = modeLaunching
		return m.launch()
	case confirm.No:
		m.mode = modeForm
		return m.startEditing()
	}
	return nil
}

// launch creates the job in a command, exactly as the form shows it: the
// preset as the base and every value as an explicit override.
func (m *Model) launch() tea.Cmd {
	req := m.cloneRequest(engine.JobRequest{
		DatasetID:             m.chosen.ID,
		Preset:                m.currentPreset().Key,
		GPU:                   model.GPUConfig{Type: m.gpu.Value(), Count: m.gpuCount()},
		Overrides:             m.overrides(),
		BaseModel:             m.currentModel().ID,
		MaxCost:               m.maxCost,
		EarlyStoppingPatience: m.patience,
	})
	c := m.common
	sweep := m.sweepRuns > 1
	if sweep {
		req.Overrides = m.sweepOverrides()
	}
	grid := m.grid
	return func() tea.Msg {
		ctx, cancel := c.CallContext()
		defer cancel()
		var msg launchedMsg
		if sweep {
			s, err := c.Backend.CreateSweep(ctx, engine.SweepRequest{Job: req, Axes: grid})
			msg = launchedMsg{sweep: &s, err: err}
		} else {
			job, err := c.Backend.CreateJob(ctx, req)
			msg = launchedMsg{job: job, err: err}
		}
		err := msg.err
		if err != nil {
			msg.checked = true
			msg.choices, msg.choicesErr = c.Backend.TrainableDatasets(ctx)
		}
		return msg
	}
}

// launchDone lands on the Jobs tab after a success; after a failure it
// stays on the form and says which check failed and why.
func (m *Model) launchDone(msg launchedMsg) tea.Cmd {
	m.mode = modeForm
	if msg.err == nil && msg.sweep != nil {
		m.launched, m.cloneOf = "", nil
		s := *msg.sweep
		return tea.Batch(
			func() tea.Msg { return common.SweepCreatedMsg{Sweep: s} },
			common.Notice(fmt.Sprintf("Sweep “%s” queued: %d runs", s.Name, len(s.Jobs))),
		)
	}
	if msg.err == nil {
		m.launched, m.cloneOf = "", nil
		job := msg.job
		return tea.Batch(
			func() tea.Msg { return common.JobCreatedMsg{Job: job} },
			common.Notice(fmt.Sprintf("Job “%s” queued", job.Name)),
		)
	}
	name := m.chosen.Name
	if msg.checked && msg.choicesErr == nil {
		m.loadSeq++ // a load still on its way is older than this list
		m.loaded = true
		m.setChoices(msg.choices)
	}
	m.launched = describeFailure(msg, name, m.problem)
	m.recompute()
	return m.startEditingAt(fDataset)
}

// describeFailure says which check refused the job and why; every failure
// leaves nothing written.
func describeFailure(msg launchedMsg, name, problem string) string {
	var nt *model.NotTrainableError
	var ve *model.ValidationError
	var sr *engine.SweepRefusedError
	var why string
	switch {
	case errors.As(msg.err, &sr):
		return "Not launched: the sweep was refused: " + sr.Error() + ". No job was created."
	case errors.As(msg.err, &nt):
		why = fmt.Sprintf("dataset “%s” cannot be trained on: %s.", nt.DatasetName, nt.Reason)
	case errors.As(msg.err, &ve):
		why = "the configuration was refused: " + ve.Error() + "."
	case msg.checked && msg.choicesErr == nil && problem != "":
		why = fmt.Sprintf("dataset “%s” %s", name, problem)
	default:
		why = msg.err.Error() + "."
	}
	return "Not launched: " + why + " No job was created."
}
