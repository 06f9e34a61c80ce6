package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// GPU is one catalog entry: a rentable GPU type with its price and the
// training throughput the estimate assumes for it.
type GPU struct {
	Type         string  `json:"type"`           // identifier users type, e.g. "A100-80GB"
	Name         string  `json:"name"`           // display name, e.g. "NVIDIA A100 80GB"
	HourlyRate   float64 `json:"hourly_rate"`    // dollars per GPU per hour
	TokensPerSec float64 `json:"tokens_per_sec"` // training throughput per GPU
	MemoryGB     int     `json:"memory_gb"`
}

// Catalog is the list of GPUs jobs can run on. It is data (an embedded default
// that the operator may replace with a file), not constants, so prices can
// change without a release.
type Catalog struct {
	GPUs []GPU `json:"gpus"`
}

// ParseCatalog decodes and checks a catalog document {"gpus":[...]}. It is
// strict (unknown fields, trailing data, empty list, duplicate types, empty
// types, non-positive rate or throughput are errors) because a typo in an
// operator's price file should stop the program, not silently price jobs at
// zero. Errors name the entry by index and type, and the field. An entry
// without a name gets its type as name.
func ParseCatalog(data []byte) (Catalog, error) {
	var doc struct {
		GPUs []json.RawMessage `json:"gpus"`
	}
	if err := decodeStrict(data, &doc); err != nil {
		return Catalog{}, fmt.Errorf("gpu catalog: %w", err)
	}
	if len(doc.GPUs) == 0 {
		return Catalog{}, errors.New(`gpu catalog: "gpus" must list at least one GPU`)
	}
	c := Catalog{GPUs: make([]GPU, 0, len(doc.GPUs))}
	seen := make(map[string]int, len(doc.GPUs))
	for i, raw := range doc.GPUs {
		var g GPU
		if err := decodeStrict(raw, &g); err != nil {
			return Catalog{}, fmt.Errorf("gpu catalog: %s: %w", entryLabel(i, peekType(raw)), err)
		}
		if err := checkGPU(g); err != nil {
			return Catalog{}, fmt.Errorf("gpu catalog: %s: %w", entryLabel(i, g.Type), err)
		}
		key := strings.ToLower(g.Type)
		if first, dup := seen[key]; dup {
			return Catalog{}, fmt.Errorf("gpu catalog: %s: type duplicates gpus[%d] (types are matched ignoring case)", entryLabel(i, g.Type), first)
		}
		seen[key] = i
		if g.Name == "" {
			g.Name = g.Type
		}
		c.GPUs = append(c.GPUs, g)
	}
	return c, nil
}

// checkGPU applies the per-entry rules of ParseCatalog.
func checkGPU(g GPU) error {
	switch {
	case strings.TrimSpace(g.Type) == "":
		return errors.New("type must not be empty")
	case strings.TrimSpace(g.Type) != g.Type:
		return errors.New("type must not have leading or trailing spaces")
	case strings.IndexFunc(g.Type+g.Name, unicode.IsControl) >= 0:
		// Types and names are printed on terminals and typed as flag values.
		return errors.New("type and name must not hold control characters")
	case len([]rune(g.Type)) > 40 || len([]rune(g.Name)) > 80:
		return errors.New("type must be at most 40 characters and name at most 80")
	case !(g.HourlyRate > 0):
		return fmt.Errorf("hourly_rate must be greater than 0, got %s", formatFloat(g.HourlyRate))
	case !(g.TokensPerSec > 0):
		return fmt.Errorf("tokens_per_sec must be greater than 0, got %s", formatFloat(g.TokensPerSec))
	case g.MemoryGB < 0:
		return fmt.Errorf("memory_gb must not be negative, got %d", g.MemoryGB)
	}
	return nil
}

// decodeStrict decodes one JSON value, refusing unknown fields and anything
// after the value.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("empty document")
		}
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

// peekType extracts an entry's type for error messages when the entry as a
// whole fails to decode; it returns "" when even that is impossible.
func peekType(raw json.RawMessage) string {
	var t struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(raw, &t)
	return t.Type
}

func entryLabel(i int, gpuType string) string {
	return fmt.Sprintf("gpus[%d] (type %q)", i, gpuType)
}

// Lookup finds a GPU by type: an exact match first, then one ignoring case, so
// "h100" works on the command line. The error lists the known types.
func (c Catalog) Lookup(gpuType string) (GPU, error) {
	if g, ok := c.find(gpuType); ok {
		return g, nil
	}
	return GPU{}, fmt.Errorf("unknown GPU type %q: known types are %s", gpuType, c.typeList())
}

// find is Lookup without the error, so hot paths do not format messages.
func (c Catalog) find(gpuType string) (GPU, bool) {
	for _, g := range c.GPUs {
		if g.Type == gpuType {
			return g, true
		}
	}
	for _, g := range c.GPUs {
		if strings.EqualFold(g.Type, gpuType) {
			return g, true
		}
	}
	return GPU{}, false
}

// Types returns the catalog's GPU types in catalog order.
func (c Catalog) Types() []string {
	types := make([]string, len(c.GPUs))
	for i, g := range c.GPUs {
		types[i] = g.Type
	}
	return types
}

func (c Catalog) typeList() string {
	if len(c.GPUs) == 0 {
		return "(none: the catalog is empty)"
	}
	return strings.Join(c.Types(), ", ")
}
