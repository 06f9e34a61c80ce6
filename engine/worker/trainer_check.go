package worker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"

	"brightrun/assets"
	"brightrun/model"
	"brightrun/model/dataset"
)

// TrainerCheckOptions say what `brightrun trainer check` runs.
type TrainerCheckOptions struct {
	Command string
	// Dataset is the JSONL the trainer gets (nil: the built-in chat
	// dataset, assets/trainers/check_dataset.jsonl); DatasetName names it.
	Dataset     []byte
	DatasetName string
	BaseModel   string
	// RunTimeout bounds each run; IdleTimeout stops a run whose trainer
	// prints nothing for that long, as a worker does.
	RunTimeout  time.Duration
	IdleTimeout time.Duration
	// WorkDir keeps the output and checkpoint dirs there (it must be empty
	// or absent); "" uses a temporary dir, removed at the end.
	WorkDir string
	// Stderr gets each line the trainer prints on stderr (nil: dropped).
	Stderr func(line string)
}

// TrainerCheck is one point of the report.
type TrainerCheck struct {
	Name    string `json:"name"`
	OK      bool   `json:"ok"`
	Skipped bool   `json:"skipped,omitempty"`
	Detail  string `json:"detail"`
}

// TrainerCheckReport is what `brightrun trainer check` prints.
type TrainerCheckReport struct {
	OK     bool           `json:"ok"`
	Checks []TrainerCheck `json:"checks"`
	// Dataset and BaseModel say what the trainer was given; Log is what it
	// said in "log" messages during the first run (at most 50 lines);
	// OutputDir is where its adapter was (kept only with WorkDir).
	Dataset   string   `json:"dataset"`
	BaseModel string   `json:"base_model"`
	Log       []string `json:"trainer_log"`
	OutputDir string   `json:"output_dir,omitempty"`
}

// The names of the checks, in the report's order.
const (
	CheckProtocol  = "protocol"
	CheckMonotonic = "monotonic"
	CheckFinite    = "finite"
	CheckAdapter   = "adapter"
	CheckExit      = "exit"
	CheckResume    = "resume"
)

// checkHyperparameters are small, valid settings: two epochs, so a trainer
// that checkpoints per epoch has one to resume from.
var checkHyperparameters = model.Hyperparameters{LearningRate: 0.001, BatchSize: 4, Epochs: 2, Rank: 8, Alpha: 16, Dropout: 0.05}

// CheckTrainer runs an exec trainer the way a worker does, with no database
// and no object storage: the dataset is served on a loopback URL, the spec
// and environment are the worker's (execCommand, execEnv), and its stdout
// is read with the worker's parser (model.ParseTrainerLine). A second run
// with BRIGHTRUN_RESUME_STEP checks that it resumes from its checkpoint.
func CheckTrainer(ctx context.Context, o TrainerCheckOptions) (TrainerCheckReport, error) {
	data, name := o.Dataset, o.DatasetName
	if data == nil {
		data, name = assets.TrainerCheckDataset, "built-in chat dataset"
	}
	rep, err := dataset.NewValidator().Validate(bytes.NewReader(data), name)
	if err != nil {
		return TrainerCheckReport{}, fmt.Errorf("dataset %s: %w", name, err)
	}
	if !rep.TrainingReady {
		return TrainerCheckReport{}, fmt.Errorf("dataset %s is not training ready (%d valid examples; `brightrun dataset validate` says why)", name, rep.Valid)
	}
	if o.BaseModel == "" {
		// The built-in catalog's default; any id or local path may be
		// given instead (a check needs no catalog entry).
		models, err := model.ParseModelCatalog(assets.ModelCatalog)
		if err != nil {
			return TrainerCheckReport{}, fmt.Errorf("embedded model catalog: %w", err)
		}
		o.BaseModel = models.Default().ID
	}
	base, cleanup, err := checkWorkDir(o.WorkDir)
	if err != nil {
		return TrainerCheckReport{}, err
	}
	defer cleanup()
	url, stopServer, err := serveLoopback(data)
	if err != nil {
		return TrainerCheckReport{}, err
	}
	defer stopServer()

	hp := checkHyperparameters
	spe := (rep.Valid + hp.BatchSize - 1) / hp.BatchSize
	spec := execSpec{
		JobID: uuid.NewString(), Name: "trainer check", Attempt: 1, BaseModel: o.BaseModel,
		Dataset: execSpecDataset{Name: name, Format: string(rep.Shape), FileName: filepath.Base(name), URL: url,
			Pairs: rep.Valid, Tokens: rep.TotalTokens},
		EvalFraction: model.DefaultEvalFraction, GPUIDs: []int{},
		Hyperparameters: hp, GPUConfig: model.GPUConfig{Type: "local", Count: 1},
		TotalSteps: spe * hp.Epochs, StepsPerEpoch: spe, TotalEpochs: hp.Epochs,
		OutputDir: filepath.Join(base, "output"), CheckpointDir: filepath.Join(base, "checkpoints"),
	}
	report := TrainerCheckReport{Dataset: fmt.Sprintf("%s (%d examples)", name, rep.Valid), BaseModel: o.BaseModel, Log: []string{}}
	first, err := runCheckAttempt(ctx, o, base, spec, 0)
	if err != nil {
		return TrainerCheckReport{}, err
	}
	report.Log = first.log
	report.Checks = append(report.Checks, first.protocolCheck(), first.monotonicCheck(), first.finiteCheck(),
		adapterCheck(spec.OutputDir), first.exitCheck())
	report.Checks = append(report.Checks, resumeCheck(ctx, o, base, spec, first))
	report.OK = true
	for _, c := range report.Checks {
		report.OK = report.OK && c.OK
	}
	if o.WorkDir != "" {
		report.OutputDir = spec.OutputDir
	}
	return report, nil
}

// checkWorkDir makes the dir the runs work in and says how to clean it up.
func checkWorkDir(dir string) (string, func(), error) {
	if dir == "" {
		d, err := os.MkdirTemp("", "brightrun-trainer-check-")
		if err != nil {
			return "", nil, fmt.Errorf("temporary dir: %w", err)
		}
		return d, func() { _ = os.RemoveAll(d) }, nil
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return "", nil, fmt.Errorf("work dir %s is not empty", dir)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", nil, fmt.Errorf("work dir: %w", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", nil, fmt.Errorf("work dir: %w", err)
	}
	return abs, func() {}, nil
}

// serveLoopback serves data at a URL on 127.0.0.1, for the trainer to fetch
// as it fetches a presigned URL.
func serveLoopback(data []byte) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("serve the dataset on the loopback: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /dataset.jsonl", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-ndjson")
		http.ServeContent(w, r, "dataset.jsonl", time.Time{}, bytes.NewReader(data))
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String() + "/dataset.jsonl", func() { _ = srv.Close() }, nil
}

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
