package main_test

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Routing through the binary: each job waits for a worker that can run
// it, says why meanwhile, and exec workers share out their GPUs.

// routedJob is what these tests read of `job show --json`.
type routedJob struct {
	ID            string  `json:"id"`
	Status        string  `json:"status"`
	WaitingReason string  `json:"waiting_reason"`
	StartedAt     *string `json:"started_at"`
	CompletedAt   *string `json:"completed_at"`
	RetryCount    int     `json:"retry_count"`
	ErrorMessage  string  `json:"error_message"`
}

func showRouted(t *testing.T, env []string, d, id string) routedJob {
	t.Helper()
	r := run(t, env, "job", "show", id, "--json", "--data-dir", d)
	if r.code != 0 {
		t.Fatalf("job show: exit %d %s", r.code, r.stderr)
	}
	var j routedJob
	if err := json.Unmarshal([]byte(r.stdout), &j); err != nil {
		t.Fatalf("job show: %v\n%s", err, r.stdout)
	}
	return j
}

// waitRouted polls `job show` until ok says yes.
func waitRouted(t *testing.T, env []string, d, id string, limit time.Duration, ok func(routedJob) bool) routedJob {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		j := showRouted(t, env, d, id)
		if ok(j) {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job never got there: %+v", j)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

type workerRow struct {
	ID          string   `json:"id"`
	Host        string   `json:"host"`
	PID         int      `json:"pid"`
	Trainers    []string `json:"trainers"`
	GPUType     string   `json:"gpu_type"`
	GPUs        []int    `json:"gpus"`
	GPUsFree    []int    `json:"gpus_free"`
	RunningJobs []string `json:"running_jobs"`
	StartedAt   string   `json:"started_at"`
	HeartbeatAt string   `json:"heartbeat_at"`
}

func listWorkers(t *testing.T, env []string, d string) []workerRow {
	t.Helper()
	r := run(t, env, "worker", "list", "--json", "--data-dir", d)
	if r.code != 0 {
		t.Fatalf("worker list: exit %d %s", r.code, r.stderr)
	}
	var p struct {
		Workers []workerRow `json:"workers"`
		Page    int         `json:"page"`
		Total   int         `json:"total"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &p); err != nil || p.Page != 1 || p.Total != len(p.Workers) {
		t.Fatalf("worker list: %v %+v\n%s", err, p, r.stdout)
	}
	return p.Workers
}

// workerWithPID finds a process's row in the list.
func workerWithPID(ws []workerRow, pid int) (workerRow, bool) {
	i := slices.IndexFunc(ws, func(w workerRow) bool { return w.PID == pid })
	if i < 0 {
		return workerRow{}, false
	}
	return ws[i], true
}

// startWorkerProc runs `brightrun worker ARGS…` on the data dir until the
// test ends.
func startWorkerProc(t *testing.T, env []string, d string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := binaryCmd(t, env, append([]string{"worker", "--data-dir", d}, args...)...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	})
	return cmd
}

// fakeTrainer is the exec trainer command of engine/worker/testdata/fake_trainer.sh.
func fakeTrainer(t testing.TB) string {
	t.Helper()
	p, err := filepath.Abs("engine/worker/testdata/fake_trainer.sh")
	if err != nil {
		t.Fatal(err)
	}
	return "sh " + p
}

// fakeTrainerEnv runs exec jobs with the fake trainer on two A100-80GB,
// with extra settings on top.
func fakeTrainerEnv(t testing.TB, extra ...string) []string {
	t.Helper()
	return append([]string{"BRIGHTRUN_EXEC_TRAINER=" + fakeTrainer(t), "BRIGHTRUN_WORKER_GPU_TYPE=A100-80GB", "BRIGHTRUN_WORKER_GPUS=2"}, extra...)
}

// An exec job on a zero-config data dir waits, saying why, while a
// simulated job runs on the services' worker; a V100 worker never takes
// it; an H100 worker started beside them does, and it completes there.
func TestE2EExecJobWaitsForItsWorker(t *testing.T) {
	d := dataDir(t)
	env := []string{"BRIGHTRUN_SIM_SPEED=300"}
	ds := uploadReady(t, env, d)
	job := createJob(t, env, d, "--dataset", ds, "--trainer", "exec", "--gpu", "H100", "--gpus", "2", "--name", "ok")
	const none = "waiting for an exec worker with 2 × H100: none is running"
	if j := showRouted(t, env, d, job.ID); j.Status != "queued" || j.WaitingReason != none {
		t.Fatalf("exec job with no exec worker: %+v", j)
	}

	sim := createJob(t, env, d, "--dataset", ds, "--name", "sim")
	if r := run(t, env, "job", "watch", sim.ID, "--data-dir", d); r.code != 0 {
		t.Fatalf("simulated job: exit %d %s", r.code, r.stderr)
	}
	if j := showRouted(t, env, d, sim.ID); j.Status != "completed" || j.WaitingReason != "" {
		t.Fatalf("simulated job on the services' worker: %+v", j)
	}

	v100 := startWorkerProc(t, env, d, "--exec-trainer", fakeTrainer(t), "--gpu-type", "v100-32gb", "--gpus", "2")
	var seen workerRow
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		var ok bool
		if seen, ok = workerWithPID(listWorkers(t, env, d), v100.Process.Pid); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the V100 worker never showed in worker list")
		}
	}
	if seen.GPUType != "V100-32GB" || !slices.Equal(seen.GPUs, []int{0, 1}) || !slices.Equal(seen.Trainers, []string{"exec"}) {
		t.Fatalf("V100 worker in the list: %+v", seen)
	}
	time.Sleep(3 * time.Second) // it polls its queue meanwhile
	if j := showRouted(t, env, d, job.ID); j.Status != "queued" || j.WaitingReason != none {
		t.Fatalf("H100 job with a V100 worker up: %+v", j)
	}
	if r := run(t, env, "job", "list", "--data-dir", d); !strings.Contains(r.stdout, job.ID+" "+none) {
		t.Fatalf("job list does not say why the job waits:\n%s", r.stdout)
	}

	began := time.Now()
	h100 := startWorkerProc(t, env, d, "--exec-trainer", fakeTrainer(t), "--gpu-type", "h100", "--gpus", "2")
	if r := run(t, env, "job", "watch", job.ID, "--data-dir", d); r.code != 0 {
		t.Fatalf("exec job: exit %d %s%s", r.code, r.stdout, r.stderr)
	}
	j := showRouted(t, env, d, job.ID)
	if j.Status != "completed" || j.RetryCount != 0 || j.StartedAt == nil {
		t.Fatalf("exec job on the H100 worker: %+v", j)
	}
	if started, err := time.Parse(time.RFC3339Nano, *j.StartedAt); err == nil {
		t.Logf("claimed %s after the worker process was started", started.Sub(began).Round(time.Millisecond))
	}
	r := run(t, env, "job", "logs", job.ID, "--data-dir", d)
	if !strings.Contains(r.stdout, "fake trainer starting") {
		t.Fatalf("job logs: %s%s", r.stdout, r.stderr)
	}
	if w, ok := workerWithPID(listWorkers(t, env, d), h100.Process.Pid); !ok || w.GPUType != "H100" || len(w.GPUsFree) != 2 {
		t.Fatalf("H100 worker after its job: %+v (listed: %v)", w, ok)
	}
	if r := run(t, env, "worker", "list", "--data-dir", d); !strings.Contains(r.stdout, "2 × H100 (0,1)") || !strings.Contains(r.stdout, "3 worker(s)") {
		t.Fatalf("worker list:\n%s%s", r.stdout, r.stderr)
	}
}

// Two 1-GPU jobs on a 2-GPU worker run at once, each on its own GPU.
func TestE2ETwoJobsShareAWorkersGPUs(t *testing.T) {
	d := dataDir(t)
	env := []string{"BRIGHTRUN_SIM_SPEED=300"}
	ds := uploadReady(t, env, d)
	a := createJob(t, env, d, "--dataset", ds, "--trainer", "exec", "--gpu", "H100", "--gpus", "1", "--name", "gpus-a")
	b := createJob(t, env, d, "--dataset", ds, "--trainer", "exec", "--gpu", "H100", "--gpus", "1", "--name", "gpus-b")
	startWorkerProc(t, env, d, "--exec-trainer", fakeTrainer(t), "--gpu-type", "H100", "--gpu-ids", "0,1")
	var got []string
	var jobs []routedJob
	for _, id := range []string{a.ID, b.ID} {
		if r := run(t, env, "job", "watch", id, "--data-dir", d); r.code != 0 {
			t.Fatalf("job %s: exit %d %s", id, r.code, r.stderr)
		}
		j := showRouted(t, env, d, id)
		if j.Status != "completed" || j.StartedAt == nil || j.CompletedAt == nil {
			t.Fatalf("job %s: %+v", id, j)
		}
		jobs = append(jobs, j)
		r := run(t, env, "job", "logs", id, "--data-dir", d)
		i := strings.Index(r.stdout, "cuda_visible_devices=")
		if i < 0 {
			t.Fatalf("job %s logs lack CUDA_VISIBLE_DEVICES:\n%s", id, r.stdout)
		}
		got = append(got, strings.Fields(r.stdout[i+len("cuda_visible_devices="):])[0])
	}
	slices.Sort(got)
	if !slices.Equal(got, []string{"0", "1"}) {
		t.Fatalf("CUDA_VISIBLE_DEVICES of the two jobs: %v, want 0 and 1", got)
	}
	at := func(s *string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, *s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if !at(jobs[0].StartedAt).Before(at(jobs[1].CompletedAt)) || !at(jobs[1].StartedAt).Before(at(jobs[0].CompletedAt)) {
		t.Fatalf("the jobs did not overlap: %+v", jobs)
	}
}

// An exec worker killed with -9 leaves worker list within its rescue
// interval, and its job resumes on the next worker.
func TestE2EKillExecWorker(t *testing.T) {
	d := dataDir(t)
	env := []string{"BRIGHTRUN_SIM_SPEED=300", "BRIGHTRUN_RESCUE_AFTER=2s"}
	ds := uploadReady(t, env, d)
	job := createJob(t, env, d, "--dataset", ds, "--trainer", "exec", "--gpu", "H100", "--gpus", "1", "--name", "gpus-kill-long")
	first := startWorkerProc(t, env, d, "--exec-trainer", fakeTrainer(t), "--gpu-type", "H100", "--gpus", "1")
	waitRouted(t, env, d, job.ID, 30*time.Second, func(j routedJob) bool { return j.Status == "running" })
	if w, ok := workerWithPID(listWorkers(t, env, d), first.Process.Pid); !ok || !slices.Equal(w.RunningJobs, []string{job.ID}) || len(w.GPUsFree) != 0 {
		t.Fatalf("worker running the job: %+v (listed: %v)", w, ok)
	}
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	killed := time.Now()
	for {
		if _, ok := workerWithPID(listWorkers(t, env, d), first.Process.Pid); !ok {
			break
		}
		if time.Since(killed) > 4*time.Second {
			t.Fatal("the killed worker is still listed after twice its rescue interval")
		}
		time.Sleep(100 * time.Millisecond)
	}
	startWorkerProc(t, env, d, "--exec-trainer", fakeTrainer(t), "--gpu-type", "H100", "--gpus", "1", "--rescue-after", "2s")
	if r := run(t, env, "job", "watch", job.ID, "--data-dir", d); r.code != 0 {
		t.Fatalf("job watch: exit %d %s", r.code, r.stderr)
	}
	if j := showRouted(t, env, d, job.ID); j.Status != "completed" || j.RetryCount != 1 {
		t.Fatalf("job after its worker died: %+v", j)
	}
}

// A worker's capabilities are checked before it takes anything: each
// mistake is one line naming the flag (exit 2).
func TestE2EWorkerFlags(t *testing.T) {
	d := dataDir(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--gpu-type", "H100"}, "--gpu-type, --gpus and --gpu-ids are for an exec worker"},
		{[]string{"--trainer", "exec"}, "--trainer exec needs --exec-trainer CMD"},
		{[]string{"--trainer", "gpu"}, `--trainer "gpu": want simulated or exec`},
		{[]string{"--exec-trainer", "true"}, "an exec worker needs --gpu-type TYPE"},
		{[]string{"--exec-trainer", "true", "--gpu-type", "H100"}, "needs --gpus N or --gpu-ids 0,1,…"},
		{[]string{"--exec-trainer", "true", "--gpu-type", "H100", "--gpus", "2", "--gpu-ids", "0,1"}, "give --gpus or --gpu-ids, not both"},
		{[]string{"--exec-trainer", "true", "--gpu-type", "H100", "--gpus", "0"}, `--gpus "0": want a number of GPUs from 1 to 1024`},
		{[]string{"--exec-trainer", "true", "--gpu-type", "H100", "--gpu-ids", "0,0"}, `--gpu-ids "0,0": want distinct GPU ids`},
		{[]string{"--exec-trainer", "true", "--gpu-type", "Z80", "--gpus", "1"}, `unknown GPU type "Z80"`},
	} {
		r := run(t, nil, append([]string{"worker", "--data-dir", d}, tc.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("worker %v: exit %d %q, want exit 2 saying %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
	if r := run(t, nil, "worker", "list", "--data-dir", d); r.code != 0 || !strings.Contains(r.stdout, "worker(s)") {
		t.Errorf("worker list: exit %d %s%s", r.code, r.stdout, r.stderr)
	}
}
