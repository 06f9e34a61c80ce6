package main_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Job execution through the binary: the services' worker (or `brightrun
// worker` processes) runs jobs; `job watch`, `job cancel` and `job download`
// follow them.

// uploadReady uploads a small chat dataset and returns its id.
func uploadReady(t testing.TB, env []string, d string) string {
	t.Helper()
	return uploadDataset(t, env, d, writeChat(t, 15), "cash").ID
}

// createJob creates a job and returns its row.
func createJob(t testing.TB, env []string, d string, args ...string) jobRow {
	t.Helper()
	r := run(t, env, append([]string{"job", "create", "--json", "--data-dir", d}, args...)...)
	if r.code != 0 {
		t.Fatalf("job create: exit %d %s", r.code, r.stderr)
	}
	var j jobRow
	decode(t, r, &j)
	return j
}

// showJob reads a job's row.
func showJob(t testing.TB, env []string, d, id string) (j struct {
	jobRow
	ErrorMessage string `json:"error_message"`
	Trainer      string `json:"trainer"`
	RetryCount   int    `json:"retry_count"`
}) {
	t.Helper()
	r := run(t, env, "job", "show", id, "--json", "--data-dir", d)
	if r.code != 0 {
		t.Fatalf("job show: exit %d %s", r.code, r.stderr)
	}
	decode(t, r, &j)
	return j
}

