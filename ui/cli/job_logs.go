package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/termtext"
)

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
