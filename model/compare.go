package model

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// How many jobs one comparison holds: two to see a difference, six to
// keep the chart's colours and the table's columns readable.
const (
	MinCompareJobs = 2
	MaxCompareJobs = 6
)

// CustomPreset is the preset label of hyperparameters that differ from
// every preset.
const CustomPreset = "custom"

// CheckCompareIDs checks a comparison's job IDs: between MinCompareJobs
// and MaxCompareJobs of them, none twice.
func CheckCompareIDs(ids []uuid.UUID) error {
	switch n := len(ids); {
	case n < MinCompareJobs:
		return fmt.Errorf("compare needs at least %d jobs, got %d", MinCompareJobs, n)
	case n > MaxCompareJobs:
		return fmt.Errorf("at most %d jobs can be compared at once, got %d: leave %d out", MaxCompareJobs, n, n-MaxCompareJobs)
	}
	seen := make(map[uuid.UUID]bool, len(ids))
	for _, id := range ids {
		if seen[id] {
			return fmt.Errorf("job %s is given twice", id)
		}
		seen[id] = true
	}
	return nil
}

// MatchPreset finds the preset whose hyperparameters are exactly h.
func MatchPreset(h Hyperparameters) (Preset, bool) {
	for _, p := range presets {
		if p.Hyperparameters == h {
			return p, true
		}
	}
	return Preset{}, false
}

// PresetLabel names the hyperparameters h of a job launched from preset
// base: the base when h is its values, another preset when h is that
// one's, else CustomPreset.
func PresetLabel(base string, h Hyperparameters) string {
	if p, err := PresetByKey(base); err == nil && p.Hyperparameters == h {
		return p.Key
	}
	if p, ok := MatchPreset(h); ok {
		return p.Key
	}
	return CustomPreset
}

// JobSummary is one column of a comparison: what a job ran with and what
// it came to. Losses are nil until the job reported one; the duration is
// the time it ran (so far, while it runs).
type JobSummary struct {
	ID              uuid.UUID       `json:"id"`
	Name            string          `json:"name"`
	Status          JobStatus       `json:"status"`
	Progress        float64         `json:"progress"`
	DatasetID       uuid.UUID       `json:"dataset_id"`
	DatasetName     string          `json:"dataset_name"`
	Preset          string          `json:"preset"`
	GPUConfig       GPUConfig       `json:"gpu_config"`
	Hyperparameters Hyperparameters `json:"hyperparameters"`
	FinalTrainLoss  *float64        `json:"final_train_loss"`
	BestTrainLoss   *float64        `json:"best_train_loss"`
	FinalValLoss    *float64        `json:"final_val_loss"`
	BestValLoss     *float64        `json:"best_val_loss"`
	Step            int             `json:"step"` // of the latest metrics point
	TotalSteps      int             `json:"total_steps"`
	Epoch           float64         `json:"epoch"` // fractional, of the latest point
	TotalEpochs     int             `json:"total_epochs"`
	DurationSeconds float64         `json:"duration_seconds"`
	EstimatedCost   float64         `json:"estimated_cost"`
	CurrentCost     float64         `json:"current_cost"`
	FinalCost       *float64        `json:"final_cost"` // nil until the job ends
	BaseModel       string          `json:"base_model"`
}

