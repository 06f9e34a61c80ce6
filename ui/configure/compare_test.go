package configure

import (
	"strings"
	"testing"
)

func TestComparisonPickLoadsRow(t *testing.T) {
	m, _ := newScreen(t, 120, 40)
	goTo(m, fDataset)
	press(m, "c")
	if len(m.cmp.rows) != 12 || m.InputFocused() {
		t.Fatalf("%d rows, focused %v", len(m.cmp.rows), m.InputFocused())
	}
	v := plain(m)
	if !strings.Contains(v, "★ │ fast     │ V100-32GB") || !strings.Contains(v, "» │ fast     │ H100") {
		t.Errorf("cheapest or fastest not marked:\n%s", v)
	}
	if cur := m.cmp.rows[m.cmp.cursor]; cur.Preset != "balanced" || cur.GPUConfig.Type != "A100-80GB" {
		t.Errorf("cursor starts on %s/%s, want the form's", cur.Preset, cur.GPUConfig.Type)
	}
	press(m, "s") // by cost: the cheapest first
	if !strings.Contains(plain(m), "Cost ▲") || m.cmp.rows[0].EstimatedCost != 7.65 {
		t.Errorf("not sorted by cost:\n%s", plain(m))
	}
	press(m, "S")
	if !strings.Contains(plain(m), "Cost ▼") || m.cmp.rows[len(m.cmp.rows)-1].EstimatedCost != 7.65 {
		t.Error("not reversed")
	}
	press(m, "S", "s") // by time, fastest first
	if m.cmp.rows[0].GPUConfig.Type != "H100" || m.cmp.rows[0].Preset != "fast" {
		t.Errorf("by time starts with %s/%s", m.cmp.rows[0].Preset, m.cmp.rows[0].GPUConfig.Type)
	}
	press(m, "s", "s", "s") // back to as computed, then by cost
	press(m, "enter")
	if m.mode != modeForm || m.currentPreset().Key != "fast" || m.gpu.Value() != "V100-32GB" || m.gpuCount() != 1 {
		t.Errorf("picked row not loaded: %s %s %d", m.currentPreset().Key, m.gpu.Value(), m.gpuCount())
	}
	if m.result.EstimatedCost != 7.65 || m.custom {
		t.Errorf("form prices %v", m.result.EstimatedCost)
	}
}

func TestComparisonAllCounts(t *testing.T) {
	m, _ := newScreen(t, 120, 40)
	goTo(m, fDataset)
	press(m, "c", "a")
	if len(m.cmp.rows) != 96 {
		t.Fatalf("%d rows at every count, want 3 presets × 4 GPUs × 8", len(m.cmp.rows))
	}
	press(m, "s", "G")
	last := m.cmp.rows[len(m.cmp.rows)-1]
	if !strings.Contains(plain(m), "quality") || m.cmp.cursor != 95 {
		t.Errorf("cursor %d at the end", m.cmp.cursor)
	}
	press(m, "enter")
	if m.gpuCount() != last.GPUConfig.Count || m.gpu.Value() != last.GPUConfig.Type {
		t.Errorf("count %d type %s, want %d %s", m.gpuCount(), m.gpu.Value(), last.GPUConfig.Count, last.GPUConfig.Type)
	}
}

func TestComparisonWithCustomValues(t *testing.T) {
	m, _ := newScreen(t, 120, 40)
	typeInto(m, fEpochs, "2")
	press(m, "c")
	if len(m.cmp.rows) != 16 {
		t.Fatalf("%d rows, want 12 presets and 4 custom", len(m.cmp.rows))
	}
	cur := m.cmp.rows[m.cmp.cursor]
	if cur.Preset != "custom" || cur.Hyperparameters.Epochs != 2 {
		t.Errorf("cursor on %s", cur.Preset)
	}
	press(m, "down", "enter") // custom on A100-40GB keeps the values
	if !m.custom || m.hyper.Epochs != 2 || m.gpu.Value() != "A100-40GB" {
		t.Errorf("custom row lost the values: %+v on %s", m.hyper, m.gpu.Value())
	}
}
