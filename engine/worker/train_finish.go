package worker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/store"
)

// How a job ends. Each ending is one transaction: the row's final state, its
// cost record and its notification (and, on success, its artifact) are
// written together or not at all.

// endTimeout bounds writing a job's end, which must happen even when the
// run's own context was cancelled (that is how a cancel arrives).
const endTimeout = 30 * time.Second

// complete stores the adapter and ends the job completed.
func (r *trainRun) complete(ctx context.Context, out trainOutput) error {
	r.setStage(model.JobFinalizing, model.StageSaving, fmt.Sprintf("storing the adapter (%d files)", len(out.files)))
	r.progress = max(r.progress, 99)
	r.eta = nil
	if err := r.flush(ctx); err != nil {
		return err
	}
	r.bestStep = out.bestStep
	art, keys, err := r.e.storeAdapter(ctx, r.job, out, r.metrics)
	if err != nil {
		return err
	}
	cost := model.NewCostRecord(r.job.GPUConfig, r.gpu.HourlyRate, r.billed(), true)
	cost.UserID, cost.JobID = r.user, r.job.ID
	f := r.pending() // what an unreachable database kept back, if anything
	err = retryTransient(ctx, func() error {
		return r.e.db.WithUser(ctx, r.user, func(tx store.Tx) error {
			return r.recordCompletion(ctx, tx, f, art, cost)
		})
	})
	if err != nil {
		r.e.dropObjects(keys)
		return err
	}
	r.removeWorkDir()
	r.e.log.Info("job completed", "job", r.job.ID, "cost", cost.TotalCost, "artifact", art.ID)
	return nil
}

// endStep is the step a completed run ended at: its plan's last, or where
// it stopped early.
func (r *trainRun) endStep() int {
	if r.stopReason != "" {
		return r.step
	}
	return r.job.TotalSteps
}

// recordCompletion writes a completed job's last progress, artifact, cost
// record, final state and notification in tx.
func (r *trainRun) recordCompletion(ctx context.Context, tx store.Tx, f store.RunFlush, art model.Artifact, cost model.CostRecord) error {
	if _, err := store.WriteRunFlush(ctx, tx, f); err != nil {
		return err
	}
	if _, err := store.InsertArtifact(ctx, tx, art); err != nil {
		return err
	}
	if _, err := store.InsertCostRecord(ctx, tx, cost); err != nil {
		return err
	}
	if _, err := store.BudgetAlert(ctx, tx, cost.UserID, time.Now()); err != nil {
		return err
	}
	gpus := "GPUs"
	if cost.GPUCount == 1 {
		gpus = "GPU"
	}
	msg := fmt.Sprintf("completed: %.4f hours × $%.2f × %d %s = $%.2f compute + $%.2f storage; adapter %q stored",
		cost.Hours, cost.HourlyRate, cost.GPUCount, gpus, cost.ComputeCost, cost.StorageCost, art.Name)
	done, err := store.FinishJob(ctx, tx, r.job.ID, r.attempt, store.JobEnd{
		Status: model.JobCompleted, BilledSeconds: r.billed(), FinalCost: cost.TotalCost, ArtifactID: &art.ID,
		Events:     []model.JobEvent{{At: time.Now().UTC(), Kind: model.EventStage, Stage: model.StageCompleted, Step: r.endStep(), Message: msg}},
		StopReason: r.stopReason, BestCheckpointStep: r.bestStep,
	})
	if err != nil {
		return err
	}
	var loss *float64
	if v, ok := r.metrics["train_loss"]; ok {
		loss = &v
	}
	_, err = store.AddNotification(ctx, tx, model.JobCompletedNotification(done, cost, loss))
	return err
}

