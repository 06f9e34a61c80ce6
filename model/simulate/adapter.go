package simulate

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"

	"brightrun/model"
)

// The simulated trainer's adapter: the files of a PEFT LoRA adapter
// directory, loadable by tools that read one, but labelled as simulated in
// every file (config key, safetensors metadata, README, artifact format and
// name) and holding random weights, so nobody mistakes it for a trained one.

// simHidden is the width of the stand-in projection the simulated LoRA
// matrices adapt; small, so the file stays a few hundred kilobytes at most.
const simHidden = 64

// AdapterFile is one file of an adapter, held in memory.
type AdapterFile struct {
	Name string
	Data []byte
}

// SimulatedAdapter writes the adapter of a simulated run, with its final
// metrics in the README and training_metrics.json.
func (s Simulation) SimulatedAdapter(jobName string, final map[string]float64) ([]AdapterFile, error) {
	return s.adapterAt(jobName, 0, final)
}

// SimulatedCheckpoint writes the checkpoint of a simulated run at step: an
// adapter directory like SimulatedAdapter's, its weights drawn for that step
// and its metrics those of the checkpoint, so the adapter a run keeps when
// it stops early is byte for byte its best checkpoint.
func (s Simulation) SimulatedCheckpoint(jobName string, step int, metrics map[string]float64) ([]AdapterFile, error) {
	return s.adapterAt(jobName, step, metrics)
}

// MeanTokenAccuracy is the simulated mean token accuracy that goes with a
// loss: higher as the loss falls, deterministic, between 0 and 1.
func MeanTokenAccuracy(loss float64) float64 { return round4(math.Exp(-0.3 * max(loss, 0))) }

// adapterAt writes the adapter files; step 0 is the run's final adapter.
func (s Simulation) adapterAt(jobName string, step int, final map[string]float64) ([]AdapterFile, error) {
	h := s.in.Hyperparameters
	targets := []string{"q_proj", "v_proj"}
	config := map[string]any{
		"peft_type": "LORA", "task_type": "CAUSAL_LM", "r": h.Rank, "lora_alpha": h.Alpha, "lora_dropout": h.Dropout,
		"target_modules": targets, "bias": "none", "inference_mode": true,
		"base_model_name_or_path": "brightrun/simulated-base", "brightrun_simulated": true, "brightrun_note": model.SimulatedNote,
	}
	cfg, err := json.MarshalIndent(config, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("simulated adapter config: %w", err)
	}
	weights, err := s.safetensors(targets, step)
	if err != nil {
		return nil, err
	}
	doc := map[string]any{"simulated": true, "final_metrics": final,
		"total_steps": s.totalSteps, "epochs": h.Epochs, "hyperparameters": h}
	if step > 0 {
		doc["checkpoint_step"] = step
	}
	metrics, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("simulated adapter metrics: %w", err)
	}
	return []AdapterFile{
		{Name: "README.md", Data: []byte(s.readme(jobName, final))},
		{Name: "adapter_config.json", Data: append(cfg, '\n')},
		{Name: "adapter_model.safetensors", Data: weights},
		{Name: "training_metrics.json", Data: append(metrics, '\n')},
	}, nil
}

func (s Simulation) readme(jobName string, final map[string]float64) string {
	h := s.in.Hyperparameters
	var b strings.Builder
	fmt.Fprintf(&b, "# SIMULATED LoRA adapter: %s\n\n", jobName)
	fmt.Fprintf(&b, "%s.\n\n", model.SimulatedNote)
	b.WriteString("Plug in a real trainer (`brightrun worker --exec-trainer CMD`, see the README's Trainers section) to train a real adapter.\n\n")
	fmt.Fprintf(&b, "- rank %d, alpha %d, dropout %g, learning rate %g, batch size %d, %d epoch(s), %d steps\n",
		h.Rank, h.Alpha, h.Dropout, h.LearningRate, h.BatchSize, h.Epochs, s.totalSteps)
	fmt.Fprintf(&b, "- %d × %s (simulated)\n", s.in.GPUCount, s.in.GPU.Type)
	keys := make([]string, 0, len(final))
	for k := range final {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "- final %s: %g\n", k, final[k])
	}
	return b.String()
}

// safetensors encodes lora_A (rank × hidden) and lora_B (hidden × rank)
// float32 matrices for each target module in the safetensors format: an
// 8-byte little-endian header length, a JSON header, then the data.
func (s Simulation) safetensors(targets []string, step int) ([]byte, error) {
	r := s.in.Hyperparameters.Rank
	type tensor struct {
		name  string
		shape [2]int
	}
	var tensors []tensor
	for _, t := range targets {
		prefix := "base_model.model.model.layers.0.self_attn." + t
		tensors = append(tensors, tensor{prefix + ".lora_A.weight", [2]int{r, simHidden}}, tensor{prefix + ".lora_B.weight", [2]int{simHidden, r}})
	}
	header := map[string]any{"__metadata__": map[string]string{"format": "pt", "brightrun_simulated": "true", "brightrun_note": model.SimulatedNote}}
	offset := 0
	for _, t := range tensors {
		n := t.shape[0] * t.shape[1] * 4
		header[t.name] = map[string]any{"dtype": "F32", "shape": t.shape, "data_offsets": [2]int{offset, offset + n}}
		offset += n
	}
	hdr, err := json.Marshal(header)
	if err != nil {
		return nil, fmt.Errorf("simulated adapter weights: %w", err)
	}
	for len(hdr)%8 != 0 {
		hdr = append(hdr, ' ') // the format allows padding the header with spaces
	}
	out := make([]byte, 8, 8+len(hdr)+offset)
	binary.LittleEndian.PutUint64(out, uint64(len(hdr)))
	out = append(out, hdr...)
	i := 0
	for _, t := range tensors {
		n := t.shape[0] * t.shape[1]
		for k := 0; k < n; k++ {
			v := float32(0.02 * s.gauss(uint64(1000+i+100*step), k))
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(v))
		}
		i++
	}
	return out, nil
}
