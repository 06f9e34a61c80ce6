package worker_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"brightrun/engine"
	"brightrun/engine/enginetest"
	"brightrun/model"
)

func TestSimulatedJobRunsToCompletion(t *testing.T) {
	e, db, _, s := enginetest.Operator(t, "ada")
	ctx := context.Background()
	job := enginetest.ReadyJob(t, db, s, 40, engine.JobRequest{GPU: model.GPUConfig{Type: "H100", Count: 2}})
	est, _, err := s.EstimateForDataset(ctx, job.DatasetID, "", model.GPUConfig{Type: "H100", Count: 2}, model.HyperOverrides{})
	if err != nil {
		t.Fatal(err)
	}
	enginetest.StartWorker(t, e, engine.WorkerOptions{SimSpeed: enginetest.FastSim, RescueAfter: 2 * time.Second})
	j, _ := enginetest.WaitJob(t, s, job.ID, 30*time.Second)
	if j.Status != model.JobCompleted || j.CurrentStage != model.StageCompleted || j.Progress != 100 || j.CurrentStep != j.TotalSteps ||
		j.CurrentEpoch != 3 || j.StartedAt == nil || j.CompletedAt == nil || j.FinalCost == nil || j.ArtifactID == nil ||
		j.CurrentMetrics["train_loss"] <= 0 || j.CurrentMetrics["val_loss"] <= 0 || j.EstimatedCompletionAt != nil {
		t.Fatalf("completed job %+v", j)
	}

	// The cost is the estimate's: the simulated run lasts what it says.
	cost, err := s.JobCost(ctx, j.ID)
	if err != nil || cost == nil {
		t.Fatalf("cost %v %v", cost, err)
	}
	if cost.Kind != model.CostFinal || cost.TotalCost != *j.FinalCost || cost.TotalCost != est.EstimatedCost ||
		cost.ComputeCost != est.CostBreakdown.Compute || cost.StorageCost != 0.5 || cost.HourlyRate != 4.2 || cost.GPUCount != 2 {
		t.Fatalf("cost %+v, estimate %+v", cost, est)
	}

	points, err := s.JobMetrics(ctx, j.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	var train, val int
	last := 0
	for _, p := range points {
		if p.Step < last {
			t.Fatalf("points out of order at step %d", p.Step)
		}
		last = p.Step
		if p.TrainLoss != nil {
			train++
		}
		if p.ValLoss != nil {
			val++
		}
	}
	if train != j.TotalSteps || val != 3 || points[len(points)-1].ValLoss == nil {
		t.Fatalf("%d training and %d validation points of %d steps", train, val, j.TotalSteps)
	}
	if later, _ := s.JobMetrics(ctx, j.ID, j.TotalSteps); len(later) != 2 {
		t.Fatalf("points from the last step: %d, want its training and validation points", len(later))
	}

	events, err := s.JobEvents(ctx, j.ID)
	if err != nil {
		t.Fatal(err)
	}
	var stages []string
	for _, ev := range events {
		if ev.Kind == model.EventStage {
			stages = append(stages, ev.Stage)
		}
	}
	if got := strings.Join(stages, " "); got != "provisioning loading_dataset training validating training validating training validating saving saving completed" {
		t.Fatalf("stage events: %s", got)
	}

	arts, err := s.JobArtifacts(ctx, j.ID)
	if err != nil || len(arts) != 1 {
		t.Fatalf("artifacts %+v %v", arts, err)
	}
	a := arts[0]
	if a.ID != *j.ArtifactID || a.Format != model.ArtifactFormatPEFTSimulated || !a.Metadata.Simulated || len(a.Metadata.Files) != 4 ||
		!strings.Contains(a.Name, "SIMULATED") || a.Metadata.FinalMetrics["train_loss"] != j.CurrentMetrics["train_loss"] {
		t.Fatalf("artifact %+v", a)
	}
	dir := filepath.Join(t.TempDir(), "adapter")
	paths, err := s.DownloadArtifact(ctx, j.ID, dir)
	if err != nil || len(paths) != 4 {
		t.Fatalf("download: %v %v", paths, err)
	}
	var total int64
	for i, f := range a.Metadata.Files {
		b, err := os.ReadFile(paths[i])
		if err != nil {
			t.Fatal(err)
		}
		if !enginetest.MatchesRecord(f, b) {
			t.Fatalf("%s: downloaded file does not match its record", f.Name)
		}
		total += f.Size
	}
	if total != a.FileSize || model.ArtifactSHA256(a.Metadata.Files) != a.SHA256 {
		t.Fatalf("artifact size %d / sha %s do not add up", a.FileSize, a.SHA256)
	}

	notes, _ := s.Notifications(ctx, 0)
	var types []string
	for _, n := range notes {
		types = append(types, n.Type)
	}
	if got := strings.Join(types, ","); got != "job_completed,job_started,job_queued" {
		t.Fatalf("notifications %s", got)
	}
	// Another operator sees none of it.
	bob, _ := e.EnsureUser(ctx, "bob")
	b := e.Session(bob)
	if _, err := b.JobMetrics(ctx, j.ID, 0); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("bob reads ada's metrics: %v", err)
	}
	if _, err := b.DownloadArtifact(ctx, j.ID, t.TempDir()); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("bob downloads ada's adapter: %v", err)
	}
	if _, err := b.CancelJob(ctx, j.ID); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("bob cancels ada's job: %v", err)
	}
}

