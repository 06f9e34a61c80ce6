package worker

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
)

// The verdicts of a trainer check, each read from what the runs showed.

func (a *checkAttempt) protocolCheck() TrainerCheck {
	if a.badLine != "" {
		return TrainerCheck{Name: CheckProtocol, Detail: a.badLine}
	}
	if a.lines == 0 {
		return TrainerCheck{Name: CheckProtocol, Detail: "the trainer printed no protocol line"}
	}
	return TrainerCheck{Name: CheckProtocol, OK: true, Detail: fmt.Sprintf("every stdout line is a protocol object (%d lines)", a.lines)}
}

func (a *checkAttempt) monotonicCheck() TrainerCheck {
	if a.backwards != "" {
		return TrainerCheck{Name: CheckMonotonic, Detail: a.backwards}
	}
	if len(a.trainSteps) == 0 {
		return TrainerCheck{Name: CheckMonotonic, Detail: "no metrics with a train_loss: the trainer reported no training step"}
	}
	return TrainerCheck{Name: CheckMonotonic, OK: true, Detail: fmt.Sprintf("steps and progress never go back (%d training steps reported, last %d)",
		len(a.trainSteps), a.trainSteps[len(a.trainSteps)-1])}
}

func (a *checkAttempt) finiteCheck() TrainerCheck {
	if len(a.nonFinite) > 0 {
		return TrainerCheck{Name: CheckFinite, Detail: strings.Join(a.nonFinite, "; ")}
	}
	for _, l := range a.losses {
		if math.IsNaN(l) || math.IsInf(l, 0) {
			return TrainerCheck{Name: CheckFinite, Detail: fmt.Sprintf("train_loss %g", l)}
		}
	}
	if len(a.losses) == 0 {
		return TrainerCheck{Name: CheckFinite, OK: true, Detail: "no train_loss reported"}
	}
	return TrainerCheck{Name: CheckFinite, OK: true, Detail: fmt.Sprintf("every metric is finite; train_loss %.4g at step %d → %.4g at step %d; %d val_loss points",
		a.losses[0], a.trainSteps[0], a.losses[len(a.losses)-1], a.trainSteps[len(a.trainSteps)-1], a.valPoints)}
}

// exitCheck passes when the trainer ended by itself with status 0 and
// reported no error.
func (a *checkAttempt) exitCheck() TrainerCheck {
	c := TrainerCheck{Name: CheckExit}
	switch {
	case a.stopped != "":
		c.Detail = "the run was stopped: " + a.stopped
	case a.errMsg != "":
		c.Detail = fmt.Sprintf("the trainer reported an error: %s (%s)", a.errMsg, exitText(a.waitErr))
	case a.waitErr != nil:
		c.Detail = "the trainer command " + exitText(a.waitErr)
	default:
		return TrainerCheck{Name: CheckExit, OK: true, Detail: "the trainer command exited with status 0"}
	}
	c.Detail += a.stderrTail
	return c
}

// adapterCheck looks for a PEFT adapter in the output dir: a directory (the
// dir itself or one below it) holding adapter_config.json and its weights.
func adapterCheck(outputDir string) TrainerCheck {
	var found string
	var size int64
	_ = filepath.WalkDir(outputDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || found != "" || !d.IsDir() {
			return nil
		}
		if _, err := os.Stat(filepath.Join(path, "adapter_config.json")); err != nil {
			return nil
		}
		for _, w := range []string{"adapter_model.safetensors", "adapter_model.bin"} {
			if st, err := os.Stat(filepath.Join(path, w)); err == nil && st.Mode().IsRegular() && st.Size() > 0 {
				rel, _ := filepath.Rel(outputDir, filepath.Join(path, w))
				found, size = rel, st.Size()
				return filepath.SkipAll
			}
		}
		return nil
	})
	if found == "" {
		return TrainerCheck{Name: CheckAdapter, Detail: "no adapter in BRIGHTRUN_OUTPUT_DIR: want adapter_config.json with adapter_model.safetensors or adapter_model.bin beside it"}
	}
	return TrainerCheck{Name: CheckAdapter, OK: true, Detail: fmt.Sprintf("adapter_config.json and %s (%d bytes)", filepath.ToSlash(found), size)}
}

// resumeCheck checks that the trainer resumes from its checkpoint, as a
// rescued job's next attempt does. The first run told where it saves
// checkpoints; the trainer is run again from scratch (a fresh checkpoint
// dir) and stopped, as a dying worker's trainer is, as soon as it reports a
// checkpoint at a step S before its last training step. A third run gets
// what a rescued job's attempt gets: the same checkpoint dir, an emptied
// output dir, BRIGHTRUN_ATTEMPT=2 and BRIGHTRUN_RESUME_STEP=S. It resumed,
// rather than restarted, when it reports no step below S, trains (its
// first training loss is at a step above S, none at or below it), and
// exits 0. Skipped when the first run failed or reported no checkpoint
// before its last step.
func resumeCheck(ctx context.Context, o TrainerCheckOptions, base string, spec execSpec, first *checkAttempt) TrainerCheck {
	skip := func(why string) TrainerCheck {
		return TrainerCheck{Name: CheckResume, OK: true, Skipped: true, Detail: "skipped: " + why}
	}
	if first.stopped != "" || first.errMsg != "" || first.waitErr != nil {
		return skip("the first run failed")
	}
	if len(first.trainSteps) == 0 {
		return skip("the first run reported no training step")
	}
	last := first.trainSteps[len(first.trainSteps)-1]
	if len(first.checkpoints) == 0 || first.checkpoints[0] >= last {
		return skip(fmt.Sprintf("the trainer reported no checkpoint before its last step (%d), so there is nothing to resume from", last))
	}
	fail := func(format string, a ...any) TrainerCheck {
		return TrainerCheck{Name: CheckResume, Detail: fmt.Sprintf(format, a...)}
	}
	spec.CheckpointDir = filepath.Join(base, "checkpoints-resume")
	spec.OutputDir = filepath.Join(base, "output-resume")
	cut, err := runCheckAttempt(ctx, o, base, spec, last)
	if err != nil {
		return fail("%v", err)
	}
	if cut.cutAt < 0 {
		return fail("run again from scratch, the trainer reported no checkpoint before step %d this time (%s)", last, exitText(cut.waitErr))
	}
	resume := cut.cutAt
	spec.Attempt, spec.ResumeFromStep = 2, resume
	a, err := runCheckAttempt(ctx, o, base, spec, 0)
	if err != nil {
		return fail("%v", err)
	}
	for _, c := range []TrainerCheck{a.protocolCheck(), a.exitCheck()} {
		if !c.OK {
			return fail("stopped after its checkpoint at step %d and run with BRIGHTRUN_RESUME_STEP=%d: %s", resume, resume, c.Detail)
		}
	}
	switch {
	case a.minStep >= 0 && a.minStep < resume:
		return fail("restarted: with BRIGHTRUN_RESUME_STEP=%d it reported step %d", resume, a.minStep)
	case len(a.trainSteps) == 0:
		return fail("with BRIGHTRUN_RESUME_STEP=%d it trained no step, though it was stopped at step %d of %d", resume, resume, last)
	case a.trainSteps[0] <= resume:
		return fail("restarted: with BRIGHTRUN_RESUME_STEP=%d its first training step was %d", resume, a.trainSteps[0])
	}
	return TrainerCheck{Name: CheckResume, OK: true, Detail: fmt.Sprintf("stopped after its checkpoint at step %d, it resumed: first training step %d, last %d",
		resume, a.trainSteps[0], a.trainSteps[len(a.trainSteps)-1])}
}
