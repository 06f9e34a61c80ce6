package model

import (
	"errors"
	"math"
	"testing"
)

// validHP is the balanced preset, a known-good starting point for mutations.
var validHP = Hyperparameters{LearningRate: 5e-5, BatchSize: 4, Epochs: 3, Rank: 16, Alpha: 32, Dropout: 0.05}

func TestHyperparametersValidateEachViolation(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Hyperparameters)
		want   string
	}{
		{"batch too big", func(h *Hyperparameters) { h.BatchSize = 65 }, "batch_size 65 is out of range: must be between 1 and 64"},
		{"batch zero", func(h *Hyperparameters) { h.BatchSize = 0 }, "batch_size 0 is out of range: must be between 1 and 64"},
		{"epochs zero", func(h *Hyperparameters) { h.Epochs = 0 }, "epochs 0 is out of range: must be between 1 and 20"},
		{"epochs too many", func(h *Hyperparameters) { h.Epochs = 21 }, "epochs 21 is out of range: must be between 1 and 20"},
		{"lr too small", func(h *Hyperparameters) { h.LearningRate = 5e-6 }, "learning_rate 0.000005 is out of range: must be between 0.00001 and 0.001"},
		{"lr too big", func(h *Hyperparameters) { h.LearningRate = 0.002 }, "learning_rate 0.002 is out of range: must be between 0.00001 and 0.001"},
		{"lr NaN", func(h *Hyperparameters) { h.LearningRate = math.NaN() }, "learning_rate NaN is out of range: must be between 0.00001 and 0.001"},
		{"rank too small", func(h *Hyperparameters) { h.Rank = 3 }, "rank 3 is out of range: must be between 4 and 128"},
		{"rank too big", func(h *Hyperparameters) { h.Rank = 129 }, "rank 129 is out of range: must be between 4 and 128"},
		{"alpha zero", func(h *Hyperparameters) { h.Alpha = 0 }, "alpha 0 is out of range: must be between 1 and 1024"},
		{"dropout negative", func(h *Hyperparameters) { h.Dropout = -0.1 }, "dropout -0.1 is out of range: must be at least 0 and less than 1"},
		{"dropout one", func(h *Hyperparameters) { h.Dropout = 1 }, "dropout 1 is out of range: must be at least 0 and less than 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := validHP
			tt.mutate(&h)
			err := h.Validate()
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate() = %v, want *ValidationError", err)
			}
			if len(ve.Errors) != 1 || err.Error() != tt.want {
				t.Errorf("Validate() = %q (%d errors), want %q", err, len(ve.Errors), tt.want)
			}
		})
	}
}

func TestHyperparametersValidateBoundaries(t *testing.T) {
	tests := []struct {
		name string
		h    Hyperparameters
	}{
		{"all minimums", Hyperparameters{LearningRate: 1e-5, BatchSize: 1, Epochs: 1, Rank: 4, Alpha: 1, Dropout: 0}},
		{"all maximums", Hyperparameters{LearningRate: 1e-3, BatchSize: 64, Epochs: 20, Rank: 128, Alpha: 1000, Dropout: 0.999}},
		{"lr a hair under the minimum", Hyperparameters{LearningRate: 1e-5 * (1 - 1e-12), BatchSize: 1, Epochs: 1, Rank: 4, Alpha: 8}},
		{"lr a hair over the maximum", Hyperparameters{LearningRate: 0.1 / 100 * (1 + 1e-12), BatchSize: 1, Epochs: 1, Rank: 4, Alpha: 8}},
	}
	for _, tt := range tests {
		if err := tt.h.Validate(); err != nil {
			t.Errorf("%s: Validate() = %v, want nil", tt.name, err)
		}
	}
}

