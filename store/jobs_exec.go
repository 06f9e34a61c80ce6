package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"brightrun/model"
)

// The rows a running job writes. Every write of a run is fenced by the run's
// attempt (retry_count = attempt - 1) and by the job not being final, so a
// worker that lost its job (rescued elsewhere, cancelled, ended by the
// reaper) cannot overwrite what came after it.

// ErrRunLost means the job is no longer this run's: it ended, or another
// attempt took it over.
var ErrRunLost = errors.New("the job is no longer this run's")

// finalStatuses is the SQL list of final job statuses.
const finalStatuses = `('completed', 'failed', 'cancelled')`

// JobRun is what a worker learns when it claims a job.
type JobRun struct {
	Job             model.Job
	Dataset         model.Dataset // read even if soft-deleted since
	DatasetDeleted  bool
	BilledSeconds   float64 // GPU time charged by earlier attempts
	FirstStart      bool    // the job was queued: this is its first run
	CancelRequested bool
	// ValidationDataset is the job's validation dataset, when it names
	// one (read even if soft-deleted since; its file may then be gone).
	ValidationDataset *model.Dataset
}

// ClaimJobRun locks the job for a new attempt: a queued job becomes
// initializing with started_at now; a job an earlier attempt left running
// keeps its state (it resumes). The attempt becomes the run's fence and its
// heartbeat starts. A final job is returned as is, unclaimed.
func ClaimJobRun(ctx context.Context, tx pgx.Tx, id uuid.UUID, attempt int) (JobRun, error) {
	var run JobRun
	var cancelAt *time.Time
	err := tx.QueryRow(ctx, `SELECT status, billed_seconds, cancel_requested_at FROM training_jobs WHERE id = $1 FOR UPDATE`, id).
		Scan(new(string), &run.BilledSeconds, &cancelAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return JobRun{}, fmt.Errorf("job %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return JobRun{}, fmt.Errorf("claim job %s: %w", id, err)
	}
	run.CancelRequested = cancelAt != nil
	if run.Job, err = GetJob(ctx, tx, id); err != nil {
		return JobRun{}, err
	}
	if run.Job.Status.Final() {
		return run, nil
	}
	run.FirstStart = run.Job.Status == model.JobQueued
	if _, err := tx.Exec(ctx, `
		UPDATE training_jobs SET retry_count = $2, heartbeat_at = now(),
			status = CASE WHEN status = 'queued' THEN 'initializing' ELSE status END,
			current_stage = CASE WHEN status = 'queued' THEN $3 ELSE current_stage END,
			started_at = coalesce(started_at, now())
		WHERE id = $1`, id, attempt-1, model.StageProvisioning); err != nil {
		return JobRun{}, fmt.Errorf("claim job %s: %w", id, err)
	}
	if run.Job, err = GetJob(ctx, tx, id); err != nil {
		return JobRun{}, err
	}
	var deletedAt *time.Time
	run.Dataset, err = scanDataset(tx.QueryRow(ctx, `SELECT `+datasetColumns+` FROM datasets WHERE id = $1`, run.Job.DatasetID))
	if err != nil {
		return JobRun{}, fmt.Errorf("dataset %s of job %s: %w", run.Job.DatasetID, id, err)
	}
	if err := tx.QueryRow(ctx, `SELECT deleted_at FROM datasets WHERE id = $1`, run.Job.DatasetID).Scan(&deletedAt); err != nil {
		return JobRun{}, fmt.Errorf("dataset %s of job %s: %w", run.Job.DatasetID, id, err)
	}
	run.DatasetDeleted = deletedAt != nil
	if id := run.Job.ValidationDatasetID; id != nil {
		v, err := scanDataset(tx.QueryRow(ctx, `SELECT `+datasetColumns+` FROM datasets WHERE id = $1`, *id))
		if err != nil {
			return JobRun{}, fmt.Errorf("validation dataset %s of job %s: %w", *id, run.Job.ID, err)
		}
		run.ValidationDataset = &v
	}
	return run, nil
}

// JobProgress is what a run writes onto its row as it goes.
type JobProgress struct {
	Status                model.JobStatus
	Stage                 string
	Progress              float64
	Epoch                 int
	Step                  int
	BilledSeconds         float64
	Cost                  float64
	Metrics               map[string]float64
	EstimatedCompletionAt *time.Time
	Events                []model.JobEvent // appended to the log
}

// SaveJobProgress writes the run's state, renews its heartbeat and appends
// its new events, and says whether an operator asked to cancel the job.
// ErrRunLost means the row is final or another attempt owns it.
func SaveJobProgress(ctx context.Context, tx pgx.Tx, id uuid.UUID, attempt int, p JobProgress) (cancelRequested bool, err error) {
	args, err := progressArgs(id, attempt, p)
	if err != nil {
		return false, err
	}
	return scanProgress(id, tx.QueryRow(ctx, saveProgressSQL, args...))
}

const saveProgressSQL = `
	UPDATE training_jobs SET status = $3, current_stage = $4, progress = $5, current_epoch = $6, current_step = $7,
		billed_seconds = $8, current_cost = $9, current_metrics = $10, estimated_completion_at = $11,
		events = events || $12::jsonb, heartbeat_at = now()
	WHERE id = $1 AND retry_count = $2 AND status NOT IN ` + finalStatuses + `
	RETURNING cancel_requested_at IS NOT NULL`

// progressArgs are the arguments of saveProgressSQL.
func progressArgs(id uuid.UUID, attempt int, p JobProgress) ([]any, error) {
	events, err := eventsJSON(p.Events)
	if err != nil {
		return nil, err
	}
	metrics := p.Metrics
	if metrics == nil {
		metrics = map[string]float64{}
	}
	return []any{id, attempt - 1, string(p.Status), p.Stage, clampProgress(p.Progress), p.Epoch, p.Step, p.BilledSeconds, p.Cost,
		metrics, p.EstimatedCompletionAt, events}, nil
}

// scanProgress reads saveProgressSQL's answer.
func scanProgress(id uuid.UUID, row pgx.Row) (cancelRequested bool, err error) {
	err = row.Scan(&cancelRequested)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, fmt.Errorf("job %s: %w", id, ErrRunLost)
	}
	if err != nil {
		return false, fmt.Errorf("save progress of job %s: %w", id, err)
	}
	return cancelRequested, nil
}

