package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"brightrun/engine/worker"
	"brightrun/model"
	"brightrun/store"
)

// JobRequest is what an operator chooses when launching a training job.
type JobRequest struct {
	DatasetID uuid.UUID
	Preset    string          // a preset key; "" is model.DefaultPreset
	GPU       model.GPUConfig // Type "" is the catalog's first; Count is not defaulted
	Overrides model.HyperOverrides
	Name      string // "" names the job after its dataset and preset
	Trainer   string // model.TrainerSimulated (the default, "") or model.TrainerExec
	// ClonedFrom is the job this one was cloned from (see CloneRequest),
	// recorded in training_jobs.cloned_from.
	ClonedFrom *uuid.UUID
	// BaseModel is a model catalog id; "" is the catalog's default.
	BaseModel string
	// EvalFraction is the share held out for validation (0–0.5); nil
	// leaves it to the trainer.
	EvalFraction *float64
	// ValidationDatasetID, when set, names a ready dataset of the operator
	// used for validation instead of a split.
	ValidationDatasetID *uuid.UUID
	// EarlyStoppingPatience ends the run after this many evaluations in a
	// row without a better validation loss (0–100; 0 is off).
	EarlyStoppingPatience int
	// MaxCost is the job's cost cap in USD (nil: none); it may be below the
	// estimate, and the run then stops early.
	MaxCost *float64
	// SweepID is the sweep the job is a run of (set by CreateSweep).
	SweepID *uuid.UUID
}

// JobPreview is the job a request would create and its estimate: what
// `job create` shows before asking to launch.
type JobPreview struct {
	Job      model.Job
	Estimate model.Estimate
}

// errPreview rolls back a preview's transaction once every check passed.
var errPreview = errors.New("preview: nothing written")

// JobPage is one page of the operator's jobs (`job list --json`).
type JobPage struct {
	Jobs  []model.Job `json:"jobs"`
	Page  int         `json:"page"`
	Total int         `json:"total"`
}

// DatasetChoice is a dataset as the configure screen offers it: usable ones
// can be trained on, the others are shown greyed out with the reason.
type DatasetChoice struct {
	Dataset model.Dataset `json:"dataset"`
	Usable  bool          `json:"usable"`
	Reason  string        `json:"reason,omitempty"`
}

// Default and largest page sizes of Jobs (the seed's GET /api/jobs default).
const (
	DefaultJobPageSize = 10
	MaxJobPageSize     = 1000
)

// EstimateForDataset prices a configuration on one of the operator's
// datasets, using its valid examples and tokens and putting its name into
// the training details. Input problems come back as a *model.ValidationError
// (or an unknown preset), a dataset of another user as store.ErrNotFound,
// and a dataset with nothing to price yet as a *model.NotTrainableError.
func (s *Session) EstimateForDataset(ctx context.Context, datasetID uuid.UUID, preset string, gpu model.GPUConfig, o model.HyperOverrides) (model.Estimate, model.Dataset, error) {
	cfg, err := s.e.catalog.ResolveJobConfig(preset, gpu, o)
	if err != nil {
		return model.Estimate{}, model.Dataset{}, err
	}
	d, err := s.Dataset(ctx, datasetID)
	if err != nil {
		return model.Estimate{}, model.Dataset{}, err
	}
	est, err := s.e.catalog.EstimateDataset(cfg, d)
	if err != nil {
		return model.Estimate{}, d, err
	}
	return est, d, nil
}

// CreateJob launches a training job as the seed's POST /api/jobs did. The
// configuration is checked first, then, in the seed's order, that the
// dataset exists and is the operator's (store.ErrNotFound otherwise: another
// user's dataset is indistinguishable from a missing one), that it is ready,
// and that it is training ready (*model.NotTrainableError). The
// training_jobs row, its River job and the job_queued notification are
// written in one transaction, so a failed check or write leaves nothing.
// The job stays queued until a worker that runs train_job picks it up.
//
// With a monthly budget set, the job is refused (*model.BudgetExceededError)
// when the month's spent and committed money plus what it is expected to
// cost would pass the limit, checked in the same transaction.
func (s *Session) CreateJob(ctx context.Context, req JobRequest) (model.Job, error) {
	p, err := s.createJob(ctx, req, false)
	return p.Job, err
}

