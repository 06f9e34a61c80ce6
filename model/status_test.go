package model

import (
	"strings"
	"testing"
)

// legalJob is the transition table from the spec, written out independently of
// jobTransitions so a change to either shows up here.
var legalJob = map[[2]JobStatus]bool{
	{JobQueued, JobInitializing}:    true,
	{JobQueued, JobCancelled}:       true,
	{JobQueued, JobFailed}:          true,
	{JobInitializing, JobRunning}:   true,
	{JobInitializing, JobFailed}:    true,
	{JobInitializing, JobCancelled}: true,
	{JobRunning, JobFinalizing}:     true,
	{JobRunning, JobCompleted}:      true,
	{JobRunning, JobFailed}:         true,
	{JobRunning, JobCancelled}:      true,
	{JobFinalizing, JobCompleted}:   true,
	{JobFinalizing, JobFailed}:      true,
	{JobFinalizing, JobCancelled}:   true,
}

func TestJobTransitionsEveryPair(t *testing.T) {
	checkEveryPair(t, "job", JobStatuses(), legalJob)
}

func TestJobTransitionUnknown(t *testing.T) {
	tests := []struct {
		from, to JobStatus
		want     string
	}{
		{JobQueued, "bogus", `job status: unknown status "bogus"`},
		{"bogus", JobRunning, `job status: unknown current status "bogus"`},
	}
	for _, tt := range tests {
		err := tt.from.TransitionTo(tt.to)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%q→%q: error = %v, want prefix %q", tt.from, tt.to, err, tt.want)
		}
	}
}

func TestJobStatusFinalAndValid(t *testing.T) {
	final := map[JobStatus]bool{JobCompleted: true, JobFailed: true, JobCancelled: true}
	all := JobStatuses()
	if len(all) != 7 {
		t.Fatalf("JobStatuses() has %d entries, want 7", len(all))
	}
	for _, s := range all {
		if !s.Valid() {
			t.Errorf("%s.Valid() = false", s)
		}
		if s.Final() != final[s] {
			t.Errorf("%s.Final() = %v, want %v", s, s.Final(), final[s])
		}
	}
	for _, s := range []JobStatus{"", "done", "Queued"} {
		if s.Valid() {
			t.Errorf("%q.Valid() = true", s)
		}
	}
	all[0] = "mutated"
	if JobStatuses()[0] != JobQueued {
		t.Error("JobStatuses returned the package's own slice")
	}
}

func TestParseJobStatus(t *testing.T) {
	checkParse(t, "ParseJobStatus", ParseJobStatus, "queued, initializing, running, finalizing, completed, failed, cancelled", []parseCase[JobStatus]{
		{"queued", JobQueued, false},
		{"finalizing", JobFinalizing, false},
		{" Running ", JobRunning, false},
		{"CANCELLED", JobCancelled, false},
		{"canceled", "", true},
		{"", "", true},
	})
}

var legalDataset = map[[2]DatasetStatus]bool{
	{DatasetUploading, DatasetValidating}: true,
	{DatasetUploading, DatasetError}:      true,
	{DatasetValidating, DatasetReady}:     true,
	{DatasetValidating, DatasetError}:     true,
	{DatasetError, DatasetValidating}:     true,
	{DatasetReady, DatasetValidating}:     true,
}

func TestDatasetTransitionsEveryPair(t *testing.T) {
	all := DatasetStatuses()
	if len(all) != 4 {
		t.Fatalf("DatasetStatuses() has %d entries, want 4", len(all))
	}
	checkEveryPair(t, "dataset", all, legalDataset)
	if err := DatasetReady.TransitionTo("gone"); err == nil {
		t.Error("transition to an unknown dataset status succeeded")
	}
}

func TestParseDatasetStatus(t *testing.T) {
	checkParse(t, "ParseDatasetStatus", ParseDatasetStatus, "uploading, validating, ready, error", []parseCase[DatasetStatus]{
		{"uploading", DatasetUploading, false},
		{"Ready", DatasetReady, false},
		{"error", DatasetError, false},
		{"failed", "", true},
	})
}

// transitioner is what the job and dataset status types share, so one body
// checks both transition tables.
type transitioner[S any] interface {
	~string
	CanTransitionTo(S) bool
	TransitionTo(S) error
}

// checkEveryPair tries every from→to pair of all against legal: the allowed
// ones succeed, the rest fail with "<kind> status: cannot go from X to Y".
func checkEveryPair[S transitioner[S]](t *testing.T, kind string, all []S, legal map[[2]S]bool) {
	t.Helper()
	for _, from := range all {
		for _, to := range all {
			want := legal[[2]S{from, to}]
			if got := from.CanTransitionTo(to); got != want {
				t.Errorf("%s→%s: CanTransitionTo = %v, want %v", from, to, got, want)
			}
			err := from.TransitionTo(to)
			if want && err != nil {
				t.Errorf("%s→%s: unexpected error %v", from, to, err)
			}
			if !want {
				msg := kind + " status: cannot go from " + string(from) + " to " + string(to)
				if err == nil || err.Error() != msg {
					t.Errorf("%s→%s: error = %v, want %q", from, to, err, msg)
				}
			}
		}
	}
}

type parseCase[S ~string] struct {
	in      string
	want    S
	wantErr bool
}

// checkParse runs parse over tests; a rejected input's error must list the
// valid values.
func checkParse[S ~string](t *testing.T, name string, parse func(string) (S, error), valid string, tests []parseCase[S]) {
	t.Helper()
	for _, tt := range tests {
		got, err := parse(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("%s(%q) = %q, %v; want %q, err %v", name, tt.in, got, err, tt.want, tt.wantErr)
		}
		if err != nil && !strings.Contains(err.Error(), valid) {
			t.Errorf("%s(%q) error does not list valid values: %v", name, tt.in, err)
		}
	}
}
