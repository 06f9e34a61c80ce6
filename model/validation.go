package model

import (
	"strconv"
	"strings"
)

// FieldError is one rule a field breaks. It keeps the field name and the
// offending value apart from the message so the TUI can highlight the field
// while the CLI prints the whole sentence.
type FieldError struct {
	Field   string // JSON name of the field, e.g. "batch_size"
	Value   string // the offending value as text; may be empty
	Message string // what is wrong, e.g. "is out of range: must be between 1 and 64"
}

// Error renders e.g. `batch_size 65 is out of range: must be between 1 and 64`.
func (e FieldError) Error() string {
	if e.Value == "" {
		return e.Field + " " + e.Message
	}
	return e.Field + " " + e.Value + " " + e.Message
}

// ValidationError collects every violation found in one input, so a user sees
// all problems at once instead of fixing them one run at a time.
type ValidationError struct {
	Errors []FieldError
}

// Error joins the field errors with "; ".
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		parts[i] = fe.Error()
	}
	return strings.Join(parts, "; ")
}

// validationErr wraps collected field errors, returning a true nil (not a nil
// *ValidationError inside an error) when there are none.
func validationErr(errs []FieldError) error {
	if len(errs) == 0 {
		return nil
	}
	return &ValidationError{Errors: errs}
}

// floatTolerance absorbs float noise at range edges (1e-5 typed by a user may
// not be bit-identical to the constant), relative to the bound.
const floatTolerance = 1e-9

// intRange appends an out-of-range error when v is outside [lo, hi].
func intRange(errs []FieldError, field string, v, lo, hi int) []FieldError {
	if v < lo || v > hi {
		errs = append(errs, FieldError{
			Field:   field,
			Value:   strconv.Itoa(v),
			Message: "is out of range: must be between " + strconv.Itoa(lo) + " and " + strconv.Itoa(hi),
		})
	}
	return errs
}

// floatRange appends an out-of-range error when v is outside [lo, hi] beyond
// the tolerance. NaN is always out of range.
func floatRange(errs []FieldError, field string, v, lo, hi float64) []FieldError {
	if !(v >= lo*(1-floatTolerance) && v <= hi*(1+floatTolerance)) {
		errs = append(errs, FieldError{
			Field:   field,
			Value:   formatFloat(v),
			Message: "is out of range: must be between " + formatFloat(lo) + " and " + formatFloat(hi),
		})
	}
	return errs
}

// formatFloat prints plain decimals (0.00001, not 1e-05) for readable
// messages, falling back to exponent form for extreme values.
func formatFloat(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if len(s) > 12 {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return s
}
