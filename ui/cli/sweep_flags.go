package cli

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"brightrun/model"
)

// listFlag is a flag that takes a comma-separated list (`--rank 8,16`);
// each value is parsed by parse, and an empty item is refused.
type listFlag[T any] struct {
	values *[]T
	parse  func(string) (T, error)
}

func (f listFlag[T]) String() string {
	if f.values == nil {
		return ""
	}
	parts := make([]string, len(*f.values))
	for i, v := range *f.values {
		parts[i] = fmt.Sprint(v)
	}
	return strings.Join(parts, ",")
}

func (f listFlag[T]) Set(s string) error {
	var out []T
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			return fmt.Errorf("%q has an empty item: give values separated by commas", s)
		}
		v, err := f.parse(item)
		if err != nil {
			return err
		}
		out = append(out, v)
	}
	*f.values = out
	return nil
}

func parseFiniteFloat(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a finite number", s)
	}
	return v, nil
}

func parseInt(s string) (int, error) {
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole number", s)
	}
	return v, nil
}

func parseWord(s string) (string, error) { return s, nil }

// addAxisFlags declares the grid's axes on fs: estimate's flags, each
// taking a comma-separated list.
func addAxisFlags(fs *flagSet, a *model.SweepAxes) {
	fs.Var(listFlag[float64]{&a.LearningRate, parseFiniteFloat}, "learning-rate", "learning rates, comma-separated (0.00001-0.001 each)")
	fs.Var(listFlag[float64]{&a.LearningRate, parseFiniteFloat}, "lr", "the same as --learning-rate")
	fs.Var(listFlag[int]{&a.Rank, parseInt}, "rank", "LoRA ranks, comma-separated (4-128 each; alpha follows at 2 × rank)")
	fs.Var(listFlag[int]{&a.BatchSize, parseInt}, "batch-size", "batch sizes, comma-separated (1-64 each)")
	fs.Var(listFlag[int]{&a.Epochs, parseInt}, "epochs", "epoch counts, comma-separated (1-20 each)")
	fs.Var(listFlag[string]{&a.Preset, parseWord}, "preset", "presets, comma-separated: fast, balanced, quality (default: balanced)")
	fs.Var(listFlag[string]{&a.GPU, parseWord}, "gpu", "GPU types, comma-separated (default: the catalog's first)")
}
