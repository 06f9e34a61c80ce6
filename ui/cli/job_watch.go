package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/termtext"
)

// The commands that follow a running job: watch it to its end, print its
// log (--follow to keep printing), cancel it.

// trainerText names a job's trainer, saying plainly when it is simulated.
func trainerText(trainer string) string {
	if trainer == model.TrainerSimulated {
		return "simulated (no GPU is used; the adapter is labelled SIMULATED)"
	}
	return termtext.Line(trainer)
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
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		enc := json.NewEncoder(env.Stdout)
		var last string
		first := true
		return followJob(ctx, env, c, s, id, func(_ context.Context, j model.Job) error {
			if c.json {
				return enc.Encode(j)
			}
			if first {
				fmt.Fprintf(env.Stdout, "watching job %s (%s) · trainer %s\n", termtext.Line(j.Name), j.ID, trainerText(j.Trainer))
				first = false
			}
			line := watchLine(j)
			if line != last {
				fmt.Fprintf(env.Stdout, "%s  %s\n", time.Now().Format(time.TimeOnly), line)
				last = line
			}
			return nil
		})
	})
}

// followJob calls each at every change of job id until the job ends (or
// ctrl+c stops it), then ends as `job watch` does: the end in words (not
// with --json), and how the job ended as the exit status.
func followJob(ctx context.Context, env Env, c common, s *engine.Session, id uuid.UUID, each func(ctx context.Context, j model.Job) error) error {
	ctx, stop := interruptible(ctx)
	defer stop()
	j, err := s.WatchJob(ctx, id, func(j model.Job) error { return each(ctx, j) })
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
	line := fmt.Sprintf("%-12s %-16s epoch %d/%d  step %d/%d  %5.1f%%  $%.2f", j.Status, termtext.Line(j.CurrentStage),
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
		fmt.Fprintf(w, "job %s %s · cost so far $%.2f\n%s\n", j.ID, j.Status, cost, termtext.Line(j.ErrorMessage))
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
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		j, err := s.CancelJob(ctx, id)
		if errors.Is(err, engine.ErrJobFinished) {
			fmt.Fprintf(env.Stderr, "brightrun: %s\n", oneLine(err.Error()))
			return errNegative
		}
		if err != nil {
			return err
		}
		silent := false
		if !j.Status.Final() && *wait > 0 {
			if j, silent, err = waitCancelled(ctx, env, s, id, *wait); err != nil {
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
		if silent {
			fmt.Fprintf(env.Stderr, "brightrun: the worker of job %s has not answered: it has sent no heartbeat for %s and may have died; "+
				"a worker's sweep ends the job cancelled, with the cost so far, once it has sent none for the rescue interval\n", id, cancelAnswer)
		}
		if j.Status == model.JobCancelled || (!j.Status.Final() && *wait == 0) {
			return nil
		}
		return errNegative
	})
}

// cancelAnswer is how long a running job's worker has to end it after a
// cancel (the README promises 3 s) before `job cancel` asks whether the
// worker is still there.
const cancelAnswer = 3 * time.Second

// waitCancelled waits up to wait for a job whose cancel was asked to end.
// A worker that has not ended it within cancelAnswer and has sent no
// heartbeat for as long is taken for dead: it returns then (silent), rather
// than waiting out wait for nothing, after ending the job itself when the
// worker has been silent for the rescue interval (as the sweep would).
func waitCancelled(ctx context.Context, env Env, s *engine.Session, id uuid.UUID, wait time.Duration) (model.Job, bool, error) {
	o, err := workerOptions(env) // the rescue interval in force
	if err != nil {
		return model.Job{}, false, err
	}
	deadline := time.Now().Add(wait)
	watch := func(until time.Time) (model.Job, error) {
		wctx, cancel := context.WithDeadline(ctx, until)
		defer cancel()
		j, err := s.WatchJob(wctx, id, func(model.Job) error { return nil })
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return j, err
		}
		return j, nil
	}
	j, err := watch(time.Now().Add(min(wait, cancelAnswer)))
	if err != nil || j.Status.Final() || !time.Now().Before(deadline) {
		return j, false, err
	}
	j, silent, err := s.CancelUnanswered(ctx, id, cancelAnswer, o.RescueAfter)
	if err != nil || j.Status.Final() || silent {
		return j, silent, err
	}
	j, err = watch(deadline) // a live worker, slow to stop: wait on
	return j, false, err
}

