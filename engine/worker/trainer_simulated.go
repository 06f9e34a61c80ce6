package worker

import (
	"context"
	"fmt"
	"time"

	"brightrun/model"
	"brightrun/model/simulate"
)

// simulatedTrainer plays simulate.Simulation against the wall clock: each tick
// it works out where the simulated run is, records the stages, points and
// GPU time passed since the last tick and flushes them (which is also where
// it learns of a cancel). It resumes a rescued job at its last checkpoint.
type simulatedTrainer struct {
	speed float64 // 0: the default playback, about a minute a job
}

// simTick is how often the simulated run reports: screens see it move
// several times a second, and a cancel is noticed within a tick.
const simTick = 250 * time.Millisecond

func (t simulatedTrainer) train(ctx context.Context, r *trainRun) (trainOutput, error) {
	sim, err := simulate.NewSimulation(simulate.SimInput{
		JobID: r.job.ID, Hyperparameters: r.job.Hyperparameters, GPU: r.gpu, GPUCount: r.job.GPUConfig.Count,
		Pairs: r.dataset.TotalTrainingPairs, Tokens: r.dataset.TotalTokens,
	})
	if err != nil {
		return trainOutput{}, failf("%v", err)
	}
	pb := sim.Playback(t.speed)
	phases := sim.Phases()
	from := sim.ResumeTime(r.checkpoint.Step, r.checkpoint.Validated)
	realFrom := pb.Real(from)
	realEnd := pb.Real(sim.Duration())

	phase := -1
	lastStep := r.checkpoint.Step
	spe := sim.StepsPerEpoch()
	nextVal := lastStep/spe + 1 // the first epoch whose validation is still to come
	if lastStep > 0 && lastStep%spe == 0 && !r.checkpoint.Validated {
		nextVal = lastStep / spe
	}
	if lastStep > 0 || from > 0 {
		phase = sim.At(from).Phase
		r.setStage(phases[phase].Status, phases[phase].Stage, fmt.Sprintf("resumed at step %d of %d", lastStep, sim.TotalSteps()))
	}

	start := time.Now()
	ticker := time.NewTicker(simTick)
	defer ticker.Stop()
	stopped := false
	for !stopped {
		elapsed := time.Since(start).Seconds()
		now := pb.Sim(realFrom + elapsed)
		st := sim.At(now)
		for p := phase + 1; p <= st.Phase; p++ {
			switch ph := phases[p]; {
			case ph.Training():
				r.step = ph.FirstStep - 1
			case ph.Epoch > 0:
				r.step = ph.LastStep
			default:
				r.step = lastStep
			}
			r.setStage(phases[p].Status, phases[p].Stage, t.describe(r, sim, phases[p]))
		}
		phase = st.Phase
		for s := lastStep + 1; s <= st.Step; s++ {
			if sim.Recorded(s) {
				r.addPoint(sim.Point(s))
			}
		}
		lastStep = st.Step
		for nextVal <= r.job.Hyperparameters.Epochs && t.validated(phases, nextVal, now, st.Done) {
			v := sim.Validation(nextVal)
			r.addPoint(v)
			r.step = v.Step
			r.event(model.EventCheckpoint, fmt.Sprintf("epoch %d/%d done: validation loss %.4f; checkpoint at step %d",
				nextVal, r.job.Hyperparameters.Epochs, *v.ValLoss, v.Step))
			t.checkpoint(ctx, r, sim, nextVal, v.Step)
			nextVal++
			if stop, _, reason := model.EarlyStop(r.checkpoints, r.job.EarlyStoppingPatience, r.job.Hyperparameters.Epochs); stop {
				// The row says where the run stopped: the epoch just
				// evaluated, at its validation step.
				r.stopReason, stopped = reason, true
				r.epoch = nextVal - 1
				r.event(model.EventInfo, reason)
				break
			}
		}
		if stopped {
			r.seconds = now - from
			break
		}
		r.setStage(st.Status, st.Stage, "")
		r.step, r.epoch, r.progress = st.Step, st.Epoch, st.Progress
		r.seconds = now - from
		eta := time.Now().Add(time.Duration((realEnd - realFrom - elapsed) * float64(time.Second))).UTC()
		r.eta = &eta
		if st.Done {
			r.seconds = sim.Duration() - from
			break
		}
		if err := r.flush(ctx); err != nil {
			return trainOutput{}, err
		}
		select {
		case <-ctx.Done():
			return trainOutput{}, ctx.Err()
		case <-ticker.C:
		}
	}
	out := trainOutput{name: r.job.Name + " adapter (SIMULATED)", format: model.ArtifactFormatPEFTSimulated,
		simulated: true, note: model.SimulatedNote}
	files, err := sim.SimulatedAdapter(r.job.Name, r.metrics)
	// With early stopping on, the adapter is the best checkpoint's whether
	// the run stopped early or ran its course, as the Trainer's
	// load_best_model_at_end keeps it (assets/trainers/peft_lora.py).
	if b := model.BestCheckpoint(r.checkpoints); (stopped || r.job.EarlyStoppingPatience > 0) && b >= 0 {
		best := r.checkpoints[b]
		files, err = sim.SimulatedCheckpoint(r.job.Name, best.Step, best.Metrics())
		out.bestStep = &best.Step
	}
	if err != nil {
		return trainOutput{}, err
	}
	for _, f := range files {
		out.files = append(out.files, artifactFile{name: f.Name, data: f.Data})
	}
	return out, nil
}

