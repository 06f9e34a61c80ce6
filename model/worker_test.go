package model_test

import (
	"testing"

	"github.com/google/uuid"

	"brightrun/model"
)

func TestWaitingReason(t *testing.T) {
	sim := model.Worker{Trainers: []string{model.TrainerSimulated}}
	h100 := func(gpus, free, jobs int) model.Worker {
		w := model.Worker{Trainers: []string{model.TrainerExec}, GPUType: "H100"}
		for i := range gpus {
			w.GPUs = append(w.GPUs, i)
		}
		w.GPUsFree = w.GPUs[gpus-free:]
		for range jobs {
			w.RunningJobs = append(w.RunningJobs, uuid.New())
		}
		return w
	}
	v100 := model.Worker{Trainers: []string{model.TrainerExec}, GPUType: "V100-32GB", GPUs: []int{0, 1}, GPUsFree: []int{0, 1}}
	two := model.GPUConfig{Type: "H100", Count: 2}
	for _, tc := range []struct {
		name    string
		trainer string
		gpu     model.GPUConfig
		workers []model.Worker
		want    string
	}{
		{"simulated, no worker", model.TrainerSimulated, two, nil, "waiting for a simulated worker: none is running"},
		{"simulated, only exec workers", "", two, []model.Worker{h100(2, 2, 0)}, "waiting for a simulated worker: none is running"},
		{"simulated, a worker", model.TrainerSimulated, two, []model.Worker{sim}, ""},
		{"exec, no worker", model.TrainerExec, two, nil, "waiting for an exec worker with 2 × H100: none is running"},
		{"exec, only simulated and other types", model.TrainerExec, two, []model.Worker{sim, v100}, "waiting for an exec worker with 2 × H100: none is running"},
		{"exec, type in another case, free", model.TrainerExec, model.GPUConfig{Type: "h100", Count: 1}, []model.Worker{h100(1, 1, 0)}, ""},
		{"exec, one worker busy", model.TrainerExec, two, []model.Worker{h100(2, 1, 1)}, "waiting for an exec worker with 2 × H100: 1 running, its GPUs busy (1 job)"},
		{"exec, two workers busy", model.TrainerExec, two, []model.Worker{h100(2, 0, 2), h100(4, 1, 3)}, "waiting for an exec worker with 2 × H100: 2 running, their GPUs busy (5 jobs)"},
		{"exec, workers too small", model.TrainerExec, model.GPUConfig{Type: "H100", Count: 4}, []model.Worker{h100(2, 2, 0), h100(1, 1, 0)},
			"waiting for an exec worker with 4 × H100: none is running (2 workers with H100: at most 2 GPUs)"},
		{"exec, one free among busy", model.TrainerExec, two, []model.Worker{h100(2, 0, 2), h100(2, 2, 0)}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := model.WaitingReason(tc.trainer, tc.gpu, tc.workers); got != tc.want {
				t.Errorf("WaitingReason = %q, want %q", got, tc.want)
			}
		})
	}
}
