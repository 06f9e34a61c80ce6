package worker

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"brightrun/model"
)

// The job spec an exec trainer is given (BRIGHTRUN_JOB_SPEC and its
// environment), the same for a worker and for `brightrun trainer check`.

// execSpec is the job spec file (BRIGHTRUN_JOB_SPEC).
type execSpec struct {
	JobID           string                `json:"job_id"`
	Name            string                `json:"name"`
	Attempt         int                   `json:"attempt"`
	BaseModel       string                `json:"base_model"`
	Dataset         execSpecDataset       `json:"dataset"`
	Hyperparameters model.Hyperparameters `json:"hyperparameters"`
	GPUConfig       model.GPUConfig       `json:"gpu_config"`
	TotalSteps      int                   `json:"total_steps"`
	StepsPerEpoch   int                   `json:"steps_per_epoch"`
	TotalEpochs     int                   `json:"total_epochs"`
	OutputDir       string                `json:"output_dir"`
	CheckpointDir   string                `json:"checkpoint_dir"`
	ResumeFromStep  int                   `json:"resume_from_step"`
	// GPUIDs are the worker's GPUs this run holds (CUDA_VISIBLE_DEVICES).
	GPUIDs []int `json:"gpu_ids"`
	// EvalFraction is the share to hold out for validation: the job's, or
	// model.DefaultEvalFraction when it left it to the trainer; 0 when a
	// validation dataset is given or no validation is wanted.
	EvalFraction      float64          `json:"eval_fraction"`
	ValidationDataset *execSpecDataset `json:"validation_dataset"`
	// EarlyStoppingPatience is the job's (0: off): stop after that many
	// evaluations without a better validation loss, keeping the best.
	EarlyStoppingPatience int `json:"early_stopping_patience"`
}

type execSpecDataset struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Format   string `json:"format"`
	FileName string `json:"file_name"`
	URL      string `json:"url"`
	Pairs    int    `json:"total_training_pairs"`
	Tokens   int64  `json:"total_tokens"`
}

// prepare makes the work dirs, the dataset URL and the spec file.
func (t execTrainer) prepare(ctx context.Context, r *trainRun) (execSpec, string, error) {
	base := r.workDir()
	out, ckpt := filepath.Join(base, "output"), filepath.Join(base, "checkpoints")
	if err := os.RemoveAll(out); err != nil {
		return execSpec{}, "", fmt.Errorf("clear %s: %w", out, err)
	}
	for _, d := range []string{out, ckpt} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return execSpec{}, "", fmt.Errorf("work dir of job %s: %w", r.job.ID, err)
		}
	}
	if r.checkpoint.Step > 0 {
		if err := r.fetchResumeCheckpoint(ctx, ckpt); err != nil {
			return execSpec{}, "", err
		}
	}
	url, err := r.e.objects.PresignGet(ctx, r.dataset.StorageBucket, r.dataset.StoragePath, execDatasetURLExpiry)
	if err != nil {
		return execSpec{}, "", err
	}
	spec := execSpec{
		JobID: r.job.ID.String(), Name: r.job.Name, Attempt: r.attempt,
		Dataset:   specDataset(r.dataset, url),
		BaseModel: r.job.BaseModel, EvalFraction: model.DefaultEvalFraction,
		Hyperparameters: r.job.Hyperparameters, GPUConfig: r.job.GPUConfig,
		TotalSteps: r.job.TotalSteps, TotalEpochs: r.job.TotalEpochs, StepsPerEpoch: r.job.TotalSteps / max(1, r.job.TotalEpochs),
		OutputDir: out, CheckpointDir: ckpt, ResumeFromStep: r.checkpoint.Step, GPUIDs: r.gpuIDs,
		EarlyStoppingPatience: r.job.EarlyStoppingPatience,
	}
	if spec.GPUIDs == nil {
		spec.GPUIDs = []int{}
	}
	if r.job.EvalFraction != nil {
		spec.EvalFraction = *r.job.EvalFraction
	}
	if v := r.validation; v != nil {
		vurl, err := r.e.objects.PresignGet(ctx, v.StorageBucket, v.StoragePath, execDatasetURLExpiry)
		if err != nil {
			return execSpec{}, "", err
		}
		vd := specDataset(*v, vurl)
		spec.ValidationDataset, spec.EvalFraction = &vd, 0
	}
	specPath, err := writeExecSpec(base, spec)
	if err != nil {
		return execSpec{}, "", err
	}
	return spec, specPath, nil
}

