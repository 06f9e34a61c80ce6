package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"brightrun/engine"
	"brightrun/model"
)

// The commands that follow a running job: watch it to its end, cancel it,
// download its adapter.

// trainerText names a job's trainer, saying plainly when it is simulated.
func trainerText(trainer string) string {
	if trainer == model.TrainerSimulated {
		return "simulated (no GPU is used; the adapter is labelled SIMULATED)"
	}
	return trainer
}

// jobOutcome is the exit status of a command that waited for a job's end:
// 0 when it completed, 1 (negative) when it failed or was cancelled.
func jobOutcome(j model.Job) error {
	if j.Status == model.JobCompleted {
		return nil
	}
	return errNegative
}

func runJobWatch(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "job watch", &c, true)
	id, err := parseOneID(fs, args, "job")
	if err != nil {
		return err
	}
	e, s, err := openSession(ctx, env, c)
	if err != nil {
		return err
	}
	defer e.Close()
	ctx, stop := interruptible(ctx)
	defer stop()
	enc := json.NewEncoder(env.Stdout)
	var last string
	first := true
	j, err := s.WatchJob(ctx, id, func(j model.Job) error {
		if c.json {
			return enc.Encode(j)
		}
		if first {
			fmt.Fprintf(env.Stdout, "watching job %s (%s) · trainer %s\n", j.Name, j.ID, trainerText(j.Trainer))
			first = false
		}
		line := watchLine(j)
		if line != last {
			fmt.Fprintf(env.Stdout, "%s  %s\n", time.Now().Format(time.TimeOnly), line)
			last = line
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !c.json {
		printJobEnd(env.Stdout, j)
	}
	return jobOutcome(j)
}

// watchLine is one line of progress: what changed is what shows.
func watchLine(j model.Job) string {
	line := fmt.Sprintf("%-12s %-16s epoch %d/%d  step %d/%d  %5.1f%%  $%.2f", j.Status, j.CurrentStage,
		j.CurrentEpoch, j.TotalEpochs, j.CurrentStep, j.TotalSteps, j.Progress, j.CurrentCost)
	for _, k := range []string{"train_loss", "val_loss", "learning_rate"} {
		if v, ok := j.CurrentMetrics[k]; ok {
			line += fmt.Sprintf("  %s %.4g", k, v)
		}
	}
	return line
}

// printJobEnd says how a job ended and what to do next.
func printJobEnd(w io.Writer, j model.Job) {
	cost := j.CurrentCost
	if j.FinalCost != nil {
		cost = *j.FinalCost
	}
	switch j.Status {
	case model.JobCompleted:
		fmt.Fprintf(w, "job %s completed · cost $%.2f · download the adapter: brightrun job download %s --out DIR\n", j.ID, cost, j.ID)
	case model.JobCancelled:
		fmt.Fprintf(w, "job %s cancelled at step %d/%d · cost so far $%.2f\n", j.ID, j.CurrentStep, j.TotalSteps, cost)
	default:
		fmt.Fprintf(w, "job %s %s · cost so far $%.2f\n%s\n", j.ID, j.Status, cost, j.ErrorMessage)
	}
}

func runJobCancel(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "job cancel", &c, true)
	wait := fs.Duration("wait", 30*time.Second, "wait this long for the trainer to stop (0: do not wait)")
	id, err := parseOneID(fs, args, "job")
	if err != nil {
		return err
	}
	e, s, err := openSession(ctx, env, c)
	if err != nil {
		return err
	}
	defer e.Close()
	j, err := s.CancelJob(ctx, id)
	if errors.Is(err, engine.ErrJobFinished) {
		fmt.Fprintf(env.Stderr, "brightrun: %s\n", oneLine(err.Error()))
		return errNegative
	}
	if err != nil {
		return err
	}
	if !j.Status.Final() && *wait > 0 {
		wctx, cancel := context.WithTimeout(ctx, *wait)
		defer cancel()
		j, err = s.WatchJob(wctx, id, func(model.Job) error { return nil })
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
	}
	if c.json {
		if err := printJSON(env.Stdout, j); err != nil {
			return err
		}
	} else if j.Status.Final() {
		printJobEnd(env.Stdout, j)
	} else {
		fmt.Fprintf(env.Stdout, "cancel requested for job %s; it is still %s (stage %s)\n", j.ID, j.Status, j.CurrentStage)
	}
	if j.Status == model.JobCancelled || (!j.Status.Final() && *wait == 0) {
		return nil
	}
	return errNegative
}

func runJobDownload(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "job download", &c, true)
	out := fs.String("out", "", "directory to write the adapter's files into (required)")
	id, err := parseOneID(fs, args, "job")
	if err != nil {
		return err
	}
	if *out == "" {
		return usagef("job download: --out DIR is required")
	}
	e, s, err := openSession(ctx, env, c)
	if err != nil {
		return err
	}
	defer e.Close()
	paths, err := s.DownloadArtifact(ctx, id, *out)
	if errors.Is(err, engine.ErrNoArtifact) {
		fmt.Fprintf(env.Stderr, "brightrun: %s\n", oneLine(err.Error()))
		return errNegative
	}
	if err != nil {
		return err
	}
	arts, err := s.JobArtifacts(ctx, id)
	if err != nil {
		return err
	}
	if c.json {
		return printJSON(env.Stdout, map[string]any{"job_id": id, "artifact": arts[0], "files": paths})
	}
	a := arts[0]
	fmt.Fprintf(env.Stdout, "downloaded %q (%s, %d files, %d bytes) to %s\n", a.Name, a.Format, len(paths), a.FileSize, *out)
	if a.Metadata.Simulated {
		fmt.Fprintf(env.Stdout, "note: %s\n", model.SimulatedNote)
	}
	for _, p := range paths {
		fmt.Fprintf(env.Stdout, "  %s\n", p)
	}
	return nil
}
