package engine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"brightrun/model"
	"brightrun/store"
)

// SweepRequest is a grid of runs to launch in one step.
type SweepRequest struct {
	// Job is what every run starts from: the dataset, GPU count, trainer,
	// base model, validation, cost cap and the preset, GPU type and
	// hyperparameters that no axis sets. Its Name is not used.
	Job JobRequest
	// Name is the sweep's; "" names it after the dataset.
	Name string
	Axes model.SweepAxes
	// MaxTotal caps the sum of the runs' estimates; nil is no cap.
	MaxTotal *float64
}

// SweepLaunch is a sweep as planned or created: its row, its runs (in
// grid order, each with its estimate in EstimatedTotalCost) and their
// labels, and the estimates' sum. Its JSON is what `sweep create --json`
// prints.
type SweepLaunch struct {
	Sweep              model.Sweep `json:"-"`
	Runs               []model.Job `json:"-"`
	Labels             []string    `json:"-"`
	ID                 uuid.UUID   `json:"id"`
	Name               string      `json:"name"`
	Jobs               []uuid.UUID `json:"jobs"`
	EstimatedCostTotal float64     `json:"estimated_cost_total"`
}

// SweepRefusedError says why a sweep was refused as a whole: one of its
// runs would not be created, or their total is over the cap. Nothing was
// written.
type SweepRefusedError struct {
	// Run is the 1-based run that was refused, 0 when the sweep as a
	// whole was; Label names its values.
	Run   int
	Label string
	Err   error
}

func (e *SweepRefusedError) Error() string {
	if e.Run == 0 {
		return e.Err.Error()
	}
	return fmt.Sprintf("run %d (%s): %s", e.Run, e.Label, e.Err)
}

func (e *SweepRefusedError) Unwrap() error { return e.Err }

// errDryRun rolls back PlanSweep's transaction.
var errDryRun = errors.New("dry run")

// PlanSweep prices a sweep without writing it: the same transaction as
// CreateSweep, every run checked and planned exactly as CreateJob checks
// and plans a job, then rolled back. It is what the CLI and Configure
// show before asking; the IDs it returns are never stored.
func (s *Session) PlanSweep(ctx context.Context, req SweepRequest) (SweepLaunch, error) {
	return s.launchSweep(ctx, req, false)
}

// CreateSweep creates a sweep and every one of its runs, each with its
// River job and notification, in one transaction: a run that CreateJob
// would refuse, or a total over MaxTotal, refuses the whole sweep
// (*SweepRefusedError) and nothing is written.
func (s *Session) CreateSweep(ctx context.Context, req SweepRequest) (SweepLaunch, error) {
	out, err := s.launchSweep(ctx, req, true)
	if err == nil {
		s.e.log.Info("sweep queued", "sweep", out.ID, "runs", len(out.Jobs), "estimated_total", out.EstimatedCostTotal)
	}
	return out, err
}

func (s *Session) launchSweep(ctx context.Context, req SweepRequest, commit bool) (SweepLaunch, error) {
	points, err := req.Axes.Expand(req.Job.Overrides)
	if err != nil {
		return SweepLaunch{}, err
	}
	if req.MaxTotal != nil && !(*req.MaxTotal > 0) {
		return SweepLaunch{}, fmt.Errorf("max_total %g is out of range: a sweep's cap must be above $0", *req.MaxTotal)
	}
	specs := make([]jobSpec, len(points))
	for i, p := range points {
		run := req.Job
		run.Overrides = p.Overrides
		if p.Preset != "" {
			run.Preset = p.Preset
		}
		if p.GPUType != "" {
			run.GPU.Type = p.GPUType
		}
		if specs[i], err = s.checkJobRequest(run); err != nil {
			return SweepLaunch{}, &SweepRefusedError{Run: i + 1, Label: p.Label, Err: err}
		}
	}
	q, err := s.e.rt.Queue()
	if err != nil {
		return SweepLaunch{}, err
	}
	var out SweepLaunch
	err = s.e.db.WithUser(ctx, s.user.ID, func(tx store.Tx) error {
		if out, err = s.insertSweep(ctx, tx, q, req, points, specs); err != nil {
			return err
		}
		if !commit {
			return errDryRun
		}
		return nil
	})
	if err != nil && !errors.Is(err, errDryRun) {
		var refused *SweepRefusedError
		if errors.As(err, &refused) || errors.Is(err, store.ErrNotFound) {
			return SweepLaunch{}, err
		}
		return SweepLaunch{}, fmt.Errorf("create sweep: %w", err)
	}
	return out, nil
}

// insertSweep writes the sweep's row, then each run through insertJob
// (IDs of version 7, so the runs read back in grid order), then checks the
// total against the caps.
func (s *Session) insertSweep(ctx context.Context, tx store.Tx, q *river.Client[store.Tx], req SweepRequest, points []model.SweepPoint, specs []jobSpec) (SweepLaunch, error) {
	d, err := store.LockDatasetForJob(ctx, tx, req.Job.DatasetID)
	if err != nil {
		return SweepLaunch{}, err
	}
	name := strings.TrimSpace(req.Name)
	if name == "" {
		name = model.ClipName(d.Name + " sweep " + time.Now().UTC().Format("2006-01-02 15:04"))
	}
	if err := model.CheckLength("sweep name", name, model.MaxNameLen); err != nil {
		return SweepLaunch{}, &SweepRefusedError{Err: err}
	}
	sw, err := store.InsertSweep(ctx, tx, s.user.ID, model.Sweep{
		ID: uuid.New(), Name: name, DatasetID: d.ID, Axes: req.Axes, MaxTotal: req.MaxTotal,
	})
	if err != nil {
		return SweepLaunch{}, err
	}
	out := SweepLaunch{Sweep: sw, ID: sw.ID, Name: sw.Name}
	for i, spec := range specs {
		spec.req.SweepID = &sw.ID
		spec.req.Name = model.ClipName(name + " · " + points[i].Label)
		if points[i].Label == "" {
			spec.req.Name = name
		}
		id, err := uuid.NewV7()
		if err != nil {
			return SweepLaunch{}, fmt.Errorf("job id: %w", err)
		}
		p, err := s.insertJob(ctx, tx, q, spec, id, false)
		job := p.Job
		if err != nil {
			return SweepLaunch{}, &SweepRefusedError{Run: i + 1, Label: points[i].Label, Err: err}
		}
		out.Runs, out.Labels = append(out.Runs, job), append(out.Labels, points[i].Label)
		out.Jobs = append(out.Jobs, job.ID)
		out.EstimatedCostTotal += job.EstimatedTotalCost
	}
	out.EstimatedCostTotal = math.Round(out.EstimatedCostTotal*100) / 100
	if err := checkSweepSpend(out.EstimatedCostTotal, req.MaxTotal); err != nil {
		return SweepLaunch{}, &SweepRefusedError{Err: err}
	}
	return out, nil
}

// checkSweepSpend holds a sweep's total against its own --max-total. The
// operator's monthly budget is held by insertJob, run by run, each counted
// with the runs before it as committed, in the same transaction.
func checkSweepSpend(total float64, maxTotal *float64) error {
	return model.CheckSweepTotal(total, maxTotal)
}
