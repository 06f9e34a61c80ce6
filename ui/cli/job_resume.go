package cli

import (
	"context"
	"errors"
	"fmt"

	"brightrun/engine"
	"brightrun/model"
)

// runJobResume is `job resume ID`: a failed or cancelled job with a
// checkpoint goes back to the queue and continues after it. One that
// cannot is a negative answer (exit 1) saying why, and to clone it when
// it has no checkpoint.
func runJobResume(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "job resume", &c, true)
	id, err := parseOneID(fs, args, "job")
	if err != nil {
		return err
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		p, err := s.PlanResume(ctx, id)
		var j model.Job
		if err == nil {
			j, err = s.ResumeJob(ctx, id)
		}
		if errors.Is(err, model.ErrNotResumable) {
			fmt.Fprintf(env.Stderr, "brightrun: %s\n", oneLine(err.Error()))
			return errNegative
		}
		if err != nil {
			return err
		}
		if c.json {
			return printJSON(env.Stdout, j)
		}
		fmt.Fprintf(env.Stdout, "queued job %s again: it resumes after the checkpoint at step %d (epoch %g); $%.2f spent so far, about $%.2f to go\n",
			j.ID, p.Checkpoint.Step, p.Checkpoint.Epoch, p.SpentCost, p.RemainingCost)
		return nil
	})
}
