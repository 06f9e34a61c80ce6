package worker

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"time"

	"brightrun/model"
	"brightrun/store"
)

// checkpointPrefix is where a checkpoint's files go: under the job's
// prefix in model-artifacts, one folder per step.
func (r *trainRun) checkpointPrefix(step int) string {
	return fmt.Sprintf("%s/%s/checkpoints/step-%d/", r.user, r.job.ID, step)
}

// newCheckpoint is the row of a checkpoint at step with the run's current
// metrics, which the trainer reported just before it.
func (r *trainRun) newCheckpoint(step int, epoch float64) model.Checkpoint {
	c := model.Checkpoint{JobID: r.job.ID, Step: step, Epoch: epoch, StorageBucket: store.BucketModelArtifacts,
		StoragePath: r.checkpointPrefix(step)}
	m := maps.Clone(r.metrics)
	get := func(k string) *float64 {
		if v, ok := m[k]; ok {
			return &v
		}
		return nil
	}
	c.TrainLoss, c.ValLoss = get("train_loss"), get("val_loss")
	c.TrainAccuracy, c.ValAccuracy = get(model.MetricTrainAccuracy), get(model.MetricValAccuracy)
	return c
}

// storeCheckpoint uploads a checkpoint's files and records it, then drops
// the checkpoints beyond the newest keep and the best (keep ≤ 0: none). A
// checkpoint that cannot be stored is a warning in the job's events: the
// run goes on, as a trainer's own save would not stop it either.
func (r *trainRun) storeCheckpoint(ctx context.Context, c model.Checkpoint, files []artifactFile, keep int) {
	var keys []string
	fail := func(err error) {
		r.e.dropObjects(keys)
		r.event(model.EventWarning, fmt.Sprintf("checkpoint at step %d not stored: %v", c.Step, err))
	}
	for _, f := range files {
		if !ValidArtifactName(f.name) {
			fail(fmt.Errorf("file name %q is not a clean relative path", f.name))
			return
		}
		key := c.StoragePath + f.name
		af, err := r.e.putArtifactFile(ctx, key, f)
		if err != nil {
			fail(err)
			return
		}
		keys = append(keys, key)
		c.Files = append(c.Files, af)
		c.SizeBytes += af.Size
	}
	c.CreatedAt = time.Now().UTC()
	var drop []model.Checkpoint
	err := retryTransient(ctx, func() error {
		return r.e.db.WithUser(ctx, r.user, func(tx store.Tx) error {
			if err := store.SaveCheckpoint(ctx, tx, r.user, c); err != nil {
				return err
			}
			list, err := store.JobCheckpoints(ctx, tx, r.job.ID)
			if err != nil {
				return err
			}
			r.checkpoints = list
			drop = model.PruneCheckpoints(list, keep)
			for _, d := range drop {
				if err := store.DeleteCheckpoint(ctx, tx, r.job.ID, d.Step); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		fail(err)
		return
	}
	for _, d := range drop {
		r.dropCheckpointFiles(d)
	}
	r.checkpoints = pruned(r.checkpoints, drop)
}

// dropCheckpointFiles removes the stored files of a checkpoint whose row is gone.
func (r *trainRun) dropCheckpointFiles(c model.Checkpoint) {
	keys := make([]string, len(c.Files))
	for i, f := range c.Files {
		keys[i] = c.StoragePath + f.Name
	}
	r.e.dropObjects(keys)
}

// pruned is list without the checkpoints of drop.
func pruned(list, drop []model.Checkpoint) []model.Checkpoint {
	gone := map[int]bool{}
	for _, d := range drop {
		gone[d.Step] = true
	}
	out := list[:0:0]
	for _, c := range list {
		if !gone[c.Step] {
			out = append(out, c)
		}
	}
	model.MarkBest(out)
	return out
}

// fetchResumeCheckpoint puts the files of the checkpoint a resumed exec
// run continues after (the newest stored at or before the last step
// recorded) into dir/checkpoint-STEP (the Hugging Face Trainer's
// name), unless that folder is there already (the same machine ran the
// attempt before). A checkpoint that cannot be fetched fails the run: the
// trainer would otherwise start over and bill the steps again.
func (r *trainRun) fetchResumeCheckpoint(ctx context.Context, dir string) error {
	var c *model.Checkpoint
	for i, k := range r.checkpoints {
		if k.Step <= r.checkpoint.Step && (c == nil || k.Step > c.Step) {
			c = &r.checkpoints[i]
		}
	}
	if c == nil {
		return nil // nothing stored yet: the trainer starts over
	}
	dest := filepath.Join(dir, fmt.Sprintf("checkpoint-%d", c.Step))
	if _, err := os.Stat(dest); err == nil {
		return nil
	}
	tmp := dest + ".part"
	if err := os.RemoveAll(tmp); err != nil {
		return fmt.Errorf("checkpoint at step %d: %w", c.Step, err)
	}
	for _, f := range c.Files {
		if !ValidArtifactName(f.Name) {
			return failf("checkpoint at step %d: file name %q is not a clean relative path", c.Step, f.Name)
		}
		if err := r.e.fetchObject(ctx, c.StorageBucket, c.StoragePath+f.Name, filepath.Join(tmp, filepath.FromSlash(f.Name)), f.Size); err != nil {
			return failf("fetch the checkpoint at step %d to resume from: %v", c.Step, err)
		}
	}
	if err := os.Rename(tmp, dest); err != nil {
		return fmt.Errorf("checkpoint at step %d: %w", c.Step, err)
	}
	r.event(model.EventCheckpoint, fmt.Sprintf("checkpoint at step %d fetched into %s (%d files)", c.Step, filepath.Base(dest), len(c.Files)))
	return nil
}

// fetchObject writes one stored object to path, checking its size.
func (e *Runtime) fetchObject(ctx context.Context, bucket, key, path string, size int64) error {
	body, _, err := e.objects.GetObject(ctx, bucket, key)
	if err != nil {
		return err
	}
	defer body.Close()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	n, err := io.Copy(f, body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n != size {
		err = fmt.Errorf("%s: got %d bytes, the record says %d", key, n, size)
	}
	return err
}