// A running job cancelled from another session stops within 3 seconds
// and keeps its cost so far.
func TestCancelRunningJob(t *testing.T) {
	e, db, u, s := enginetest.Operator(t, "ada")
	ctx := context.Background()
	job := enginetest.ReadyJob(t, db, s, 400, engine.JobRequest{GPU: model.GPUConfig{Type: "A100-80GB", Count: 1}})
	enginetest.StartWorker(t, e, engine.WorkerOptions{SimSpeed: 120, RescueAfter: 2 * time.Second}) // ~20 s of overhead alone
	running := enginetest.WaitStatus(t, s, job.ID, model.JobInitializing, model.JobRunning)
	time.Sleep(500 * time.Millisecond)

	began := time.Now()
	j, err := e.Session(u).CancelJob(ctx, job.ID)
	if err != nil || j.CancelRequestedAt == nil || j.Status.Final() {
		t.Fatalf("cancel: %+v %v (was %s)", j, err, running.Status)
	}
	j, _ = enginetest.WaitJob(t, s, job.ID, 10*time.Second)
	if took := time.Since(began); took > 3*time.Second {
		t.Fatalf("the trainer took %s to stop", took)
	}
	cost, err := s.JobCost(ctx, job.ID)
	if j.Status != model.JobCancelled || j.CancelledAt == nil || j.FinalCost == nil || *j.FinalCost <= 0 || err != nil ||
		cost.Kind != model.CostPartial || cost.TotalCost != *j.FinalCost || cost.StorageCost != 0 || cost.Hours <= 0 {
		t.Fatalf("cancelled job %+v\ncost %+v %v", j, cost, err)
	}
	if arts, _ := s.JobArtifacts(ctx, job.ID); len(arts) != 0 {
		t.Fatalf("a cancelled job stored an adapter: %+v", arts)
	}
	notes, _ := s.Notifications(ctx, 1)
	if len(notes) != 1 || notes[0].Type != model.NotificationJobCancelled {
		t.Fatalf("notification %+v", notes)
	}
	if _, err := s.CancelJob(ctx, job.ID); !errors.Is(err, engine.ErrJobFinished) {
		t.Fatalf("cancelling again: %v", err)
	}
}

// A queued job is cancelled at once, with a cost of nothing, and no worker
// ever runs it.
func TestCancelQueuedJob(t *testing.T) {
	e, db, _, s := enginetest.Operator(t, "ada")
	ctx := context.Background()
	job := enginetest.ReadyJob(t, db, s, 40, engine.JobRequest{GPU: model.GPUConfig{Type: "H100", Count: 1}})
	j, err := s.CancelJob(ctx, job.ID)
	if err != nil || j.Status != model.JobCancelled || j.FinalCost == nil || *j.FinalCost != 0 || j.StartedAt != nil {
		t.Fatalf("cancel queued: %+v %v", j, err)
	}
	var state string
	if err := db.Pool().QueryRow(ctx, `SELECT state::text FROM river_job WHERE args->>'job_id' = $1`, job.ID.String()).Scan(&state); err != nil || state != "cancelled" {
		t.Fatalf("queue job %q %v", state, err)
	}
	enginetest.StartWorker(t, e, engine.WorkerOptions{SimSpeed: enginetest.FastSim, RescueAfter: time.Second})
	time.Sleep(1500 * time.Millisecond)
	if j, _ := s.Job(ctx, job.ID); j.Status != model.JobCancelled || j.StartedAt != nil {
		t.Fatalf("a cancelled job ran: %+v", j)
	}
	if cost, err := s.JobCost(ctx, job.ID); err != nil || cost.TotalCost != 0 || cost.Kind != model.CostPartial {
		t.Fatalf("cost %+v %v", cost, err)
	}
}

