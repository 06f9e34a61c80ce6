package engine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/store"
)

// SweepItem is a sweep as `sweep list` shows it: its row and its runs
// counted.
type SweepItem struct {
	model.Sweep
	Runs   int `json:"runs"`
	Active int `json:"active"` // queued or running
}

// SweepDetail is one sweep with its runs: each run's settings, status,
// cost and losses (a comparison's column), the sum of their estimates
// and costs, and the leader.
type SweepDetail struct {
	model.Sweep
	Runs               []model.JobSummary `json:"runs"`
	EstimatedCostTotal float64            `json:"estimated_cost_total"`
	CostTotal          float64            `json:"cost_total"` // final cost of ended runs, current of the others
	// BestJob is the completed run with the lowest best validation loss;
	// nil while none has one.
	BestJob *uuid.UUID `json:"best_job"`
	// Comparison holds every run's curves too, for the sweep view.
	Comparison model.Comparison `json:"-"`
}

// Sweeps lists the operator's sweeps, newest first.
func (s *Session) Sweeps(ctx context.Context) ([]SweepItem, error) {
	out := []SweepItem{}
	err := s.e.db.WithUser(ctx, s.user.ID, func(tx store.Tx) error {
		list, counts, err := store.ListSweeps(ctx, tx)
		for i, sw := range list {
			out = append(out, SweepItem{Sweep: sw, Runs: counts[i].Runs, Active: counts[i].Active})
		}
		return err
	})
	return out, err
}

// Sweep reads one of the operator's sweeps with every run and its curves
// (each series downsampled to at most points; ≤ 0 keeps them all), in one
// transaction; another operator's sweep is ErrNotFound.
func (s *Session) Sweep(ctx context.Context, id uuid.UUID, points int) (SweepDetail, error) {
	var sw model.Sweep
	var jobs []model.Job
	var series [][]model.MetricPoint
	err := s.e.db.WithUser(ctx, s.user.ID, func(tx store.Tx) error {
		var err error
		if sw, err = store.GetSweep(ctx, tx, id); err != nil {
			return err
		}
		if jobs, err = store.SweepJobs(ctx, tx, id); err != nil {
			return err
		}
		series = make([][]model.MetricPoint, len(jobs))
		for i, j := range jobs {
			if series[i], err = store.MetricPoints(ctx, tx, j.ID, 0); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return SweepDetail{}, err
	}
	return SweepDetailOf(sw, model.BuildComparison(jobs, series, points, time.Now())), nil
}

// SweepDetailOf is a sweep with its runs as c holds them: their
// summaries and sums, and the leader (model.BestSweepRun).
func SweepDetailOf(sw model.Sweep, c model.Comparison) SweepDetail {
	out := SweepDetail{Sweep: sw, Runs: make([]model.JobSummary, len(c.Jobs)), Comparison: c}
	for i, j := range c.Jobs {
		out.Runs[i] = j.JobSummary
		out.EstimatedCostTotal += j.EstimatedCost
		if j.FinalCost != nil {
			out.CostTotal += *j.FinalCost
		} else {
			out.CostTotal += j.CurrentCost
		}
	}
	out.EstimatedCostTotal = math.Round(out.EstimatedCostTotal*100) / 100
	out.CostTotal = math.Round(out.CostTotal*100) / 100
	if best := model.BestSweepRun(out.Runs); best >= 0 {
		out.BestJob = &out.Runs[best].ID
	}
	return out
}

// CancelSweep cancels every run of one of the operator's sweeps that has
// not ended, each through CancelJob, and returns those it cancelled (as
// right after the request). A run that ends meanwhile is left as it
// ended.
func (s *Session) CancelSweep(ctx context.Context, id uuid.UUID) ([]model.Job, error) {
	jobs, err := asUser(ctx, s, func(tx store.Tx) ([]model.Job, error) {
		if _, err := store.GetSweep(ctx, tx, id); err != nil {
			return nil, err
		}
		return store.SweepJobs(ctx, tx, id)
	})
	if err != nil {
		return nil, err
	}
	out := []model.Job{}
	for _, j := range jobs {
		if j.Status.Final() {
			continue
		}
		c, err := s.CancelJob(ctx, j.ID)
		if errors.Is(err, ErrJobFinished) {
			continue
		}
		if err != nil {
			return out, fmt.Errorf("cancel run %s of sweep %s: %w", j.ID, id, err)
		}
		out = append(out, c)
	}
	return out, nil
}
