package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"brightrun/engine/worker"
	"brightrun/model"
	"brightrun/store"
)

// ResumePlan is what resuming a job would do: continue after Checkpoint,
// for about RemainingCost more than the SpentCost already billed.
type ResumePlan struct {
	Job           model.Job        `json:"job"`
	Checkpoint    model.Checkpoint `json:"checkpoint"`
	SpentCost     float64          `json:"spent_cost"`
	RemainingCost float64          `json:"remaining_cost"`
}

// PlanResume says what ResumeJob would do with a job, for a confirmation;
// a job that cannot resume is an error wrapping model.ErrNotResumable.
func (s *Session) PlanResume(ctx context.Context, id uuid.UUID) (ResumePlan, error) {
	return s.PlanResumeWithCap(ctx, id, nil)
}

// PlanResumeWithCap is PlanResume with a new cost cap (nil: the job's).
func (s *Session) PlanResumeWithCap(ctx context.Context, id uuid.UUID, maxCost *float64) (ResumePlan, error) {
	return asUser(ctx, s, func(tx store.Tx) (ResumePlan, error) {
		j, err := store.GetJob(ctx, tx, id)
		if err != nil {
			return ResumePlan{}, err
		}
		return planResume(ctx, tx, j, maxCost)
	})
}

func planResume(ctx context.Context, tx store.Tx, j model.Job, maxCost *float64) (ResumePlan, error) {
	list, err := store.JobCheckpoints(ctx, tx, j.ID)
	if err != nil {
		return ResumePlan{}, err
	}
	c, err := model.ResumeFrom(j, list, maxCost)
	if err != nil {
		return ResumePlan{}, err
	}
	return ResumePlan{Job: j, Checkpoint: c, SpentCost: j.Spent(), RemainingCost: model.ResumeCost(j, c.Step)}, nil
}

// ResumeJob takes a failed or cancelled job with a checkpoint back to
// queued, to continue after its newest checkpoint on the next worker that
// takes it (the simulated trainer from that step, an exec trainer with
// BRIGHTRUN_RESUME_STEP and the checkpoint's files in its checkpoint dir);
// what it costs adds to what was spent. A reason it stopped (a cost cap,
// early stopping) is cleared; a job at its cost cap needs a higher one
// (ResumeJobWithCap). A job that cannot resume is an error
// wrapping model.ErrNotResumable.
func (s *Session) ResumeJob(ctx context.Context, id uuid.UUID) (model.Job, error) {
	return s.ResumeJobWithCap(ctx, id, nil)
}

// ResumeJobWithCap is ResumeJob with a new cost cap for the job (nil:
// its own): a job its cap stopped resumes only with a higher one.
func (s *Session) ResumeJobWithCap(ctx context.Context, id uuid.UUID, maxCost *float64) (model.Job, error) {
	if maxCost != nil {
		if err := model.CheckMaxCost(*maxCost); err != nil {
			return model.Job{}, err
		}
	}
	q, err := s.e.rt.Queue()
	if err != nil {
		return model.Job{}, err
	}
	job, err := asUser(ctx, s, func(tx store.Tx) (model.Job, error) {
		j, err := store.LockJob(ctx, tx, id)
		if err != nil {
			return model.Job{}, err
		}
		p, err := planResume(ctx, tx, j, maxCost)
		if err != nil {
			return model.Job{}, err
		}
		ev := model.JobEvent{At: time.Now().UTC(), Kind: model.EventCheckpoint, Stage: model.StageQueued, Step: p.Checkpoint.Step,
			Message: fmt.Sprintf("resumed by the operator from the checkpoint at step %d (epoch %g): $%.2f spent so far, about $%.2f to go",
				p.Checkpoint.Step, p.Checkpoint.Epoch, p.SpentCost, p.RemainingCost)}
		if j, err = store.ResumeJob(ctx, tx, id, p.Checkpoint, maxCost, ev); err != nil {
			return model.Job{}, err
		}
		if _, err := q.InsertTx(ctx, tx, worker.TrainJobArgs{UserID: s.user.ID, JobID: j.ID}, worker.TrainInsertOpts(j)); err != nil {
			return model.Job{}, fmt.Errorf("queue job %s: %w", j.ID, err)
		}
		_, err = store.AddNotification(ctx, tx, model.JobQueuedNotification(j))
		return j, err
	})
	if err != nil {
		return model.Job{}, err
	}
	s.e.log.Info("job resumed", "job", job.ID, "step", job.CurrentStep)
	return job, nil
}