// checkpoint stores the simulated checkpoint at the end of an epoch, with
// the simulated mean token accuracy of its losses (labelled simulated, as
// the adapter is). Every one is kept: they are a few kilobytes.
func (simulatedTrainer) checkpoint(ctx context.Context, r *trainRun, sim simulate.Simulation, epoch, step int) {
	for loss, acc := range map[string]string{"train_loss": model.MetricTrainAccuracy, "val_loss": model.MetricValAccuracy} {
		if v, ok := r.metrics[loss]; ok {
			r.metrics[acc] = simulate.MeanTokenAccuracy(v)
		}
	}
	c := r.newCheckpoint(step, float64(epoch))
	c.Simulated = true
	files, err := sim.SimulatedCheckpoint(r.job.Name, step, c.Metrics())
	if err != nil {
		r.event(model.EventWarning, fmt.Sprintf("checkpoint at step %d not stored: %v", step, err))
		return
	}
	af := make([]artifactFile, len(files))
	for i, f := range files {
		af[i] = artifactFile{name: f.Name, data: f.Data}
	}
	r.storeCheckpoint(ctx, c, af, 0)
}

// validated reports whether an epoch's validation has finished by now.
func (simulatedTrainer) validated(phases []simulate.SimPhase, epoch int, now float64, done bool) bool {
	if done {
		return true
	}
	for _, p := range phases {
		if p.Stage == model.StageValidating && p.Epoch == epoch {
			return now >= p.End
		}
	}
	return false
}

// describe is the event logged when the run enters a phase.
func (simulatedTrainer) describe(r *trainRun, sim simulate.Simulation, p simulate.SimPhase) string {
	epochs := r.job.Hyperparameters.Epochs
	switch p.Stage {
	case model.StageProvisioning:
		return fmt.Sprintf("provisioning %d × %s (simulated: no GPU is used)", r.job.GPUConfig.Count, r.job.GPUConfig.Type)
	case model.StageLoadingDataset:
		return fmt.Sprintf("loading dataset %q: %d examples, %d tokens", r.dataset.Name, r.dataset.TotalTrainingPairs, r.dataset.TotalTokens)
	case model.StageTraining:
		return fmt.Sprintf("epoch %d/%d: training steps %d–%d of %d", p.Epoch, epochs, p.FirstStep, p.LastStep, sim.TotalSteps())
	case model.StageValidating:
		return fmt.Sprintf("epoch %d/%d: validating", p.Epoch, epochs)
	case model.StageSaving:
		return "saving the adapter"
	}
	return p.Stage
}
