package configure

import (
	"fmt"
	"strconv"
	"strings"

	"brightrun/model"
	"brightrun/ui/components/costform"
	"brightrun/ui/components/numfield"
	"brightrun/ui/format"
)

// applyPreset fills the hyperparameter fields with the chosen preset's
// values; alpha follows the rank again.
func (m *Model) applyPreset() {
	m.setHyper(m.currentPreset().Hyperparameters)
	m.alphaAuto = true
}

// setHyper writes values into the fields.
func (m *Model) setHyper(h model.Hyperparameters) {
	m.inputs[fLR].SetValue(format.Float(h.LearningRate))
	m.inputs[fBatch].SetValue(strconv.Itoa(h.BatchSize))
	m.inputs[fEpochs].SetValue(strconv.Itoa(h.Epochs))
	m.inputs[fRank].SetValue(strconv.Itoa(h.Rank))
	m.inputs[fAlpha].SetValue(strconv.Itoa(h.Alpha))
	m.inputs[fDropout].SetValue(format.Float(h.Dropout))
	for f := fLR; f < numFields; f++ {
		m.inputs[f].CursorEnd()
	}
}

// rankChanged keeps alpha at 2 × rank while alpha was never typed in.
func (m *Model) rankChanged() {
	if !m.alphaAuto {
		return
	}
	if r, err := numfield.ParseInt(m.inputs[fRank].Value()); err == nil {
		m.inputs[fAlpha].SetValue(strconv.Itoa(2 * r))
	}
}

// overrides are the form's values as explicit overrides of the preset,
// every one given, so what is launched is exactly what is shown.
func (m *Model) overrides() model.HyperOverrides {
	h := m.hyper
	return model.HyperOverrides{
		LearningRate: &h.LearningRate, BatchSize: &h.BatchSize, Epochs: &h.Epochs,
		Rank: &h.Rank, Alpha: &h.Alpha, Dropout: &h.Dropout,
	}
}

// recompute derives everything shown from the form: it parses the fields,
// prices the run on the chosen dataset and files each problem under the
// row that caused it. It runs on every keystroke.
func (m *Model) recompute() {
	m.fieldErrs = costform.Problems[field]{}
	m.otherErrs = nil
	setErr := m.fieldErrs.Set
	switch {
	case m.problem != "":
		setErr(fDataset, m.problem)
	case !m.hasChosen && m.loadErr != nil:
		setErr(fDataset, "could not load the datasets: "+m.loadErr.Error())
	case !m.hasChosen && m.loaded:
		setErr(fDataset, "no dataset is ready for training yet: upload one in Datasets")
	case !m.hasChosen:
		setErr(fDataset, "the datasets have not loaded yet")
	}

	var h model.Hyperparameters
	var err error
	parseInt := func(f field, dst *int) {
		if *dst, err = numfield.ParseInt(m.inputs[f].Value()); err != nil {
			setErr(f, err.Error())
		}
	}
	parseFloat := func(f field, dst *float64) {
		if *dst, err = numfield.ParseFloat(m.inputs[f].Value()); err != nil {
			setErr(f, err.Error())
		}
	}
	parseFloat(fLR, &h.LearningRate)
	parseInt(fBatch, &h.BatchSize)
	parseInt(fEpochs, &h.Epochs)
	parseInt(fRank, &h.Rank)
	parseInt(fAlpha, &h.Alpha)
	parseFloat(fDropout, &h.Dropout)
	parseInt(fPatience, &m.patience)
	if err == nil {
		if perr := model.CheckEarlyStoppingPatience(m.patience); perr != nil {
			setErr(fPatience, perr.Error())
		}
	}
	m.hyper = h
	m.maxCost = nil
	if v := strings.TrimSpace(m.inputs[fMaxCost].Value()); v != "" {
		var c float64
		parseFloat(fMaxCost, &c)
		if err == nil {
			if err = model.CheckMaxCost(c); err != nil {
				setErr(fMaxCost, err.Error())
			} else {
				m.maxCost = &c
			}
		}
	}
	m.custom = h != m.currentPreset().Hyperparameters

	gpu := model.GPUConfig{Type: m.gpu.Value(), Count: m.gpuCount()}
	m.result = model.Estimate{}
	if m.hasChosen {
		m.result, err = m.common.Backend.Estimate(model.EstimateInput{
			Pairs: m.chosen.TotalTrainingPairs, Tokens: m.chosen.TotalTokens,
			GPU: gpu, Hyperparameters: h, DatasetName: m.chosen.Name,
		})
	} else {
		_, err = m.catalog.ResolveJobConfig(m.currentPreset().Key, gpu, m.overrides())
	}
	m.otherErrs = costform.FileErrors(err, fieldByJSON, setErr)
	if g, err := m.catalog.Lookup(gpu.Type); err == nil {
		bm := m.currentModel()
		if model.CheckModelFits(bm, g) != nil {
			setErr(fModel, fmt.Sprintf("%s needs %d GB on each GPU; %s has %d GB: pick a bigger GPU or a smaller model",
				bm.SizeText(), bm.MinGPUMemoryGB, g.Type, g.MemoryGB))
		}
	}
	m.result.Preset = m.presetLabel()
	m.result.BaseModel = m.currentModel().ID
	m.valid = err == nil && m.hasChosen && len(m.fieldErrs) == 0
}

// presetLabel is the preset's key, or "custom" once a value differs from
// it.
func (m *Model) presetLabel() string {
	if m.custom {
		return "custom"
	}
	return m.currentPreset().Key
}

// load puts a priced configuration (a row of the comparison) into the
// form: its preset's values, its GPU type and count.
func (m *Model) load(e model.Estimate) {
	if e.Preset != customRow {
		m.preset.SetValue(e.Preset)
		m.applyPreset()
	}
	m.gpu.SetValue(e.GPUConfig.Type)
	m.count.SetIndex(e.GPUConfig.Count - model.MinGPUCount)
	m.launched = ""
	m.recompute()
}