// The exec trainer, driven through testdata/fake_trainer.sh: the job's name
// picks what the fake trainer does.
func TestExecTrainer(t *testing.T) {
	e, _, _, s := enginetest.Operator(t, "ada")
	ctx := context.Background()
	script, err := filepath.Abs("testdata/fake_trainer.sh")
	if err != nil {
		t.Fatal(err)
	}
	enginetest.StartWorker(t, e, engine.WorkerOptions{Concurrency: 4, ExecTrainer: "sh " + script, ExecIdleTimeout: 2 * time.Second, RescueAfter: 5 * time.Second,
		GPUType: "a100-40gb", GPUIDs: []int{0, 1, 2, 3, 4}})
	d, err := s.UploadDataset(ctx, enginetest.ChatFile(t, 12), engine.UploadOptions{Name: "coach"})
	if err != nil {
		t.Fatal(err)
	}
	d = enginetest.WaitDataset(t, s, d)

	tests := []struct {
		mode   string
		status model.JobStatus
		reason []string // parts of error_message
	}{
		{"ok", model.JobCompleted, nil},
		{"early", model.JobCompleted, nil},
		{"crash", model.JobFailed, []string{"the trainer command exited with status 3", "last lines of stderr:", "RuntimeError: CUDA error"}},
		{"garbage", model.JobFailed, []string{"the trainer broke the protocol", `"Loading checkpoint shards: 100%"`, "fake trainer starting"}},
		{"hang", model.JobFailed, []string{"the trainer printed nothing for 2s and was stopped"}},
		{"error", model.JobFailed, []string{"the trainer reported an error: base model not found: llama-9 (exited with status 1)"}},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			t.Parallel()
			job, err := s.CreateJob(ctx, engine.JobRequest{DatasetID: d.ID, Name: tt.mode, Trainer: model.TrainerExec,
				GPU: model.GPUConfig{Type: "A100-40GB", Count: 1}})
			if err != nil {
				t.Fatal(err)
			}
			began := time.Now()
			j, _ := enginetest.WaitJob(t, s, job.ID, 30*time.Second)
			if j.Status != tt.status {
				t.Fatalf("status %s, want %s: %s", j.Status, tt.status, j.ErrorMessage)
			}
			for _, part := range tt.reason {
				if !strings.Contains(j.ErrorMessage, part) {
					t.Errorf("error message lacks %q:\n%s", part, j.ErrorMessage)
				}
			}
			if tt.mode == "hang" && time.Since(began) > 10*time.Second {
				t.Errorf("a hung trainer took %s to fail", time.Since(began))
			}
			cost, err := s.JobCost(ctx, job.ID)
			if err != nil || cost == nil || cost.TotalCost != *j.FinalCost {
				t.Fatalf("cost %+v %v", cost, err)
			}
			workDir := filepath.Join(e.Config().DataDir, "jobs", job.ID.String())
			for i := 0; i < 20 && !isGone(workDir); i++ {
				time.Sleep(100 * time.Millisecond) // removed right after the end is committed
			}
			if !isGone(workDir) {
				t.Errorf("the job's work dir is left behind")
			}
			output, err := s.JobOutput(ctx, job.ID, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(output) == 0 || output[0].Stream != model.StreamStderr || output[0].Text != "fake trainer starting in mode "+tt.mode {
				t.Fatalf("output %+v", output)
			}
			if tt.mode == "crash" && !hasOutput(output, model.StreamStderr, "RuntimeError: CUDA error: device-side assert triggered") {
				t.Errorf("the crash's traceback is not in the output: %+v", output)
			}
			if tt.mode == "ok" && (!hasOutput(output, model.StreamStdout, "merged 2 shards") || !hasOutput(output, model.StreamStderr, "progress 100%")) {
				t.Errorf("the info log line or the progress bar's last state is not in the output: %+v", output)
			}
			for i := 1; i < len(output); i++ {
				if output[i].Seq <= output[i-1].Seq {
					t.Fatalf("output out of order: %+v", output)
				}
			}
			if later, _ := s.JobOutput(ctx, job.ID, output[0].Seq, 1); len(later) != min(1, len(output)-1) {
				t.Errorf("output after seq %d, limit 1: %+v", output[0].Seq, later)
			}
			if tt.status != model.JobCompleted {
				if notes, _ := s.Notifications(ctx, 0); !hasNotification(notes, model.NotificationJobFailed, tt.mode) {
					t.Errorf("no job_failed notification for %s", tt.mode)
				}
				return
			}
			if tt.mode == "early" {
				checkEarlyExecRun(t, s, j)
				return
			}
			points, _ := s.JobMetrics(ctx, job.ID, 0)
			if len(points) != j.TotalSteps+1 || points[len(points)-1].ValLoss == nil || j.CurrentMetrics["train_loss"] != 0.5 {
				t.Fatalf("%d points for %d steps; metrics %v", len(points), j.TotalSteps, j.CurrentMetrics)
			}
			arts, _ := s.JobArtifacts(ctx, job.ID)
			if len(arts) != 1 || arts[0].Format != model.ArtifactFormatPEFT || arts[0].Metadata.Simulated {
				t.Fatalf("artifacts %+v", arts)
			}
			dir := t.TempDir()
			paths, err := s.DownloadArtifact(ctx, job.ID, dir)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, p := range paths {
				names = append(names, filepath.Base(p))
			}
			want := "adapter_config.json,adapter_model.safetensors,dataset_copy.jsonl" // the trainer fetched the presigned URL
			if got := strings.Join(names, ","); got != want {
				t.Fatalf("downloaded %s, want %s", got, want)
			}
			copied, _ := os.ReadFile(filepath.Join(dir, "dataset_copy.jsonl"))
			if !strings.Contains(string(copied), "emergency fund") {
				t.Fatalf("the trainer did not get the dataset through its URL: %q", copied)
			}
			// The checkpoint line's directory is uploaded and recorded, with
			// the validation accuracy the trainer reported.
			cps, err := s.JobCheckpoints(ctx, job.ID, 1, 0)
			if err != nil || cps.Total != 1 {
				t.Fatalf("checkpoints %+v %v", cps, err)
			}
			cp := cps.Checkpoints[0]
			if cp.Step != j.TotalSteps || !cp.Best || cp.ValLoss == nil || *cp.ValLoss != 0.75 || cp.ValAccuracy == nil || *cp.ValAccuracy != 0.7 ||
				len(cp.Files) != 1 || cp.Files[0].Name != "trainer_state.json" || cp.SizeBytes != cp.Files[0].Size {
				t.Fatalf("checkpoint %+v", cp)
			}
			if _, got, err := s.DownloadCheckpoint(ctx, job.ID, cp.Step, t.TempDir()); err != nil || len(got) != 1 {
				t.Fatalf("checkpoint download %v %v", got, err)
			}
			events, _ := s.JobEvents(ctx, job.ID)
			if !hasEvent(events, model.EventWarning, "made by a fake trainer") || !hasEvent(events, model.EventCheckpoint, "checkpoint at step") {
				t.Fatalf("events %+v", events)
			}
			// The trainer's progress lines name stages without a message;
			// their events still say which stage began.
			for _, ev := range events {
				if ev.Message == "" {
					t.Errorf("an empty %s event (stage %s)", ev.Kind, ev.Stage)
				}
			}
			if !hasEvent(events, model.EventStage, "training") {
				t.Errorf("no event says training began: %+v", events)
			}
		})
	}
}

