package uitest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
)

// ErrNotFound stands in for the store's not-found error, which the ui may
// not import: the fixture wraps it the way the engine's errors read
// ("create job: dataset …: not found").
var ErrNotFound = errors.New("not found")

// JobFixture is the in-memory training jobs of one fixture Backend and a
// record of what the screens asked of them. Tests reach it through
// Backend.JobFixture and change it under Lock when they play the worker.
type JobFixture struct {
	mu sync.Mutex

	// Items are newest first, with their dataset join filled in.
	Items []model.Job

	LoadErr, CreateErr, ChoicesErr error

	Loads         int                 // Jobs calls
	LoadedPages   []int               // the page of every Jobs call
	ChoiceLoads   int                 // TrainableDatasets calls
	Requests      []engine.JobRequest // every CreateJob call
	Created       []model.Job         // the jobs CreateJob wrote
	liveRecord                        // what the live job view asked
	compareRecord                     // what the comparison asked
	outputRecord                      // the trainers' output and its reads
	workersRecord                     // the worker fleet

	next int // ids of the jobs CreateJob writes
}

var jobFixtures sync.Map // *Backend → *JobFixture

// JobFixture returns the backend's jobs, made on first use with the
// standard ones.
func (b *Backend) JobFixture() *JobFixture {
	if f, ok := jobFixtures.Load(b); ok {
		return f.(*JobFixture)
	}
	f, _ := jobFixtures.LoadOrStore(b, &JobFixture{Items: Jobs(b.CatalogValue, b.DatasetFixture().Items)})
	return f.(*JobFixture)
}

// Lock and Unlock guard the fixture while a test changes it; the fake
// backend methods run in commands on other goroutines.
func (f *JobFixture) Lock()   { f.mu.Lock() }
func (f *JobFixture) Unlock() { f.mu.Unlock() }

// SetStatus moves a job on, as the worker would, and returns it.
func (f *JobFixture) SetStatus(id uuid.UUID, st model.JobStatus, progress float64) model.Job {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.Items {
		if f.Items[i].ID == id {
			f.Items[i].Status, f.Items[i].CurrentStage, f.Items[i].Progress = st, string(st), progress
			f.Items[i].CurrentStep = int(float64(f.Items[i].TotalSteps) * progress / 100)
			f.Items[i].UpdatedAt = f.Items[i].UpdatedAt.Add(time.Second)
			return f.Items[i]
		}
	}
	return model.Job{}
}

// TrainableDatasets implements common.Backend over the dataset fixture as
// the engine does: usable datasets first, then the others with the reason,
// newest first within each group.
func (b *Backend) TrainableDatasets(context.Context) ([]engine.DatasetChoice, error) {
	jf := b.JobFixture()
	jf.mu.Lock()
	jf.ChoiceLoads++
	err := jf.ChoicesErr
	jf.mu.Unlock()
	if err != nil {
		return nil, err
	}
	df := b.DatasetFixture()
	df.mu.Lock()
	defer df.mu.Unlock()
	var usable, others []engine.DatasetChoice
	for _, d := range df.Items {
		d.ValidationReport = nil
		var nt *model.NotTrainableError
		if errors.As(model.CheckTrainable(d), &nt) {
			others = append(others, engine.DatasetChoice{Dataset: d, Reason: nt.Reason})
			continue
		}
		usable = append(usable, engine.DatasetChoice{Dataset: d, Usable: true})
	}
	return append(usable, others...), nil
}