// PreviewJob makes every check of CreateJob, the budget's included, and
// returns the job it would create with its estimate, writing nothing.
func (s *Session) PreviewJob(ctx context.Context, req JobRequest) (JobPreview, error) {
	return s.createJob(ctx, req, true)
}

func (s *Session) createJob(ctx context.Context, req JobRequest, preview bool) (JobPreview, error) {
	var none JobPreview
	spec, err := s.checkJobRequest(req)
	if err != nil {
		return none, err
	}
	q, err := s.e.rt.Queue()
	if err != nil {
		return none, err
	}
	var p JobPreview
	err = s.e.db.WithUser(ctx, s.user.ID, func(tx store.Tx) error {
		p, err = s.insertJob(ctx, tx, q, spec, uuid.New(), preview)
		if err == nil && preview {
			return errPreview
		}
		return err
	})
	if preview && errors.Is(err, errPreview) {
		return p, nil
	}
	if err != nil {
		return none, createJobError(err)
	}
	job := p.Job
	s.e.log.Info("job queued", "job", job.ID, "dataset", job.DatasetID, "gpu", job.GPUConfig.Type, "count", job.GPUConfig.Count)
	// The new job reads as any read of it would, saying why it waits
	// when no live worker can take it.
	jobs := []model.Job{job}
	if err := s.e.withWaitingReasons(ctx, jobs); err != nil {
		s.e.log.Warn("waiting reason of a new job", "job", job.ID, "err", err)
	}
	return JobPreview{Job: jobs[0], Estimate: p.Estimate}, nil
}

// jobSpec is a job request checked as far as it can be without its
// dataset: the resolved configuration, trainer and base model.
type jobSpec struct {
	req     JobRequest
	cfg     model.JobConfig
	trainer string
	base    model.BaseModel
}

// checkJobRequest checks what a job request says on its own: preset, GPUs,
// hyperparameters, trainer, base model (and that the GPUs hold it),
// held-out share, early stopping and cost cap. Every job, single or a sweep's run, passes
// here.
func (s *Session) checkJobRequest(req JobRequest) (jobSpec, error) {
	cfg, err := s.e.catalog.ResolveJobConfig(req.Preset, req.GPU, req.Overrides)
	if err != nil {
		return jobSpec{}, err
	}
	trainer, err := model.ParseTrainer(req.Trainer)
	if err != nil {
		return jobSpec{}, err
	}
	base, err := s.e.ModelFor(req.BaseModel, cfg.GPU.Type)
	if err != nil {
		return jobSpec{}, err
	}
	if err := model.CheckEarlyStoppingPatience(req.EarlyStoppingPatience); err != nil {
		return jobSpec{}, err
	}
	if req.EvalFraction != nil {
		if err := model.CheckEvalFraction(*req.EvalFraction); err != nil {
			return jobSpec{}, err
		}
	}
	if req.MaxCost != nil {
		if err := model.CheckMaxCost(*req.MaxCost); err != nil {
			return jobSpec{}, err
		}
	}
	return jobSpec{req: req, cfg: cfg, trainer: trainer, base: base}, nil
}

// insertJob writes a checked job inside tx: it locks the dataset (and the
// validation dataset) and checks them, plans the job (its estimate),
// checks the operator's budget, and writes the row with ID id, its River
// job and the job_queued notification; planOnly stops before writing and
// returns the plan. CreateJob and CreateSweep both go through here, so a
// sweep's run is refused exactly when the same job alone would be, and
// each run is held against the budget with the runs before it counted.
func (s *Session) insertJob(ctx context.Context, tx store.Tx, q *river.Client[store.Tx], spec jobSpec, id uuid.UUID, planOnly bool) (JobPreview, error) {
	var none JobPreview
	req := spec.req
	d, err := store.LockDatasetForJob(ctx, tx, req.DatasetID)
	if err != nil {
		return none, err
	}
	plan, est, err := s.e.catalog.PlanJob(spec.cfg, d, req.Name)
	if err != nil {
		return none, err
	}
	plan.ID, plan.Trainer, plan.ClonedFrom = id, spec.trainer, req.ClonedFrom
	plan.BaseModel, plan.EvalFraction = spec.base.ID, req.EvalFraction
	plan.MaxCost, plan.SweepID = req.MaxCost, req.SweepID
	plan.EarlyStoppingPatience = req.EarlyStoppingPatience
	if req.ValidationDatasetID != nil {
		v, err := lockValidationDataset(ctx, tx, *req.ValidationDatasetID, d.ID)
		if err != nil {
			return none, err
		}
		plan.ValidationDatasetID, plan.TotalValidationPairs = &v.ID, &v.TotalTrainingPairs
	}
	if err := s.checkBudget(ctx, tx, plan); err != nil {
		return none, err
	}
	if planOnly {
		return JobPreview{Job: plan, Estimate: est}, nil
	}
	job, err := store.InsertJob(ctx, tx, s.user.ID, plan)
	if err != nil {
		return none, err
	}
	if _, err := q.InsertTx(ctx, tx, worker.TrainJobArgs{UserID: s.user.ID, JobID: job.ID}, worker.TrainInsertOpts(job)); err != nil {
		return none, fmt.Errorf("queue job %s: %w", job.ID, err)
	}
	_, err = store.AddNotification(ctx, tx, model.JobQueuedNotification(job))
	return JobPreview{Job: job, Estimate: est}, err
}

