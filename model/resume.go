package model

import (
	"errors"
	"fmt"
	"math"
)

// ErrNotResumable marks why a job cannot be resumed: a negative answer
// (exit 1), not a bad request.
var ErrNotResumable = errors.New("cannot be resumed")

// Resumable reports whether a job in status s may go back to the queue
// to continue after its last checkpoint: a failed or cancelled one. It is
// the one way out of a final status; a completed job is cloned instead.
func (s JobStatus) Resumable() bool { return s == JobFailed || s == JobCancelled }

// ResumeFrom is the checkpoint a resumed run of j continues after (the
// newest of list), or an error wrapping ErrNotResumable that says why
// there is none and what to do instead. A job whose cost has reached its
// cap (maxCost: a new cap, nil keeps the job's) would be stopped again at
// once, so it needs a higher one.
func ResumeFrom(j Job, list []Checkpoint, maxCost *float64) (Checkpoint, error) {
	if !j.Status.Resumable() {
		return Checkpoint{}, fmt.Errorf("job %s is %s: only a failed or cancelled job resumes (%w)", j.ID, j.Status, ErrNotResumable)
	}
	if maxCost == nil {
		maxCost = j.MaxCost
	}
	if spent := j.Spent(); maxCost != nil && spent >= *maxCost {
		return Checkpoint{}, fmt.Errorf("job %s has spent $%.2f, at or above its cost cap of $%.2f: resume it with a higher cap (brightrun job resume %s --max-cost USD) (%w)",
			j.ID, spent, *maxCost, j.ID, ErrNotResumable)
	}
	if len(list) == 0 {
		return Checkpoint{}, fmt.Errorf("job %s has no checkpoint to resume from: clone it instead (y in its view, or brightrun job create --from %s) (%w)",
			j.ID, j.ID, ErrNotResumable)
	}
	last := list[0]
	for _, c := range list[1:] {
		if c.Step > last.Step {
			last = c
		}
	}
	return last, nil
}

// Spent is what the job has cost so far: its final cost once it ended.
func (j Job) Spent() float64 {
	if j.FinalCost != nil {
		return *j.FinalCost
	}
	return j.CurrentCost
}

// ResumeCost is the estimated cost of the rest of j's run after step: the
// estimate's share of the steps still to go.
func ResumeCost(j Job, step int) float64 {
	if j.TotalSteps <= 0 {
		return j.EstimatedTotalCost
	}
	left := float64(max(0, j.TotalSteps-step)) / float64(j.TotalSteps)
	return math.Round(j.EstimatedTotalCost*left*100) / 100
}
