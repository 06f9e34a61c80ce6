package estimate

import (
	"brightrun/ui/components/costform"
	"brightrun/ui/components/numfield"
	"brightrun/ui/components/selector"
)

// field is one row of the calculator form, in display (and tab) order.
type field int

const (
	fPairs field = iota
	fTokens
	fPreset
	fGPU
	fCount
	fBatch
	fEpochs
	fLR
	fRank
	numFields
)

var fieldLabels = [numFields]string{
	fPairs:  "Pairs",
	fTokens: "Tokens",
	fPreset: "Preset",
	fGPU:    "GPU",
	fCount:  "GPU count",
	fBatch:  "Batch size",
	fEpochs: "Epochs",
	fLR:     "Learning rate",
	fRank:   "Rank",
}

// fieldByJSON maps model.FieldError names to the row that shows them, so a
// range error lands under the input that caused it.
var fieldByJSON = map[string]field{
	"pairs":         fPairs,
	"tokens":        fTokens,
	"gpu_type":      fGPU,
	"gpu_count":     fCount,
	"batch_size":    fBatch,
	"epochs":        fEpochs,
	"learning_rate": fLR,
	"rank":          fRank,
}

// isText reports whether the row is a text input (the others are selectors).
func (f field) isText() bool {
	switch f {
	case fPreset, fGPU, fCount:
		return false
	}
	return f >= 0 && f < numFields
}

// rows are the form's controls by field, for moving the cursor between
// them: a selector on each row isText says is not text, an input on the
// others.
func (m *Model) rows() costform.Rows[field] {
	return costform.Rows[field]{Inputs: m.inputs[:], Selectors: map[field]*selector.Model{
		fPreset: &m.preset, fGPU: &m.gpu, fCount: &m.count}}
}

// kind is the number a text row takes: the learning rate is a decimal
// (5e-5), every other row a whole number written with or without
// separators (13_268_572, 13,268,572).
func (f field) kind() numfield.Kind {
	if f == fLR {
		return numfield.Decimal
	}
	return numfield.Whole
}
