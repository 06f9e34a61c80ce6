package uitest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
)

// The live job view's fixture: every job that has trained has a
// deterministic curve up to its current step (a training point a step and
// a validation point at the end of each epoch, as the trainer writes
// them), an event log drawn from its status, and a finished one its cost;
// a completed one has an adapter to download. Tests move a job on with
// SetStatus and the curve grows with it.

// liveRecord is what the live view asked of the fixture.
type liveRecord struct {
	// MetricCalls is the sinceStep of every JobMetrics call.
	MetricCalls []int
	// Cancelled is every job CancelJob was called for.
	Cancelled []uuid.UUID
	// Downloads is the outDir of every DownloadArtifact call.
	Downloads []string
	// URLRequests is the job of every ArtifactDownloadURLs call; URLErr,
	// when set, is what it answers.
	URLRequests []uuid.UUID
	URLErr      error
	// CancelErr, when set, is what CancelJob answers.
	CancelErr error
	// Resumed is every job ResumeJob was called for; Exports the format
	// and path of every ExportJobMetrics call.
	Resumed []uuid.UUID
	Exports []string
	// ExportDir is the "data dir's exports folder" ExportJobMetrics
	// writes into when given no path; a test sets it (t.TempDir()).
	ExportDir string
}

// fixtureJob finds a job by ID under the lock.
func (f *JobFixture) fixtureJob(id uuid.UUID) (int, bool) {
	for i := range f.Items {
		if f.Items[i].ID == id {
			return i, true
		}
	}
	return -1, false
}

// MetricReads is a copy of MetricCalls, read under the lock.
func (f *JobFixture) MetricReads() []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.MetricCalls)
}

// lookup returns a copy of the job id, read under the lock.
func (f *JobFixture) lookup(id uuid.UUID) (model.Job, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if i, ok := f.fixtureJob(id); ok {
		return f.Items[i], nil
	}
	return model.Job{}, fmt.Errorf("job %s: %w", id, ErrNotFound)
}

// JobMetrics implements common.Backend: the job's curve from sinceStep on,
// ordered by step, a validation point after the training point it shares
// its step with.
func (b *Backend) JobMetrics(_ context.Context, id uuid.UUID, sinceStep int) ([]model.MetricPoint, error) {
	f := b.JobFixture()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.MetricCalls = append(f.MetricCalls, sinceStep)
	i, ok := f.fixtureJob(id)
	if !ok {
		return nil, fmt.Errorf("job %s: %w", id, ErrNotFound)
	}
	return MetricSeries(f.Items[i], sinceStep), nil
}

// MetricSeries is the deterministic curve of j from step since up to its
// current step: a loss falling with a little wobble (faster with a higher
// learning rate, towards a floor that is lower for a higher rank: 0.35 at
// the balanced preset's), a learning rate warming up and then decaying, a
// grad norm settling, and a steady throughput. Point IDs are 2×step, and
// 2×step+1 for a validation point.
func MetricSeries(j model.Job, since int) []model.MetricPoint {
	total := max(1, j.TotalSteps)
	perEpoch := max(1, total/max(1, j.TotalEpochs))
	lr := j.Hyperparameters.LearningRate
	if lr == 0 {
		lr = 2e-4
	}
	speed, floor := 4.0, 0.35
	if h := j.Hyperparameters; h.LearningRate > 0 && h.Rank > 0 {
		speed = 4 * math.Sqrt(h.LearningRate/5e-5)
		floor = 0.35 * math.Pow(16/float64(h.Rank), 0.25)
	}
	// Runs of one configuration differ a little, as real ones do.
	floor += 0.05 * float64(j.ID[15]%3)
	var out []model.MetricPoint
	for s := max(1, since); s <= j.CurrentStep; s++ {
		x := float64(s) / float64(total)
		at := Now.Add(-time.Duration(j.CurrentStep-s) * time.Second)
		train := floor + 1.85*math.Exp(-speed*x) + 0.04*math.Sin(float64(s)/3)
		rate := lr * math.Min(1, float64(s)/(0.1*float64(total))) * (0.5 + 0.5*math.Cos(math.Pi*x))
		grad := 0.4 + 1.2*math.Exp(-5*x) + 0.08*math.Cos(float64(s)/5)
		tps := 3400 + 120*math.Sin(float64(s)/7)
		gpu := 93.0
		out = append(out, model.MetricPoint{
			ID: int64(2 * s), Step: s, Epoch: float64(s) / float64(perEpoch),
			TrainLoss: &train, LearningRate: &rate, GradNorm: &grad, TokensPerSec: &tps, GPUUtilization: &gpu, RecordedAt: at,
		})
		if s%perEpoch == 0 {
			val := floor + 0.07 + 1.7*math.Exp(-0.9*speed*x)
			out = append(out, model.MetricPoint{ID: int64(2*s + 1), Step: s, Epoch: float64(s) / float64(perEpoch), ValLoss: &val, RecordedAt: at})
		}
	}
	return out
}

