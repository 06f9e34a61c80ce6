package worker

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"brightrun/model"
)

// execTrainer runs the operator's trainer command for a job and follows
// the JSON-lines protocol on its stdout (model.ParseTrainerLine): it gets
// the job spec in its environment (and as a file), the dataset as a
// presigned URL, and writes the adapter into BRIGHTRUN_OUTPUT_DIR. A command
// that crashes, hangs (no stdout for the idle timeout) or prints garbage
// fails the job with the reason and the last lines of its stderr.
type execTrainer struct {
	command string
	idle    time.Duration
}

// execDatasetURLExpiry is how long the trainer's dataset URL stays valid.
const execDatasetURLExpiry = 12 * time.Hour

// execFlushEvery is how often a running exec trainer's state is written.
const execFlushEvery = time.Second

// maxExecLogEvents bounds the warnings a chatty trainer adds to the job's
// event log; its errors are always kept (and its other log lines are
// output lines, see trainRun.print).
const maxExecLogEvents = 200

// workDir is where a job's exec trainer keeps its output and checkpoints
// on this machine; it is removed when the job ends.
func (r *trainRun) workDir() string {
	return filepath.Join(r.e.dataDir, "jobs", r.job.ID.String())
}

func (t execTrainer) train(ctx context.Context, r *trainRun) (trainOutput, error) {
	r.setStage(model.JobInitializing, model.StageProvisioning, "starting the trainer command")
	if r.datasetDeleted {
		return trainOutput{}, failf("dataset %q was deleted after the job was created; its file is gone", r.dataset.Name)
	}
	spec, specPath, err := t.prepare(ctx, r)
	if err != nil {
		return trainOutput{}, err
	}
	cmd := execCommand(t.command, spec, specPath)
	p, err := startTrainerProcess(cmd, func(line string) { r.print(model.StreamStderr, line) })
	if err != nil {
		return trainOutput{}, failf("start the trainer command %q: %v", t.command, err)
	}
	r.event(model.EventInfo, fmt.Sprintf("trainer command started (pid %d)", cmd.Process.Pid))
	if err := r.flush(ctx); err != nil {
		p.stop()
		p.wait()
		return trainOutput{}, err
	}
	st := &execState{spe: max(1, spec.StepsPerEpoch), checkpointDir: spec.CheckpointDir}
	stopErr := t.follow(ctx, r, p, st)
	waitErr := p.wait()
	r.seconds = time.Since(p.started).Seconds()
	tail := p.stderr.tail()
	var failure *trainFailure
	switch {
	case errors.As(stopErr, &failure):
		return trainOutput{}, failf("%s%s", failure.reason, tail)
	case stopErr != nil:
		return trainOutput{}, stopErr
	case st.errMsg != "":
		return trainOutput{}, failf("the trainer reported an error: %s (%s)%s", st.errMsg, exitText(waitErr), tail)
	case waitErr != nil:
		return trainOutput{}, failf("the trainer command %s%s", exitText(waitErr), tail)
	}
	files, err := collectArtifacts(spec.OutputDir, st.artifacts)
	if err != nil {
		return trainOutput{}, failf("%v%s", err, tail)
	}
	return trainOutput{name: r.job.Name + " adapter", format: model.ArtifactFormatPEFT, files: files, bestStep: st.bestStep}, nil
}

