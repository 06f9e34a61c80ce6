package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The base model is part of the job: the model catalog, the fit check
// against the chosen GPU, the job's validation, and what an exec trainer
// is given of them, through the binary.

// modelRow is a job's model and validation fields as `--json` prints them.
type modelRow struct {
	ID                   string   `json:"id"`
	BaseModel            string   `json:"base_model"`
	EvalFraction         *float64 `json:"eval_fraction"`
	ValidationDatasetID  *string  `json:"validation_dataset_id"`
	TotalValidationPairs *int     `json:"total_validation_pairs"`
}

func TestE2EModelsCatalog(t *testing.T) {
	d := t.TempDir() // no services: the catalog needs no database
	r := run(t, nil, "models", "--json", "--data-dir", d)
	var list struct {
		Models []struct {
			ID             string  `json:"id"`
			Name           string  `json:"name"`
			ParametersB    float64 `json:"parameters_b"`
			ContextLength  int     `json:"context_length"`
			MinGPUMemoryGB int     `json:"min_gpu_memory_gb"`
			License        string  `json:"license"`
			Default        bool    `json:"default"`
		} `json:"models"`
		Page  int `json:"page"`
		Total int `json:"total"`
	}
	if r.code != 0 {
		t.Fatalf("models: exit %d %s", r.code, r.stderr)
	}
	decode(t, r, &list)
	defaults := 0
	for _, m := range list.Models {
		if m.Default {
			defaults++
			if m.ID != "Qwen/Qwen2.5-0.5B-Instruct" {
				t.Errorf("default model %s", m.ID)
			}
		}
		if m.ID == "" || m.Name == "" || m.ParametersB <= 0 || m.ContextLength <= 0 || m.MinGPUMemoryGB <= 0 || m.License == "" {
			t.Errorf("incomplete entry %+v", m)
		}
	}
	if defaults != 1 || list.Page != 1 || list.Total != len(list.Models) || list.Total < 5 {
		t.Fatalf("models --json: %d defaults, page %d, total %d of %d", defaults, list.Page, list.Total, len(list.Models))
	}
	r = run(t, nil, "models", "--data-dir", d)
	if r.code != 0 || !strings.Contains(r.stdout, "meta-llama/Llama-3.3-70B-Instruct") || !strings.Contains(r.stdout, "≥ 158 GB") ||
		!strings.Contains(r.stdout, "catalog built-in") {
		t.Fatalf("models: exit %d\n%s", r.code, r.stdout)
	}

	// <data dir>/models.json replaces the catalog, and a broken one is
	// refused naming the file, the entry and the field.
	own := `{"models":[{"id":"/srv/models/tiny","name":"Tiny","parameters_b":0.01,"context_length":512,"min_gpu_memory_gb":1,"license":"MIT","default":true}]}`
	if err := os.WriteFile(filepath.Join(d, "models.json"), []byte(own), 0o600); err != nil {
		t.Fatal(err)
	}
	r = run(t, nil, "models", "--json", "--data-dir", d)
	decode(t, r, &list)
	if r.code != 0 || list.Total != 1 || list.Models[0].ID != "/srv/models/tiny" || !list.Models[0].Default {
		t.Fatalf("own catalog: exit %d %+v", r.code, list)
	}
	bad := `{"models":[{"id":"a/b","parameters_b":1,"context_length":512,"min_gpu_memory_gb":1,"license":"MIT"}]}`
	if err := os.WriteFile(filepath.Join(d, "models.json"), []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	r = run(t, nil, "models", "--data-dir", d)
	if r.code != 2 || !strings.Contains(r.stderr, filepath.Join(d, "models.json")) || !strings.Contains(r.stderr, `no model is marked "default": true`) {
		t.Fatalf("broken catalog: exit %d %s", r.code, r.stderr)
	}

	// estimate --base-model needs no database either.
	r = run(t, nil, "estimate", "--pairs", "100", "--tokens", "20000", "--gpu", "V100-32GB", "--base-model", "Qwen/Qwen2.5-32B-Instruct", "--data-dir", t.TempDir())
	if r.code != 1 || !strings.Contains(r.stderr, "Qwen/Qwen2.5-32B-Instruct needs 75 GB") || !strings.Contains(r.stderr, "V100-32GB has 32 GB") {
		t.Fatalf("estimate of a model too big: exit %d %s", r.code, r.stderr)
	}
}

func TestE2EJobBaseModelAndValidation(t *testing.T) {
	d := dataDir(t)
	env := fakeTrainerEnv(t, "BRIGHTRUN_EXEC_IDLE_TIMEOUT=5s")
	ds := uploadReady(t, env, d)
	val := uploadDataset(t, env, d, writeChat(t, 12), "held out")
	jobCount := func() int {
		r := run(t, env, "job", "list", "--json", "--data-dir", d)
		var p struct {
			Total int `json:"total"`
		}
		decode(t, r, &p)
		return p.Total
	}
	show := func(id string) modelRow {
		r := run(t, env, "job", "show", id, "--json", "--data-dir", d)
		var m modelRow
		decode(t, r, &m)
		return m
	}

	// A job records its model; without --base-model, the default.
	def := createJob(t, env, d, "--dataset", ds)
	if m := show(def.ID); m.BaseModel != "Qwen/Qwen2.5-0.5B-Instruct" || m.EvalFraction != nil || m.ValidationDatasetID != nil || m.TotalValidationPairs != nil {
		t.Fatalf("default job: %+v", m)
	}
	seven := createJob(t, env, d, "--dataset", ds, "--gpu", "V100-32GB", "--base-model", "qwen/qwen2.5-7b-instruct", "--eval-fraction", "0.2")
	if m := show(seven.ID); m.BaseModel != "Qwen/Qwen2.5-7B-Instruct" || m.EvalFraction == nil || *m.EvalFraction != 0.2 {
		t.Fatalf("7B job: %+v", m)
	}
	r := run(t, env, "job", "show", seven.ID, "--data-dir", d)
	if !strings.Contains(r.stdout, "model     Qwen/Qwen2.5-7B-Instruct") || !strings.Contains(r.stdout, "on 0.2 of the dataset held out") {
		t.Errorf("job show:\n%s", r.stdout)
	}

	// Refusals write nothing: a model too big for the GPU is a negative
	// answer (exit 1) with the reason; an unknown one a usage error.
	before := jobCount()
	r = run(t, env, "job", "create", "--dataset", ds, "--gpu", "H100", "--gpus", "8", "--base-model", "meta-llama/Llama-3.3-70B-Instruct", "--data-dir", d)
	if r.code != 1 || !strings.Contains(r.stderr, "meta-llama/Llama-3.3-70B-Instruct needs 158 GB of GPU memory on each GPU") ||
		!strings.Contains(r.stderr, "H100 has 80 GB") {
		t.Fatalf("70B on H100: exit %d %s", r.code, r.stderr)
	}
	r = run(t, env, "job", "create", "--dataset", ds, "--base-model", "gpt-5", "--data-dir", d)
	if r.code != 2 || !strings.Contains(r.stderr, "--base-model") || !strings.Contains(r.stderr, "`brightrun models`") {
		t.Fatalf("unknown model: exit %d %s", r.code, r.stderr)
	}
	for _, bad := range [][]string{
		{"--eval-fraction", "0.6"},
		{"--eval-fraction", "0.1", "--validation-dataset", val.ID},
		{"--validation-dataset", "nope"},
	} {
		r = run(t, env, append([]string{"job", "create", "--dataset", ds, "--data-dir", d}, bad...)...)
		if r.code != 2 {
			t.Errorf("%v: exit %d %s", bad, r.code, r.stderr)
		}
	}
	r = run(t, env, "job", "create", "--dataset", ds, "--validation-dataset", "00000000-0000-0000-0000-000000000001", "--data-dir", d)
	if r.code != 1 || !strings.Contains(r.stderr, "validation dataset 00000000-0000-0000-0000-000000000001: not found") {
		t.Errorf("missing validation dataset: exit %d %s", r.code, r.stderr)
	}
	r = run(t, env, "job", "create", "--dataset", ds, "--validation-dataset", ds, "--data-dir", d)
	if r.code != 1 || !strings.Contains(r.stderr, "it is the training dataset itself") {
		t.Errorf("validating on the training dataset: exit %d %s", r.code, r.stderr)
	}
	if after := jobCount(); after != before {
		t.Fatalf("refused creates wrote %d job(s)", after-before)
	}

	// Clone keeps the model unless told otherwise; compare shows it.
	clone := createJob(t, env, d, "--from", seven.ID)
	if m := show(clone.ID); m.BaseModel != "Qwen/Qwen2.5-7B-Instruct" || m.EvalFraction == nil || *m.EvalFraction != 0.2 {
		t.Fatalf("clone: %+v", m)
	}
	other := createJob(t, env, d, "--from", seven.ID, "--base-model", "meta-llama/Llama-3.1-8B-Instruct")
	if m := show(other.ID); m.BaseModel != "meta-llama/Llama-3.1-8B-Instruct" {
		t.Fatalf("clone with another model: %+v", m)
	}
	r = run(t, env, "job", "create", "--from", seven.ID, "--base-model", "mistralai/Mistral-Small-24B-Instruct-2501", "--data-dir", d)
	if r.code != 1 || !strings.Contains(r.stderr, "V100-32GB has 32 GB") {
		t.Fatalf("clone onto a GPU too small: exit %d %s", r.code, r.stderr)
	}
	r = run(t, env, "job", "compare", seven.ID, other.ID, "--json", "--data-dir", d)
	var cmp struct {
		Rows []struct {
			Key     string   `json:"key"`
			Values  []string `json:"values"`
			Differs bool     `json:"differs"`
		} `json:"rows"`
	}
	decode(t, r, &cmp)
	found := false
	for _, row := range cmp.Rows {
		if row.Key == "base_model" {
			found = row.Differs && strings.Join(row.Values, ",") == "Qwen/Qwen2.5-7B-Instruct,meta-llama/Llama-3.1-8B-Instruct"
		}
	}
	if !found {
		t.Errorf("compare has no differing model row: %+v", cmp.Rows)
	}

	// A validation dataset is recorded with its pairs, and the exec
	// trainer gets the model and both datasets in its spec and environment.
	spec := createJob(t, env, d, "--dataset", ds, "--trainer", "exec", "--name", "spec",
		"--base-model", "meta-llama/Llama-3.2-1B-Instruct", "--validation-dataset", val.ID)
	m := show(spec.ID)
	if m.ValidationDatasetID == nil || *m.ValidationDatasetID != val.ID || m.TotalValidationPairs == nil || *m.TotalValidationPairs != val.TotalPairs || val.TotalPairs != 12 {
		t.Fatalf("validation dataset not recorded: %+v (dataset %+v)", m, val)
	}
	if r := run(t, env, "job", "watch", spec.ID, "--data-dir", d); r.code != 0 {
		t.Fatalf("exec job: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := filepath.Join(t.TempDir(), "adapter")
	if r := run(t, env, "job", "download", spec.ID, "--out", out, "--data-dir", d); r.code != 0 {
		t.Fatalf("download: exit %d %s", r.code, r.stderr)
	}
	raw, err := os.ReadFile(filepath.Join(out, "job_spec.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		BaseModel         string   `json:"base_model"`
		EvalFraction      *float64 `json:"eval_fraction"`
		Dataset           struct{ ID, URL string }
		ValidationDataset *struct {
			ID    string `json:"id"`
			URL   string `json:"url"`
			Pairs int    `json:"total_training_pairs"`
		} `json:"validation_dataset"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("spec: %v\n%s", err, raw)
	}
	if got.BaseModel != "meta-llama/Llama-3.2-1B-Instruct" || got.EvalFraction == nil || *got.EvalFraction != 0 ||
		got.ValidationDataset == nil || got.ValidationDataset.ID != val.ID || got.ValidationDataset.Pairs != 12 ||
		!strings.HasPrefix(got.ValidationDataset.URL, "http") || got.ValidationDataset.URL == got.Dataset.URL {
		t.Fatalf("spec:\n%s", raw)
	}
	envFile, _ := os.ReadFile(filepath.Join(out, "job_env.txt"))
	lines := strings.Split(strings.TrimSpace(string(envFile)), "\n")
	if len(lines) != 3 || lines[0] != "BRIGHTRUN_BASE_MODEL=meta-llama/Llama-3.2-1B-Instruct" || lines[1] != "BRIGHTRUN_EVAL_FRACTION=0" ||
		lines[2] != "BRIGHTRUN_VALIDATION_DATASET_URL="+got.ValidationDataset.URL {
		t.Fatalf("environment:\n%s", envFile)
	}

	// Without a validation dataset the trainer is told the fraction to
	// hold out (the default when the job left it), and no validation URL.
	split := createJob(t, env, d, "--dataset", ds, "--trainer", "exec", "--name", "spec")
	if r := run(t, env, "job", "watch", split.ID, "--data-dir", d); r.code != 0 {
		t.Fatalf("exec job: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	out = filepath.Join(t.TempDir(), "adapter")
	if r := run(t, env, "job", "download", split.ID, "--out", out, "--data-dir", d); r.code != 0 {
		t.Fatalf("download: exit %d %s", r.code, r.stderr)
	}
	envFile, _ = os.ReadFile(filepath.Join(out, "job_env.txt"))
	if strings.TrimSpace(string(envFile)) != "BRIGHTRUN_BASE_MODEL=Qwen/Qwen2.5-0.5B-Instruct\nBRIGHTRUN_EVAL_FRACTION=0.1" {
		t.Fatalf("environment:\n%s", envFile)
	}
}
