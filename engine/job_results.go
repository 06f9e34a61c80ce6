package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/google/uuid"

	"brightrun/engine/worker"
	"brightrun/model"
	"brightrun/store"
)

// What a job produced: its curve, its event log, its cost and its adapter.
// Each reads the job first, so another operator's job is store.ErrNotFound
// rather than an empty answer.

// ErrNoArtifact means the job has no adapter (yet).
var ErrNoArtifact = errors.New("no adapter to download")

// JobMetrics reads a job's metrics points at steps from sinceStep on
// (inclusive), ordered by step and then by when they were written. A
// validation point shares the step of its epoch's last training point and
// is written after it, so a screen that keeps the points it has asks again
// from its last step and drops the IDs it already holds; 0 reads all.
func (s *Session) JobMetrics(ctx context.Context, id uuid.UUID, sinceStep int) ([]model.MetricPoint, error) {
	var points []model.MetricPoint
	err := s.e.db.WithUser(ctx, s.user.ID, func(tx store.Tx) error {
		if _, err := store.GetJob(ctx, tx, id); err != nil {
			return err
		}
		var err error
		points, err = store.MetricPoints(ctx, tx, id, sinceStep)
		return err
	})
	return points, err
}

// JobArtifacts lists a job's adapters, newest first (at most one today).
func (s *Session) JobArtifacts(ctx context.Context, id uuid.UUID) ([]model.Artifact, error) {
	var list []model.Artifact
	err := s.e.db.WithUser(ctx, s.user.ID, func(tx store.Tx) error {
		if _, err := store.GetJob(ctx, tx, id); err != nil {
			return err
		}
		var err error
		list, err = store.JobArtifacts(ctx, tx, id)
		return err
	})
	return list, err
}

// JobCost reads a finished job's cost record; nil while the job runs.
func (s *Session) JobCost(ctx context.Context, id uuid.UUID) (*model.CostRecord, error) {
	var out *model.CostRecord
	err := s.e.db.WithUser(ctx, s.user.ID, func(tx store.Tx) error {
		if _, err := store.GetJob(ctx, tx, id); err != nil {
			return err
		}
		c, err := store.JobCost(ctx, tx, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		out = &c
		return err
	})
	return out, err
}

// JobEvents reads a job's event log, oldest first: stage changes,
// checkpoints, trainer warnings and errors, rescues.
func (s *Session) JobEvents(ctx context.Context, id uuid.UUID) ([]model.JobEvent, error) {
	return asUser(ctx, s, func(tx store.Tx) ([]model.JobEvent, error) { return store.JobEvents(ctx, tx, id) })
}

// DownloadArtifact writes the files of a job's adapter into outDir
// (created if missing), checking each file's size and SHA-256 against the
// artifact's record, and returns the paths written. A job without an
// adapter is ErrNoArtifact, saying why. It writes to this machine's disk;
// ArtifactDownloadURLs is the way for an operator on another one.
func (s *Session) DownloadArtifact(ctx context.Context, jobID uuid.UUID, outDir string) ([]string, error) {
	list, err := s.JobArtifacts(ctx, jobID)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		j, err := s.Job(ctx, jobID)
		if err != nil {
			return nil, err
		}
		return nil, noArtifact(j)
	}
	return s.e.downloadArtifact(ctx, list[0], outDir)
}

// downloadArtifact writes a's files into outDir, each checked.
func (e *Engine) downloadArtifact(ctx context.Context, a model.Artifact, outDir string) ([]string, error) {
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, fmt.Errorf("download %s: %w", a.Name, err)
	}
	var paths []string
	for _, f := range a.Metadata.Files {
		if !worker.ValidArtifactName(f.Name) {
			return paths, fmt.Errorf("%s: file name %q is not a clean relative path", a.Name, f.Name)
		}
		p := filepath.Join(outDir, filepath.FromSlash(f.Name))
		if err := e.downloadFile(ctx, a.StorageBucket, a.StoragePath+f.Name, p, f); err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// downloadFile writes one object to path through WriteLocalFile, checking
// its size and checksum before the file is renamed into place, so a failed
// or corrupt download never leaves a file that looks complete.
func (e *Engine) downloadFile(ctx context.Context, bucket, key, path string, want model.ArtifactFile) error {
	body, _, err := e.objects.GetObject(ctx, bucket, key)
	if err != nil {
		return fmt.Errorf("download %s: %w", want.Name, err)
	}
	defer body.Close()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("download %s: %w", want.Name, err)
	}
	_, err = WriteLocalFile(path, func(w io.Writer) (int64, error) {
		d := model.NewFileDigest()
		n, err := io.Copy(io.MultiWriter(w, d), body)
		if err != nil {
			return n, err
		}
		if got := d.File(want.Name); got != want {
			return n, fmt.Errorf("got %d bytes with SHA-256 %s, the record says %d bytes with %s", got.Size, got.SHA256, want.Size, want.SHA256)
		}
		return n, nil
	})
	if err != nil {
		return fmt.Errorf("download %s: %w", want.Name, err)
	}
	return nil
}

// JobLive is what a job view needs at each change of its job: the row, the
// points from a step on and the event log.
type JobLive struct {
	Job    model.Job
	Points []model.MetricPoint
	Events []model.JobEvent
	// Checkpoints are all of the job's, by step, the best marked.
	Checkpoints []model.Checkpoint
}

// JobLive reads a job, its points from sinceStep on and its events in one
// round trip (store.ReadJobLive): a view refreshed at every metric point,
// in every open session, pays one round of the database instead of six,
// and the sessions of one operator following the job share it (see
// liveReads).
func (s *Session) JobLive(ctx context.Context, id uuid.UUID, sinceStep int) (JobLive, error) {
	key := liveKey{user: s.user.ID, job: id, since: sinceStep}
	return s.e.liveReads.share(ctx, key, s.e.events.Load(), func(ctx context.Context) (JobLive, error) {
		return s.readJobLive(ctx, id, sinceStep)
	})
}

func (s *Session) readJobLive(ctx context.Context, id uuid.UUID, sinceStep int) (JobLive, error) {
	var l JobLive
	var err error
	l.Job, l.Points, l.Events, l.Checkpoints, err = s.e.db.ReadJobLive(ctx, s.user.ID, id, sinceStep)
	if err == nil && l.Job.Status == model.JobQueued {
		jobs := []model.Job{l.Job}
		err = s.e.withWaitingReasons(ctx, jobs)
		l.Job = jobs[0]
	}
	return l, err
}
