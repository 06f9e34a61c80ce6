package uitest

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"brightrun/model"
)

// outputRecord is the trainers' output lines of the fixture's jobs (none
// unless a test gives a job some, as an exec trainer would print them)
// and the reads of them.
type outputRecord struct {
	// Output is each job's lines, oldest first, Seq increasing.
	Output map[uuid.UUID][]model.JobOutputLine
	// OutputCalls is the afterSeq of every JobOutput call.
	OutputCalls []int64
}

// AppendOutput adds lines to a job's output, numbering them on from its
// last, as the worker's flush does.
func (f *JobFixture) AppendOutput(id uuid.UUID, lines ...model.JobOutputLine) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Output == nil {
		f.Output = map[uuid.UUID][]model.JobOutputLine{}
	}
	have := f.Output[id]
	var seq int64
	if len(have) > 0 {
		seq = have[len(have)-1].Seq
	}
	for _, l := range lines {
		seq++
		l.Seq = seq
		have = append(have, l)
	}
	f.Output[id] = have
}

// OutputReads is a copy of OutputCalls, read under the lock.
func (f *JobFixture) OutputReads() []int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.OutputCalls)
}

// JobOutput implements common.Backend as the engine does: up to limit of
// the job's lines after afterSeq (limit ≤ 0: all); a job the fixture
// lacks is not found.
func (b *Backend) JobOutput(_ context.Context, id uuid.UUID, afterSeq int64, limit int) ([]model.JobOutputLine, error) {
	f := b.JobFixture()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.OutputCalls = append(f.OutputCalls, afterSeq)
	if _, ok := f.fixtureJob(id); !ok {
		return nil, fmt.Errorf("job %s: %w", id, ErrNotFound)
	}
	out := []model.JobOutputLine{}
	for _, l := range f.Output[id] {
		if l.Seq <= afterSeq {
			continue
		}
		if limit > 0 && len(out) == limit {
			break
		}
		out = append(out, l)
	}
	return out, nil
}

// TrainerOutput is n lines a PEFT trainer would print on its stderr (and
// a few log messages on stdout) for j, starting when it started: loading,
// a deprecation warning, per-step loss dictionaries, and one CUDA warning.
// The times are a second apart.
func TrainerOutput(j model.Job, n int) []model.JobOutputLine {
	start := Now.Add(-time.Hour)
	if j.StartedAt != nil {
		start = j.StartedAt.Add(45 * time.Second)
	}
	out := make([]model.JobOutputLine, n)
	for i := range out {
		at := start.Add(time.Duration(i) * time.Second)
		line := model.JobOutputLine{At: at, Stream: model.StreamStderr}
		switch {
		case i == 0:
			line.Text = "Loading checkpoint shards: 100%|██████████| 2/2 [00:03<00:00,  1.62s/it]"
		case i == 1:
			line.Stream, line.Text = model.StreamStdout, fmt.Sprintf("trainable params: %d || all params: 494,032,768 || trainable%%: 0.44", 2_162_688)
		case i == 2:
			line.Text = "UserWarning: `torch.cuda.amp.autocast(args...)` is deprecated. Please use `torch.amp.autocast('cuda', args...)` instead."
		case i%17 == 16:
			line.Text = "CUDA warning: memory fragmentation high (reserved 71.2 GiB, allocated 64.8 GiB)"
		default:
			line.Text = fmt.Sprintf("{'loss': %.4f, 'grad_norm': %.3f, 'learning_rate': %.3e, 'epoch': %.2f}",
				2.1-float64(i)*0.01, 1.2-float64(i%7)*0.05, j.Hyperparameters.LearningRate, float64(i)/40)
		}
		out[i] = line
	}
	return out
}