// checkEarlyExecRun checks the fake trainer's early stop: the reason and
// best step it reported are the job's, and its checkpoints are one per
// epoch with their accuracies, the second the best.
func checkEarlyExecRun(t *testing.T, s *engine.Session, j model.Job) {
	t.Helper()
	if !strings.HasPrefix(j.StopReason, "stopped early at epoch 3 of 3") || j.BestCheckpointStep == nil || *j.BestCheckpointStep != 20 {
		t.Fatalf("stop reason %q, best step %v", j.StopReason, j.BestCheckpointStep)
	}
	cps, err := s.JobCheckpoints(context.Background(), j.ID, 1, 0)
	if err != nil || cps.Total != 3 {
		t.Fatalf("checkpoints %+v %v", cps, err)
	}
	for i, c := range cps.Checkpoints {
		if c.Step != 10*(i+1) || c.Best != (c.Step == 20) || c.TrainAccuracy == nil || c.ValAccuracy == nil || *c.ValAccuracy != 0.6 || c.SizeBytes != 8 {
			t.Errorf("checkpoint %d: %+v", i, c)
		}
	}
}

// An exec job never goes to a worker that cannot run it: with only a
// simulated worker it waits, saying why, and an exec worker of its GPU
// type runs it; a cancelled exec trainer is stopped within 3 seconds.
func TestExecJobWaitsForItsWorkerAndCancel(t *testing.T) {
	e, _, _, s := enginetest.Operator(t, "ada")
	ctx := context.Background()
	d, err := s.UploadDataset(ctx, enginetest.ChatFile(t, 12), engine.UploadOptions{Name: "coach"})
	if err != nil {
		t.Fatal(err)
	}
	w := enginetest.StartWorker(t, e, engine.WorkerOptions{RescueAfter: 5 * time.Second})
	d = enginetest.WaitDataset(t, s, d)
	job, err := s.CreateJob(ctx, engine.JobRequest{DatasetID: d.ID, Name: "ok", Trainer: "exec", GPU: model.GPUConfig{Type: "H100", Count: 1}})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second) // the simulated worker polls its queues meanwhile
	j, err := s.Job(ctx, job.ID)
	if err != nil || j.Status != model.JobQueued || j.WaitingReason != "waiting for an exec worker with 1 × H100: none is running" {
		t.Fatalf("exec job with a simulated worker only: %s, %q, %v", j.Status, j.WaitingReason, err)
	}
	w.Stop(10 * time.Second)

	script, _ := filepath.Abs("testdata/fake_trainer.sh")
	enginetest.StartWorker(t, e, engine.WorkerOptions{Trainers: []string{model.TrainerExec}, ExecTrainer: "sh " + script, RescueAfter: 5 * time.Second,
		GPUType: "H100", GPUIDs: []int{0}})
	if j, _ := enginetest.WaitJob(t, s, job.ID, 30*time.Second); j.Status != model.JobCompleted {
		t.Fatalf("exec job on its worker: %s: %s", j.Status, j.ErrorMessage)
	}
	job, err = s.CreateJob(ctx, engine.JobRequest{DatasetID: d.ID, Name: "slow", Trainer: "exec", GPU: model.GPUConfig{Type: "H100", Count: 1}})
	if err != nil {
		t.Fatal(err)
	}
	enginetest.WaitStatus(t, s, job.ID, model.JobRunning)
	time.Sleep(time.Second)
	began := time.Now()
	if _, err := s.CancelJob(ctx, job.ID); err != nil {
		t.Fatal(err)
	}
	j, _ = enginetest.WaitJob(t, s, job.ID, 10*time.Second)
	if took := time.Since(began); j.Status != model.JobCancelled || took > 3*time.Second || j.CurrentStep == 0 {
		t.Fatalf("cancelled exec job: %s after %s at step %d", j.Status, took, j.CurrentStep)
	}
}