// Summarize is j's column of a comparison, its losses from its curve's
// stats, its duration as of now.
func Summarize(j Job, s CurveStats, now time.Time) JobSummary {
	out := JobSummary{
		ID: j.ID, Name: j.Name, Status: j.Status, Progress: j.Progress,
		DatasetID: j.DatasetID, DatasetName: j.DatasetName,
		Preset:    PresetLabel(j.Preset, j.Hyperparameters),
		GPUConfig: j.GPUConfig, Hyperparameters: j.Hyperparameters,
		FinalTrainLoss: s.FinalTrain, BestTrainLoss: s.BestTrain, FinalValLoss: s.FinalVal, BestValLoss: s.BestVal,
		Step: s.LastStep, TotalSteps: j.TotalSteps, Epoch: s.LastEpoch, TotalEpochs: j.TotalEpochs,
		EstimatedCost: j.EstimatedTotalCost, CurrentCost: j.CurrentCost, FinalCost: j.FinalCost,
		BaseModel: j.BaseModel,
	}
	switch {
	case j.StartedAt == nil:
	case j.Status.Final() && j.CompletedAt != nil:
		out.DurationSeconds = j.CompletedAt.Sub(*j.StartedAt).Seconds()
	case !j.Status.Final():
		out.DurationSeconds = max(0, now.Sub(*j.StartedAt).Seconds())
	}
	return out
}

// ComparedJob is one job of a comparison: its column, its curves and the
// row it was read from (which a live screen keeps reading on from).
type ComparedJob struct {
	JobSummary
	Series *Curve `json:"series"`
	Job    Job    `json:"-"`
}

// Comparison is what `job compare` prints and the comparison screen
// draws: the jobs in the order asked for and the table of their settings
// and results.
type Comparison struct {
	Jobs []ComparedJob `json:"jobs"`
	Rows []CompareRow  `json:"rows"`
	// Points is the most points a series holds (0: all of them).
	Points int `json:"points"`
}

// BuildComparison puts jobs and their metrics points (points[i] is
// jobs[i]'s, ordered by step) together: one curve each, compacted to at
// most keep points per series (0: all), summaries as of now and the
// table.
func BuildComparison(jobs []Job, points [][]MetricPoint, keep int, now time.Time) Comparison {
	out := Comparison{Jobs: make([]ComparedJob, len(jobs)), Points: max(0, keep)}
	sums := make([]JobSummary, len(jobs))
	for i, j := range jobs {
		c := &Curve{}
		if i < len(points) {
			c.Add(points[i], 0)
		}
		c.Compact(keep)
		sums[i] = Summarize(j, c.Stats, now)
		out.Jobs[i] = ComparedJob{JobSummary: sums[i], Series: c, Job: j}
	}
	out.Rows = CompareTable(sums)
	return out
}

// Kinds of comparison rows.
const (
	RowSetting = "setting" // what the job ran with: differences are marked
	RowResult  = "result"  // what it came to: the best value is marked
)

// CompareRow is one line of the comparison table: a value per job.
type CompareRow struct {
	Key    string   `json:"key"`
	Label  string   `json:"label"`
	Kind   string   `json:"kind"`
	Values []string `json:"values"`
	// Differs marks a setting whose values are not all the same.
	Differs bool `json:"differs"`
	// Best is the index of the best (lowest) value of a loss row, -1 when
	// there is none to pick.
	Best int `json:"best"`
}

// Unlike reports whether job i's value stands out in a row that differs:
// it is not the value most jobs share, or no value is shared by more than
// one job (then every value is a difference).
func (r CompareRow) Unlike(i int) bool {
	if !r.Differs {
		return false
	}
	count := map[string]int{}
	common, n := "", 1
	for _, v := range r.Values {
		count[v]++
		if count[v] > n {
			common, n = v, count[v]
		}
	}
	return common == "" || r.Values[i] != common
}