// JobEvents implements common.Backend: the stage changes the job went
// through, a checkpoint at each finished epoch and, for a run past half
// way, a warning.
func (b *Backend) JobEvents(_ context.Context, id uuid.UUID) ([]model.JobEvent, error) {
	j, err := b.JobFixture().lookup(id)
	if err != nil {
		return nil, err
	}
	return JobEventLog(j), nil
}

// JobLive implements common.Backend: Job, JobMetrics (recorded in
// MetricCalls) and JobEvents at once.
func (b *Backend) JobLive(ctx context.Context, id uuid.UUID, sinceStep int) (engine.JobLive, error) {
	j, err := b.Job(ctx, id)
	if err != nil {
		return engine.JobLive{}, err
	}
	points, err := b.JobMetrics(ctx, id, sinceStep)
	if err != nil {
		return engine.JobLive{}, err
	}
	events, err := b.JobEvents(ctx, id)
	return engine.JobLive{Job: j, Points: points, Events: events, Checkpoints: CheckpointList(j)}, err
}

// CheckpointList is j's checkpoints: one at the end of each finished
// epoch, with the losses of its curve there, the best marked.
func CheckpointList(j model.Job) []model.Checkpoint {
	out := []model.Checkpoint{}
	var train *float64
	for _, p := range MetricSeries(j, 0) {
		if p.TrainLoss != nil {
			train = p.TrainLoss
			continue
		}
		acc := math.Round(math.Exp(-0.3**p.ValLoss)*1e4) / 1e4
		out = append(out, model.Checkpoint{JobID: j.ID, Step: p.Step, Epoch: p.Epoch, TrainLoss: train, ValLoss: p.ValLoss,
			ValAccuracy: &acc, SizeBytes: 16_800 + int64(p.Step), Simulated: j.Trainer == model.TrainerSimulated,
			CreatedAt: p.RecordedAt})
	}
	model.MarkBest(out)
	return out
}

// JobEventLog is the event log of j, oldest first.
func JobEventLog(j model.Job) []model.JobEvent {
	if j.StartedAt == nil {
		return nil
	}
	at := *j.StartedAt
	tick := func(d time.Duration) time.Time { at = at.Add(d); return at }
	ev := []model.JobEvent{
		{At: tick(0), Kind: model.EventStage, Stage: model.StageProvisioning, Message: "provisioning " + fmt.Sprintf("%d × %s", j.GPUConfig.Count, j.GPUConfig.Type)},
		{At: tick(40 * time.Second), Kind: model.EventStage, Stage: model.StageLoadingDataset, Message: "loading the dataset"},
	}
	if j.CurrentStep == 0 {
		return ev
	}
	ev = append(ev, model.JobEvent{At: tick(20 * time.Second), Kind: model.EventStage, Stage: model.StageTraining, Message: "training started"})
	perEpoch := max(1, j.TotalSteps/max(1, j.TotalEpochs))
	for e := 1; e*perEpoch <= j.CurrentStep; e++ {
		ev = append(ev, model.JobEvent{At: tick(3 * time.Minute), Kind: model.EventCheckpoint, Step: e * perEpoch,
			Message: fmt.Sprintf("checkpoint saved after epoch %d", e)})
	}
	if j.Progress >= 40 {
		ev = append(ev, model.JobEvent{At: tick(time.Minute), Kind: model.EventWarning, Step: j.CurrentStep * 9 / 10,
			Message: "grad norm spiked to 4.2 (clipped to 1.0)"})
	}
	switch j.Status {
	case model.JobCompleted:
		ev = append(ev,
			model.JobEvent{At: tick(time.Minute), Kind: model.EventStage, Stage: model.StageSaving, Message: "saving the adapter"},
			model.JobEvent{At: tick(30 * time.Second), Kind: model.EventStage, Stage: model.StageCompleted, Message: "completed"})
	case model.JobFailed:
		ev = append(ev, model.JobEvent{At: tick(time.Minute), Kind: model.EventError, Stage: model.StageFailed, Message: j.ErrorMessage})
	case model.JobCancelled:
		ev = append(ev, model.JobEvent{At: tick(time.Minute), Kind: model.EventStage, Stage: model.StageCancelled, Message: "cancelled by the operator"})
	}
	return ev
}

