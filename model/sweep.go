package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// MaxSweepRuns is the most runs one sweep may launch: a grid larger than
// this is refused before anything is priced or written.
const MaxSweepRuns = 24

// SweepAxes is a sweep's grid: one list of values per axis that varies.
// An empty axis keeps the value of the sweep's base configuration; the
// runs are the cartesian product of the non-empty axes.
type SweepAxes struct {
	LearningRate []float64 `json:"learning_rate,omitempty"`
	Rank         []int     `json:"rank,omitempty"`
	BatchSize    []int     `json:"batch_size,omitempty"`
	Epochs       []int     `json:"epochs,omitempty"`
	Preset       []string  `json:"preset,omitempty"`
	GPU          []string  `json:"gpu,omitempty"`
}

// SweepPoint is one run of a grid: the preset and GPU type it uses (""
// keeps the base's), the hyperparameters the grid sets and a label that
// names the values of the axes with more than one, e.g. "lr 0.0001 · rank 8".
type SweepPoint struct {
	Preset    string
	GPUType   string
	Overrides HyperOverrides
	Label     string
}

// sweepAxis is one axis seen generically: its name in labels and JSON,
// how many values it has and what choosing value i does to a point.
type sweepAxis struct {
	name  string
	label string
	n     int
	set   func(p *SweepPoint, i int) string
}

func (a SweepAxes) axes() []sweepAxis {
	return []sweepAxis{
		{"preset", "preset", len(a.Preset), func(p *SweepPoint, i int) string { p.Preset = a.Preset[i]; return a.Preset[i] }},
		{"gpu", "gpu", len(a.GPU), func(p *SweepPoint, i int) string { p.GPUType = a.GPU[i]; return a.GPU[i] }},
		{"learning_rate", "lr", len(a.LearningRate), func(p *SweepPoint, i int) string {
			p.Overrides.LearningRate = &a.LearningRate[i]
			return strconv.FormatFloat(a.LearningRate[i], 'g', -1, 64)
		}},
		{"rank", "rank", len(a.Rank), func(p *SweepPoint, i int) string { p.Overrides.Rank = &a.Rank[i]; return strconv.Itoa(a.Rank[i]) }},
		{"batch_size", "batch", len(a.BatchSize), func(p *SweepPoint, i int) string {
			p.Overrides.BatchSize = &a.BatchSize[i]
			return strconv.Itoa(a.BatchSize[i])
		}},
		{"epochs", "epochs", len(a.Epochs), func(p *SweepPoint, i int) string { p.Overrides.Epochs = &a.Epochs[i]; return strconv.Itoa(a.Epochs[i]) }},
	}
}

// Size is the number of runs the grid makes (1 when no axis varies).
func (a SweepAxes) Size() int {
	n := 1
	for _, ax := range a.axes() {
		n *= max(1, ax.n)
	}
	return n
}

// Expand lists the grid's runs, the first axis (preset) outermost, over
// base: each point starts from base's overrides (alpha, dropout and any
// value no axis sets) and sets its axes' values. A grid of more than
// MaxSweepRuns runs is an error that names its size and how it came about.
func (a SweepAxes) Expand(base HyperOverrides) ([]SweepPoint, error) {
	var dims []string
	for _, ax := range a.axes() {
		if ax.n > 0 {
			dims = append(dims, fmt.Sprintf("%d %s", ax.n, ax.name))
		}
	}
	if n := a.Size(); n > MaxSweepRuns {
		return nil, fmt.Errorf("the grid has %d runs (%s); a sweep launches at most %d", n, strings.Join(dims, " × "), MaxSweepRuns)
	}
	points := []SweepPoint{{Overrides: base}}
	for _, ax := range a.axes() {
		if ax.n == 0 {
			continue
		}
		next := make([]SweepPoint, 0, len(points)*ax.n)
		for _, p := range points {
			for i := range ax.n {
				q := p
				if v := ax.set(&q, i); ax.n > 1 {
					q.Label = strings.TrimPrefix(q.Label+" · "+ax.label+" "+v, " · ")
				}
				next = append(next, q)
			}
		}
		points = next
	}
	return points, nil
}

// Sweep is a grid of training runs launched in one step; its runs are
// jobs whose SweepID is its ID.
type Sweep struct {
	ID        uuid.UUID `json:"id"`
	UserID    uuid.UUID `json:"user_id"`
	Name      string    `json:"name"`
	DatasetID uuid.UUID `json:"dataset_id"`
	Axes      SweepAxes `json:"axes"`
	// MaxTotal caps the sum of the runs' estimates; nil is no cap.
	MaxTotal  *float64  `json:"max_total"`
	CreatedAt time.Time `json:"created_at"`
}

// CheckSweepTotal refuses a grid whose runs' estimates add up to more
// than the operator's cap (nil: no cap).
func CheckSweepTotal(total float64, maxTotal *float64) error {
	if maxTotal != nil && total > *maxTotal {
		return fmt.Errorf("the sweep's estimated total %s is over --max-total %s", Dollars(total), Dollars(*maxTotal))
	}
	return nil
}

// BestSweepRun is the index of the completed run with the lowest best
// validation loss, -1 when no completed run has one. Ties go to the
// earlier run.
func BestSweepRun(runs []JobSummary) int {
	best := -1
	for i, r := range runs {
		if r.Status != JobCompleted || r.BestValLoss == nil {
			continue
		}
		if best < 0 || *r.BestValLoss < *runs[best].BestValLoss {
			best = i
		}
	}
	return best
}
