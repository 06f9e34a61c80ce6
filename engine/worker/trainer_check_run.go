package worker

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"time"

	"brightrun/model"
)

// checkAttempt is what one run of the trainer showed.
type checkAttempt struct {
	cutBefore   int
	cutAt       int // the checkpoint step the run was cut at (-1: not cut)
	lines       int // protocol lines read
	badLine     string
	nonFinite   []string
	backwards   string
	trainSteps  []int     // steps of the metrics with a train_loss, in order
	losses      []float64 // those train losses
	valPoints   int
	minStep     int // the lowest step reported (-1: none)
	checkpoints []int
	errMsg      string
	stopped     string // why the run was stopped, "" when it ended by itself
	waitErr     error
	stderrTail  string
	log         []string
}

// maxCheckLog bounds the trainer's log lines kept in the report.
const maxCheckLog = 50

// runCheckAttempt runs the trainer once with spec (its output dir emptied
// first, as a worker does) and follows its stdout like a worker: the first
// line that breaks the protocol, the idle timeout and the run timeout stop
// it.
//
// cutBefore > 0 stops the trainer (SIGTERM, as on a cancel) as soon as it
// reports a checkpoint at a step below cutBefore; cutAt records that step.
func runCheckAttempt(ctx context.Context, o TrainerCheckOptions, base string, spec execSpec, cutBefore int) (*checkAttempt, error) {
	if err := os.RemoveAll(spec.OutputDir); err != nil {
		return nil, fmt.Errorf("clear %s: %w", spec.OutputDir, err)
	}
	for _, d := range []string{spec.OutputDir, spec.CheckpointDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("work dir: %w", err)
		}
	}
	specPath, err := writeExecSpec(base, spec)
	if err != nil {
		return nil, err
	}
	cmd := execCommand(o.Command, spec, specPath)
	p, err := startTrainerProcess(cmd, o.Stderr)
	if err != nil {
		return nil, fmt.Errorf("start the trainer command %q: %w", o.Command, err)
	}
	a := &checkAttempt{minStep: -1, cutBefore: cutBefore, cutAt: -1}
	a.follow(ctx, p, o)
	a.waitErr = p.wait()
	a.stderrTail = p.stderr.tail()
	return a, nil
}

func (a *checkAttempt) follow(ctx context.Context, p *trainerProcess, o TrainerCheckOptions) {
	lines := trainerLines(p.stdout)
	idle := time.NewTimer(o.IdleTimeout)
	defer idle.Stop()
	deadline := time.NewTimer(o.RunTimeout)
	defer deadline.Stop()
	idleC, deadlineC, done := idle.C, deadline.C, ctx.Done()
	stop := func(why string) {
		if a.stopped == "" {
			a.stopped = why
			p.stop()
			idleC, deadlineC, done = nil, nil, nil
		}
	}
	lastStep, lastProgress, n := -1, -1.0, 0
	for lines != nil {
		select {
		case line, ok := <-lines:
			if !ok {
				lines = nil
				continue
			}
			n++
			if a.stopped != "" {
				continue
			}
			idle.Reset(o.IdleTimeout)
			if len(line) > 0 && line[0] == 0 {
				a.badLine = fmt.Sprintf("line %d: reading stdout: %s", n, line[1:])
				stop("it broke the protocol")
				continue
			}
			m, err := model.ParseTrainerLine(line)
			if errors.Is(err, model.ErrBlankLine) {
				continue
			}
			if err != nil {
				if key, lit, ok := nonFiniteLiteral(line); ok {
					a.nonFinite = append(a.nonFinite, fmt.Sprintf("line %d: %s is %s", n, key, lit))
				}
				a.badLine = fmt.Sprintf("line %d: %v", n, err)
				stop("it broke the protocol")
				continue
			}
			a.lines++
			a.note(n, m, &lastStep, &lastProgress)
			if m.Type == model.MsgCheckpoint && a.cutBefore > 0 && *m.Step < a.cutBefore {
				a.cutAt = *m.Step
				stop(fmt.Sprintf("it was stopped after its checkpoint at step %d", *m.Step))
			}
		case <-idleC:
			stop(fmt.Sprintf("it printed nothing for %s (the idle timeout)", o.IdleTimeout))
		case <-deadlineC:
			stop(fmt.Sprintf("it ran longer than the timeout (%s)", o.RunTimeout))
		case <-done:
			stop("the check was interrupted")
		}
	}
}

// note records one protocol message.
func (a *checkAttempt) note(n int, m model.TrainerMessage, lastStep *int, lastProgress *float64) {
	if m.Step != nil {
		s := *m.Step
		if s < *lastStep && a.backwards == "" {
			a.backwards = fmt.Sprintf("line %d: step %d after step %d", n, s, *lastStep)
		}
		*lastStep = max(*lastStep, s)
		if a.minStep < 0 || s < a.minStep {
			a.minStep = s
		}
	}
	if m.Progress != nil {
		if *m.Progress < *lastProgress && a.backwards == "" {
			a.backwards = fmt.Sprintf("line %d: progress %g after %g", n, *m.Progress, *lastProgress)
		}
		*lastProgress = max(*lastProgress, *m.Progress)
	}
	switch m.Type {
	case model.MsgMetrics:
		if m.TrainLoss != nil {
			a.trainSteps = append(a.trainSteps, *m.Step)
			a.losses = append(a.losses, *m.TrainLoss)
		}
		if m.ValLoss != nil {
			a.valPoints++
		}
	case model.MsgCheckpoint:
		a.checkpoints = append(a.checkpoints, *m.Step)
	case model.MsgError:
		a.errMsg = m.Message
	case model.MsgLog:
		if len(a.log) < maxCheckLog {
			level := m.Level
			if level == "" {
				level = "info"
			}
			a.log = append(a.log, level+": "+m.Message)
		}
	}
}

// nonFiniteRE finds a key whose value is a non-finite number literal, which
// Python's json module writes (NaN, Infinity) and JSON does not allow.
var nonFiniteRE = regexp.MustCompile(`"([^"\\]{1,64})"\s*:\s*(-?(?:NaN|Infinity|nan|inf))\b`)

func nonFiniteLiteral(line []byte) (key, lit string, ok bool) {
	m := nonFiniteRE.FindSubmatch(line)
	if m == nil {
		return "", "", false
	}
	return string(m[1]), string(m[2]), true
}
