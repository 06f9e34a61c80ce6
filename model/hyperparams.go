package model

import (
	"strconv"
)

// Allowed ranges (docs/formats.md#cost-estimate, the seed API's validation). The configure
// page once had narrower controls; the API ranges are the contract.
const (
	MinLearningRate = 1e-5
	MaxLearningRate = 1e-3
	MinBatchSize    = 1
	MaxBatchSize    = 64
	MinEpochs       = 1
	MaxEpochs       = 20
	MinRank         = 4
	MaxRank         = 128
	MinAlpha        = 1
	MaxAlpha        = 8 * MaxRank // well above the usual 2 × rank
	MinGPUCount     = 1
	MaxGPUCount     = 8

	// DefaultDropout is the LoRA dropout used unless one is given.
	DefaultDropout = 0.05
)

// Hyperparameters of a LoRA training run, stored as the training_jobs
// hyperparameters jsonb and printed by `estimate --json`.
type Hyperparameters struct {
	LearningRate float64 `json:"learning_rate"`
	BatchSize    int     `json:"batch_size"`
	Epochs       int     `json:"epochs"`
	Rank         int     `json:"rank"`
	Alpha        int     `json:"alpha"`
	Dropout      float64 `json:"dropout"`
}

// GPUConfig is what a job runs on: a catalog GPU type and how many of them.
type GPUConfig struct {
	Type  string `json:"type"`
	Count int    `json:"count"`
}

// Validate checks every range at once and returns a *ValidationError listing
// all violations, or nil.
func (h Hyperparameters) Validate() error {
	return validationErr(h.fieldErrors(nil))
}

// fieldErrors appends h's violations to errs; it allocates nothing when h is
// valid, which keeps the estimate matrix cheap.
func (h Hyperparameters) fieldErrors(errs []FieldError) []FieldError {
	errs = floatRange(errs, "learning_rate", h.LearningRate, MinLearningRate, MaxLearningRate)
	errs = intRange(errs, "batch_size", h.BatchSize, MinBatchSize, MaxBatchSize)
	errs = intRange(errs, "epochs", h.Epochs, MinEpochs, MaxEpochs)
	errs = intRange(errs, "rank", h.Rank, MinRank, MaxRank)
	errs = intRange(errs, "alpha", h.Alpha, MinAlpha, MaxAlpha)
	if !(h.Dropout >= 0 && h.Dropout < 1) {
		errs = append(errs, FieldError{
			Field: "dropout", Value: formatFloat(h.Dropout),
			Message: "is out of range: must be at least 0 and less than 1",
		})
	}
	return errs
}

// Validate checks the GPU count range and that the type is in the catalog,
// returning a *ValidationError or nil. Types are matched like Catalog.Lookup
// (case-insensitively), so "h100" passes.
func (g GPUConfig) Validate(c Catalog) error {
	return validationErr(g.fieldErrors(c, nil))
}

func (g GPUConfig) fieldErrors(c Catalog, errs []FieldError) []FieldError {
	if _, ok := c.find(g.Type); !ok {
		errs = append(errs, FieldError{
			Field: "gpu_type", Value: strconv.Quote(g.Type),
			Message: "is not a known GPU type: known types are " + c.typeList(),
		})
	}
	return intRange(errs, "gpu_count", g.Count, MinGPUCount, MaxGPUCount)
}

// HyperOverrides are values the user gave explicitly (CLI flags, TUI edits);
// nil means "not given, keep the preset's".
type HyperOverrides struct {
	LearningRate *float64
	BatchSize    *int
	Epochs       *int
	Rank         *int
	Alpha        *int
	Dropout      *float64
}

// Apply lays the overrides over the preset. Alpha is derived from the final
// rank (2 × rank) and dropout is DefaultDropout unless each is given
// explicitly, so overriding only the rank keeps alpha in step with it. The
// result is not validated; call Validate on it.
func (p Preset) Apply(o HyperOverrides) Hyperparameters {
	h := p.Hyperparameters
	if o.LearningRate != nil {
		h.LearningRate = *o.LearningRate
	}
	if o.BatchSize != nil {
		h.BatchSize = *o.BatchSize
	}
	if o.Epochs != nil {
		h.Epochs = *o.Epochs
	}
	if o.Rank != nil {
		h.Rank = *o.Rank
	}
	h.Alpha = 2 * h.Rank
	if o.Alpha != nil {
		h.Alpha = *o.Alpha
	}
	h.Dropout = DefaultDropout
	if o.Dropout != nil {
		h.Dropout = *o.Dropout
	}
	return h
}
