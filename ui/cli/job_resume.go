package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"brightrun/engine"
	"brightrun/model"
)

// runJobResume is `job resume ID [--max-cost USD]`: a failed or cancelled
// job with a checkpoint goes back to the queue and continues after it
// (with a new cost cap when given). One that cannot is a negative answer
// (exit 1) saying why: to clone it when it has no checkpoint, to give a
// higher cap when its cost reached its own.
func runJobResume(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "job resume", &c, true)
	maxCost := fs.Float64("max-cost", 0, "a new cost cap in USD for the job, needed when its cost has reached its cap (default: its own)")
	id, err := parseOneID(fs, args, "job")
	if err != nil {
		return err
	}
	var capUSD *float64
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["max-cost"] {
		if err := model.CheckMaxCost(*maxCost); err != nil {
			return usageError{"job resume: --max-cost: " + err.Error()}
		}
		capUSD = maxCost
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		p, err := s.PlanResumeWithCap(ctx, id, capUSD)
		var j model.Job
		if err == nil {
			j, err = s.ResumeJobWithCap(ctx, id, capUSD)
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
