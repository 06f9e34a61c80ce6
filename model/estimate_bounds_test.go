package model

import (
	"math"
	"strings"
	"testing"
)

// Counts past the documented bounds are refused with the bound named; at
// the bounds every figure of the estimate is still positive and finite, so
// no step of the formula overflows.
func TestEstimateBounds(t *testing.T) {
	c := testCatalog(t)
	slowest := Hyperparameters{LearningRate: 1e-4, BatchSize: MinBatchSize, Epochs: MaxEpochs, Rank: 8, Alpha: 16}
	tests := []struct {
		name   string
		pairs  int
		tokens int64
		want   string // "" when the estimate must succeed
	}{
		{"at the bounds", MaxPairs, MaxTokens, ""},
		{"largest int pairs", math.MaxInt, 100, "pairs 9223372036854775807 is out of range: must be between 1 and 1000000000"},
		{"one pair over", MaxPairs + 1, 100, "pairs 1000000001 is out of range"},
		{"largest int64 tokens", 10, math.MaxInt64, "tokens 9223372036854775807 is out of range: must be between 1 and 1000000000000"},
		{"negative", -1, -1, "pairs -1 is out of range"},
		{"lowest int", math.MinInt, math.MinInt64, "tokens -9223372036854775808 is out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := c.Estimate(EstimateInput{Pairs: tt.pairs, Tokens: tt.tokens,
				GPU: GPUConfig{Type: c.GPUs[0].Type, Count: 1}, Hyperparameters: slowest})
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("err %v, want %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			d := e.TrainingDetails
			if d.StepsPerEpoch != MaxPairs || d.TotalSteps != MaxPairs*MaxEpochs {
				t.Fatalf("steps %d per epoch, %d in all", d.StepsPerEpoch, d.TotalSteps)
			}
			for _, v := range []float64{e.EstimatedCost, e.CostBreakdown.Compute, e.EstimatedDurationHours, e.HourlyRate} {
				if !(v > 0) || math.IsInf(v, 0) {
					t.Fatalf("estimate %+v has a figure that is not positive and finite", e)
				}
			}
		})
	}
	// Compare goes through the same checks.
	if _, err := c.Compare(math.MaxInt, 100, 1, HyperOverrides{}); err == nil || !strings.Contains(err.Error(), "pairs") {
		t.Fatalf("compare with pairs out of range: %v", err)
	}
}

// alpha has an upper bound too, like every other hyperparameter.
func TestAlphaBounded(t *testing.T) {
	h := Hyperparameters{LearningRate: 1e-4, BatchSize: 8, Epochs: 1, Rank: 8, Alpha: MaxAlpha + 1}
	if err := h.Validate(); err == nil || !strings.Contains(err.Error(), "alpha 1025 is out of range: must be between 1 and 1024") {
		t.Fatalf("Validate() = %v", err)
	}
	h.Alpha = math.MaxInt
	if err := h.Validate(); err == nil {
		t.Fatal("alpha MaxInt accepted")
	}
}