// JobCost implements common.Backend: a finished job's record, priced from
// its final cost; nil while it runs.
func (b *Backend) JobCost(_ context.Context, id uuid.UUID) (*model.CostRecord, error) {
	j, err := b.JobFixture().lookup(id)
	if err != nil {
		return nil, err
	}
	if !j.Status.Final() || j.FinalCost == nil {
		return nil, nil
	}
	kind, storage := model.CostPartial, 0.0
	if j.Status == model.JobCompleted {
		kind, storage = model.CostFinal, 0.05
	}
	rate := 1.89
	hours := math.Round((*j.FinalCost-storage)/rate/float64(max(1, j.GPUConfig.Count))*1e4) / 1e4
	return &model.CostRecord{JobID: j.ID, Kind: kind, GPUType: j.GPUConfig.Type, GPUCount: j.GPUConfig.Count,
		Hours: hours, HourlyRate: rate, ComputeCost: *j.FinalCost - storage, StorageCost: storage,
		TotalCost: *j.FinalCost, RecordedAt: *j.CompletedAt}, nil
}

// CancelJob implements common.Backend as the engine does: a queued job
// ends cancelled at once, a running one is marked, an ended one refuses.
func (b *Backend) CancelJob(_ context.Context, id uuid.UUID) (model.Job, error) {
	f := b.JobFixture()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Cancelled = append(f.Cancelled, id)
	if f.CancelErr != nil {
		return model.Job{}, f.CancelErr
	}
	i, ok := f.fixtureJob(id)
	if !ok {
		return model.Job{}, fmt.Errorf("job %s: %w", id, ErrNotFound)
	}
	j := &f.Items[i]
	if j.Status.Final() {
		return model.Job{}, fmt.Errorf("job %s is %s: the job has already finished", id, j.Status)
	}
	now := Now
	j.CancelRequestedAt = &now
	if j.Status == model.JobQueued {
		zero := 0.0
		j.Status, j.CurrentStage, j.CancelledAt, j.CompletedAt, j.FinalCost = model.JobCancelled, model.StageCancelled, &now, &now, &zero
	}
	return *j, nil
}

// PlanResume implements common.Backend: a failed or cancelled job resumes
// after its newest checkpoint (CheckpointList), costing the estimate's
// share of the steps left.
func (b *Backend) PlanResume(ctx context.Context, id uuid.UUID) (engine.ResumePlan, error) {
	j, err := b.Job(ctx, id)
	if err != nil {
		return engine.ResumePlan{}, err
	}
	c, err := model.ResumeFrom(j, CheckpointList(j), nil)
	if err != nil {
		return engine.ResumePlan{}, err
	}
	return engine.ResumePlan{Job: j, Checkpoint: c, SpentCost: j.Spent(), RemainingCost: model.ResumeCost(j, c.Step)}, nil
}

// ResumeJob implements common.Backend: the job goes back to queued at its
// newest checkpoint's step.
func (b *Backend) ResumeJob(ctx context.Context, id uuid.UUID) (model.Job, error) {
	p, err := b.PlanResume(ctx, id)
	if err != nil {
		return model.Job{}, err
	}
	f := b.JobFixture()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Resumed = append(f.Resumed, id)
	i, _ := f.fixtureJob(id)
	j := &f.Items[i]
	j.Status, j.CurrentStage, j.CurrentStep, j.StopReason = model.JobQueued, model.StageQueued, p.Checkpoint.Step, ""
	j.CompletedAt, j.CancelledAt, j.CancelRequestedAt, j.FinalCost, j.ErrorMessage = nil, nil, nil, nil, ""
	return *j, nil
}

// ExportJobMetrics implements common.Backend: it writes the job's curve
// to outPath ("" is <id>-metrics.<format> in ExportDir).
func (b *Backend) ExportJobMetrics(ctx context.Context, id uuid.UUID, format, outPath string) (string, int64, error) {
	points, err := b.JobMetrics(ctx, id, 0)
	if err != nil {
		return "", 0, err
	}
	jf := b.JobFixture()
	if outPath == "" {
		if jf.ExportDir == "" {
			return "", 0, errors.New("uitest: set JobFixture().ExportDir to export without a path")
		}
		outPath = filepath.Join(jf.ExportDir, id.String()+"-metrics."+format)
	}
	if err := os.MkdirAll(filepath.Dir(outPath), 0o755); err != nil {
		return "", 0, err
	}
	f, err := os.Create(outPath)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	n, err := model.WriteMetrics(f, format, points)
	jf.mu.Lock()
	jf.Exports = append(jf.Exports, format+" "+outPath)
	jf.mu.Unlock()
	return outPath, n, err
}
