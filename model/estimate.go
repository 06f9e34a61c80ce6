package model

import (
	"fmt"
	"math"
	"strconv"
)

// Cost model constants (docs/formats.md#cost-estimate, the seed app's E03 estimate).
const (
	// StorageCost is the flat storage charge per job, in dollars.
	StorageCost = 0.50

	// The overheads of a run, in seconds; the simulated trainer plays them
	// (model/simulate).
	InitSeconds               = 600 // provisioning and model load
	ValidationPerEpochSeconds = 300 // evaluation pass after each epoch
	FinalSaveSeconds          = 300 // writing the adapter

	secondsPerHour      = 3600
	centsPerDollar      = 100
	hoursRoundingFactor = 100 // hours are shown with 2 decimals
)

// Bounds of what can be priced. They sit far above any real dataset (the
// 500 MiB upload limit holds well under 1e9 tokens) and keep every step of
// the formula exact and positive: steps per epoch × epochs stays below
// 2^63, and tokens × epochs stays exact in a float64.
const (
	MaxPairs  = 1_000_000_000
	MaxTokens = 1_000_000_000_000
)

// EstimateInput is what a cost estimate needs: the dataset's size, the GPUs
// and the hyperparameters. DatasetName is only echoed into the result.
type EstimateInput struct {
	Pairs           int   // valid training examples
	Tokens          int64 // total tokens in the dataset
	GPU             GPUConfig
	Hyperparameters Hyperparameters
	DatasetName     string
}

// CostBreakdown splits the estimated cost, in dollars.
type CostBreakdown struct {
	Compute float64 `json:"compute"`
	Storage float64 `json:"storage"`
}

// TrainingDetails are the step counts and throughput behind the estimate.
type TrainingDetails struct {
	TotalSteps                      int     `json:"total_steps"`
	StepsPerEpoch                   int     `json:"steps_per_epoch"`
	EstimatedThroughputTokensPerSec float64 `json:"estimated_throughput_tokens_per_sec"`
	DatasetName                     string  `json:"dataset_name,omitempty"`
}

// Estimate is the seed API's estimate `data` object plus the configuration it
// was computed for, so `estimate --json` output is self-describing.
type Estimate struct {
	EstimatedCost          float64         `json:"estimated_cost"`
	CostBreakdown          CostBreakdown   `json:"cost_breakdown"`
	EstimatedDurationHours float64         `json:"estimated_duration_hours"`
	HourlyRate             float64         `json:"hourly_rate"`
	TrainingDetails        TrainingDetails `json:"training_details"`
	GPUConfig              GPUConfig       `json:"gpu_config"`
	Hyperparameters        Hyperparameters `json:"hyperparameters"`
	Preset                 string          `json:"preset,omitempty"`
	// BaseModel is the model priced for, when one was chosen; the price
	// does not depend on it, whether it fits the GPUs does.
	BaseModel string `json:"base_model,omitempty"`
}

// Estimate prices a training run with the formula of docs/formats.md#cost-estimate. Every
// input problem is reported at once as a *ValidationError. Compute is priced
// from the unrounded duration; only then are money rounded to cents and hours
// to two decimals, so the result matches the seed app to the cent. The total
// is the sum of the rounded parts so the breakdown always adds up.
func (c Catalog) Estimate(in EstimateInput) (Estimate, error) {
	var errs []FieldError
	errs = intRange(errs, "pairs", in.Pairs, 1, MaxPairs)
	if in.Tokens < 1 || in.Tokens > MaxTokens {
		errs = append(errs, FieldError{Field: "tokens", Value: strconv.FormatInt(in.Tokens, 10),
			Message: "is out of range: must be between 1 and " + strconv.FormatInt(MaxTokens, 10)})
	}
	errs = in.Hyperparameters.fieldErrors(errs)
	errs = in.GPU.fieldErrors(c, errs)
	if err := validationErr(errs); err != nil {
		return Estimate{}, err
	}
	gpu, _ := c.find(in.GPU.Type) // present: checked by fieldErrors

	h := in.Hyperparameters
	count := float64(in.GPU.Count)
	stepsPerEpoch := (in.Pairs + h.BatchSize - 1) / h.BatchSize
	throughput := gpu.TokensPerSec * count
	trainSeconds := float64(in.Tokens) * float64(h.Epochs) / throughput
	overheadSeconds := float64(InitSeconds + ValidationPerEpochSeconds*h.Epochs + FinalSaveSeconds)
	hours := (trainSeconds + overheadSeconds) / secondsPerHour
	hourlyRate := gpu.HourlyRate * count
	compute := roundCents(hours * hourlyRate)

	return Estimate{
		EstimatedCost:          roundCents(compute + StorageCost),
		CostBreakdown:          CostBreakdown{Compute: compute, Storage: StorageCost},
		EstimatedDurationHours: math.Round(hours*hoursRoundingFactor) / hoursRoundingFactor,
		HourlyRate:             roundCents(hourlyRate),
		TrainingDetails: TrainingDetails{
			TotalSteps:                      stepsPerEpoch * h.Epochs,
			StepsPerEpoch:                   stepsPerEpoch,
			EstimatedThroughputTokensPerSec: throughput,
			DatasetName:                     in.DatasetName,
		},
		GPUConfig:       GPUConfig{Type: gpu.Type, Count: in.GPU.Count},
		Hyperparameters: h,
	}, nil
}

// Compare estimates every preset on every catalog GPU at gpuCount GPUs,
// presets outer (Presets order) and GPUs inner (catalog order), with the
// overrides applied to every preset, for `estimate --compare` and the TUI's
// comparison table. Errors are the first preset's *ValidationError, wrapped
// with the preset's key.
func (c Catalog) Compare(pairs int, tokens int64, gpuCount int, o HyperOverrides) ([]Estimate, error) {
	if len(c.GPUs) == 0 {
		return nil, fmt.Errorf("compare: the GPU catalog is empty")
	}
	out := make([]Estimate, 0, len(presets)*len(c.GPUs))
	for _, p := range presets {
		h := p.Apply(o)
		for _, g := range c.GPUs {
			e, err := c.Estimate(EstimateInput{
				Pairs: pairs, Tokens: tokens,
				GPU:             GPUConfig{Type: g.Type, Count: gpuCount},
				Hyperparameters: h,
			})
			if err != nil {
				return nil, fmt.Errorf("preset %s on %s: %w", p.Key, g.Type, err)
			}
			e.Preset = p.Key
			out = append(out, e)
		}
	}
	return out, nil
}

// roundCents rounds dollars to whole cents.
func roundCents(v float64) float64 {
	return math.Round(v*centsPerDollar) / centsPerDollar
}
