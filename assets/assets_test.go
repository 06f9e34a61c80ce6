package assets_test

import (
	"math"
	"testing"

	"brightrun/assets"
	"brightrun/model"
)

// TestGPUCatalogParses guards the embedded default catalog: it must pass the
// strict parser and carry the four GPUs of docs/formats.md#cost-estimate with their prices.
func TestGPUCatalogParses(t *testing.T) {
	c, err := model.ParseCatalog(assets.GPUCatalog)
	if err != nil {
		t.Fatalf("embedded gpus.json does not parse: %v", err)
	}
	want := []model.GPU{
		{Type: "A100-80GB", Name: "NVIDIA A100 80GB", HourlyRate: 3.50, TokensPerSec: 1800, MemoryGB: 80},
		{Type: "A100-40GB", Name: "NVIDIA A100 40GB", HourlyRate: 2.80, TokensPerSec: 1500, MemoryGB: 40},
		{Type: "H100", Name: "NVIDIA H100 80GB", HourlyRate: 4.20, TokensPerSec: 2200, MemoryGB: 80},
		{Type: "V100-32GB", Name: "NVIDIA V100 32GB", HourlyRate: 2.10, TokensPerSec: 1200, MemoryGB: 32},
	}
	if len(c.GPUs) != len(want) {
		t.Fatalf("got %d GPUs, want %d: %v", len(c.GPUs), len(want), c.Types())
	}
	for i, w := range want {
		if c.GPUs[i] != w {
			t.Errorf("gpus[%d] = %+v, want %+v", i, c.GPUs[i], w)
		}
	}
}

// TestModelCatalogParses guards the embedded model catalog: it passes the
// strict parser, has one default that fits every GPU of the embedded GPU
// catalog, and each memory need follows the documented rule
// (ceil(2.2 GB × billions of parameters + 2 GB)).
func TestModelCatalogParses(t *testing.T) {
	c, err := model.ParseModelCatalog(assets.ModelCatalog)
	if err != nil {
		t.Fatalf("embedded models.json does not parse: %v", err)
	}
	gpus, err := model.ParseCatalog(assets.GPUCatalog)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Models) < 5 {
		t.Errorf("only %d models", len(c.Models))
	}
	def := c.Default()
	for _, g := range gpus.GPUs {
		if err := model.CheckModelFits(def, g); err != nil {
			t.Errorf("the default model must fit every GPU: %v", err)
		}
	}
	for _, m := range c.Models {
		if want := int(math.Ceil(2.2*m.ParametersB + 2)); m.MinGPUMemoryGB != want {
			t.Errorf("%s: min_gpu_memory_gb %d, the rule gives %d", m.ID, m.MinGPUMemoryGB, want)
		}
	}
}
