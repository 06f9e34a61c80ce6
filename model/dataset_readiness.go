package model

import (
	"encoding/json"
	"fmt"
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

// datasetIssue is one entry of a dataset's validation_errors.
type datasetIssue struct {
	Line    int    `json:"line"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// FirstErrors renders up to n of the dataset's listed errors, by line:
// `line 4: invalid_json: invalid JSON at column 9: …`.
func (d Dataset) FirstErrors(n int) []string {
	var issues []datasetIssue
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
