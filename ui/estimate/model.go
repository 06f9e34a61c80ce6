// Package estimate is the Estimate tab: a calculator that prices a training
// run from a dataset's size, a preset, a GPU type and count, and optional
// hyperparameter overrides. The result recomputes on every keystroke — the
// estimate is pure arithmetic over the catalog, microseconds, so it runs in
// Update — and invalid input shows the model's own validation messages next
// to the field instead of a result.
package estimate

import (
	"errors"
	"strconv"

	tea "charm.land/bubbletea/v2"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/components/costform"
	"brightrun/ui/components/numfield"
	"brightrun/ui/components/selector"
	"brightrun/ui/format"
)

// Starting values: the worked example of docs/formats.md#cost-estimate, so the first thing
// the screen shows is a real, checkable estimate.
const (
	defaultPairs  = "1000"
	defaultTokens = "13_268_572"
)

// compareMode is whether the preset × GPU comparison shows: by default only
// when there is room, or as the user toggled it with c.
type compareMode int

const (
	compareAuto compareMode = iota
	compareOn
	compareOff
)

// Model is the Estimate screen.
type Model struct {
	common  common.Common
	keys    keyMap
	catalog model.Catalog
	presets []model.Preset

	inputs [numFields]numfield.Model // only the text rows are used
	preset selector.Model
	gpu    selector.Model
	count  selector.Model

	focus   field
	editing bool
	compare compareMode

	// Result of the last recompute.
	result    model.Estimate
	valid     bool
	fieldErrs costform.Problems[field]
	otherErrs []string
	hyper     model.Hyperparameters // effective values, even when invalid
	overrides model.HyperOverrides
	pairs     int
	tokens    int64
	cmp       []model.Estimate // every preset × GPU at the current count
	cmpErr    error
}

// New builds the calculator with the worked example filled in.
func New(c common.Common) common.Screen {
	m := &Model{
		common:  c,
		keys:    defaultKeyMap(),
		catalog: c.Backend.Catalog(),
		presets: model.Presets(),
	}
	m.preset, m.gpu, m.count = costform.RunSelectors(c.Theme, m.catalog, m.presets)

	for f := range numFields {
		if !f.isText() {
			continue
		}
		m.inputs[f] = numfield.New(f.kind(), inputWidth)
	}
	m.inputs[fPairs].SetValue(defaultPairs)
	m.inputs[fTokens].SetValue(defaultTokens)
	m.applyTheme()
	m.recompute()
	return m
}

// inputWidth is the visible width of a text input; longer values scroll.
const inputWidth = 12

// Title is the tab label.
func (m *Model) Title() string { return "Estimate" }

// InputFocused is true while the form is being edited: digits, q and tab are
// then the form's.
func (m *Model) InputFocused() bool { return m.editing }

// SetSize records the area; the layout is computed in View.
func (m *Model) SetSize(w, h int) {
	m.common.SetSize(w, h)
}

// Init needs no command: everything is computed in place.
func (m *Model) Init() tea.Cmd { return nil }

func (m *Model) applyTheme() {
	st := m.common.Theme.TextInput()
	for f := range numFields {
		if f.isText() {
			m.inputs[f].SetStyles(st)
		}
	}
}

// recompute derives everything shown from the form: parses the inputs,
// applies the preset and overrides, and asks the backend for the estimate.
// Problems are collected per field so each shows beside its input.
func (m *Model) recompute() {
	m.fieldErrs = costform.Problems[field]{}
	m.otherErrs = nil
	setErr := m.fieldErrs.Set

	pairs, err := numfield.ParseWhole(m.inputs[fPairs].Value())
	if err != nil {
		setErr(fPairs, err.Error())
	}
	tokens, err := numfield.ParseWhole(m.inputs[fTokens].Value())
	if err != nil {
		setErr(fTokens, err.Error())
	}
	m.pairs, m.tokens = int(min(pairs, 1<<31-1)), tokens

	var o model.HyperOverrides
	for _, f := range []field{fBatch, fEpochs, fRank} {
		v, err := numfield.ParseOptionalInt(m.inputs[f].Value())
		if err != nil {
			setErr(f, err.Error())
		}
		switch f {
		case fBatch:
			o.BatchSize = v
		case fEpochs:
			o.Epochs = v
		case fRank:
			o.Rank = v
		}
	}
	o.LearningRate, err = numfield.ParseOptionalFloat(m.inputs[fLR].Value())
	if err != nil {
		setErr(fLR, err.Error())
	}
	m.overrides = o

	preset := m.presets[m.preset.Index()]
	m.hyper = preset.Apply(o)
	m.updatePlaceholders(preset)

	est, err := m.common.Backend.Estimate(model.EstimateInput{
		Pairs:           m.pairs,
		Tokens:          m.tokens,
		GPU:             model.GPUConfig{Type: m.gpu.Value(), Count: m.gpuCount()},
		Hyperparameters: m.hyper,
	})
	m.otherErrs = append(m.otherErrs, costform.FileErrors(err, fieldByJSON, setErr)...)
	m.valid = err == nil && len(m.fieldErrs) == 0
	m.result = est
	m.result.Preset = preset.Key
	m.cmp, m.cmpErr = m.compareData()
}

func (m *Model) gpuCount() int { return costform.GPUCount(m.count) }

// updatePlaceholders shows the preset's value in each empty override, so a
// blank field still says what it stands for.
func (m *Model) updatePlaceholders(p model.Preset) {
	h := p.Hyperparameters
	m.inputs[fBatch].Placeholder = strconv.Itoa(h.BatchSize)
	m.inputs[fEpochs].Placeholder = strconv.Itoa(h.Epochs)
	m.inputs[fLR].Placeholder = format.Float(h.LearningRate)
	m.inputs[fRank].Placeholder = strconv.Itoa(h.Rank)
}

// compareData prices every preset on every GPU at the current count and
// overrides, as `brightrun estimate --compare` does: twelve estimates, cheap
// enough to redo on every keystroke with the main result.
func (m *Model) compareData() ([]model.Estimate, error) {
	if len(m.fieldErrs) > 0 || len(m.otherErrs) > 0 {
		return nil, errors.New("fix the form to compare")
	}
	return m.catalog.Compare(m.pairs, m.tokens, m.gpuCount(), m.overrides)
}