func isGone(path string) bool {
	_, err := os.Stat(path)
	return os.IsNotExist(err)
}

func hasNotification(list []model.Notification, typ, words string) bool {
	for _, n := range list {
		if n.Type == typ && strings.Contains(n.Message, words) {
			return true
		}
	}
	return false
}

func hasEvent(list []model.JobEvent, kind, words string) bool {
	for _, ev := range list {
		if ev.Kind == kind && strings.Contains(ev.Message, words) {
			return true
		}
	}
	return false
}

func hasOutput(lines []model.JobOutputLine, stream, text string) bool {
	for _, l := range lines {
		if l.Stream == stream && l.Text == text {
			return true
		}
	}
	return false
}

// An exec worker keeping one checkpoint keeps the newest and the best:
// the others lose their rows (and their files).
func TestExecKeepsTheNewestCheckpointsAndTheBest(t *testing.T) {
	e, _, _, s := enginetest.Operator(t, "ada")
	ctx := context.Background()
	script, _ := filepath.Abs("testdata/fake_trainer.sh")
	enginetest.StartWorker(t, e, engine.WorkerOptions{ExecTrainer: "sh " + script, RescueAfter: 5 * time.Second,
		GPUType: "H100", GPUIDs: []int{0}, KeepCheckpoints: 1})
	d, err := s.UploadDataset(ctx, enginetest.ChatFile(t, 12), engine.UploadOptions{Name: "coach"})
	if err != nil {
		t.Fatal(err)
	}
	d = enginetest.WaitDataset(t, s, d)
	job, err := s.CreateJob(ctx, engine.JobRequest{DatasetID: d.ID, Name: "early", Trainer: model.TrainerExec, GPU: model.GPUConfig{Type: "H100", Count: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if j, _ := enginetest.WaitJob(t, s, job.ID, 30*time.Second); j.Status != model.JobCompleted {
		t.Fatalf("%s: %s", j.Status, j.ErrorMessage)
	}
	cps, err := s.JobCheckpoints(ctx, job.ID, 1, 0)
	if err != nil || cps.Total != 2 || cps.Checkpoints[0].Step != 20 || !cps.Checkpoints[0].Best || cps.Checkpoints[1].Step != 30 {
		t.Fatalf("kept %+v (%v), want steps 20 (best) and 30", cps.Checkpoints, err)
	}
	if _, _, err := s.DownloadCheckpoint(ctx, job.ID, 10, t.TempDir()); !errors.Is(err, engine.ErrNoCheckpoint) {
		t.Errorf("download of a dropped checkpoint: %v", err)
	}
}

// A job resumed after its checkpoint is picked up as a resumed run: its
// notification says it goes on from that step, and the job has one
// "Training Started", from its first run.
func TestResumedJobNotifiesResumed(t *testing.T) {
	e, db, _, s := enginetest.Operator(t, "ada")
	ctx := context.Background()
	job := enginetest.ReadyJob(t, db, s, 400, engine.JobRequest{GPU: model.GPUConfig{Type: "A100-80GB", Count: 1}})
	enginetest.StartWorker(t, e, engine.WorkerOptions{SimSpeed: 200})
	errCheckpointed := errors.New("checkpointed")
	watch, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if _, err := s.WatchJob(watch, job.ID, func(j model.Job) error {
		if j.CurrentEpoch >= 2 {
			return errCheckpointed
		}
		return nil
	}); !errors.Is(err, errCheckpointed) {
		t.Fatalf("waiting for the first checkpoint: %v", err)
	}
	if _, err := s.CancelJob(ctx, job.ID); err != nil {
		t.Fatal(err)
	}
	if j, _ := enginetest.WaitJob(t, s, job.ID, time.Minute); j.Status != model.JobCancelled {
		t.Fatalf("cancelled job is %s", j.Status)
	}
	cps, err := s.JobCheckpoints(ctx, job.ID, 1, 0)
	if err != nil || cps.Total == 0 {
		t.Fatalf("checkpoints %+v %v", cps, err)
	}
	last := cps.Checkpoints[len(cps.Checkpoints)-1].Step
	if _, err := s.ResumeJob(ctx, job.ID); err != nil {
		t.Fatal(err)
	}
	if j, _ := enginetest.WaitJob(t, s, job.ID, 2*time.Minute); j.Status != model.JobCompleted {
		t.Fatalf("resumed job is %s", j.Status)
	}
	notes, err := s.Notifications(ctx, 50)
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string][]string{}
	for _, n := range notes {
		titles[n.Title] = append(titles[n.Title], n.Message)
	}
	resumed := titles["Training Resumed"]
	if len(titles["Training Started"]) != 1 || len(resumed) != 1 ||
		!strings.Contains(resumed[0], "resumed after its checkpoint at step "+strconv.Itoa(last)) {
		t.Fatalf("notifications %v", titles)
	}
}
