package model

import (
	"errors"
	"strings"
	"testing"
)

const testModelsJSON = `{"models":[
 {"id":"Qwen/Qwen2.5-0.5B-Instruct","name":"Qwen2.5 0.5B Instruct","parameters_b":0.49,"context_length":32768,"min_gpu_memory_gb":4,"license":"Apache-2.0","default":true},
 {"id":"Qwen/Qwen2.5-7B-Instruct","parameters_b":7.61,"context_length":32768,"min_gpu_memory_gb":19,"license":"Apache-2.0"},
 {"id":"meta-llama/Llama-3.3-70B-Instruct","name":"Llama 3.3 70B Instruct","parameters_b":70.6,"context_length":131072,"min_gpu_memory_gb":158,"license":"Llama 3.3 Community License"}
]}`

func TestParseModelCatalogValid(t *testing.T) {
	c, err := ParseModelCatalog([]byte(testModelsJSON))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Models) != 3 || c.Default().ID != "Qwen/Qwen2.5-0.5B-Instruct" {
		t.Fatalf("catalog = %+v", c)
	}
	if c.Models[1].Name != "Qwen/Qwen2.5-7B-Instruct" {
		t.Errorf("missing name not defaulted to id: %+v", c.Models[1])
	}
	m, err := c.Lookup("qwen/qwen2.5-7b-instruct")
	if err != nil || m.ID != "Qwen/Qwen2.5-7B-Instruct" {
		t.Errorf("Lookup ignoring case = %+v, %v", m, err)
	}
	if m, err := c.Lookup(""); err != nil || !m.Default {
		t.Errorf(`Lookup("") = %+v, %v; want the default`, m, err)
	}
	_, err = c.Lookup("gpt-2")
	var unknown *UnknownModelError
	if !errors.As(err, &unknown) || !strings.Contains(err.Error(), "brightrun models") ||
		!strings.Contains(err.Error(), "meta-llama/Llama-3.3-70B-Instruct") {
		t.Errorf("Lookup(unknown) = %v", err)
	}
}

func TestParseModelCatalogErrors(t *testing.T) {
	entry := func(fields string) string {
		return `{"models":[{"id":"a/b","parameters_b":1,"context_length":2048,"min_gpu_memory_gb":5,"license":"MIT","default":true` + fields + `}]}`
	}
	tests := []struct {
		name, in, want string
	}{
		{"not json", `{models`, "model catalog: invalid character"},
		{"empty input", ``, "model catalog: empty document"},
		{"trailing data", entry("") + ` {}`, "model catalog: unexpected data after the JSON value"},
		{"unknown top-level field", `{"models":[],"x":1}`, `model catalog: json: unknown field "x"`},
		{"empty list", `{"models":[]}`, `model catalog: "models" must list at least one model`},
		{"null", `null`, `model catalog: "models" must list at least one model`},
		{"duplicate key", entry(`,"license":"GPL"`), `model catalog: $.models[0]: duplicate key "license"`},
		{"unknown entry field", entry(`,"size":3`), `model catalog: models[0] (id "a/b"): json: unknown field "size"`},
		{"wrong type", `{"models":[{"id":"a/b","parameters_b":"7"}]}`,
			`model catalog: models[0] (id "a/b"): json: cannot unmarshal string`},
		{"empty id", `{"models":[{"id":"","parameters_b":1,"context_length":1,"min_gpu_memory_gb":1,"license":"MIT","default":true}]}`,
			`model catalog: models[0] (id ""): id must not be empty`},
		{"spaces in id", `{"models":[{"id":"a/b ","parameters_b":1,"context_length":1,"min_gpu_memory_gb":1,"license":"MIT","default":true}]}`,
			`model catalog: models[0] (id "a/b "): id must not have leading or trailing spaces`},
		{"escape in name", entry(`,"name":"x\u001b[2J"`), `model catalog: models[0] (id "a/b"): id, name and license must not hold control characters`},
		{"long id", `{"models":[{"id":"` + strings.Repeat("m", 201) + `","parameters_b":1,"context_length":1,"min_gpu_memory_gb":1,"license":"MIT","default":true}]}`,
			`model catalog: models[0] (id "` + strings.Repeat("m", 201) + `"): id must be at most 200 characters`},
		{"no license", `{"models":[{"id":"a/b","parameters_b":1,"context_length":1,"min_gpu_memory_gb":1,"default":true}]}`,
			`model catalog: models[0] (id "a/b"): license must not be empty`},
		{"zero parameters", `{"models":[{"id":"a/b","context_length":1,"min_gpu_memory_gb":1,"license":"MIT","default":true}]}`,
			`model catalog: models[0] (id "a/b"): parameters_b must be greater than 0 and at most 10000 (billions), got 0`},
		{"parameters in units", `{"models":[{"id":"a/b","parameters_b":7000000000,"context_length":1,"min_gpu_memory_gb":1,"license":"MIT","default":true}]}`,
			`model catalog: models[0] (id "a/b"): parameters_b must be greater than 0 and at most 10000`},
		{"zero context", `{"models":[{"id":"a/b","parameters_b":1,"min_gpu_memory_gb":1,"license":"MIT","default":true}]}`,
			`model catalog: models[0] (id "a/b"): context_length must be between 1 and 16777216 tokens, got 0`},
		{"negative memory", `{"models":[{"id":"a/b","parameters_b":1,"context_length":1,"min_gpu_memory_gb":-3,"license":"MIT","default":true}]}`,
			`model catalog: models[0] (id "a/b"): min_gpu_memory_gb must be between 1 and 100000, got -3`},
		{"duplicate id", `{"models":[
			{"id":"a/b","parameters_b":1,"context_length":1,"min_gpu_memory_gb":1,"license":"MIT","default":true},
			{"id":"A/B","parameters_b":1,"context_length":1,"min_gpu_memory_gb":1,"license":"MIT"}]}`,
			`model catalog: models[1] (id "A/B"): id duplicates models[0] (ids are matched ignoring case)`},
		{"two defaults", `{"models":[
			{"id":"a/b","parameters_b":1,"context_length":1,"min_gpu_memory_gb":1,"license":"MIT","default":true},
			{"id":"c/d","parameters_b":1,"context_length":1,"min_gpu_memory_gb":1,"license":"MIT","default":true}]}`,
			`model catalog: models[1] (id "c/d"): default: models[0] is the default already; mark exactly one`},
		{"no default", `{"models":[{"id":"a/b","parameters_b":1,"context_length":1,"min_gpu_memory_gb":1,"license":"MIT"}]}`,
			`model catalog: no model is marked "default": true; mark exactly one`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseModelCatalog([]byte(tt.in))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant prefix %s", err, tt.want)
			}
		})
	}
}