// writeExecSpec writes the spec file (BRIGHTRUN_JOB_SPEC) into dir. A
// worker and `brightrun trainer check` give a trainer the same file.
func writeExecSpec(dir string, spec execSpec) (string, error) {
	b, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return "", fmt.Errorf("job spec: %w", err)
	}
	specPath := filepath.Join(dir, "spec.json")
	if err := os.WriteFile(specPath, b, 0o600); err != nil {
		return "", fmt.Errorf("job spec: %w", err)
	}
	return specPath, nil
}

// execCommand is the trainer command as a worker runs it: through
// /bin/sh, in this process's directory, with the spec in its environment.
func execCommand(command string, spec execSpec, specPath string) *exec.Cmd {
	cmd := exec.Command("/bin/sh", "-c", command)
	cmd.Env = append(os.Environ(), execEnv(spec, specPath)...)
	return cmd
}

// specDataset is a dataset as the spec gives it, its file at url.
func specDataset(d model.Dataset, url string) execSpecDataset {
	return execSpecDataset{ID: d.ID.String(), Name: d.Name, Format: d.Format, FileName: d.FileName,
		URL: url, Pairs: d.TotalTrainingPairs, Tokens: d.TotalTokens}
}

// execEnv is the spec as environment variables.
func execEnv(s execSpec, specPath string) []string {
	hp, _ := json.Marshal(s.Hyperparameters)
	env := []string{
		"BRIGHTRUN_JOB_ID=" + s.JobID,
		"BRIGHTRUN_JOB_SPEC=" + specPath,
		"BRIGHTRUN_BASE_MODEL=" + s.BaseModel,
		"BRIGHTRUN_DATASET_URL=" + s.Dataset.URL,
		"BRIGHTRUN_DATASET_FORMAT=" + s.Dataset.Format,
		"BRIGHTRUN_OUTPUT_DIR=" + s.OutputDir,
		"BRIGHTRUN_CHECKPOINT_DIR=" + s.CheckpointDir,
		"BRIGHTRUN_RESUME_STEP=" + strconv.Itoa(s.ResumeFromStep),
		"BRIGHTRUN_HYPERPARAMETERS=" + string(hp),
		"BRIGHTRUN_TOTAL_STEPS=" + strconv.Itoa(s.TotalSteps),
		"BRIGHTRUN_GPU_TYPE=" + s.GPUConfig.Type,
		"BRIGHTRUN_GPU_COUNT=" + strconv.Itoa(s.GPUConfig.Count),
		"BRIGHTRUN_ATTEMPT=" + strconv.Itoa(s.Attempt),
		"CUDA_VISIBLE_DEVICES=" + gpuList(s.GPUIDs),
		"BRIGHTRUN_EVAL_FRACTION=" + strconv.FormatFloat(s.EvalFraction, 'g', -1, 64),
		"BRIGHTRUN_EARLY_STOPPING_PATIENCE=" + strconv.Itoa(s.EarlyStoppingPatience),
	}
	if s.ValidationDataset != nil {
		env = append(env, "BRIGHTRUN_VALIDATION_DATASET_URL="+s.ValidationDataset.URL)
	}
	return env
}

// gpuList is GPU ids as CUDA_VISIBLE_DEVICES wants them: "0,1".
func gpuList(ids []int) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.Itoa(id)
	}
	return strings.Join(s, ",")
}
