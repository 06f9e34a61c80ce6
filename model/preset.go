package model

import (
	"fmt"
	"strings"
)

// DefaultPreset is the preset used when none is chosen, as on the seed app's
// configure page.
const DefaultPreset = "balanced"

// Preset is a named set of hyperparameters offered to users who do not want
// to tune each value.
type Preset struct {
	Key             string // stable identifier used by --preset
	Name            string // display name
	Description     string // one-line hint shown next to the name
	Hyperparameters Hyperparameters
}

// presets are the seed app's three presets (docs/formats.md#cost-estimate), in display order.
var presets = []Preset{
	{
		Key: "fast", Name: "Fast", Description: "Quick iteration",
		Hyperparameters: Hyperparameters{LearningRate: 1e-4, BatchSize: 8, Epochs: 1, Rank: 8, Alpha: 16, Dropout: DefaultDropout},
	},
	{
		Key: "balanced", Name: "Balanced", Description: "Recommended balance",
		Hyperparameters: Hyperparameters{LearningRate: 5e-5, BatchSize: 4, Epochs: 3, Rank: 16, Alpha: 32, Dropout: DefaultDropout},
	},
	{
		Key: "quality", Name: "Quality", Description: "Production models",
		Hyperparameters: Hyperparameters{LearningRate: 3e-5, BatchSize: 2, Epochs: 5, Rank: 32, Alpha: 64, Dropout: DefaultDropout},
	},
}

// Presets returns fast, balanced and quality in that order. The slice is a
// copy, so callers may modify it.
func Presets() []Preset {
	return append([]Preset(nil), presets...)
}

// PresetByKey finds a preset by key, ignoring case and surrounding spaces.
func PresetByKey(key string) (Preset, error) {
	k := strings.TrimSpace(key)
	for _, p := range presets {
		if strings.EqualFold(p.Key, k) {
			return p, nil
		}
	}
	keys := make([]string, len(presets))
	for i, p := range presets {
		keys[i] = p.Key
	}
	return Preset{}, fmt.Errorf("unknown preset %q: valid presets are %s", key, strings.Join(keys, ", "))
}