func TestHyperparametersValidateCollectsAll(t *testing.T) {
	h := Hyperparameters{LearningRate: 1, BatchSize: 100, Epochs: 0, Rank: 2, Alpha: 0, Dropout: 2}
	err := h.Validate()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Validate() = %v, want *ValidationError", err)
	}
	wantFields := []string{"learning_rate", "batch_size", "epochs", "rank", "alpha", "dropout"}
	if len(ve.Errors) != len(wantFields) {
		t.Fatalf("got %d errors, want %d: %v", len(ve.Errors), len(wantFields), err)
	}
	for i, f := range wantFields {
		if ve.Errors[i].Field != f {
			t.Errorf("Errors[%d].Field = %q, want %q", i, ve.Errors[i].Field, f)
		}
	}
	want := "learning_rate 1 is out of range: must be between 0.00001 and 0.001; batch_size 100 is out of range: must be between 1 and 64; " +
		"epochs 0 is out of range: must be between 1 and 20; rank 2 is out of range: must be between 4 and 128; " +
		"alpha 0 is out of range: must be between 1 and 1024; dropout 2 is out of range: must be at least 0 and less than 1"
	if err.Error() != want {
		t.Errorf("Error() =\n%s\nwant\n%s", err, want)
	}
}

func TestGPUConfigValidate(t *testing.T) {
	c := testCatalog(t)
	tests := []struct {
		name string
		g    GPUConfig
		want string // "" means valid
	}{
		{"valid", GPUConfig{Type: "A100-80GB", Count: 2}, ""},
		{"case-insensitive type", GPUConfig{Type: "h100", Count: 8}, ""},
		{"count zero", GPUConfig{Type: "H100", Count: 0}, "gpu_count 0 is out of range: must be between 1 and 8"},
		{"count nine", GPUConfig{Type: "H100", Count: 9}, "gpu_count 9 is out of range: must be between 1 and 8"},
		{"unknown type", GPUConfig{Type: "B200", Count: 1}, `gpu_type "B200" is not a known GPU type: known types are A100-80GB, A100-40GB, H100, V100-32GB`},
		{"both", GPUConfig{Type: "", Count: -1}, `gpu_type "" is not a known GPU type: known types are A100-80GB, A100-40GB, H100, V100-32GB; gpu_count -1 is out of range: must be between 1 and 8`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.g.Validate(c)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || err.Error() != tt.want {
				t.Errorf("Validate() = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestPresetApply(t *testing.T) {
	balanced, err := PresetByKey("balanced")
	if err != nil {
		t.Fatal(err)
	}
	f := func(v float64) *float64 { return &v }
	i := func(v int) *int { return &v }
	tests := []struct {
		name string
		o    HyperOverrides
		want Hyperparameters
	}{
		{"no overrides", HyperOverrides{}, validHP},
		{"alpha follows rank", HyperOverrides{Rank: i(64)},
			Hyperparameters{LearningRate: 5e-5, BatchSize: 4, Epochs: 3, Rank: 64, Alpha: 128, Dropout: 0.05}},
		{"explicit alpha wins over rank", HyperOverrides{Rank: i(64), Alpha: i(10)},
			Hyperparameters{LearningRate: 5e-5, BatchSize: 4, Epochs: 3, Rank: 64, Alpha: 10, Dropout: 0.05}},
		{"explicit zero dropout", HyperOverrides{Dropout: f(0)},
			Hyperparameters{LearningRate: 5e-5, BatchSize: 4, Epochs: 3, Rank: 16, Alpha: 32, Dropout: 0}},
		{"everything", HyperOverrides{LearningRate: f(2e-4), BatchSize: i(16), Epochs: i(10), Rank: i(4), Alpha: i(4), Dropout: f(0.1)},
			Hyperparameters{LearningRate: 2e-4, BatchSize: 16, Epochs: 10, Rank: 4, Alpha: 4, Dropout: 0.1}},
	}
	for _, tt := range tests {
		if got := balanced.Apply(tt.o); got != tt.want {
			t.Errorf("%s: Apply = %+v, want %+v", tt.name, got, tt.want)
		}
	}
	// Apply must not touch the preset table.
	if again, _ := PresetByKey("balanced"); again.Hyperparameters != validHP {
		t.Errorf("preset table changed: %+v", again.Hyperparameters)
	}
}