// storeCheckpoint uploads the directory a checkpoint line names (relative
// to BRIGHTRUN_CHECKPOINT_DIR, or absolute inside it) and records it with
// the metrics the line carries, else the run's latest, keeping the newest
// KeepCheckpoints and the best. A line without a path, or one naming
// nothing there, is only logged.
func (t execTrainer) storeCheckpoint(r *trainRun, st *execState, m model.TrainerMessage) {
	if m.Path == "" || st.checkpointDir == "" {
		return
	}
	dir := m.Path
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(st.checkpointDir, dir)
	}
	files, err := collectArtifacts(filepath.Clean(dir), nil)
	if err == nil {
		_, err = collectArtifacts(st.checkpointDir, []string{dir})
	}
	if err != nil {
		r.event(model.EventWarning, fmt.Sprintf("checkpoint at step %d not stored: %v", *m.Step, err))
		return
	}
	maps.Copy(r.metrics, m.Accuracy())
	epoch := float64(r.epoch)
	if m.Epoch != nil {
		epoch = *m.Epoch
	}
	c := r.newCheckpoint(*m.Step, epoch)
	if m.TrainLoss != nil {
		c.TrainLoss = m.TrainLoss
	}
	if m.ValLoss != nil {
		c.ValLoss = m.ValLoss
	}
	r.storeCheckpoint(context.Background(), c, files, r.o.KeepCheckpoints)
}

// execState is what the protocol told so far.
type execState struct {
	spe       int
	errMsg    string
	artifacts []string
	logs      int
	// checkpointDir is the spec's BRIGHTRUN_CHECKPOINT_DIR; bestStep the
	// checkpoint whose weights the adapter is, when the trainer says.
	checkpointDir string
	bestStep      *int
}

// follow reads the trainer's lines until its stdout closes, flushing the
// run every execFlushEvery. It stops the process on a protocol error, an
// idle trainer, a failed flush (a cancel among them) or ctx's end, and
// keeps draining its stdout until it closes.
func (t execTrainer) follow(ctx context.Context, r *trainRun, p *trainerProcess, st *execState) error {
	lines := trainerLines(p.stdout)
	idle := time.NewTimer(t.idle)
	defer idle.Stop()
	tick := time.NewTicker(execFlushEvery)
	defer tick.Stop()
	done, idleC, tickC := ctx.Done(), idle.C, tick.C
	var stopErr error
	stop := func(err error) {
		if stopErr == nil {
			stopErr = err
			p.stop()
			done, idleC, tickC = nil, nil, nil
		}
	}
	for lines != nil {
		select {
		case line, ok := <-lines:
			if !ok {
				lines = nil
				continue
			}
			if stopErr != nil {
				continue
			}
			idle.Reset(t.idle)
			if len(line) > 0 && line[0] == 0 {
				stop(failf("reading the trainer's stdout: %s", line[1:]))
				continue
			}
			m, err := model.ParseTrainerLine(line)
			if errors.Is(err, model.ErrBlankLine) {
				continue
			}
			if err != nil {
				stop(failf("the trainer broke the protocol: %v", err))
				continue
			}
			t.handle(r, st, m)
		case <-tickC:
			r.seconds = time.Since(p.started).Seconds()
			if err := r.flush(ctx); err != nil {
				stop(err)
			}
		case <-idleC:
			stop(failf("the trainer printed nothing for %s and was stopped", t.idle))
		case <-done:
			stop(context.Cause(ctx))
		}
	}
	return stopErr
}

// trainerLines reads a trainer's stdout line by line until it closes. A
// read error (a line over 1 MiB) comes as a last line starting with a NUL.
func trainerLines(stdout io.Reader) <-chan []byte {
	lines := make(chan []byte, 64)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			lines <- append([]byte(nil), sc.Bytes()...)
		}
		if err := sc.Err(); err != nil {
			lines <- []byte(fmt.Sprintf("\x00%v", err))
		}
	}()
	return lines
}