// CreateJob implements common.Backend with the engine's checks in its
// order (the configuration, the dataset exists, it is trainable) and
// writes nothing when one fails.
func (b *Backend) CreateJob(_ context.Context, req engine.JobRequest) (model.Job, error) {
	f := b.JobFixture()
	f.mu.Lock()
	f.Requests = append(f.Requests, req)
	createErr := f.CreateErr
	f.mu.Unlock()
	if createErr != nil {
		return model.Job{}, createErr
	}
	cfg, err := b.CatalogValue.ResolveJobConfig(req.Preset, req.GPU, req.Overrides)
	if err != nil {
		return model.Job{}, err
	}
	df := b.DatasetFixture()
	df.mu.Lock()
	i := df.index(req.DatasetID)
	var d model.Dataset
	if i >= 0 {
		d = df.Items[i]
	}
	df.mu.Unlock()
	if i < 0 {
		return model.Job{}, fmt.Errorf("create job: dataset %s: %w", req.DatasetID, ErrNotFound)
	}
	trainer, err := model.ParseTrainer(req.Trainer)
	if err != nil {
		return model.Job{}, err
	}
	base, err := b.ModelsValue.Lookup(req.BaseModel)
	if err != nil {
		return model.Job{}, err
	}
	if g, err := b.CatalogValue.Lookup(cfg.GPU.Type); err == nil {
		if err := model.CheckModelFits(base, g); err != nil {
			return model.Job{}, err
		}
	}
	job, _, err := b.CatalogValue.PlanJob(cfg, d, req.Name)
	if err != nil {
		return model.Job{}, err
	}
	job.Trainer, job.ClonedFrom = trainer, req.ClonedFrom
	job.BaseModel, job.EvalFraction, job.ValidationDatasetID = base.ID, req.EvalFraction, req.ValidationDatasetID
	job.MaxCost = req.MaxCost
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next++
	job.ID = uuid.MustParse(fmt.Sprintf("00000000-0000-4000-8000-0000000c%04d", f.next))
	job.QueuedAt, job.CreatedAt, job.UpdatedAt = Now, Now, Now
	f.Items = append([]model.Job{job}, f.Items...)
	f.Created = append(f.Created, job)
	return job, nil
}

// Jobs implements common.Backend: a page of the list, refusing what the
// engine refuses.
func (b *Backend) Jobs(_ context.Context, status string, page, limit int) (engine.JobPage, error) {
	if status != "" {
		st, err := model.ParseJobStatus(status)
		if err != nil {
			return engine.JobPage{}, err
		}
		status = string(st)
	}
	if page < 1 {
		page = 1
	}
	if limit < 1 {
		limit = engine.DefaultJobPageSize
	}
	if limit > engine.MaxJobPageSize {
		return engine.JobPage{}, fmt.Errorf("limit %d is out of range: at most %d jobs per page", limit, engine.MaxJobPageSize)
	}
	f := b.JobFixture()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Loads++
	f.LoadedPages = append(f.LoadedPages, page)
	if f.LoadErr != nil {
		return engine.JobPage{}, f.LoadErr
	}
	out := engine.JobPage{Page: page, Jobs: []model.Job{}}
	skip := (page - 1) * limit
	for _, j := range f.Items {
		if status != "" && string(j.Status) != status {
			continue
		}
		out.Total++
		if out.Total > skip && len(out.Jobs) < limit {
			out.Jobs = append(out.Jobs, j)
		}
	}
	return out, nil
}

// Job implements common.Backend.
func (b *Backend) Job(_ context.Context, id uuid.UUID) (model.Job, error) {
	return b.JobFixture().lookup(id)
}

// Jobs is the fixed list, newest first: one job of every status, on the
// fixture's datasets, and one whose dataset was deleted since (its join
// is empty).
func Jobs(cat model.Catalog, datasets []model.Dataset) []model.Job {
	byName := map[string]model.Dataset{}
	for _, d := range datasets {
		byName[d.Name] = d
	}
	n := 0
	mk := func(ds, preset, gpu string, count int, st model.JobStatus, progress float64, ago time.Duration, name string) model.Job {
		n++
		j := planJob(cat, byName[ds], preset, gpu, count, name)
		j.ID = uuid.MustParse(fmt.Sprintf("00000000-0000-4000-8000-0000000b%04d", n))
		return progressed(j, st, progress, Now.Add(-ago))
	}
	failed := mk("support-2024-q4", "balanced", "A100-40GB", 1, model.JobFailed, 54.9, 3*time.Hour, "support-bot-v3")
	failed.ErrorMessage = "CUDA out of memory on GPU 0 at step 412 of 750"
	gone := mk("scraped-faq", "fast", "V100-32GB", 1, model.JobCompleted, 100, 20*24*time.Hour, "legacy-faq (fast)")
	gone.DatasetID, gone.DatasetName, gone.DatasetFormat, gone.DatasetPairs = uuid.MustParse("00000000-0000-4000-8000-0000000dead1"), "", "", 0
	return []model.Job{
		mk("alpaca-mini", "fast", "H100", 1, model.JobQueued, 0, 2*time.Minute, ""),
		mk("support-2024-q4", "quality", "H100", 4, model.JobInitializing, 0, 9*time.Minute, ""),
		mk("support-2024-q4", "balanced", "A100-80GB", 2, model.JobRunning, 42, 50*time.Minute, "support-bot-v4"),
		mk("support-2024-q4", "fast", "A100-80GB", 8, model.JobFinalizing, 99, 2*time.Hour, ""),
		failed,
		mk("tone-tuner-v2", "balanced", "A100-80GB", 2, model.JobCompleted, 100, 50*time.Hour, "tone-tuner"),
		mk("alpaca-mini", "balanced", "V100-32GB", 1, model.JobCancelled, 12, 4*24*time.Hour, ""),
		gone,
	}
}

