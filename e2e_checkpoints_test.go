package main_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"brightrun/engine"
)

// A quality run on a small dataset overfits; with patience 1 it stops at
// the first epoch whose validation loss is no better, completed, keeping
// the best checkpoint's adapter and costing less than its estimate. Its
// checkpoints are one per epoch run, the best marked, and each downloads
// to the sizes recorded.
func TestE2EEarlyStoppingKeepsTheBestCheckpoint(t *testing.T) {
	d := dataDir(t)
	env := []string{"BRIGHTRUN_SIM_SPEED=400"}
	ds := uploadReady(t, env, d)
	job := createJob(t, env, d, "--dataset", ds, "--preset", "quality", "--epochs", "8", "--early-stopping-patience", "1")
	if r := run(t, env, "job", "watch", job.ID, "--data-dir", d); r.code != 0 {
		t.Fatalf("job watch: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	var j struct {
		jobRow
		Patience   int    `json:"early_stopping_patience"`
		StopReason string `json:"stop_reason"`
		BestStep   *int   `json:"best_checkpoint_step"`
	}
	decode(t, run(t, env, "job", "show", job.ID, "--json", "--data-dir", d), &j)
	if j.Status != "completed" || j.Patience != 1 || !strings.HasPrefix(j.StopReason, "stopped early at epoch ") ||
		!strings.Contains(j.StopReason, "of 8: validation loss has not improved for 1 evaluation (best ") || j.BestStep == nil {
		t.Fatalf("early-stopped job: %+v", j)
	}
	if j.FinalCost == nil || *j.FinalCost >= j.EstimatedTotalCost {
		t.Fatalf("final cost %v, estimate %.2f: the cost did not stop with the run", j.FinalCost, j.EstimatedTotalCost)
	}
	r := run(t, env, "job", "show", job.ID, "--data-dir", d)
	if !strings.Contains(r.stdout, "below the estimate") || !strings.Contains(r.stdout, "stopped   stopped early") {
		t.Errorf("job show says nothing of the early stop:\n%s", r.stdout)
	}

	var p engine.CheckpointPage
	decode(t, run(t, env, "job", "checkpoints", job.ID, "--json", "--data-dir", d), &p)
	if p.Page != 1 || p.Total < 2 || p.Total >= 8 || len(p.Checkpoints) != p.Total {
		t.Fatalf("checkpoints: %+v", p)
	}
	// The row says where the run stopped: its last evaluation.
	if last := p.Checkpoints[len(p.Checkpoints)-1]; j.CurrentStep != last.Step || float64(j.CurrentEpoch) != last.Epoch || j.CurrentEpoch >= j.TotalEpochs {
		t.Fatalf("an early-stopped job says it ran to epoch %d/%d, step %d/%d; its last checkpoint is at epoch %g, step %d",
			j.CurrentEpoch, j.TotalEpochs, j.CurrentStep, j.TotalSteps, last.Epoch, last.Step)
	}
	best := -1
	for i, c := range p.Checkpoints {
		if c.Epoch != float64(i+1) || c.ValLoss == nil || c.TrainLoss == nil || c.SizeBytes <= 0 {
			t.Errorf("checkpoint %d: %+v", i, c)
		}
		if c.Best {
			best = i
		}
	}
	if best < 0 || p.Checkpoints[best].Step != *j.BestStep || best != p.Total-2 {
		t.Fatalf("best checkpoint %d of %+v, job keeps step %v", best, p.Checkpoints, *j.BestStep)
	}

	// The checkpoint downloads to its recorded sizes, and the adapter is
	// byte for byte the best checkpoint.
	cp := p.Checkpoints[best]
	ckDir, adDir := t.TempDir(), t.TempDir()
	if r := run(t, env, "job", "download", job.ID, "--checkpoint", strconv.Itoa(cp.Step), "--out", ckDir, "--data-dir", d); r.code != 0 {
		t.Fatalf("job download --checkpoint: exit %d %s", r.code, r.stderr)
	}
	if r := run(t, env, "job", "download", job.ID, "--out", adDir, "--data-dir", d); r.code != 0 {
		t.Fatalf("job download: exit %d %s", r.code, r.stderr)
	}
	var total int64
	for _, f := range cp.Files {
		ck, err := os.ReadFile(filepath.Join(ckDir, f.Name))
		if err != nil || int64(len(ck)) != f.Size {
			t.Fatalf("checkpoint file %s: %d bytes, recorded %d (%v)", f.Name, len(ck), f.Size, err)
		}
		ad, _ := os.ReadFile(filepath.Join(adDir, f.Name))
		if string(ad) != string(ck) {
			t.Errorf("adapter file %s is not the best checkpoint's", f.Name)
		}
		total += f.Size
	}
	if total != cp.SizeBytes {
		t.Errorf("checkpoint files %d bytes, recorded size %d", total, cp.SizeBytes)
	}
	if r := run(t, env, "job", "download", job.ID, "--checkpoint", "999999", "--out", t.TempDir(), "--data-dir", d); r.code != 1 ||
		!strings.Contains(r.stderr, "no checkpoint at step 999999") {
		t.Errorf("download of a missing checkpoint: exit %d %s", r.code, r.stderr)
	}
	r = run(t, env, "job", "checkpoints", job.ID, "--data-dir", d)
	if r.code != 0 || !strings.Contains(r.stdout, "★") || !strings.Contains(r.stdout, "SIMULATED") {
		t.Errorf("job checkpoints: exit %d\n%s", r.code, r.stdout)
	}
}

// A run cancelled after its first checkpoints resumes from the newest and
// completes: every step is recorded once across the attempts, the cost is
// what both attempts ran for, and the metrics export has a row per point.
// A job without a checkpoint cannot resume and is told to clone instead.
func TestE2ECancelThenResumeCompletes(t *testing.T) {
	d, env, ds := resumeBench(t)
	job := createJob(t, env, d, "--dataset", ds, "--epochs", "6")
	waitFor(t, env, d, job.ID, func(j jobRow) bool { return j.CurrentEpoch >= 3 })
	if r := run(t, env, "job", "cancel", job.ID, "--data-dir", d); r.code != 0 {
		t.Fatalf("job cancel: exit %d %s%s", r.code, r.stdout, r.stderr)
	}
	cancelled := showJob(t, env, d, job.ID)
	var cps engine.CheckpointPage
	decode(t, run(t, env, "job", "checkpoints", job.ID, "--json", "--data-dir", d), &cps)
	if cancelled.Status != "cancelled" || cancelled.FinalCost == nil || cps.Total < 2 || cps.Total >= 6 {
		t.Fatalf("cancelled job %+v with %d checkpoints", cancelled, cps.Total)
	}
	last := cps.Checkpoints[len(cps.Checkpoints)-1]

	r := run(t, env, "job", "resume", job.ID, "--data-dir", d)
	if r.code != 0 || !strings.Contains(r.stdout, "resumes after the checkpoint at step "+strconv.Itoa(last.Step)) {
		t.Fatalf("job resume: exit %d %s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, env, "job", "watch", job.ID, "--data-dir", d); r.code != 0 {
		t.Fatalf("resumed job: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	done := showJob(t, env, d, job.ID)
	if done.Status != "completed" || done.FinalCost == nil || *done.FinalCost <= *cancelled.FinalCost ||
		*done.FinalCost < done.EstimatedTotalCost-0.01 {
		t.Fatalf("resumed job %+v: final cost %v after $%.2f, estimate $%.2f", done, done.FinalCost, *cancelled.FinalCost, done.EstimatedTotalCost)
	}

	// Steps 1…N once each (a validation point shares its epoch's last step).
	r = run(t, env, "job", "metrics", job.ID, "--format", "csv", "--data-dir", d)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || lines[0] != "step,epoch,train_loss,val_loss,learning_rate,grad_norm,tokens_per_sec,gpu_utilization,created_at" {
		t.Fatalf("job metrics: exit %d %s\n%s", r.code, r.stderr, r.stdout)
	}
	train := map[int]int{}
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		step, _ := strconv.Atoi(f[0])
		if f[2] != "" {
			train[step]++
		}
	}
	var points []json.RawMessage
	out := filepath.Join(t.TempDir(), "m.jsonl")
	if r := run(t, env, "job", "metrics", job.ID, "--format", "jsonl", "--out", out, "--data-dir", d); r.code != 0 {
		t.Fatalf("job metrics --out: exit %d %s", r.code, r.stderr)
	}
	raw, _ := os.ReadFile(out)
	for _, l := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		points = append(points, json.RawMessage(l))
	}
	if len(points) != len(lines)-1 {
		t.Errorf("%d JSON lines, %d CSV rows", len(points), len(lines)-1)
	}
	for step, n := range train {
		if n != 1 {
			t.Errorf("step %d recorded %d times", step, n)
		}
	}
	if maxStep := done.TotalSteps; len(train) == 0 || train[maxStep] != 1 || train[1] != 1 {
		t.Errorf("training steps %d recorded of %d (first %d, last %d)", len(train), maxStep, train[1], train[maxStep])
	}

	// Without a checkpoint: exit 1, suggesting a clone.
	early := createJob(t, env, d, "--dataset", ds, "--epochs", "6")
	run(t, env, "job", "cancel", early.ID, "--data-dir", d)
	r = run(t, env, "job", "resume", early.ID, "--data-dir", d)
	if r.code != 1 || !strings.Contains(r.stderr, "has no checkpoint to resume from: clone it instead") {
		t.Errorf("resume without a checkpoint: exit %d %s", r.code, r.stderr)
	}
}

// A job its cost cap stopped is a cancelled job with checkpoints: it
// resumes only with a higher cap (else exit 1 saying so), then completes
// with its stop reason cleared.
func TestE2EResumeAfterTheCostCap(t *testing.T) {
	d, env, ds := resumeBench(t)
	probe := createJob(t, env, d, "--dataset", ds, "--epochs", "6")
	run(t, env, "job", "cancel", probe.ID, "--data-dir", d)
	capUSD := strconv.FormatFloat(math.Round(probe.EstimatedTotalCost*60)/100, 'f', 2, 64) // 60% of the estimate
	job := createJob(t, env, d, "--dataset", ds, "--epochs", "6", "--max-cost", capUSD)
	run(t, env, "job", "watch", job.ID, "--data-dir", d)
	var capped struct {
		jobRow
		StopReason string `json:"stop_reason"`
	}
	decode(t, run(t, env, "job", "show", job.ID, "--json", "--data-dir", d), &capped)
	if capped.Status != "cancelled" || !strings.HasPrefix(capped.StopReason, "cost cap of $"+capUSD) {
		t.Fatalf("capped job %+v, stop reason %q", capped.jobRow, capped.StopReason)
	}
	r := run(t, env, "job", "resume", job.ID, "--data-dir", d)
	if r.code != 1 || !strings.Contains(r.stderr, "resume it with a higher cap (brightrun job resume "+job.ID+" --max-cost USD)") {
		t.Fatalf("resume at the cap: exit %d %s", r.code, r.stderr)
	}
	higher := strconv.FormatFloat(math.Ceil(probe.EstimatedTotalCost*3), 'f', 2, 64)
	if r := run(t, env, "job", "resume", job.ID, "--max-cost", higher, "--data-dir", d); r.code != 0 {
		t.Fatalf("resume with a higher cap: exit %d %s", r.code, r.stderr)
	}
	if r := run(t, env, "job", "watch", job.ID, "--data-dir", d); r.code != 0 {
		t.Fatalf("resumed job: exit %d\n%s", r.code, r.stdout)
	}
	var done struct {
		jobRow
		MaxCost    *float64 `json:"max_cost"`
		StopReason string   `json:"stop_reason"`
	}
	decode(t, run(t, env, "job", "show", job.ID, "--json", "--data-dir", d), &done)
	if done.Status != "completed" || done.StopReason != "" || done.MaxCost == nil || strconv.FormatFloat(*done.MaxCost, 'f', 2, 64) != higher {
		t.Fatalf("resumed job %+v, cap %v, stop reason %q", done.jobRow, done.MaxCost, done.StopReason)
	}
}

// resumeBench is a data dir whose simulated trainer plays 150 times
// faster than real time, with a training-ready dataset: where the resume
// tests run six-epoch jobs that checkpoint every epoch.
func resumeBench(t *testing.T) (d string, env []string, ds string) {
	t.Helper()
	d = dataDir(t)
	env = []string{"BRIGHTRUN_SIM_SPEED=150"}
	return d, env, uploadReady(t, env, d)
}
