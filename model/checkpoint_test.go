package model

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func ckpt(step int, train, val float64) Checkpoint {
	c := Checkpoint{Step: step}
	if train > 0 {
		c.TrainLoss = &train
	}
	if val > 0 {
		c.ValLoss = &val
	}
	return c
}

func steps(list []Checkpoint) []int {
	var out []int
	for _, c := range list {
		out = append(out, c.Step)
	}
	return out
}

func TestBestAndPruneCheckpoints(t *testing.T) {
	tests := []struct {
		name  string
		list  []Checkpoint
		keep  int
		best  int   // step of the best, -1 none
		drops []int // steps dropped
	}{
		{"lowest val loss wins", []Checkpoint{ckpt(10, 1.0, 1.5), ckpt(20, 0.8, 1.2), ckpt(30, 0.5, 1.4)}, 0, 20, nil},
		{"train loss without validation", []Checkpoint{ckpt(10, 1.0, 0), ckpt(20, 0.8, 0), ckpt(30, 0.9, 0)}, 0, 20, nil},
		{"val beats a lower train loss", []Checkpoint{ckpt(10, 0.1, 0), ckpt(20, 0.8, 1.3)}, 0, 20, nil},
		{"tie goes to the earlier step", []Checkpoint{ckpt(10, 1, 1.2), ckpt(20, 1, 1.2)}, 0, 10, nil},
		{"no loss, no best", []Checkpoint{ckpt(10, 0, 0)}, 1, -1, nil},
		{"keeps newest two and the best", []Checkpoint{ckpt(10, 1, 1.5), ckpt(20, 1, 1.1), ckpt(30, 1, 1.3), ckpt(40, 1, 1.4), ckpt(50, 1, 1.6)}, 2, 20, []int{10, 30}},
		{"best among the newest", []Checkpoint{ckpt(10, 1, 1.5), ckpt(20, 1, 1.4), ckpt(30, 1, 1.1)}, 1, 30, []int{10, 20}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list := slices.Clone(tt.list)
			b := MarkBest(list)
			got := -1
			if b >= 0 {
				got = list[b].Step
			}
			if got != tt.best {
				t.Errorf("best step %d, want %d", got, tt.best)
			}
			for i, c := range list {
				if c.Best != (i == b) {
					t.Errorf("step %d marked best=%v", c.Step, c.Best)
				}
			}
			if d := steps(PruneCheckpoints(list, tt.keep)); !slices.Equal(d, tt.drops) {
				t.Errorf("dropped %v, want %v", d, tt.drops)
			}
		})
	}
}

func TestEarlyStop(t *testing.T) {
	at := func(step int, epoch, val float64) Checkpoint {
		c := ckpt(step, 1, val)
		c.Epoch = epoch
		return c
	}
	run := []Checkpoint{at(10, 1, 1.42), at(20, 2, 1.5), at(30, 3, 1.61)}
	tests := []struct {
		name     string
		list     []Checkpoint
		patience int
		stop     bool
		reason   string
	}{
		{"off", run, 0, false, ""},
		{"patience 2 reached", run, 2, true, "stopped early at epoch 3 of 5: validation loss has not improved for 2 evaluations (best 1.42 at epoch 1)"},
		{"patience 3 not yet", run, 3, false, ""},
		{"the last epoch is not early", []Checkpoint{at(10, 1, 1.42), at(20, 2, 1.5), at(30, 3, 1.61), at(40, 4, 1.7), at(50, 5, 1.8)}, 2, false, ""},
		{"patience 1 after one", run[:2], 1, true, "stopped early at epoch 2 of 5: validation loss has not improved for 1 evaluation (best 1.42 at epoch 1)"},
		{"still improving", []Checkpoint{at(10, 1, 1.5), at(20, 2, 1.4)}, 1, false, ""},
		{"no validation", []Checkpoint{at(10, 1, 0), at(20, 2, 0)}, 1, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stop, _, reason := EarlyStop(tt.list, tt.patience, 5)
			if stop != tt.stop || reason != tt.reason {
				t.Errorf("EarlyStop = %v %q, want %v %q", stop, reason, tt.stop, tt.reason)
			}
		})
	}
}

func TestResumeFrom(t *testing.T) {
	j := Job{Status: JobCancelled, TotalSteps: 100, EstimatedTotalCost: 10}
	c, err := ResumeFrom(j, []Checkpoint{ckpt(20, 1, 1), ckpt(60, 1, 2), ckpt(40, 1, 1)}, nil)
	if err != nil || c.Step != 60 || ResumeCost(j, c.Step) != 4 {
		t.Fatalf("resume from %d (%v), cost %v", c.Step, err, ResumeCost(j, c.Step))
	}
	for _, tt := range []struct {
		status JobStatus
		list   []Checkpoint
		want   string
	}{
		{JobCompleted, []Checkpoint{ckpt(20, 1, 1)}, "only a failed or cancelled job resumes"},
		{JobRunning, []Checkpoint{ckpt(20, 1, 1)}, "only a failed or cancelled job resumes"},
		{JobFailed, nil, "has no checkpoint to resume from: clone it instead (y in its view"},
	} {
		j.Status = tt.status
		if _, err := ResumeFrom(j, tt.list, nil); !errors.Is(err, ErrNotResumable) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v", tt.status, err)
		}
	}
	// Stopped at its cost cap: only a higher cap resumes it.
	spent, capped, higher := 2.5, 2.5, 5.0
	j.Status, j.FinalCost, j.MaxCost = JobCancelled, &spent, &capped
	list := []Checkpoint{ckpt(20, 1, 1)}
	if _, err := ResumeFrom(j, list, nil); !errors.Is(err, ErrNotResumable) || !strings.Contains(err.Error(), "resume it with a higher cap") {
		t.Errorf("at its cap: %v", err)
	}
	if _, err := ResumeFrom(j, list, &higher); err != nil {
		t.Errorf("with a higher cap: %v", err)
	}
}
