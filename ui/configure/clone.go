package configure

import (
	tea "charm.land/bubbletea/v2"
	"strconv"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/format"
)

// clone fills the form with a job's dataset, GPUs and hyperparameters (a
// key on a job in the Jobs tab), ready to change one value and launch.
// The preset is the one the values are, else the job's own as the base,
// shown as "custom". The launch records the job it was cloned from.
func (m *Model) clone(msg common.CloneJobMsg) tea.Cmd {
	if m.mode == modeLaunching {
		return nil
	}
	j := msg.Job
	m.mode, m.launched = modeForm, ""
	m.cloneOf = &j
	h := j.Hyperparameters
	if p, ok := model.MatchPreset(h); ok {
		m.preset.SetValue(p.Key)
	} else if !m.preset.SetValue(j.Preset) {
		m.preset.SetValue(model.DefaultPreset)
	}
	m.setHyper(h)
	m.alphaAuto = h.Alpha == 2*h.Rank
	m.inputs[fPatience].SetValue(strconv.Itoa(j.EarlyStoppingPatience))
	if !m.gpu.SetValue(j.GPUConfig.Type) && len(m.gpu.Options) > 0 {
		m.gpu.SetIndex(0)
	}
	m.count.SetIndex(max(0, min(model.MaxGPUCount, j.GPUConfig.Count)-model.MinGPUCount))
	m.setModel(j.BaseModel)
	m.inputs[fMaxCost].SetValue("")
	if j.MaxCost != nil {
		m.inputs[fMaxCost].SetValue(format.Float(*j.MaxCost))
	}
	m.recompute()
	// The cursor waits on the learning rate: the value most often changed.
	return m.turnTo(j.DatasetID, fLR)
}

// cloneRequest marks a launch of a cloned form as the source's clone: its
// name and trainer follow the source, and the source is recorded.
func (m *Model) cloneRequest(req engine.JobRequest) engine.JobRequest {
	if m.cloneOf == nil {
		return req
	}
	id := m.cloneOf.ID
	req.Name, req.Trainer, req.ClonedFrom = engine.CloneName(m.cloneOf.Name), m.cloneOf.Trainer, &id
	return req
}
