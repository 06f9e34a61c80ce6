package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/store"
)

// A job's checkpoints: listed with the best marked, and fetched like an
// adapter (to this machine's disk, or as presigned URLs).

// ErrNoCheckpoint means the job has no checkpoint at the step asked for.
var ErrNoCheckpoint = errors.New("no such checkpoint")

// CheckpointPage is one page of a job's checkpoints by step
// (`job checkpoints --json`).
type CheckpointPage struct {
	Checkpoints []model.Checkpoint `json:"checkpoints"`
	Page        int                `json:"page"`
	Total       int                `json:"total"`
}

// DefaultCheckpointPageSize is a page of `job checkpoints`: every
// checkpoint of a run of the usual length.
const DefaultCheckpointPageSize = 100

// JobCheckpoints reads a job's checkpoints by step, the best one marked
// (over all of them, not only the page). Page counts from 1; a page or
// limit below 1 is the first page of DefaultCheckpointPageSize.
func (s *Session) JobCheckpoints(ctx context.Context, id uuid.UUID, page, limit int) (CheckpointPage, error) {
	all, err := asUser(ctx, s, func(tx store.Tx) ([]model.Checkpoint, error) {
		if _, err := store.GetJob(ctx, tx, id); err != nil {
			return nil, err
		}
		return store.JobCheckpoints(ctx, tx, id)
	})
	if err != nil {
		return CheckpointPage{}, err
	}
	page = max(page, 1)
	if limit < 1 {
		limit = DefaultCheckpointPageSize
	}
	out := CheckpointPage{Checkpoints: []model.Checkpoint{}, Page: page, Total: len(all)}
	if from := (page - 1) * limit; from < len(all) {
		out.Checkpoints = all[from:min(len(all), from+limit)]
	}
	return out, nil
}

// jobCheckpoint reads a job and its checkpoint at step, as an artifact to
// fetch; a step it does not have is ErrNoCheckpoint, naming those it has.
func (s *Session) jobCheckpoint(ctx context.Context, id uuid.UUID, step int) (model.Job, model.Artifact, error) {
	var j model.Job
	all, err := asUser(ctx, s, func(tx store.Tx) ([]model.Checkpoint, error) {
		var err error
		if j, err = store.GetJob(ctx, tx, id); err != nil {
			return nil, err
		}
		return store.JobCheckpoints(ctx, tx, id)
	})
	if err != nil {
		return j, model.Artifact{}, err
	}
	steps := make([]int, len(all))
	for i, c := range all {
		if c.Step == step {
			return j, c.Artifact(j.UserID, j.Trainer), nil
		}
		steps[i] = c.Step
	}
	if len(steps) == 0 {
		return j, model.Artifact{}, fmt.Errorf("job %s has no checkpoint (%w)", id, ErrNoCheckpoint)
	}
	return j, model.Artifact{}, fmt.Errorf("job %s has no checkpoint at step %d; it has steps %v (%w)", id, step, steps, ErrNoCheckpoint)
}

// DownloadCheckpoint writes the files of a job's checkpoint at step into
// outDir, each checked by size and SHA-256, and returns the checkpoint (as
// an artifact) and the paths written.
func (s *Session) DownloadCheckpoint(ctx context.Context, jobID uuid.UUID, step int, outDir string) (model.Artifact, []string, error) {
	_, a, err := s.jobCheckpoint(ctx, jobID, step)
	if err != nil {
		return a, nil, err
	}
	paths, err := s.e.downloadArtifact(ctx, a, outDir)
	return a, paths, err
}

// CheckpointDownloadURLs presigns a GET URL for each file of a job's
// checkpoint at step, as ArtifactDownloadURLs does for its adapter.
func (s *Session) CheckpointDownloadURLs(ctx context.Context, jobID uuid.UUID, step int, expiry time.Duration) (ArtifactURLs, error) {
	expiry, err := checkURLExpiry(expiry)
	if err != nil {
		return ArtifactURLs{}, err
	}
	j, a, err := s.jobCheckpoint(ctx, jobID, step)
	if err != nil {
		return ArtifactURLs{}, err
	}
	return s.e.artifactURLs(ctx, j, a, expiry)
}
