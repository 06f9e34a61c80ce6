package model

import (
	"fmt"
	"strings"
)

// JobStatus is the lifecycle state of a training job. The values are the
// strings stored in training_jobs.status and printed by the CLI, so they must
// not change.
type JobStatus string

// Job statuses, in lifecycle order.
const (
	JobQueued       JobStatus = "queued"
	JobInitializing JobStatus = "initializing"
	JobRunning      JobStatus = "running"
	JobFinalizing   JobStatus = "finalizing"
	JobCompleted    JobStatus = "completed"
	JobFailed       JobStatus = "failed"
	JobCancelled    JobStatus = "cancelled"
)

// jobStatuses lists every job status in lifecycle order; JobStatuses copies it
// so callers cannot change the package's view.
var jobStatuses = []JobStatus{
	JobQueued, JobInitializing, JobRunning, JobFinalizing,
	JobCompleted, JobFailed, JobCancelled,
}

// jobTransitions is the job state machine. A status missing from the map (the
// final ones) has no way out: a finished job is never restarted, a new job is
// created instead; only a failed or cancelled job with a checkpoint goes back
// to queued, by an operator's resume (Resumable).
var jobTransitions = map[JobStatus][]JobStatus{
	JobQueued:       {JobInitializing, JobCancelled, JobFailed},
	JobInitializing: {JobRunning, JobFailed, JobCancelled},
	JobRunning:      {JobFinalizing, JobCompleted, JobFailed, JobCancelled},
	JobFinalizing:   {JobCompleted, JobFailed, JobCancelled},
}

// JobStatuses returns every job status in lifecycle order.
func JobStatuses() []JobStatus {
	return append([]JobStatus(nil), jobStatuses...)
}

// ParseJobStatus turns user or database input into a JobStatus. Surrounding
// spaces and letter case are ignored so `--status Running` works too.
func ParseJobStatus(s string) (JobStatus, error) {
	st := JobStatus(strings.ToLower(strings.TrimSpace(s)))
	if !st.Valid() {
		return "", fmt.Errorf("unknown job status %q: valid values are %s", s, joinStatuses(jobStatuses))
	}
	return st, nil
}

// Valid reports whether s is one of the known job statuses.
func (s JobStatus) Valid() bool {
	for _, v := range jobStatuses {
		if s == v {
			return true
		}
	}
	return false
}

// Final reports whether the job has finished for good (completed, failed or
// cancelled); watchers stop and no further transition is legal.
func (s JobStatus) Final() bool {
	return s == JobCompleted || s == JobFailed || s == JobCancelled
}

// CanTransitionTo reports whether the state machine allows s → next. Staying
// in the same state is not a transition and is reported as not allowed.
func (s JobStatus) CanTransitionTo(next JobStatus) bool {
	for _, v := range jobTransitions[s] {
		if v == next {
			return true
		}
	}
	return false
}

// TransitionTo returns nil when s → next is legal and otherwise an error that
// names both states, for the worker and the store to refuse the update.
func (s JobStatus) TransitionTo(next JobStatus) error {
	if !s.Valid() {
		return fmt.Errorf("job status: unknown current status %q", string(s))
	}
	if !next.Valid() {
		return fmt.Errorf("job status: unknown status %q: valid values are %s", string(next), joinStatuses(jobStatuses))
	}
	if !s.CanTransitionTo(next) {
		return fmt.Errorf("job status: cannot go from %s to %s", s, next)
	}
	return nil
}

// DatasetStatus is the state of an uploaded dataset, as stored in
// datasets.status.
type DatasetStatus string

// Dataset statuses, in lifecycle order.
const (
	DatasetUploading  DatasetStatus = "uploading"
	DatasetValidating DatasetStatus = "validating"
	DatasetReady      DatasetStatus = "ready"
	DatasetError      DatasetStatus = "error"
)

var datasetStatuses = []DatasetStatus{DatasetUploading, DatasetValidating, DatasetReady, DatasetError}

// datasetTransitions allows going back to validating from ready or error so a
// dataset can be revalidated (for example after the validator changes).
var datasetTransitions = map[DatasetStatus][]DatasetStatus{
	DatasetUploading:  {DatasetValidating, DatasetError},
	DatasetValidating: {DatasetReady, DatasetError},
	DatasetError:      {DatasetValidating},
	DatasetReady:      {DatasetValidating},
}

// DatasetStatuses returns every dataset status in lifecycle order.
func DatasetStatuses() []DatasetStatus {
	return append([]DatasetStatus(nil), datasetStatuses...)
}

// ParseDatasetStatus turns user or database input into a DatasetStatus,
// ignoring surrounding spaces and letter case.
func ParseDatasetStatus(s string) (DatasetStatus, error) {
	st := DatasetStatus(strings.ToLower(strings.TrimSpace(s)))
	if !st.Valid() {
		return "", fmt.Errorf("unknown dataset status %q: valid values are %s", s, joinStatuses(datasetStatuses))
	}
	return st, nil
}

// Valid reports whether s is one of the known dataset statuses.
func (s DatasetStatus) Valid() bool {
	for _, v := range datasetStatuses {
		if s == v {
			return true
		}
	}
	return false
}

// CanTransitionTo reports whether the state machine allows s → next.
func (s DatasetStatus) CanTransitionTo(next DatasetStatus) bool {
	for _, v := range datasetTransitions[s] {
		if v == next {
			return true
		}
	}
	return false
}

// TransitionTo returns nil when s → next is legal and otherwise an error that
// names both states.
func (s DatasetStatus) TransitionTo(next DatasetStatus) error {
	if !s.Valid() {
		return fmt.Errorf("dataset status: unknown current status %q", string(s))
	}
	if !next.Valid() {
		return fmt.Errorf("dataset status: unknown status %q: valid values are %s", string(next), joinStatuses(datasetStatuses))
	}
	if !s.CanTransitionTo(next) {
		return fmt.Errorf("dataset status: cannot go from %s to %s", s, next)
	}
	return nil
}

// joinStatuses renders a status list for error messages.
func joinStatuses[S ~string](list []S) string {
	parts := make([]string, len(list))
	for i, v := range list {
		parts[i] = string(v)
	}
	return strings.Join(parts, ", ")
}