// end ends the run failed or cancelled, with what it recorded so far.
func (r *trainRun) end(ctx context.Context, status model.JobStatus, reason string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), endTimeout)
	defer cancel()
	r.eta = nil
	f := r.pending()
	err := retryTransient(ctx, func() error {
		return r.e.db.WithUser(ctx, r.user, func(tx store.Tx) error {
			if _, err := store.WriteRunFlush(ctx, tx, f); err != nil {
				return err
			}
			job, err := store.GetJob(ctx, tx, r.job.ID)
			if err != nil {
				return err
			}
			_, err = r.e.EndJob(ctx, tx, job, r.attempt, status, reason, r.billed())
			return err
		})
	})
	if errors.Is(err, store.ErrRunLost) {
		return nil // it ended elsewhere meanwhile
	}
	if err != nil {
		return fmt.Errorf("end job %s as %s: %w", r.job.ID, status, err)
	}
	r.removeWorkDir()
	r.e.log.Info("job ended", "job", r.job.ID, "status", status, "reason", reason)
	return nil
}

// EndJob ends a job failed or cancelled inside tx: final state, a partial
// cost record for the GPU time billed, the notification. attempt 0 ends it
// whichever attempt owns it. reason is a failed job's error_message, and a
// cancelled job's stop_reason when the worker stopped it itself ("" when an
// operator cancelled it).
func (e *Runtime) EndJob(ctx context.Context, tx store.Tx, j model.Job, attempt int, status model.JobStatus, reason string, billed float64) (model.Job, error) {
	rate := 0.0
	if g, err := e.catalog.Lookup(j.GPUConfig.Type); err == nil {
		rate = g.HourlyRate
	}
	cost := model.NewCostRecord(j.GPUConfig, rate, billed, false)
	cost.UserID, cost.JobID = j.UserID, j.ID
	ev := model.JobEvent{At: time.Now().UTC(), Kind: model.EventError, Stage: string(status), Step: j.CurrentStep,
		Message: fmt.Sprintf("failed: %s (cost so far $%.2f)", reason, cost.TotalCost)}
	end := store.JobEnd{Status: status, Reason: reason, BilledSeconds: billed, FinalCost: cost.TotalCost}
	if status == model.JobCancelled {
		ev.Kind, ev.Message = model.EventStage, fmt.Sprintf("cancelled at step %d of %d (cost so far $%.2f)", j.CurrentStep, j.TotalSteps, cost.TotalCost)
		if reason != "" {
			// A run the worker stopped itself (its cost cap): the reason is
			// why it stopped early, not an error.
			ev.Message = fmt.Sprintf("stopped at step %d of %d: %s (cost $%.2f)", j.CurrentStep, j.TotalSteps, reason, cost.TotalCost)
			end.Reason, end.StopReason = "", reason
		}
	}
	end.Events = []model.JobEvent{ev}
	done, err := store.FinishJob(ctx, tx, j.ID, attempt, end)
	if err != nil {
		return model.Job{}, err
	}
	if _, err := store.InsertCostRecord(ctx, tx, cost); err != nil {
		return model.Job{}, err
	}
	if _, err := store.BudgetAlert(ctx, tx, cost.UserID, time.Now()); err != nil {
		return model.Job{}, err
	}
	n := model.JobCancelledNotification(done, cost)
	if status == model.JobFailed {
		n = model.JobFailedNotification(done, reason, cost)
	}
	if _, err := store.AddNotification(ctx, tx, n); err != nil {
		return model.Job{}, err
	}
	return done, nil
}

// removeWorkDir drops what an exec trainer left on this machine once the
// job has ended (its checkpoints are of no further use).
func (r *trainRun) removeWorkDir() {
	if err := os.RemoveAll(r.workDir()); err != nil {
		r.e.log.Warn("remove job work dir", "job", r.job.ID, "err", err)
	}
}

// cancelRequested reads whether an operator asked to cancel the job.
func (r *trainRun) cancelRequested() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var j model.Job
	err := r.e.db.WithUser(ctx, r.user, func(tx store.Tx) error {
		var err error
		j, err = store.GetJob(ctx, tx, r.job.ID)
		return err
	})
	return err == nil && j.CancelRequestedAt != nil
}

