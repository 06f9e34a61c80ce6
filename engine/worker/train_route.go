package worker

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"brightrun/model"
	"brightrun/store"
)

// Each training job waits in the River queue of the workers that can run
// it: simulated jobs in train_sim, exec jobs in train_exec_<gpu type>. A
// worker fetches only from the queues of what it runs, so a job never
// lands on a worker of another kind, with any number of workers on any
// number of machines. An exec worker works its GPU type's queue with as
// many slots as it has GPUs; a job that needs more GPUs than are free on
// the worker that fetched it is snoozed (which costs no attempt) and goes
// back to the queue for another worker, or this one once GPUs free up.

// QueueTrainSim is the queue of simulated training jobs.
const QueueTrainSim = "train_sim"

// Snooze intervals of a fetched job this worker cannot run now: its GPUs
// are busy (short: they may free up any moment), or it can never run it
// (another GPU type whose queue name is the same, more GPUs than it has).
const (
	snoozeGPUsBusy = time.Second
	snoozeNotMine  = 3 * time.Second
)

var queueNameJunk = regexp.MustCompile(`[^a-z0-9]+`)

// execQueue is the queue of exec jobs on GPUs of gpuType: River allows
// lowercase letters, digits and underscores, 64 characters at most.
func execQueue(gpuType string) string {
	s := strings.Trim(queueNameJunk.ReplaceAllString(strings.ToLower(gpuType), "_"), "_")
	if s == "" {
		s = "gpu"
	}
	q := "train_exec_" + s
	if len(q) > 64 {
		q = strings.TrimRight(q[:64], "_")
	}
	return q
}

// trainQueue is the queue a job waits in.
func trainQueue(trainer string, gpu model.GPUConfig) string {
	if trainer == model.TrainerExec {
		return execQueue(gpu.Type)
	}
	return QueueTrainSim
}

// TrainInsertOpts queue a job where its workers fetch.
func TrainInsertOpts(j model.Job) *river.InsertOpts {
	return &river.InsertOpts{Queue: trainQueue(j.Trainer, j.GPUConfig), MaxAttempts: TrainAttempts}
}

// route decides what this worker does with a fetched job: run it on the
// GPUs it returns, or an error for River (a snooze) when the job is not
// this worker's to run now. A job found in another queue than its own
// (queued before jobs were routed) is moved to its own queue first.
func (w *trainWorker) route(ctx context.Context, job *river.Job[TrainJobArgs]) (gpus []int, err error) {
	var j model.Job
	err = w.e.db.WithUser(ctx, job.Args.UserID, func(tx store.Tx) error {
		var err error
		j, err = store.GetJob(ctx, tx, job.Args.JobID)
		return err
	})
	if err != nil {
		return nil, err
	}
	if j.Status.Final() {
		return nil, nil // claimRun sees it ended
	}
	if want := trainQueue(j.Trainer, j.GPUConfig); job.Queue != want {
		if err := w.e.db.MoveQueueJob(ctx, job.ID, want); err != nil {
			return nil, fmt.Errorf("move job %s to queue %s: %w", j.ID, want, err)
		}
		w.e.log.Info("job moved to its trainer's queue", "job", j.ID, "from", job.Queue, "to", want)
		return nil, river.JobSnooze(0)
	}
	me := w.o.registry.self()
	if !me.CanRun(j.Trainer, j.GPUConfig) {
		return nil, river.JobSnooze(snoozeNotMine)
	}
	if j.Trainer != model.TrainerExec {
		return nil, nil
	}
	gpus, ok := w.o.gpus.take(j.ID, j.GPUConfig.Count)
	if !ok {
		return nil, river.JobSnooze(snoozeGPUsBusy)
	}
	return gpus, nil
}
