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
	if r, err := numfield.ParseInt(m.inputs[fRank].Value()); err == nil && !strings.Contains(m.inputs[fRank].Value(), ",") {
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

// sweepOverrides are the overrides a sweep's runs start from: the form's,
// but with alpha left to follow each run's rank while it was never typed.
func (m *Model) sweepOverrides() model.HyperOverrides {
	o := m.overrides()
	if m.alphaAuto && len(m.grid.Rank) > 0 {
		o.Alpha = nil
	}
	return o
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
	m.grid = model.SweepAxes{}
	parseInt := func(f field, dst *int, axis *[]int) {
		var list []int
		if list, err = numfield.ParseList(m.inputs[f].Value(), numfield.ParseInt); err != nil {
			setErr(f, err.Error())
			return
		}
		if *dst = list[0]; len(list) > 1 && axis != nil {
			*axis = list
		}
	}
	parseFloat := func(f field, dst *float64, axis *[]float64) {
		var list []float64
		if list, err = numfield.ParseList(m.inputs[f].Value(), numfield.ParseFloat); err != nil {
			setErr(f, err.Error())
			return
		}
		if *dst = list[0]; len(list) > 1 && axis != nil {
			*axis = list
		}
	}
	parseFloat(fLR, &h.LearningRate, &m.grid.LearningRate)
	parseInt(fBatch, &h.BatchSize, &m.grid.BatchSize)
	parseInt(fEpochs, &h.Epochs, &m.grid.Epochs)
	parseInt(fRank, &h.Rank, &m.grid.Rank)
	parseInt(fAlpha, &h.Alpha, nil)
	parseFloat(fDropout, &h.Dropout, nil)
	parseInt(fPatience, &m.patience, nil)
	if err == nil {
		if perr := model.CheckEarlyStoppingPatience(m.patience); perr != nil {
			setErr(fPatience, perr.Error())
		}
	}
	m.hyper = h
	m.maxCost = nil
	if v := strings.TrimSpace(m.inputs[fMaxCost].Value()); v != "" {
		var c float64
		parseFloat(fMaxCost, &c, nil)
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
	sweepErr := m.priceSweep(gpu, setErr)
	m.valid = err == nil && sweepErr == nil && m.hasChosen && len(m.fieldErrs) == 0
}

// priceSweep prices every run of the grid the list rows make, as the
// launch would create them, and files a run's problem under the row that
// caused it, naming the run. One run (no list) is the form's own estimate.
func (m *Model) priceSweep(gpu model.GPUConfig, setErr func(field, string)) error {
	m.sweepRuns, m.sweepTotal = m.grid.Size(), 0
	if m.sweepRuns < 2 {
		return nil
	}
	points, err := m.grid.Expand(m.sweepOverrides())
	if err != nil {
		m.otherErrs = append(m.otherErrs, err.Error())
		return err
	}
	for i, p := range points {
		run := m.currentPreset().Apply(p.Overrides)
		if m.hasChosen {
			var est model.Estimate
			est, err = m.common.Backend.Estimate(model.EstimateInput{
				Pairs: m.chosen.TotalTrainingPairs, Tokens: m.chosen.TotalTokens, GPU: gpu, Hyperparameters: run,
			})
			m.sweepTotal += est.EstimatedCost
		} else {
			err = run.Validate()
		}
		if err != nil {
			prefix := fmt.Sprintf("run %d (%s): ", i+1, p.Label)
			m.otherErrs = append(m.otherErrs, costform.FileErrors(err, fieldByJSON, func(f field, s string) { setErr(f, prefix+s) })...)
			return err
		}
	}
	return nil
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