// logEvents writes the run's pending events, for runs that stop without ending.
func (r *trainRun) logEvents(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	output := r.takeOutput()
	err := retryTransient(ctx, func() error {
		return r.e.db.WithUser(ctx, r.user, func(tx store.Tx) error {
			if err := store.InsertMetricPoints(ctx, tx, r.user, r.job.ID, r.points); err != nil {
				return err
			}
			if err := store.InsertJobOutput(ctx, tx, r.user, r.job.ID, output); err != nil {
				return err
			}
			return store.AppendJobEvents(ctx, tx, r.job.ID, r.events)
		})
	})
	if err != nil {
		r.e.log.Warn("log job events", "job", r.job.ID, "err", err)
	}
	r.points, r.events = nil, nil
}

// retryTransient runs fn until it succeeds, fails for a reason other than
// the database being unreachable, or ctx ends: a job's end must not be
// lost (or its trainer run again) because Postgres restarted at that moment.
func retryTransient(ctx context.Context, fn func() error) error {
	wait := 100 * time.Millisecond
	for {
		err := fn()
		if err == nil || !store.IsTransient(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(2*wait, 2*time.Second)
	}
}

// storeAdapter uploads an adapter's files under a prefix of their own and
// returns the artifact row to record (and the keys, to drop if recording
// fails).
func (e *Runtime) storeAdapter(ctx context.Context, j model.Job, out trainOutput, final map[string]float64) (model.Artifact, []string, error) {
	a := model.Artifact{ID: uuid.New(), UserID: j.UserID, JobID: j.ID, Name: out.name, StorageBucket: store.BucketModelArtifacts, Format: out.format,
		Metadata: model.ArtifactMetadata{Trainer: j.Trainer, Simulated: out.simulated, Note: out.note, FinalMetrics: final}}
	a.StoragePath = fmt.Sprintf("%s/%s/%s/", j.UserID, j.ID, a.ID)
	files := append([]artifactFile(nil), out.files...)
	sort.Slice(files, func(i, k int) bool { return files[i].name < files[k].name })
	var keys []string
	for _, f := range files {
		if !ValidArtifactName(f.name) {
			e.dropObjects(keys)
			return model.Artifact{}, nil, failf("adapter file name %q is not a clean relative path", f.name)
		}
		key := a.StoragePath + f.name
		af, err := e.putArtifactFile(ctx, key, f)
		if err != nil {
			e.dropObjects(keys)
			return model.Artifact{}, nil, err
		}
		keys = append(keys, key)
		a.Metadata.Files = append(a.Metadata.Files, af)
		a.FileSize += af.Size
	}
	a.SHA256 = model.ArtifactSHA256(a.Metadata.Files)
	return a, keys, nil
}

// putArtifactFile hashes one file and stores it at key.
func (e *Runtime) putArtifactFile(ctx context.Context, key string, f artifactFile) (model.ArtifactFile, error) {
	var body io.ReadSeeker
	if f.path != "" {
		file, err := os.Open(f.path)
		if err != nil {
			return model.ArtifactFile{}, failf("adapter file %s: %v", f.name, err)
		}
		defer file.Close()
		body = file
	} else {
		body = bytes.NewReader(f.data)
	}
	d := model.NewFileDigest()
	size, err := io.Copy(d, body)
	if err != nil {
		return model.ArtifactFile{}, failf("read adapter file %s: %v", f.name, err)
	}
	if _, err := body.Seek(0, io.SeekStart); err != nil {
		return model.ArtifactFile{}, fmt.Errorf("adapter file %s: %w", f.name, err)
	}
	if err := e.objects.PutObject(ctx, store.BucketModelArtifacts, key, body, size, "application/octet-stream"); err != nil {
		return model.ArtifactFile{}, err
	}
	return d.File(f.name), nil
}

// dropObjects removes uploaded files of an artifact that was not recorded.
func (e *Runtime) dropObjects(keys []string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, k := range keys {
		if err := e.objects.DeleteObject(ctx, store.BucketModelArtifacts, k); err != nil {
			e.log.Warn("drop unrecorded artifact file", "key", k, "err", err)
		}
	}
}

// ValidArtifactName accepts clean relative slash paths only, so a download
// can never write outside its directory.
func ValidArtifactName(name string) bool {
	if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, "\\") || path.Clean(name) != name {
		return false
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." || part == "." {
			return false
		}
	}
	return true
}