// createJobError words a failed job creation: a dataset that cannot be
// trained on and a budget that would be passed say which and why already;
// anything else is prefixed.
func createJobError(err error) error {
	var nt *model.NotTrainableError
	var vd *model.ValidationDatasetError
	var over *model.BudgetExceededError
	if errors.As(err, &nt) || errors.As(err, &vd) || errors.As(err, &over) {
		return err
	}
	return fmt.Errorf("create job: %w", err)
}

// Jobs lists the operator's jobs, newest first, each with its dataset's
// name, format and size; status "" means every status. Page counts from 1;
// a page or limit below 1 means the first page of DefaultJobPageSize.
func (s *Session) Jobs(ctx context.Context, status string, page, limit int) (JobPage, error) {
	if status != "" {
		st, err := model.ParseJobStatus(status)
		if err != nil {
			return JobPage{}, err
		}
		status = string(st)
	}
	if page < 1 {
		page = 1
	}
	if limit < 1 {
		limit = DefaultJobPageSize
	}
	if limit > MaxJobPageSize {
		return JobPage{}, fmt.Errorf("limit %d is out of range: at most %d jobs per page", limit, MaxJobPageSize)
	}
	out := JobPage{Page: page, Jobs: []model.Job{}}
	err := s.e.db.WithUser(ctx, s.user.ID, func(tx store.Tx) error {
		var err error
		out.Jobs, out.Total, err = store.ListJobs(ctx, tx, status, (page-1)*limit, limit)
		return err
	})
	if out.Jobs == nil {
		out.Jobs = []model.Job{}
	}
	if err == nil {
		err = s.e.withWaitingReasons(ctx, out.Jobs)
	}
	return out, err
}

// Job reads one of the operator's jobs with its dataset's name, format and
// size; another operator's job is store.ErrNotFound.
func (s *Session) Job(ctx context.Context, id uuid.UUID) (model.Job, error) {
	j, err := asUser(ctx, s, func(tx store.Tx) (model.Job, error) { return store.GetJob(ctx, tx, id) })
	if err == nil && j.Status == model.JobQueued {
		jobs := []model.Job{j}
		err = s.e.withWaitingReasons(ctx, jobs)
		j = jobs[0]
	}
	return j, err
}

// TrainableDatasets lists every live dataset of the operator for the
// configure screen: the usable ones (ready and training ready) first, then
// the others with the reason they cannot be trained on; newest first within
// each group.
func (s *Session) TrainableDatasets(ctx context.Context) ([]DatasetChoice, error) {
	var all []model.Dataset
	err := s.e.db.WithUser(ctx, s.user.ID, func(tx store.Tx) error {
		const pageSize = 500
		for offset := 0; ; offset += pageSize {
			list, total, err := store.ListDatasets(ctx, tx, "", offset, pageSize)
			if err != nil {
				return err
			}
			all = append(all, list...)
			if len(list) < pageSize || offset+pageSize >= total {
				return nil
			}
		}
	})
	if err != nil {
		return nil, err
	}
	usable := make([]DatasetChoice, 0, len(all))
	var others []DatasetChoice
	for _, d := range all {
		var nt *model.NotTrainableError
		if err := model.CheckTrainable(d); errors.As(err, &nt) {
			others = append(others, DatasetChoice{Dataset: d, Reason: nt.Reason})
			continue
		}
		usable = append(usable, DatasetChoice{Dataset: d, Usable: true})
	}
	return append(usable, others...), nil
}