// CompareTable is the rows of a comparison: dataset, model, preset, GPUs and
// every hyperparameter (marked where they differ), then status, final and
// best losses (the lowest marked), duration and cost against the
// estimate.
func CompareTable(sums []JobSummary) []CompareRow {
	var rows []CompareRow
	setting := func(key, label string, value func(JobSummary) string) {
		r := CompareRow{Key: key, Label: label, Kind: RowSetting, Values: make([]string, len(sums)), Best: -1}
		for i, s := range sums {
			r.Values[i] = value(s)
			if i > 0 && r.Values[i] != r.Values[0] {
				r.Differs = true
			}
		}
		rows = append(rows, r)
	}
	result := func(key, label string, value func(JobSummary) string, best func(JobSummary) *float64) {
		r := CompareRow{Key: key, Label: label, Kind: RowResult, Values: make([]string, len(sums)), Best: -1}
		lowest := math.Inf(1)
		for i, s := range sums {
			r.Values[i] = value(s)
			if best == nil || len(sums) < 2 {
				continue
			}
			if v := best(s); v != nil && *v < lowest {
				lowest, r.Best = *v, i
			}
		}
		rows = append(rows, r)
	}
	setting("dataset", "dataset", func(s JobSummary) string {
		if s.DatasetName == "" {
			return "(deleted)"
		}
		return s.DatasetName
	})
	setting("base_model", "model", func(s JobSummary) string { return s.BaseModel })
	setting("preset", "preset", func(s JobSummary) string { return s.Preset })
	setting("gpu", "GPUs", func(s JobSummary) string { return fmt.Sprintf("%d × %s", s.GPUConfig.Count, s.GPUConfig.Type) })
	setting("learning_rate", "learning rate", func(s JobSummary) string { return formatFloat(s.Hyperparameters.LearningRate) })
	setting("batch_size", "batch size", func(s JobSummary) string { return strconv.Itoa(s.Hyperparameters.BatchSize) })
	setting("epochs", "epochs", func(s JobSummary) string { return strconv.Itoa(s.Hyperparameters.Epochs) })
	setting("rank", "rank", func(s JobSummary) string { return strconv.Itoa(s.Hyperparameters.Rank) })
	setting("alpha", "alpha", func(s JobSummary) string { return strconv.Itoa(s.Hyperparameters.Alpha) })
	setting("dropout", "dropout", func(s JobSummary) string { return formatFloat(s.Hyperparameters.Dropout) })
	result("status", "status", func(s JobSummary) string {
		if !s.Status.Final() && s.Status != JobQueued {
			return fmt.Sprintf("%s %.0f%%", s.Status, s.Progress)
		}
		return string(s.Status)
	}, nil)
	result("train_loss", "train final/best", func(s JobSummary) string { return lossPair(s.FinalTrainLoss, s.BestTrainLoss) },
		func(s JobSummary) *float64 { return s.BestTrainLoss })
	result("val_loss", "val final/best", func(s JobSummary) string { return lossPair(s.FinalValLoss, s.BestValLoss) },
		func(s JobSummary) *float64 { return s.BestValLoss })
	result("duration", "duration", func(s JobSummary) string {
		if s.DurationSeconds <= 0 {
			return "—"
		}
		return Clock(time.Duration(s.DurationSeconds * float64(time.Second)))
	}, nil)
	result("estimated_cost", "cost estimate", func(s JobSummary) string { return Dollars(s.EstimatedCost) }, nil)
	result("cost", "cost", func(s JobSummary) string {
		switch {
		case s.FinalCost != nil:
			return Dollars(*s.FinalCost) + " final"
		case s.Status == JobQueued:
			return "—"
		}
		return Dollars(s.CurrentCost) + " so far"
	}, nil)
	return rows
}

// lossPair is "final / best", or a dash before the first value.
func lossPair(final, best *float64) string {
	if final == nil || best == nil {
		return "—"
	}
	return fmt.Sprintf("%.4f / %.4f", *final, *best)
}

// Clock is a duration the way a clock reads it: 45s, 12m, 1h 04m.
func Clock(d time.Duration) string {
	d = max(0, d.Round(time.Second))
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
	return fmt.Sprintf("%dh %02dm", int(d.Hours()), int(d.Minutes())%60)
}

// Dollars is an amount with cents and thousands separators: $1,234.50.
func Dollars(v float64) string {
	cents := int64(math.Round(v * 100))
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	whole := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return fmt.Sprintf("%s$%s.%02d", sign, b.String(), cents%100)
}
