package engine_test

import (
	"testing"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
)

// TestCloneRequestCarriesModelAndValidation: a clone trains the source's
// model with the source's validation unless the options change them; a
// new eval fraction replaces a validation dataset and the other way round.
func TestCloneRequestCarriesModelAndValidation(t *testing.T) {
	frac, other := 0.2, 0.3
	val, val2 := uuid.New(), uuid.New()
	src := model.Job{ID: uuid.New(), Name: "a", BaseModel: "Qwen/Qwen2.5-7B-Instruct", ValidationDatasetID: &val,
		GPUConfig: model.GPUConfig{Type: "H100", Count: 1}}
	split := src
	split.ValidationDatasetID, split.EvalFraction = nil, &frac
	for _, tc := range []struct {
		name    string
		src     model.Job
		o       engine.CloneOptions
		model   string
		frac    *float64
		dataset *uuid.UUID
	}{
		{"kept", src, engine.CloneOptions{}, "Qwen/Qwen2.5-7B-Instruct", nil, &val},
		{"other model", src, engine.CloneOptions{BaseModel: "meta-llama/Llama-3.1-8B-Instruct"}, "meta-llama/Llama-3.1-8B-Instruct", nil, &val},
		{"split instead", src, engine.CloneOptions{EvalFraction: &other}, "Qwen/Qwen2.5-7B-Instruct", &other, nil},
		{"fraction kept", split, engine.CloneOptions{}, "Qwen/Qwen2.5-7B-Instruct", &frac, nil},
		{"dataset instead", split, engine.CloneOptions{ValidationDatasetID: &val2}, "Qwen/Qwen2.5-7B-Instruct", nil, &val2},
	} {
		req := engine.CloneRequest(tc.src, tc.o)
		if req.BaseModel != tc.model || !samePtr(req.EvalFraction, tc.frac) || !samePtr(req.ValidationDatasetID, tc.dataset) {
			t.Errorf("%s: model %q, fraction %v, dataset %v", tc.name, req.BaseModel, req.EvalFraction, req.ValidationDatasetID)
		}
	}
}

func samePtr[T comparable](a, b *T) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}