// TouchJobHeartbeat renews the run's lease without changing anything else.
func TouchJobHeartbeat(ctx context.Context, tx pgx.Tx, id uuid.UUID, attempt int) error {
	tag, err := tx.Exec(ctx, `UPDATE training_jobs SET heartbeat_at = now()
		WHERE id = $1 AND retry_count = $2 AND status NOT IN `+finalStatuses, id, attempt-1)
	if err != nil {
		return fmt.Errorf("heartbeat of job %s: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("job %s: %w", id, ErrRunLost)
	}
	return nil
}

// JobEnd is how a job ended.
type JobEnd struct {
	Status        model.JobStatus // completed, failed or cancelled
	Reason        string          // error_message of a failed job
	StopReason    string          // stop_reason: why a run ended before its plan
	BilledSeconds float64
	FinalCost     float64
	ArtifactID    *uuid.UUID
	Events        []model.JobEvent
	// BestCheckpointStep names the checkpoint whose adapter a completed
	// run kept (early stopping).
	BestCheckpointStep *int
}

// FinishJob ends a job that is not final yet: status, stage, completed_at
// (and cancelled_at), final and current cost, the artifact, the reason.
// attempt 0 finishes it whatever attempt owns it (the reaper, a cancel of a
// queued job). ErrRunLost means it had already ended or changed hands.
func FinishJob(ctx context.Context, tx pgx.Tx, id uuid.UUID, attempt int, end JobEnd) (model.Job, error) {
	if !end.Status.Final() {
		return model.Job{}, fmt.Errorf("finish job %s: %s is not a final status", id, end.Status)
	}
	events, err := eventsJSON(end.Events)
	if err != nil {
		return model.Job{}, err
	}
	var reason, stop *string
	if end.Reason != "" {
		reason = &end.Reason
	}
	if end.StopReason != "" {
		stop = &end.StopReason
	}
	tag, err := tx.Exec(ctx, `
		UPDATE training_jobs SET status = $3, current_stage = $3, completed_at = now(),
			cancelled_at = CASE WHEN $3 = 'cancelled' THEN now() END,
			progress = CASE WHEN $3 = 'completed' THEN 100 ELSE progress END,
			current_step = CASE WHEN $3 = 'completed' AND $9::text IS NULL THEN total_steps ELSE current_step END,
			current_epoch = CASE WHEN $3 = 'completed' AND $9::text IS NULL THEN total_epochs ELSE current_epoch END,
			billed_seconds = greatest(billed_seconds, $4), final_cost = $5, current_cost = $5,
			artifact_id = $6, error_message = $7, estimated_completion_at = NULL,
			events = events || $8::jsonb, stop_reason = coalesce($9, stop_reason),
			best_checkpoint_step = coalesce($10, best_checkpoint_step)
		WHERE id = $1 AND ($2 = 0 OR retry_count = $2 - 1) AND status NOT IN `+finalStatuses,
		id, attempt, string(end.Status), end.BilledSeconds, end.FinalCost, end.ArtifactID, reason, events, stop, end.BestCheckpointStep)
	if err != nil {
		return model.Job{}, fmt.Errorf("finish job %s as %s: %w", id, end.Status, err)
	}
	if tag.RowsAffected() == 0 {
		return model.Job{}, fmt.Errorf("job %s: %w", id, ErrRunLost)
	}
	return GetJob(ctx, tx, id)
}

// RequestJobCancel marks a job for cancellation (cancel_requested_at, kept
// from the first request) and returns it. A final job is returned unchanged.
func RequestJobCancel(ctx context.Context, tx pgx.Tx, id uuid.UUID) (model.Job, error) {
	if _, err := tx.Exec(ctx, `UPDATE training_jobs SET cancel_requested_at = coalesce(cancel_requested_at, now())
		WHERE id = $1 AND status NOT IN `+finalStatuses, id); err != nil {
		return model.Job{}, fmt.Errorf("cancel job %s: %w", id, err)
	}
	return GetJob(ctx, tx, id)
}

// LockJob reads a job and holds its row until the transaction ends.
func LockJob(ctx context.Context, tx pgx.Tx, id uuid.UUID) (model.Job, error) {
	if _, err := tx.Exec(ctx, `SELECT 1 FROM training_jobs WHERE id = $1 FOR UPDATE`, id); err != nil {
		return model.Job{}, fmt.Errorf("lock job %s: %w", id, err)
	}
	return GetJob(ctx, tx, id)
}

// JobLease is what the reaper needs to judge whether a job's worker is alive.
type JobLease struct {
	Job           model.Job
	HeartbeatAt   *time.Time
	BilledSeconds float64
	Stale         bool // no heartbeat within the interval asked about
}

// LockJobLease locks a job and says whether its heartbeat is older than
// staleAfter (by the database's clock, which every worker shares).
func LockJobLease(ctx context.Context, tx pgx.Tx, id uuid.UUID, staleAfter time.Duration) (JobLease, error) {
	var l JobLease
	err := tx.QueryRow(ctx, `SELECT heartbeat_at, billed_seconds,
			heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => $2)
		FROM training_jobs WHERE id = $1 FOR UPDATE`, id, staleAfter.Seconds()).Scan(&l.HeartbeatAt, &l.BilledSeconds, &l.Stale)
	if errors.Is(err, pgx.ErrNoRows) {
		return JobLease{}, fmt.Errorf("job %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return JobLease{}, fmt.Errorf("lease of job %s: %w", id, err)
	}
	l.Job, err = GetJob(ctx, tx, id)
	return l, err
}

// AppendJobEvents adds entries to a job's event log.
func AppendJobEvents(ctx context.Context, tx pgx.Tx, id uuid.UUID, events []model.JobEvent) error {
	b, err := eventsJSON(events)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE training_jobs SET events = events || $2::jsonb WHERE id = $1`, id, b); err != nil {
		return fmt.Errorf("log events of job %s: %w", id, err)
	}
	return nil
}

// JobEvents reads a job's event log, oldest first.
func JobEvents(ctx context.Context, tx pgx.Tx, id uuid.UUID) ([]model.JobEvent, error) {
	var raw []byte
	err := tx.QueryRow(ctx, `SELECT events FROM training_jobs WHERE id = $1`, id).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("job %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("events of job %s: %w", id, err)
	}
	return decodeJobEvents(id, raw)
}

// decodeJobEvents decodes a job's events column.
func decodeJobEvents(id uuid.UUID, raw []byte) ([]model.JobEvent, error) {
	events := []model.JobEvent{}
	if err := json.Unmarshal(raw, &events); err != nil {
		return nil, fmt.Errorf("events of job %s: %w", id, err)
	}
	return events, nil
}

func eventsJSON(events []model.JobEvent) (string, error) {
	if len(events) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(events)
	if err != nil {
		return "", fmt.Errorf("encode job events: %w", err)
	}
	return string(b), nil
}

func clampProgress(p float64) float64 {
	return max(0, min(100, p))
}

// MarkJobRescued records that a job's lost run was handed back to the queue:
// its lease restarts now (so no other reaper hands it back twice) and the
// events are logged.
func MarkJobRescued(ctx context.Context, tx pgx.Tx, id uuid.UUID, events []model.JobEvent) error {
	b, err := eventsJSON(events)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE training_jobs SET heartbeat_at = now(), events = events || $2::jsonb WHERE id = $1`, id, b); err != nil {
		return fmt.Errorf("mark job %s rescued: %w", id, err)
	}
	return nil
}
