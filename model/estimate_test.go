package model

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// TestEstimateWorkedExample is docs/formats.md#cost-estimate's worked example, to the cent.
func TestEstimateWorkedExample(t *testing.T) {
	c := testCatalog(t)
	h := validHP // balanced: batch 4, 3 epochs
	got, err := c.Estimate(EstimateInput{
		Pairs: 1000, Tokens: 13_268_572,
		GPU:             GPUConfig{Type: "a100-80gb", Count: 2},
		Hyperparameters: h,
		DatasetName:     "support-v1",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := Estimate{
		EstimatedCost:          25.50,
		CostBreakdown:          CostBreakdown{Compute: 25.00, Storage: 0.50},
		EstimatedDurationHours: 3.57,
		HourlyRate:             7.00,
		TrainingDetails: TrainingDetails{
			TotalSteps: 750, StepsPerEpoch: 250,
			EstimatedThroughputTokensPerSec: 3600, DatasetName: "support-v1",
		},
		GPUConfig:       GPUConfig{Type: "A100-80GB", Count: 2},
		Hyperparameters: h,
	}
	if got != want {
		t.Errorf("Estimate =\n%+v\nwant\n%+v", got, want)
	}
}

func TestEstimateJSONKeys(t *testing.T) {
	c := testCatalog(t)
	e, err := c.Estimate(EstimateInput{Pairs: 10, Tokens: 1000, GPU: GPUConfig{Type: "H100", Count: 1}, Hyperparameters: validHP})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	// 1000 tokens train in well under a second; the 30 min overhead
	// (600 + 3×300 + 300 s) dominates: 0.5 h × $4.20 = $2.10.
	want := `{"estimated_cost":2.6,"cost_breakdown":{"compute":2.1,"storage":0.5},"estimated_duration_hours":0.5,"hourly_rate":4.2,` +
		`"training_details":{"total_steps":9,"steps_per_epoch":3,"estimated_throughput_tokens_per_sec":2200},` +
		`"gpu_config":{"type":"H100","count":1},` +
		`"hyperparameters":{"learning_rate":0.00005,"batch_size":4,"epochs":3,"rank":16,"alpha":32,"dropout":0.05}}`
	if string(b) != want {
		t.Errorf("JSON =\n%s\nwant\n%s", b, want)
	}
}

func TestEstimateRounding(t *testing.T) {
	c := testCatalog(t)
	tests := []struct {
		name      string
		in        EstimateInput
		wantRate  float64
		wantSteps int
	}{
		// 2.80 × 3 is 8.399999… in floating point; the rate must print as 8.4.
		{"rate rounded to cents", EstimateInput{Pairs: 7, Tokens: 1, GPU: GPUConfig{Type: "A100-40GB", Count: 3}, Hyperparameters: validHP}, 8.4, 6},
		{"steps round up", EstimateInput{Pairs: 9, Tokens: 1, GPU: GPUConfig{Type: "V100-32GB", Count: 1}, Hyperparameters: validHP}, 2.1, 9},
	}
	for _, tt := range tests {
		e, err := c.Estimate(tt.in)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if e.HourlyRate != tt.wantRate || e.TrainingDetails.TotalSteps != tt.wantSteps {
			t.Errorf("%s: rate %v steps %d, want %v and %d", tt.name, e.HourlyRate, e.TrainingDetails.TotalSteps, tt.wantRate, tt.wantSteps)
		}
		if e.EstimatedCost != roundCents(e.CostBreakdown.Compute+e.CostBreakdown.Storage) {
			t.Errorf("%s: total %v is not compute %v + storage %v", tt.name, e.EstimatedCost, e.CostBreakdown.Compute, e.CostBreakdown.Storage)
		}
	}
}

func TestEstimateValidation(t *testing.T) {
	c := testCatalog(t)
	bad := validHP
	bad.BatchSize = 65
	in := EstimateInput{Pairs: 0, Tokens: -5, GPU: GPUConfig{Type: "B200", Count: 9}, Hyperparameters: bad}
	_, err := c.Estimate(in)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Estimate error = %v, want *ValidationError", err)
	}
	var fields []string
	for _, fe := range ve.Errors {
		fields = append(fields, fe.Field)
	}
	if got := strings.Join(fields, ","); got != "pairs,tokens,batch_size,gpu_type,gpu_count" {
		t.Errorf("fields = %s", got)
	}
	for _, want := range []string{"pairs 0 is out of range: must be between 1 and 1000000000", "tokens -5 is out of range: must be between 1 and 1000000000000"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

func TestCompare(t *testing.T) {
	c := testCatalog(t)
	rank := 64
	got, err := c.Compare(1000, 13_268_572, 2, HyperOverrides{Rank: &rank})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 12 {
		t.Fatalf("Compare returned %d estimates, want 3 presets × 4 GPUs = 12", len(got))
	}
	presetKeys := []string{"fast", "balanced", "quality"}
	gpuTypes := c.Types()
	for i, e := range got {
		wantPreset, wantGPU := presetKeys[i/4], gpuTypes[i%4]
		if e.Preset != wantPreset || e.GPUConfig.Type != wantGPU || e.GPUConfig.Count != 2 {
			t.Errorf("[%d] = %s on %d × %s, want %s on 2 × %s", i, e.Preset, e.GPUConfig.Count, e.GPUConfig.Type, wantPreset, wantGPU)
		}
		if e.Hyperparameters.Rank != 64 || e.Hyperparameters.Alpha != 128 {
			t.Errorf("[%d] override not applied: %+v", i, e.Hyperparameters)
		}
	}
	// balanced on A100-80GB is the worked example (rank does not change cost).
	if got[4].EstimatedCost != 25.50 {
		t.Errorf("balanced/A100-80GB cost = %v, want 25.50", got[4].EstimatedCost)
	}
}

func TestCompareErrors(t *testing.T) {
	c := testCatalog(t)
	bigBatch := 100
	tests := []struct {
		name string
		c    Catalog
		run  func(Catalog) error
		want string
	}{
		{"bad override", c, func(c Catalog) error {
			_, err := c.Compare(10, 100, 1, HyperOverrides{BatchSize: &bigBatch})
			return err
		}, "preset fast on A100-80GB: batch_size 100 is out of range: must be between 1 and 64"},
		{"bad gpu count", c, func(c Catalog) error { _, err := c.Compare(10, 100, 0, HyperOverrides{}); return err },
			"preset fast on A100-80GB: gpu_count 0 is out of range: must be between 1 and 8"},
		{"empty catalog", Catalog{}, func(c Catalog) error { _, err := c.Compare(10, 100, 1, HyperOverrides{}); return err },
			"compare: the GPU catalog is empty"},
	}
	for _, tt := range tests {
		err := tt.run(tt.c)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: error = %v, want %q", tt.name, err, tt.want)
		}
		var ve *ValidationError
		if tt.name != "empty catalog" && !errors.As(err, &ve) {
			t.Errorf("%s: error does not wrap *ValidationError", tt.name)
		}
	}
}