func TestCheckModelFits(t *testing.T) {
	c, err := ParseModelCatalog([]byte(testModelsJSON))
	if err != nil {
		t.Fatal(err)
	}
	big, _ := c.Lookup("meta-llama/Llama-3.3-70B-Instruct")
	small := c.Default()
	h100 := GPU{Type: "H100", MemoryGB: 80}
	var fit *ModelFitError
	if err := CheckModelFits(big, h100); !errors.As(err, &fit) ||
		err.Error() != "base model meta-llama/Llama-3.3-70B-Instruct needs 158 GB of GPU memory on each GPU for LoRA training, and H100 has 80 GB: choose a GPU with at least 158 GB or a smaller model" {
		t.Errorf("70B on H100: %v", err)
	}
	if err := CheckModelFits(small, h100); err != nil {
		t.Errorf("0.5B on H100: %v", err)
	}
	if err := CheckModelFits(big, GPU{Type: "X"}); err != nil {
		t.Errorf("unknown memory must not refuse: %v", err)
	}
	for _, tt := range []struct {
		m    BaseModel
		g    GPU
		want string
	}{
		{small, h100, "fits: needs 4 of 80 GB"},
		{big, h100, "does not fit: needs 158 GB, H100 has 80 GB"},
		{big, GPU{Type: "X"}, "needs 158 GB; X's memory is unknown"},
	} {
		if got := ModelFitText(tt.m, tt.g); got != tt.want {
			t.Errorf("ModelFitText(%s, %s) = %q, want %q", tt.m.ID, tt.g.Type, got, tt.want)
		}
	}
}

func TestCheckEvalFraction(t *testing.T) {
	for _, f := range []float64{0, 0.1, 0.5} {
		if err := CheckEvalFraction(f); err != nil {
			t.Errorf("%g: %v", f, err)
		}
	}
	for _, f := range []float64{-0.1, 0.51, 1} {
		if err := CheckEvalFraction(f); err == nil || !strings.Contains(err.Error(), "between 0 and 0.5") {
			t.Errorf("%g: %v", f, err)
		}
	}
}