// waitFor polls `job show` until ok says yes (the CLI has nothing else to
// wait on but `job watch`, which waits for the end).
func waitFor(t testing.TB, env []string, d, id string, ok func(jobRow) bool) jobRow {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		j := showJob(t, env, d, id)
		if ok(j.jobRow) {
			return j.jobRow
		}
		if time.Now().After(deadline) {
			t.Fatalf("job never got there: %+v", j)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestE2ETrainingJobRunsCostsAndDownloads(t *testing.T) {
	d := dataDir(t)
	env := fakeTrainerEnv(t, "BRIGHTRUN_SIM_SPEED=300", "BRIGHTRUN_EXEC_IDLE_TIMEOUT=5s")
	ds := uploadReady(t, env, d)
	job := createJob(t, env, d, "--dataset", ds, "--gpu", "H100", "--gpus", "2")

	// watch --json streams the row as it changes until it ends: exit 0.
	r := run(t, env, "job", "watch", job.ID, "--json", "--data-dir", d)
	if r.code != 0 {
		t.Fatalf("job watch: exit %d %s\n%s", r.code, r.stderr, r.stdout)
	}
	var rows []jobRow
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	for sc.Scan() {
		var j jobRow
		if err := json.Unmarshal(sc.Bytes(), &j); err != nil {
			t.Fatalf("watch line %q: %v", sc.Text(), err)
		}
		rows = append(rows, j)
	}
	seen := map[string]bool{}
	for _, j := range rows {
		seen[j.Status] = true
	}
	last := rows[len(rows)-1]
	if !seen["running"] || len(rows) < 5 || last.Status != "completed" || last.Progress != 100 || last.FinalCost == nil ||
		last.CurrentMetrics["train_loss"] <= 0 || last.CurrentStep != last.TotalSteps {
		t.Fatalf("watched %d rows, statuses %v, last %+v", len(rows), seen, last)
	}
	if *last.FinalCost != job.EstimatedTotalCost {
		t.Errorf("final cost $%.2f, estimated $%.2f: a simulated run lasts what the estimate says", *last.FinalCost, job.EstimatedTotalCost)
	}

	// Text watch of an ended job prints its line and how it ended.
	r = run(t, env, "job", "watch", job.ID, "--data-dir", d)
	if r.code != 0 || !strings.Contains(r.stdout, "trainer simulated (no GPU is used") || !strings.Contains(r.stdout, "completed") ||
		!strings.Contains(r.stdout, "brightrun job download "+job.ID) {
		t.Fatalf("job watch: exit %d\n%s", r.code, r.stdout)
	}

	out := filepath.Join(t.TempDir(), "adapter")
	r = run(t, env, "job", "download", job.ID, "--out", out, "--data-dir", d)
	if r.code != 0 || !strings.Contains(r.stdout, "SIMULATED") {
		t.Fatalf("job download: exit %d %s\n%s", r.code, r.stderr, r.stdout)
	}
	for _, f := range []string{"README.md", "adapter_config.json", "adapter_model.safetensors", "training_metrics.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("downloaded adapter lacks %s", f)
		}
	}
	readme, _ := os.ReadFile(filepath.Join(out, "README.md"))
	if !bytes.Contains(readme, []byte("SIMULATED")) {
		t.Errorf("README: %s", readme)
	}

	// The exec trainer: the services' worker runs the command it was given.
	ok := createJob(t, env, d, "--dataset", ds, "--trainer", "exec", "--name", "ok")
	if r := run(t, env, "job", "watch", ok.ID, "--data-dir", d); r.code != 0 {
		t.Fatalf("exec job: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	crash := createJob(t, env, d, "--dataset", ds, "--trainer", "exec", "--name", "crash")
	r = run(t, env, "job", "watch", crash.ID, "--data-dir", d)
	if r.code != 1 || !strings.Contains(r.stdout, "failed") || !strings.Contains(r.stdout, "exited with status 3") ||
		!strings.Contains(r.stdout, "RuntimeError: CUDA error") {
		t.Fatalf("crashing exec job: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, env, "job", "download", crash.ID, "--out", t.TempDir(), "--data-dir", d)
	if r.code != 1 || !strings.Contains(r.stderr, "no adapter to download") {
		t.Fatalf("download of a failed job: exit %d %s", r.code, r.stderr)
	}
	if r := run(t, env, "job", "create", "--dataset", ds, "--trainer", "gpu", "--data-dir", d); r.code != 2 || !strings.Contains(r.stderr, "unknown trainer") {
		t.Fatalf("bad trainer: exit %d %s", r.code, r.stderr)
	}
}

func TestE2ECancelMidRun(t *testing.T) {
	d := dataDir(t)
	env := []string{"BRIGHTRUN_SIM_SPEED=60"} // half an hour of overhead plays in 30 s
	ds := uploadReady(t, env, d)
	job := createJob(t, env, d, "--dataset", ds)
	waitFor(t, env, d, job.ID, func(j jobRow) bool { return j.Status == "initializing" || j.Status == "running" })
	time.Sleep(time.Second)

	began := time.Now()
	r := run(t, env, "job", "cancel", job.ID, "--json", "--data-dir", d)
	took := time.Since(began)
	var j jobRow
	decode(t, r, &j)
	if r.code != 0 || j.Status != "cancelled" || j.FinalCost == nil || *j.FinalCost <= 0 || j.CurrentCost != *j.FinalCost {
		t.Fatalf("job cancel: exit %d %+v\n%s", r.code, j, r.stderr)
	}
	// A correctness bound, not a benchmark (BenchmarkJobCancel measures
	// it: p95 well under a second): a missed end event cost the 5 s
	// safety read.
	if took > 5*time.Second {
		t.Errorf("cancel took %s", took)
	}
	if r := run(t, env, "job", "watch", job.ID, "--data-dir", d); r.code != 1 || !strings.Contains(r.stdout, "cancelled at step") {
		t.Fatalf("watch of a cancelled job: exit %d\n%s", r.code, r.stdout)
	}
	if r := run(t, env, "job", "cancel", job.ID, "--data-dir", d); r.code != 1 || !strings.Contains(r.stderr, "already finished") {
		t.Fatalf("cancel again: exit %d %s", r.code, r.stderr)
	}
}

// An exec trainer that ignores SIGTERM: `job cancel` returns with it killed
// (SIGKILL 1.5 s after SIGTERM), nothing of it left running, and the job
// cancelled with its cost.
func TestE2ECancelExecTrainerIgnoringSIGTERM(t *testing.T) {
	d := dataDir(t)
	// A copy of its own, so the processes counted are this test's.
	src, err := os.ReadFile("engine/worker/testdata/fake_trainer.sh")
	if err != nil {
		t.Fatal(err)
	}
	trainer := filepath.Join(t.TempDir(), "stubborn_trainer.sh")
	if err := os.WriteFile(trainer, src, 0o700); err != nil {
		t.Fatal(err)
	}
	env := []string{"BRIGHTRUN_EXEC_TRAINER=sh " + trainer, "BRIGHTRUN_WORKER_GPU_TYPE=A100-80GB", "BRIGHTRUN_WORKER_GPUS=2"}
	ds := uploadReady(t, env, d)
	job := createJob(t, env, d, "--dataset", ds, "--trainer", "exec", "--name", "stubborn")
	waitFor(t, env, d, job.ID, func(j jobRow) bool { return j.CurrentStep > 0 })
	if n := countProcesses(t, trainer); n == 0 {
		t.Fatal("the trainer is not running")
	}

	began := time.Now()
	r := run(t, env, "job", "cancel", job.ID, "--json", "--data-dir", d)
	took := time.Since(began)
	var j jobRow
	decode(t, r, &j)
	if r.code != 0 || j.Status != "cancelled" || j.FinalCost == nil || j.CurrentCost != *j.FinalCost { // seconds of one GPU: $0.00
		t.Fatalf("job cancel: exit %d %+v\n%s", r.code, j, r.stderr)
	}
	if n := countProcesses(t, trainer); n != 0 {
		t.Errorf("%d processes of the trainer still run after the cancel returned", n)
	}
	if took > 5*time.Second { // a correctness bound: without SIGKILL it would wait --wait (30 s)
		t.Errorf("cancel took %s", took)
	}
}

// Cancel when no worker runs the job: one handed back by a stopped worker,
// and a queued one, end cancelled at once; a job whose worker was killed -9
// gets a prompt answer saying so (exit 1, the job still running, marked to
// cancel), and a cancel once its worker has been silent for the rescue
// interval ends it there and then, as the sweep would.
func TestE2ECancelWithoutALiveWorker(t *testing.T) {
	d := dataDir(t)
	env := []string{"BRIGHTRUN_SERVICES_WORKER=0"} // only the workers below run jobs
	if r := run(t, env, "status", "--data-dir", d); r.code != 0 {
		t.Fatalf("status: exit %d %s", r.code, r.stderr)
	}
	startWorker := func() *exec.Cmd {
		return startWorkerProc(t, env, d, "--sim-speed", "20", "--rescue-after", "2s")
	}
	started := func(j jobRow) bool { return j.Status == "initializing" || j.Status == "running" }
	cancelJob := func(id string, extra ...string) (result, jobRow) {
		t.Helper()
		r := run(t, append(append([]string{}, env...), extra...), "job", "cancel", id, "--json", "--data-dir", d)
		var j jobRow
		decode(t, r, &j)
		return r, j
	}

	// Handed back by a worker that stopped: it waits, running, for the next.
	w := startWorker()
	ds := uploadReady(t, env, d) // the worker validates it
	back := createJob(t, env, d, "--dataset", ds)
	waitFor(t, env, d, back.ID, started)
	w.Process.Signal(syscall.SIGTERM)
	w.Wait()
	if j := showJob(t, env, d, back.ID); !started(j.jobRow) {
		t.Fatalf("after its worker stopped the job is %s, want still started", j.Status)
	}
	if r, j := cancelJob(back.ID); r.code != 0 || j.Status != "cancelled" || j.FinalCost == nil {
		t.Fatalf("cancel of a job between attempts: exit %d %+v %s", r.code, j, r.stderr)
	}

	// Queued, no worker at all.
	queued := createJob(t, env, d, "--dataset", ds)
	if r, j := cancelJob(queued.ID); r.code != 0 || j.Status != "cancelled" || j.FinalCost == nil || *j.FinalCost != 0 {
		t.Fatalf("cancel of a queued job: exit %d %+v %s", r.code, j, r.stderr)
	}

	// Its worker killed -9: the cancel says so at once, and the job is
	// still running, marked.
	w = startWorker()
	dead := createJob(t, env, d, "--dataset", ds)
	waitFor(t, env, d, dead.ID, started)
	w.Process.Signal(syscall.SIGKILL)
	w.Wait()
	r, j := cancelJob(dead.ID, "BRIGHTRUN_RESCUE_AFTER=10m")
	if r.code != 1 || !started(j) || !strings.Contains(r.stderr, "has not answered") || !strings.Contains(r.stderr, "sweep ends the job cancelled") {
		t.Fatalf("cancel of a job whose worker died: exit %d %+v\n%s", r.code, j, r.stderr)
	}
	var marked struct {
		CancelRequestedAt *time.Time `json:"cancel_requested_at"`
	}
	decode(t, run(t, env, "job", "show", dead.ID, "--json", "--data-dir", d), &marked)
	if marked.CancelRequestedAt == nil {
		t.Fatal("the job is not marked to cancel")
	}
	// Silent for longer than the rescue interval: ended here.
	r, j = cancelJob(dead.ID, "BRIGHTRUN_RESCUE_AFTER=2s")
	if r.code != 0 || j.Status != "cancelled" || j.FinalCost == nil {
		t.Fatalf("cancel of a job whose worker is gone: exit %d %+v\n%s", r.code, j, r.stderr)
	}
}

// A worker killed with -9 mid-job: another worker notices the missing
// heartbeat, and the job resumes from its checkpoint and ends; it is never
// left running.
func TestE2EKillWorkerMidJob(t *testing.T) {
	d := dataDir(t)
	env := []string{"BRIGHTRUN_SERVICES_WORKER=0"} // only the workers below run jobs
	startWorker := func(speed string) *exec.Cmd {
		return startWorkerProc(t, env, d, "--sim-speed", speed, "--rescue-after", "2s")
	}
	// The services start first (the worker would otherwise start them
	// without BRIGHTRUN_SERVICES_WORKER=0 in their environment).
	if r := run(t, env, "status", "--data-dir", d); r.code != 0 {
		t.Fatalf("status: exit %d %s", r.code, r.stderr)
	}
	first := startWorker("80")
	ds := uploadReady(t, env, d)
	job := createJob(t, env, d, "--dataset", ds)
	// Kill it once the first epoch's steps are recorded (the job is then
	// validating epoch 1, with over 10 s of simulated run to go).
	waitFor(t, env, d, job.ID, func(j jobRow) bool { return j.CurrentStep > 0 })
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	if j := showJob(t, env, d, job.ID); j.Status != "running" {
		t.Fatalf("after kill -9 the job is %s, want still running", j.Status)
	}

	startWorker("400")
	r := run(t, env, "job", "watch", job.ID, "--data-dir", d)
	j := showJob(t, env, d, job.ID)
	if r.code != 0 || j.Status != "completed" || j.RetryCount != 1 || j.FinalCost == nil {
		t.Fatalf("job after its worker died: exit %d, %+v\n%s%s", r.code, j, r.stdout, r.stderr)
	}
}
