package store

import (
	"context"
	"fmt"
	"math"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"brightrun/model"
)

// ResumeJob puts a failed or cancelled job back in the queue to continue
// after its checkpoint c: its row goes back to queued at c's step (the GPU
// time billed so far kept, so the next attempt's cost adds to it), the
// points after c are dropped (the next attempt records those steps again,
// each once), and so is its partial cost record (its end writes one for
// every attempt together). maxCost, when set, is its new cost cap.
// ErrRunLost means it is not failed or cancelled.
func ResumeJob(ctx context.Context, tx pgx.Tx, id uuid.UUID, c model.Checkpoint, maxCost *float64, event model.JobEvent) (model.Job, error) {
	events, err := eventsJSON([]model.JobEvent{event})
	if err != nil {
		return model.Job{}, err
	}
	tag, err := tx.Exec(ctx, `
		UPDATE training_jobs SET status = 'queued', current_stage = 'queued', current_step = $2::int, current_epoch = $3,
			progress = CASE WHEN total_steps > 0 THEN least(99, 100.0 * $2::int / total_steps) ELSE 0 END,
			completed_at = NULL, cancelled_at = NULL, cancel_requested_at = NULL, final_cost = NULL,
			error_message = NULL, stop_reason = NULL, best_checkpoint_step = NULL, artifact_id = NULL,
			estimated_completion_at = NULL, heartbeat_at = NULL, retry_count = 0, events = events || $4::jsonb,
			max_cost = coalesce($5, max_cost)
		WHERE id = $1 AND status IN ('failed', 'cancelled')`, id, c.Step, int(math.Ceil(c.Epoch)), events, maxCost)
	if err != nil {
		return model.Job{}, fmt.Errorf("resume job %s: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return model.Job{}, fmt.Errorf("resume job %s: %w", id, ErrRunLost)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM metrics_points WHERE job_id = $1 AND step > $2`, id, c.Step); err != nil {
		return model.Job{}, fmt.Errorf("resume job %s: drop the points after step %d: %w", id, c.Step, err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM cost_records WHERE job_id = $1`, id); err != nil {
		return model.Job{}, fmt.Errorf("resume job %s: drop its partial cost record: %w", id, err)
	}
	return GetJob(ctx, tx, id)
}
