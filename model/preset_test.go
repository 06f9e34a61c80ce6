package model

import (
	"strings"
	"testing"
)

func TestPresets(t *testing.T) {
	want := []Preset{
		{Key: "fast", Name: "Fast", Description: "Quick iteration",
			Hyperparameters: Hyperparameters{LearningRate: 1e-4, BatchSize: 8, Epochs: 1, Rank: 8, Alpha: 16, Dropout: 0.05}},
		{Key: "balanced", Name: "Balanced", Description: "Recommended balance",
			Hyperparameters: Hyperparameters{LearningRate: 5e-5, BatchSize: 4, Epochs: 3, Rank: 16, Alpha: 32, Dropout: 0.05}},
		{Key: "quality", Name: "Quality", Description: "Production models",
			Hyperparameters: Hyperparameters{LearningRate: 3e-5, BatchSize: 2, Epochs: 5, Rank: 32, Alpha: 64, Dropout: 0.05}},
	}
	got := Presets()
	if len(got) != len(want) {
		t.Fatalf("Presets() has %d entries, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Presets()[%d] = %+v, want %+v", i, got[i], want[i])
		}
		if err := got[i].Hyperparameters.Validate(); err != nil {
			t.Errorf("preset %s is invalid: %v", got[i].Key, err)
		}
	}
	got[0].Key = "mutated"
	if Presets()[0].Key != "fast" {
		t.Error("Presets returned the package's own slice")
	}
	if _, err := PresetByKey(DefaultPreset); err != nil {
		t.Errorf("DefaultPreset %q is not a preset: %v", DefaultPreset, err)
	}
}

func TestPresetByKey(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{"fast", "fast", false},
		{"Balanced", "balanced", false},
		{" QUALITY ", "quality", false},
		{"turbo", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		p, err := PresetByKey(tt.in)
		if (err != nil) != tt.wantErr || p.Key != tt.want {
			t.Errorf("PresetByKey(%q) = %q, %v; want %q, err %v", tt.in, p.Key, err, tt.want, tt.wantErr)
		}
		if err != nil && !strings.Contains(err.Error(), "valid presets are fast, balanced, quality") {
			t.Errorf("PresetByKey(%q) error does not list keys: %v", tt.in, err)
		}
	}
}