// handle applies one protocol message to the run.
func (t execTrainer) handle(r *trainRun, st *execState, m model.TrainerMessage) {
	step := func() {
		if m.Step != nil {
			r.step = *m.Step
		}
		switch {
		case m.Epoch != nil:
			r.epoch = min(r.job.TotalEpochs, int(math.Ceil(*m.Epoch)))
		case m.Step != nil:
			r.epoch = min(r.job.TotalEpochs, (r.step+st.spe-1)/st.spe)
		}
		total := r.job.TotalSteps
		if m.TotalSteps != nil && *m.TotalSteps > 0 {
			total = *m.TotalSteps
		}
		switch {
		case m.Progress != nil:
			r.progress = *m.Progress
		case m.Step != nil && total > 0:
			r.progress = min(99, 100*float64(r.step)/float64(total))
		}
		if r.step > 0 && r.status == model.JobInitializing {
			r.setStage(model.JobRunning, model.StageTraining, "")
		}
	}
	switch m.Type {
	case model.MsgProgress:
		if m.Stage != "" && m.Stage != r.stage {
			status := model.JobRunning
			switch m.Stage {
			case model.StageProvisioning, model.StageLoadingDataset, "loading_model", "initializing":
				status = model.JobInitializing
			}
			r.setStage(status, m.Stage, m.Message)
		}
		step()
	case model.MsgMetrics:
		if p := m.Point(); len(p.Metrics()) > 0 {
			r.addPoint(p)
		}
		maps.Copy(r.metrics, m.Accuracy())
		step()
	case model.MsgCheckpoint:
		msg := fmt.Sprintf("checkpoint at step %d", *m.Step)
		if m.Path != "" {
			msg += " (" + m.Path + ")"
		}
		r.event(model.EventCheckpoint, msg)
		t.storeCheckpoint(r, st, m)
	case model.MsgArtifact:
		st.artifacts = append(st.artifacts, m.Path)
	case model.MsgLog:
		// Warnings and errors go to the job's event log, which every
		// screen shows; the rest is trainer output, kept for the log pane.
		kind := map[string]string{"warning": model.EventWarning, "error": model.EventError}[m.Level]
		if kind == "" {
			r.print(model.StreamStdout, m.Message)
			return
		}
		if kind != model.EventError && st.logs >= maxExecLogEvents {
			return
		}
		st.logs++
		r.event(kind, m.Message)
	case model.MsgError:
		st.errMsg = m.Message
		r.event(model.EventError, m.Message)
	case model.MsgDone:
		maps.Copy(r.metrics, m.Metrics)
		if m.StopReason != "" {
			r.stopReason = m.StopReason
			r.event(model.EventInfo, m.StopReason)
		}
		st.bestStep = m.BestStep
	}
}

// collectArtifacts lists the adapter's files: the paths the trainer named
// (files or directories, inside the output dir), or the whole output dir.
func collectArtifacts(outputDir string, paths []string) ([]artifactFile, error) {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	seen := map[string]bool{}
	var files []artifactFile
	for _, p := range paths {
		abs := p
		if !filepath.IsAbs(p) {
			abs = filepath.Join(outputDir, p)
		}
		rel, err := filepath.Rel(outputDir, filepath.Clean(abs))
		if err != nil || rel == ".." || len(rel) > 2 && rel[:3] == ".."+string(filepath.Separator) {
			return nil, fmt.Errorf("artifact %q is outside BRIGHTRUN_OUTPUT_DIR", p)
		}
		err = filepath.WalkDir(abs, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.Type().IsRegular() {
				return nil
			}
			name, err := filepath.Rel(outputDir, path)
			if err != nil {
				return err
			}
			name = filepath.ToSlash(name)
			if !seen[name] {
				seen[name] = true
				files = append(files, artifactFile{name: name, path: path})
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("artifact %q: %v", p, err)
		}
	}
	if len(files) == 0 {
		return nil, errors.New("the trainer finished without writing any file to BRIGHTRUN_OUTPUT_DIR")
	}
	return files, nil
}

// exitText says how a trainer process ended.
func exitText(err error) string {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return "exited with status 0"
	case errors.As(err, &ee) && ee.ExitCode() >= 0:
		return fmt.Sprintf("exited with status %d", ee.ExitCode())
	case errors.As(err, &ee):
		return "was killed (" + ee.String() + ")"
	}
	return "failed: " + err.Error()
}
