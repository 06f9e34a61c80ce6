package model

import (
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
)

// Checkpoint is a row of job_checkpoints: a state of a run the trainer
// saved, with the metrics at its step and the files it was stored as (in
// StorageBucket under StoragePath, each checked by size and SHA-256 like an
// adapter's). The JSON keys are those of `brightrun job checkpoints --json`.
type Checkpoint struct {
	JobID     uuid.UUID `json:"job_id"`
	Step      int       `json:"step"`
	Epoch     float64   `json:"epoch"`
	TrainLoss *float64  `json:"train_loss"`
	ValLoss   *float64  `json:"val_loss"`
	// The share of target tokens predicted right, when the trainer reports it.
	TrainAccuracy *float64       `json:"train_mean_token_accuracy"`
	ValAccuracy   *float64       `json:"val_mean_token_accuracy"`
	SizeBytes     int64          `json:"size_bytes"`
	StorageBucket string         `json:"storage_bucket"`
	StoragePath   string         `json:"storage_path"`
	Files         []ArtifactFile `json:"files"`
	// Simulated marks the simulated trainer's checkpoints: no weights.
	Simulated bool      `json:"simulated"`
	CreatedAt time.Time `json:"created_at"`
	// Best is computed when read (BestCheckpoint), never stored.
	Best bool `json:"best"`
}

// Current-metrics keys of the mean token accuracy, which metrics_points
// does not hold: a checkpoint takes them from the run's current metrics.
const (
	MetricTrainAccuracy = "train_mean_token_accuracy"
	MetricValAccuracy   = "val_mean_token_accuracy"
)

// BestCheckpoint is the index of the checkpoint a job keeps: the lowest
// validation loss; when none has one, the lowest training loss; the earlier
// step on a tie. It is -1 when no checkpoint has a loss.
func BestCheckpoint(list []Checkpoint) int {
	best := -1
	for _, pick := range []func(Checkpoint) *float64{
		func(c Checkpoint) *float64 { return c.ValLoss },
		func(c Checkpoint) *float64 { return c.TrainLoss },
	} {
		for i, c := range list {
			v := pick(c)
			if v == nil {
				continue
			}
			if b := best; b < 0 || *v < *pick(list[b]) || *v == *pick(list[b]) && c.Step < list[b].Step {
				best = i
			}
		}
		if best >= 0 {
			return best
		}
	}
	return best
}

// MarkBest sets Best on the best checkpoint of list (and clears it on the
// others), returning its index (-1: none).
func MarkBest(list []Checkpoint) int {
	b := BestCheckpoint(list)
	for i := range list {
		list[i].Best = i == b
	}
	return b
}

// PruneCheckpoints names the checkpoints a job drops when it keeps the
// newest keep of them and its best one; keep ≤ 0 keeps them all.
func PruneCheckpoints(list []Checkpoint, keep int) []Checkpoint {
	if keep <= 0 || len(list) <= keep {
		return nil
	}
	best := -1
	if b := BestCheckpoint(list); b >= 0 {
		best = list[b].Step
	}
	steps := make([]int, len(list))
	for i, c := range list {
		steps[i] = c.Step
	}
	slices.Sort(steps)
	oldestKept := steps[len(steps)-keep]
	var drop []Checkpoint
	for _, c := range list {
		if c.Step < oldestKept && c.Step != best {
			drop = append(drop, c)
		}
	}
	return drop
}

// Metrics are the checkpoint's values by their current-metrics keys.
func (c Checkpoint) Metrics() map[string]float64 {
	m := map[string]float64{}
	for k, v := range map[string]*float64{"train_loss": c.TrainLoss, "val_loss": c.ValLoss,
		MetricTrainAccuracy: c.TrainAccuracy, MetricValAccuracy: c.ValAccuracy} {
		if v != nil {
			m[k] = *v
		}
	}
	return m
}

// EarlyStop says whether a run with patience (0: off) stops after the
// checkpoints so far: when the last patience evaluations in a row brought
// no better validation loss than the best, before its last epoch. The reason names the epoch
// reached, the best and when it was; best is the index of the best.
func EarlyStop(list []Checkpoint, patience, totalEpochs int) (stop bool, best int, reason string) {
	best = BestCheckpoint(list)
	if patience <= 0 || best < 0 || list[best].ValLoss == nil {
		return false, best, ""
	}
	since := 0
	last := list[best]
	for _, c := range list {
		if c.Step > list[best].Step && c.ValLoss != nil {
			since++
			if c.Step > last.Step {
				last = c
			}
		}
	}
	// A run that reached its last epoch ran its course: nothing was
	// stopped early, whatever its last evaluations brought.
	if since < patience || last.Epoch >= float64(totalEpochs) {
		return false, best, ""
	}
	evals := "evaluations"
	if since == 1 {
		evals = "evaluation"
	}
	return true, best, fmt.Sprintf("stopped early at epoch %s of %d: validation loss has not improved for %d %s (best %.2f at epoch %s)",
		epochText(last.Epoch), totalEpochs, since, evals, *list[best].ValLoss, epochText(list[best].Epoch))
}

// epochText writes a whole epoch without decimals.
func epochText(e float64) string {
	if e == float64(int(e)) {
		return fmt.Sprint(int(e))
	}
	return fmt.Sprintf("%.2f", e)
}

// Artifact is the checkpoint as an adapter-like set of files, so it is
// downloaded and checked the way an adapter is.
func (c Checkpoint) Artifact(userID uuid.UUID, trainer string) Artifact {
	name := fmt.Sprintf("checkpoint at step %d", c.Step)
	if c.Simulated {
		name += " (SIMULATED)"
	}
	a := Artifact{UserID: userID, JobID: c.JobID, Name: name, StorageBucket: c.StorageBucket, StoragePath: c.StoragePath,
		FileSize: c.SizeBytes, Format: "checkpoint", CreatedAt: c.CreatedAt,
		Metadata: ArtifactMetadata{Trainer: trainer, Simulated: c.Simulated, Files: c.Files, FinalMetrics: c.Metrics()}}
	if c.Simulated {
		a.Metadata.Note = SimulatedNote
	}
	return a
}

// MaxEarlyStoppingPatience bounds early_stopping_patience (the column's check).
const MaxEarlyStoppingPatience = 100

// CheckEarlyStoppingPatience accepts 0 (off) to MaxEarlyStoppingPatience.
func CheckEarlyStoppingPatience(n int) error {
	if n < 0 || n > MaxEarlyStoppingPatience {
		return fmt.Errorf("early_stopping_patience %d is out of range: must be between 0 (off) and %d", n, MaxEarlyStoppingPatience)
	}
	return nil
}
