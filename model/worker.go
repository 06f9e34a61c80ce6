package model

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Worker is a live worker process as its registry row says: what it can
// run, its GPUs and what it runs now (`brightrun worker list`).
type Worker struct {
	ID          uuid.UUID   `json:"id"`
	Host        string      `json:"host"`
	PID         int         `json:"pid"`
	Trainers    []string    `json:"trainers"`
	GPUType     string      `json:"gpu_type"`  // "" for a worker without the exec trainer
	GPUs        []int       `json:"gpus"`      // the GPU ids it was given
	GPUsFree    []int       `json:"gpus_free"` // those no run holds now
	RunningJobs []uuid.UUID `json:"running_jobs"`
	StartedAt   time.Time   `json:"started_at"`
	HeartbeatAt time.Time   `json:"heartbeat_at"`
}

// Runs reports whether the worker serves jobs of trainer.
func (w Worker) Runs(trainer string) bool {
	for _, t := range w.Trainers {
		if t == trainer {
			return true
		}
	}
	return false
}

// CanRun reports whether the worker could ever run a job of this trainer
// and GPU configuration: the trainer, and for exec jobs the GPU type
// (spelled in any case) and at least as many GPUs as the job asks for.
func (w Worker) CanRun(trainer string, gpu GPUConfig) bool {
	if trainer == "" {
		trainer = TrainerSimulated
	}
	if !w.Runs(trainer) {
		return false
	}
	if trainer != TrainerExec {
		return true
	}
	return strings.EqualFold(w.GPUType, gpu.Type) && len(w.GPUs) >= gpu.Count
}

// WaitingReason says why a queued job of this trainer and GPU
// configuration is not running, given the live workers, or "" when a live
// worker can take it now. It reads, for example, "waiting for an exec
// worker with 2 × H100: none is running" or "… 1 running, its GPUs busy
// (2 jobs)".
func WaitingReason(trainer string, gpu GPUConfig, workers []Worker) string {
	if trainer == "" {
		trainer = TrainerSimulated
	}
	if trainer != TrainerExec {
		for _, w := range workers {
			if w.Runs(trainer) {
				return ""
			}
		}
		return fmt.Sprintf("waiting for a %s worker: none is running", trainer)
	}
	want := fmt.Sprintf("waiting for an exec worker with %d × %s", gpu.Count, gpu.Type)
	var capable, jobs, ofType, most int
	for _, w := range workers {
		if !w.Runs(TrainerExec) || !strings.EqualFold(w.GPUType, gpu.Type) {
			continue
		}
		ofType++
		most = max(most, len(w.GPUs))
		if len(w.GPUs) < gpu.Count {
			continue
		}
		if len(w.GPUsFree) >= gpu.Count {
			return ""
		}
		capable++
		jobs += len(w.RunningJobs)
	}
	switch {
	case capable == 1:
		return fmt.Sprintf("%s: 1 running, its GPUs busy (%s)", want, plural(jobs, "job"))
	case capable > 1:
		return fmt.Sprintf("%s: %d running, their GPUs busy (%s)", want, capable, plural(jobs, "job"))
	case ofType > 0:
		return fmt.Sprintf("%s: none is running (%s with %s: at most %s)", want, plural(ofType, "worker"), gpu.Type, plural(most, "GPU"))
	}
	return want + ": none is running"
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
