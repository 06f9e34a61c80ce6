package estimate

import (
	"errors"
	"strconv"
	"strings"
)

// field is one row of the calculator form, in display (and tab) order.
type field int

const (
	fPairs field = iota
	fTokens
	fPreset
	fGPU
	fCount
	fBatch
	fEpochs
	fLR
	fRank
	numFields
)

var fieldLabels = [numFields]string{
	fPairs:  "Pairs",
	fTokens: "Tokens",
	fPreset: "Preset",
	fGPU:    "GPU",
	fCount:  "GPU count",
	fBatch:  "Batch size",
	fEpochs: "Epochs",
	fLR:     "Learning rate",
	fRank:   "Rank",
}

// fieldByJSON maps model.FieldError names to the row that shows them, so a
// range error lands under the input that caused it.
var fieldByJSON = map[string]field{
	"pairs":         fPairs,
	"tokens":        fTokens,
	"gpu_type":      fGPU,
	"gpu_count":     fCount,
	"batch_size":    fBatch,
	"epochs":        fEpochs,
	"learning_rate": fLR,
	"rank":          fRank,
}

// isText reports whether the row is a text input (the others are selectors).
func (f field) isText() bool {
	switch f {
	case fPreset, fGPU, fCount:
		return false
	}
	return f >= 0 && f < numFields
}

// allowedRune filters keystrokes per input, so a letter never reaches a
// number field: whole numbers take digits and the separators people write
// (13_268_572, 13,268,572); the learning rate also takes a decimal point and
// an exponent (5e-5).
func (f field) allowedRune(r rune) bool {
	if r >= '0' && r <= '9' {
		return true
	}
	if f == fLR {
		return strings.ContainsRune(".eE-+", r)
	}
	return r == '_' || r == ','
}

func (f field) filter(s string) string {
	var b strings.Builder
	for _, r := range s {
		if f.allowedRune(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var (
	errRequired = errors.New("is required")
	errNotWhole = errors.New("is not a whole number")
	errNotFloat = errors.New("is not a number")
)

// parseWhole reads a whole number written with optional _ or , separators.
func parseWhole(s string) (int64, error) {
	s = strings.NewReplacer("_", "", ",", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return 0, errRequired
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, errNotWhole
	}
	return n, nil
}

// parseOptionalInt reads an override: blank means "keep the preset's".
func parseOptionalInt(s string) (*int, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	n, err := parseWhole(s)
	if err != nil {
		return nil, err
	}
	if n > 1<<31-1 {
		n = 1<<31 - 1 // far out of every range; the model reports it
	}
	v := int(n)
	return &v, nil
}

func parseOptionalFloat(s string) (*float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, errNotFloat
	}
	return &v, nil
}
