package configure

import (
	"brightrun/model"
	"brightrun/ui/components/numfield"
	"brightrun/ui/format"
)

// field is one row of the form, in display (and tab) order.
type field int

const (
	fDataset field = iota
	fPreset
	fGPU
	fCount
	fModel
	fMaxCost // the job's cost cap; empty is none
	fLR
	fBatch
	fEpochs
	fRank
	fAlpha
	fDropout
	fPatience
	numFields
)

var fieldLabels = [numFields]string{
	fDataset:  "Dataset",
	fPreset:   "Preset",
	fGPU:      "GPU",
	fCount:    "GPU count",
	fModel:    "Model",
	fLR:       "Learning rate",
	fBatch:    "Batch size",
	fEpochs:   "Epochs",
	fRank:     "Rank",
	fAlpha:    "Alpha",
	fDropout:  "Dropout",
	fPatience: "Early stopping",
	fMaxCost:  "Max cost",
}

// fieldRanges are the allowed values of each hyperparameter, shown beside
// it at all times so nobody has to provoke an error to learn them.
var fieldRanges = [numFields]string{
	fCount:    "1–8",
	fLR:       format.Float(model.MinLearningRate) + " – " + format.Float(model.MaxLearningRate),
	fBatch:    "1–64",
	fEpochs:   "1–20",
	fRank:     "4–128",
	fAlpha:    "≥ 1 · 2 × rank unless set",
	fDropout:  "0 to < 1",
	fPatience: "evaluations without a better val loss · 0 off",
}

// fieldByJSON maps model.FieldError names to the row that shows them, so a
// range error lands under the input that caused it.
var fieldByJSON = map[string]field{
	"pairs":         fDataset,
	"tokens":        fDataset,
	"gpu_type":      fGPU,
	"gpu_count":     fCount,
	"learning_rate": fLR,
	"batch_size":    fBatch,
	"epochs":        fEpochs,
	"rank":          fRank,
	"alpha":         fAlpha,
	"dropout":       fDropout,
}

// isText reports whether the row is a number input (the others are
// selectors).
func (f field) isText() bool { return f >= fMaxCost && f < numFields }

// listable reports whether the row takes a list of values (`1e-4, 2e-4`),
// which makes the launch a sweep over them.
func (f field) listable() bool { return f == fLR || f == fBatch || f == fEpochs || f == fRank }

// kind is the number a text row takes.
func (f field) kind() numfield.Kind {
	if f == fLR || f == fDropout || f == fMaxCost {
		return numfield.Decimal
	}
	return numfield.Whole
}
