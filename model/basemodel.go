package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode"

	"github.com/google/uuid"
)

// BaseModel is one entry of the model catalog: an open model a job can put
// its LoRA adapter on, with what training it needs.
type BaseModel struct {
	ID            string  `json:"id"`   // a Hugging Face id or a local path, as the trainer loads it
	Name          string  `json:"name"` // display name
	ParametersB   float64 `json:"parameters_b"`
	ContextLength int     `json:"context_length"` // tokens
	// MinGPUMemoryGB is what LoRA training in bf16 needs on each GPU at
	// batch size 1: data parallelism keeps a whole copy of the model on
	// every GPU, so more GPUs do not lower it.
	MinGPUMemoryGB int    `json:"min_gpu_memory_gb"`
	License        string `json:"license"`
	Default        bool   `json:"default"`
}

// ModelCatalog is the list of base models jobs can train. Like the GPU
// catalog it is data: an embedded default an operator may replace.
type ModelCatalog struct {
	Models []BaseModel `json:"models"`
}

// Bounds of a model catalog entry. The largest open models have a few
// hundred billion parameters; the bounds catch typos (a count in units
// instead of billions), not real models.
const (
	maxModelIDLen      = 200
	maxModelParamsB    = 10000
	maxModelContext    = 1 << 24
	maxModelGPUMemory  = 100000
	maxModelLicenseLen = 80
)

// ParseModelCatalog decodes and checks a model catalog document
// {"models":[...]}, as strictly as ParseCatalog: unknown fields, trailing
// data, an empty list, duplicate ids (ignoring case, as the hub does), empty
// or oversized text, control characters, numbers out of range, and any
// number of defaults but one are errors naming the entry and the field. An
// entry without a name gets its id as name.
func ParseModelCatalog(data []byte) (ModelCatalog, error) {
	var doc struct {
		Models []json.RawMessage `json:"models"`
	}
	if err := decodeStrict(data, &doc); err != nil {
		return ModelCatalog{}, fmt.Errorf("model catalog: %w", err)
	}
	if path, key, dup := DuplicateKey(data); dup {
		return ModelCatalog{}, fmt.Errorf("model catalog: %s: duplicate key %q", path, key)
	}
	if len(doc.Models) == 0 {
		return ModelCatalog{}, errors.New(`model catalog: "models" must list at least one model`)
	}
	c := ModelCatalog{Models: make([]BaseModel, 0, len(doc.Models))}
	seen := make(map[string]int, len(doc.Models))
	def := -1
	for i, raw := range doc.Models {
		var m BaseModel
		if err := decodeStrict(raw, &m); err != nil {
			return ModelCatalog{}, fmt.Errorf("model catalog: %s: %w", modelLabel(i, peekModelID(raw)), err)
		}
		if err := checkBaseModel(m); err != nil {
			return ModelCatalog{}, fmt.Errorf("model catalog: %s: %w", modelLabel(i, m.ID), err)
		}
		key := strings.ToLower(m.ID)
		if first, dup := seen[key]; dup {
			return ModelCatalog{}, fmt.Errorf("model catalog: %s: id duplicates models[%d] (ids are matched ignoring case)", modelLabel(i, m.ID), first)
		}
		seen[key] = i
		if m.Default {
			if def >= 0 {
				return ModelCatalog{}, fmt.Errorf("model catalog: %s: default: models[%d] is the default already; mark exactly one", modelLabel(i, m.ID), def)
			}
			def = i
		}
		if m.Name == "" {
			m.Name = m.ID
		}
		c.Models = append(c.Models, m)
	}
	if def < 0 {
		return ModelCatalog{}, errors.New(`model catalog: no model is marked "default": true; mark exactly one`)
	}
	return c, nil
}

// checkBaseModel applies the per-entry rules of ParseModelCatalog.
func checkBaseModel(m BaseModel) error {
	switch {
	case strings.TrimSpace(m.ID) == "":
		return errors.New("id must not be empty")
	case strings.TrimSpace(m.ID) != m.ID:
		return errors.New("id must not have leading or trailing spaces")
	case strings.IndexFunc(m.ID+m.Name+m.License, unicode.IsControl) >= 0:
		// Printed on terminals, typed as flag values, passed in the environment.
		return errors.New("id, name and license must not hold control characters")
	case len([]rune(m.ID)) > maxModelIDLen:
		return fmt.Errorf("id must be at most %d characters", maxModelIDLen)
	case len([]rune(m.Name)) > 80:
		return errors.New("name must be at most 80 characters")
	case strings.TrimSpace(m.License) == "":
		return errors.New("license must not be empty (the model's license, e.g. Apache-2.0)")
	case len([]rune(m.License)) > maxModelLicenseLen:
		return fmt.Errorf("license must be at most %d characters", maxModelLicenseLen)
	case !(m.ParametersB > 0) || m.ParametersB > maxModelParamsB:
		return fmt.Errorf("parameters_b must be greater than 0 and at most %d (billions), got %s", maxModelParamsB, formatFloat(m.ParametersB))
	case m.ContextLength < 1 || m.ContextLength > maxModelContext:
		return fmt.Errorf("context_length must be between 1 and %d tokens, got %d", maxModelContext, m.ContextLength)
	case m.MinGPUMemoryGB < 1 || m.MinGPUMemoryGB > maxModelGPUMemory:
		return fmt.Errorf("min_gpu_memory_gb must be between 1 and %d, got %d", maxModelGPUMemory, m.MinGPUMemoryGB)
	}
	return nil
}

