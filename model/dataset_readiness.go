package model

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// NotTrainingReadyWhy says in a few words why a dataset whose validation
// ran is not training ready: "3 errors", or "only 4 valid examples (10
// needed)". Empty for a training-ready dataset.
func (d Dataset) NotTrainingReadyWhy() string {
	switch {
	case d.TrainingReady:
		return ""
	case d.ErrorCount > 0:
		return plural(d.ErrorCount, "error")
	}
	return "only " + plural(d.TotalTrainingPairs, "valid example") + fmt.Sprintf(" (%d needed)", MinTrainingExamples)
}

// MinTrainingExamples is the number of valid examples a training-ready
// dataset needs (model/dataset.MinTrainingReady, which this package does
// not import).
const MinTrainingExamples = 10

// DatasetIssue is one entry of a dataset's validation_errors (and of a
// clean report's dropped lines).
type DatasetIssue struct {
	Line    int    `json:"line"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// FirstErrors renders up to n of the dataset's listed errors, by line:
// `line 4: invalid_json: invalid JSON at column 9: …`.
func (d Dataset) FirstErrors(n int) []string {
	var issues []DatasetIssue
	if len(d.ValidationErrors) == 0 || json.Unmarshal(d.ValidationErrors, &issues) != nil {
		return nil
	}
	out := make([]string, 0, min(n, len(issues)))
	for _, is := range issues[:min(n, len(issues))] {
		out = append(out, fmt.Sprintf("line %d: %s: %s", is.Line, is.Code, is.Message))
	}
	return out
}

// notTrainingReadyReason is CheckTrainable's reason for a ready dataset
// that is not training ready, naming its first errors by line.
func notTrainingReadyReason(d Dataset) string {
	reason := "ready but not training-ready: " + d.NotTrainingReadyWhy()
	if first := d.FirstErrors(3); len(first) > 0 {
		reason += " (" + strings.Join(first, "; ") + ")"
		if d.ErrorCount > len(first) {
			reason += fmt.Sprintf(" and %d more", d.ErrorCount-len(first))
		}
	} else {
		reason += detail(d.ErrorMessage)
	}
	return reason + "; `brightrun dataset clean` makes a copy of the valid lines"
}

// DatasetCleanReport is what `brightrun dataset clean` left out of the copy
// it made: every line with an error, by its line in the source (the first
// 100 listed, all counted by code), and the blank lines.
type DatasetCleanReport struct {
	SourceDatasetID string         `json:"source_dataset_id"`
	SourceLines     int            `json:"source_lines"`
	Kept            int            `json:"kept"`
	Dropped         int            `json:"dropped"`
	DroppedCounts   map[string]int `json:"dropped_counts"`
	DroppedLines    []DatasetIssue `json:"dropped_lines"`
	BlankLines      int            `json:"blank_lines"`
}

// Cleaned reads a cleaned copy's report; false for a dataset that is not
// one (or whose report cannot be read).
func (d Dataset) Cleaned() (DatasetCleanReport, bool) {
	var r DatasetCleanReport
	if d.SourceDatasetID == nil || json.Unmarshal(d.CleanReport, &r) != nil {
		return DatasetCleanReport{}, false
	}
	return r, true
}

// DatasetWarnings is the warning side of a dataset's validation report:
// the listed warnings by line, their counts by code, and how many
// assistant messages a weight of 0 leaves out of training.
type DatasetWarnings struct {
	Warnings         []DatasetIssue `json:"warnings"`
	WarningCounts    map[string]int `json:"warning_counts"`
	ExcludedByWeight int            `json:"excluded_by_weight"`
}

// ReportWarnings reads the warning side of the dataset's validation
// report; zero when it has none (or no report yet).
func (d Dataset) ReportWarnings() DatasetWarnings {
	var w DatasetWarnings
	if len(d.ValidationReport) > 0 {
		_ = json.Unmarshal(d.ValidationReport, &w) // a report of another shape has no warnings to show
	}
	return w
}

// CountsByCode writes validation counts by code as "bad_weight 1,
// invalid_json 2" (sorted, so a report reads the same every time) and
// returns their total.
func CountsByCode[C ~string](counts map[C]int) (text string, total int) {
	codes := make([]string, 0, len(counts))
	for c, n := range counts {
		codes = append(codes, fmt.Sprintf("%s %d", c, n))
		total += n
	}
	sort.Strings(codes)
	return strings.Join(codes, ", "), total
}