// GenerateJobs makes n jobs, newest first, seventeen minutes apart, over
// every preset, GPU type, count and status, for benchmarks of long lists.
func GenerateJobs(cat model.Catalog, datasets []model.Dataset, n int) []model.Job {
	presets, types, statuses := model.Presets(), cat.Types(), model.JobStatuses()
	out := make([]model.Job, n)
	for i := range out {
		d := datasets[i%len(datasets)]
		j := planJob(cat, d, presets[i%len(presets)].Key, types[i%len(types)], 1+i%model.MaxGPUCount, "")
		j.ID = uuid.MustParse(fmt.Sprintf("00000000-0000-4000-9000-%012d", i+1))
		st := statuses[(i*5)%len(statuses)]
		out[i] = progressed(j, st, float64((i*37)%101), Now.Add(-time.Duration(i+1)*17*time.Minute))
	}
	return out
}

// planJob plans a job on d as the engine would, pretending d is trainable
// (a fixture job may be older than its dataset's current state) and giving
// a dataset still validating the size it will have.
func planJob(cat model.Catalog, d model.Dataset, preset, gpu string, count int, name string) model.Job {
	d.Status, d.TrainingReady = model.DatasetReady, true
	if d.TotalTrainingPairs == 0 {
		d.Format, d.TotalTrainingPairs, d.TotalTokens = "chat", 2_400, 3_104_210
	}
	cfg, err := cat.ResolveJobConfig(preset, model.GPUConfig{Type: gpu, Count: count}, model.HyperOverrides{})
	if err != nil {
		panic(err)
	}
	j, _, err := cat.PlanJob(cfg, d, name)
	if err != nil {
		panic(err)
	}
	// Wide jobs train the bigger model, so comparisons show both.
	j.BaseModel = "Qwen/Qwen2.5-7B-Instruct"
	if count >= 4 {
		j.BaseModel = "meta-llama/Llama-3.1-8B-Instruct"
	}
	return j
}

// progressed fills in what a job of status st has done by progress
// percent, queued at queued: start, steps, epochs, cost and metrics, and
// the end for a final status.
func progressed(j model.Job, st model.JobStatus, progress float64, queued time.Time) model.Job {
	if st == model.JobQueued || st == model.JobInitializing {
		progress = 0 // nothing is trained before the run starts
	}
	j.Status, j.CurrentStage, j.Progress = st, string(st), progress
	j.QueuedAt, j.CreatedAt, j.UpdatedAt = queued, queued, queued
	if st == model.JobQueued {
		return j
	}
	started := queued.Add(2 * time.Minute)
	j.StartedAt, j.UpdatedAt = &started, started
	j.CurrentStep = int(float64(j.TotalSteps) * progress / 100)
	j.CurrentEpoch = min(j.TotalEpochs, 1+int(float64(j.TotalEpochs)*progress/100))
	j.CurrentCost = float64(int(j.EstimatedTotalCost*progress)) / 100
	if progress > 0 {
		j.CurrentMetrics = map[string]float64{"train_loss": 2.1 - progress/80, "learning_rate": j.Hyperparameters.LearningRate}
	}
	if st.Final() {
		done := started.Add(time.Duration(progress) * time.Minute)
		j.CompletedAt, j.UpdatedAt = &done, done
		cost := j.CurrentCost
		j.FinalCost = &cost
		if st == model.JobCancelled {
			j.CancelledAt = &done
		}
	}
	return j
}