// peekModelID extracts an entry's id for error messages when the entry as
// a whole fails to decode.
func peekModelID(raw json.RawMessage) string {
	var t struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(raw, &t)
	return t.ID
}

func modelLabel(i int, id string) string {
	return fmt.Sprintf("models[%d] (id %q)", i, id)
}

// Default is the model a job trains when none is chosen. A parsed catalog
// always has one.
func (c ModelCatalog) Default() BaseModel {
	for _, m := range c.Models {
		if m.Default {
			return m
		}
	}
	if len(c.Models) > 0 {
		return c.Models[0]
	}
	return BaseModel{}
}

// UnknownModelError is a base model id the catalog does not list.
type UnknownModelError struct {
	ID    string
	Known []string
}

func (e *UnknownModelError) Error() string {
	return fmt.Sprintf("unknown base model %q: `brightrun models` lists them (%s)", e.ID, strings.Join(e.Known, ", "))
}

// Lookup finds a model by id: exactly, then ignoring case. "" is the
// default model. Anything else is an *UnknownModelError listing the ids.
func (c ModelCatalog) Lookup(id string) (BaseModel, error) {
	if id == "" {
		return c.Default(), nil
	}
	for _, m := range c.Models {
		if m.ID == id {
			return m, nil
		}
	}
	for _, m := range c.Models {
		if strings.EqualFold(m.ID, id) {
			return m, nil
		}
	}
	known := make([]string, len(c.Models))
	for i, m := range c.Models {
		known[i] = m.ID
	}
	return BaseModel{}, &UnknownModelError{ID: id, Known: known}
}

// ModelFitError says a base model cannot be trained on the chosen GPUs.
type ModelFitError struct {
	Model BaseModel
	GPU   GPU
}

func (e *ModelFitError) Error() string {
	return fmt.Sprintf("base model %s needs %d GB of GPU memory on each GPU for LoRA training, and %s has %d GB: choose a GPU with at least %d GB or a smaller model",
		e.Model.ID, e.Model.MinGPUMemoryGB, e.GPU.Type, e.GPU.MemoryGB, e.Model.MinGPUMemoryGB)
}

// CheckModelFits refuses a model whose memory need is above the GPU's
// memory (a *ModelFitError). Each GPU holds a whole copy of the model, so
// the GPU count does not matter. A GPU whose memory the catalog does not
// give (0) is not refused: nothing is known to refuse it on.
func CheckModelFits(m BaseModel, g GPU) error {
	if g.MemoryGB > 0 && m.MinGPUMemoryGB > g.MemoryGB {
		return &ModelFitError{Model: m, GPU: g}
	}
	return nil
}

// ModelFitText is the one-line verdict the faces show beside a model and a
// GPU: "fits (19 of 80 GB)", "unknown memory", or the refusal.
func ModelFitText(m BaseModel, g GPU) string {
	switch {
	case g.MemoryGB <= 0:
		return fmt.Sprintf("needs %d GB; %s's memory is unknown", m.MinGPUMemoryGB, g.Type)
	case m.MinGPUMemoryGB > g.MemoryGB:
		return fmt.Sprintf("does not fit: needs %d GB, %s has %d GB", m.MinGPUMemoryGB, g.Type, g.MemoryGB)
	}
	return fmt.Sprintf("fits: needs %d of %d GB", m.MinGPUMemoryGB, g.MemoryGB)
}

// SizeText renders a parameter count: "0.49B", "7.6B", "71B".
func (m BaseModel) SizeText() string {
	p := m.ParametersB
	switch {
	case p < 1:
		return fmt.Sprintf("%.2gB", p)
	case p < 10:
		return fmt.Sprintf("%.1fB", p)
	}
	return fmt.Sprintf("%.0fB", math.Round(p))
}

// Eval fraction bounds: the share of a dataset a job holds out for
// validation when it names no validation dataset. nil on a job means the
// trainer's default (DefaultEvalFraction); 0 means no validation.
const (
	MinEvalFraction     = 0
	MaxEvalFraction     = 0.5
	DefaultEvalFraction = 0.1
)

// CheckEvalFraction refuses a fraction outside 0–0.5 (NaN included).
func CheckEvalFraction(f float64) error {
	if !(f >= MinEvalFraction && f <= MaxEvalFraction) {
		return fmt.Errorf("eval_fraction %s is out of range: must be between %g and %g", formatFloat(f), float64(MinEvalFraction), MaxEvalFraction)
	}
	return nil
}

// ValidationDatasetError says why a dataset cannot be a job's validation
// dataset: a negative answer, like NotTrainableError.
type ValidationDatasetError struct {
	DatasetID   uuid.UUID
	DatasetName string
	Reason      string
}

func (e *ValidationDatasetError) Error() string {
	if e.DatasetName == "" {
		return fmt.Sprintf("validation dataset %s cannot be used: %s", e.DatasetID, e.Reason)
	}
	return fmt.Sprintf("validation dataset %q (%s) cannot be used: %s", e.DatasetName, e.DatasetID, e.Reason)
}