// logEntry is one line of a job's log: an event (a stage change, a
// checkpoint, a warning, an error) or a line its trainer printed.
type logEntry struct {
	At     time.Time `json:"at"`
	Source string    `json:"source"`         // "event", "stdout" or "stderr"
	Kind   string    `json:"kind,omitempty"` // an event's kind
	Stage  string    `json:"stage,omitempty"`
	Step   int       `json:"step,omitempty"`
	Seq    int64     `json:"seq,omitempty"` // an output line's
	Text   string    `json:"text"`
}

// mergeLog lays events and output lines (each oldest first) out by time;
// an event goes before output of the same moment.
func mergeLog(events []model.JobEvent, output []model.JobOutputLine) []logEntry {
	out := make([]logEntry, 0, len(events)+len(output))
	for len(events) > 0 || len(output) > 0 {
		if len(events) > 0 && (len(output) == 0 || !output[0].At.Before(events[0].At)) {
			e := events[0]
			events = events[1:]
			out = append(out, logEntry{At: e.At, Source: "event", Kind: e.Kind, Stage: e.Stage, Step: e.Step, Text: e.Message})
			continue
		}
		o := output[0]
		output = output[1:]
		out = append(out, logEntry{At: o.At, Source: o.Stream, Seq: o.Seq, Text: o.Text})
	}
	return out
}

// printLogEntry is one entry as a line: local time, what it is, the text.
func printLogEntry(w io.Writer, e logEntry) {
	kind := e.Source
	if e.Source == "event" {
		kind = e.Kind
	}
	text := e.Text
	if e.Step > 0 && !strings.Contains(text, fmt.Sprintf("step %d", e.Step)) {
		text += fmt.Sprintf(" (step %d)", e.Step)
	}
	fmt.Fprintf(w, "%s  %-10s  %s\n", e.At.Local().Format(time.DateTime), termtext.Line(kind), termtext.Line(text))
}

func runJobLogs(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "job logs", &c, true)
	follow := fs.Bool("follow", false, "keep printing as the job runs, until it ends (--json: one entry a line)")
	id, err := parseOneID(fs, args, "job")
	if err != nil {
		return err
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		if *follow {
			return followLogs(ctx, env, c, s, id)
		}
		j, err := s.Job(ctx, id)
		if err != nil {
			return err
		}
		events, err := s.JobEvents(ctx, id)
		if err != nil {
			return err
		}
		output, err := s.JobOutput(ctx, id, 0, 0)
		if err != nil {
			return err
		}
		entries := mergeLog(events, output)
		if c.json {
			return printJSON(env.Stdout, map[string]any{"job_id": id, "status": j.Status, "entries": entries})
		}
		for _, en := range entries {
			printLogEntry(env.Stdout, en)
		}
		if len(entries) == 0 {
			fmt.Fprintf(env.Stdout, "job %s (%s) has logged nothing yet\n", id, j.Status)
		}
		return nil
	})
}

// followLogs prints the log and then what each change of the job adds,
// until the job ends; the exit status is job watch's.
func followLogs(ctx context.Context, env Env, c common, s *engine.Session, id uuid.UUID) error {
	enc := json.NewEncoder(env.Stdout)
	shown, after := 0, int64(0)
	return followJob(ctx, env, c, s, id, func(ctx context.Context, _ model.Job) error {
		// Events only grow, and output lines come after the last one
		// read: each change prints what is new.
		events, err := s.JobEvents(ctx, id)
		if err != nil {
			return err
		}
		output, err := s.JobOutput(ctx, id, after, 0)
		if err != nil {
			return err
		}
		fresh := events[min(shown, len(events)):]
		shown = len(events)
		if len(output) > 0 {
			after = output[len(output)-1].Seq
		}
		for _, en := range mergeLog(fresh, output) {
			if c.json {
				if err := enc.Encode(en); err != nil {
					return err
				}
				continue
			}
			printLogEntry(env.Stdout, en)
		}
		return nil
	})
}
