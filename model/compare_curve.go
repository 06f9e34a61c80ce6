package model

import (
	"math"
	"slices"
)

// CurvePoint is one value of a series: the step it was recorded at, the
// fractional epoch of that step and the value.
type CurvePoint struct {
	Step  int     `json:"step"`
	Epoch float64 `json:"epoch"`
	Value float64 `json:"value"`
}

// CurveStats are a run's loss figures, exact over every point added
// however much the series were compacted: the last and the lowest
// training and validation loss, and how far the run got.
type CurveStats struct {
	FinalTrain *float64 `json:"final_train_loss"`
	BestTrain  *float64 `json:"best_train_loss"`
	FinalVal   *float64 `json:"final_val_loss"`
	BestVal    *float64 `json:"best_val_loss"`
	// LastStep and LastEpoch are where the latest point was recorded.
	LastStep  int     `json:"last_step"`
	LastEpoch float64 `json:"last_epoch"`
	// Points counts the metrics points added.
	Points int `json:"points"`
}

// Curve is one run's training loss, validation loss and learning rate as a
// comparison holds them. It is filled incrementally: Add takes the points
// read from Since() on, drops the ones it holds already (a step's points
// come back when the next read starts at that step), and, given a keep,
// halves a series that grew past it, so a run of a million steps costs
// what one of a thousand does while Stats stay exact.
type Curve struct {
	Train []CurvePoint `json:"train_loss"`
	Val   []CurvePoint `json:"val_loss"`
	LR    []CurvePoint `json:"learning_rate"`
	Stats CurveStats   `json:"-"`

	// lastStep is the highest step read; atLast the IDs read at it (a
	// handful: a slice beats a map here).
	lastStep int
	atLast   []int64
}

// Since is the step the next read starts at (inclusive).
func (c *Curve) Since() int { return c.lastStep }

// Empty reports that no loss has been recorded yet.
func (c *Curve) Empty() bool { return len(c.Train) == 0 && len(c.Val) == 0 }

// Add merges points ordered by step (as JobMetrics returns them), skipping
// those held already, and halves each series longer than keep (keep ≤ 0
// keeps every point).
func (c *Curve) Add(points []MetricPoint, keep int) {
	c.Train = slices.Grow(c.Train, len(points))
	c.LR = slices.Grow(c.LR, len(points))
	// The stats are kept as values through the loop and stored once, so a
	// read of 10,000 points costs four allocations for them, not 30,000.
	s := &c.Stats
	train, val := lossStats{final: s.FinalTrain, best: s.BestTrain}.values(), lossStats{final: s.FinalVal, best: s.BestVal}.values()
	for _, p := range points {
		if p.Step < c.lastStep || (p.Step == c.lastStep && slices.Contains(c.atLast, p.ID)) {
			continue
		}
		if p.Step > c.lastStep {
			c.lastStep = p.Step
			c.atLast = c.atLast[:0]
		}
		c.atLast = append(c.atLast, p.ID)
		s.Points++
		s.LastStep, s.LastEpoch = p.Step, p.Epoch
		if v, ok := finite(p.TrainLoss); ok {
			c.Train = append(c.Train, CurvePoint{Step: p.Step, Epoch: p.Epoch, Value: v})
			train.add(v)
		}
		if v, ok := finite(p.ValLoss); ok {
			c.Val = append(c.Val, CurvePoint{Step: p.Step, Epoch: p.Epoch, Value: v})
			val.add(v)
		}
		if v, ok := finite(p.LearningRate); ok {
			c.LR = append(c.LR, CurvePoint{Step: p.Step, Epoch: p.Epoch, Value: v})
		}
	}
	s.FinalTrain, s.BestTrain = train.pointers()
	s.FinalVal, s.BestVal = val.pointers()
	if keep > 0 {
		for len(c.Train) > keep {
			c.Train = Halve(c.Train, mergeCurvePoints)
		}
		for len(c.Val) > keep {
			c.Val = Halve(c.Val, mergeCurvePoints)
		}
		for len(c.LR) > keep {
			c.LR = Halve(c.LR, mergeCurvePoints)
		}
	}
}

// Compact downsamples every series to at most n points (n ≤ 0: as it is);
// what the next Add reads on from is kept.
func (c *Curve) Compact(n int) {
	c.Train, c.Val, c.LR = Downsample(c.Train, n), Downsample(c.Val, n), Downsample(c.LR, n)
}

func finite(v *float64) (float64, bool) {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return 0, false
	}
	return *v, true
}

// lossStats are the last and the lowest of a loss as pointers (nil
// before the first value); lossValues the same as values while points
// are added.
type lossStats struct{ final, best *float64 }

type lossValues struct {
	seen        bool
	final, best float64
}

func (l lossStats) values() lossValues {
	if l.final == nil || l.best == nil {
		return lossValues{}
	}
	return lossValues{seen: true, final: *l.final, best: *l.best}
}

func (l *lossValues) add(v float64) {
	if !l.seen || v < l.best {
		l.best = v
	}
	l.final, l.seen = v, true
}

func (l lossValues) pointers() (final, best *float64) {
	if !l.seen {
		return nil, nil
	}
	return &l.final, &l.best
}

// mergeCurvePoints is two neighbours as one: the mean value at the later
// step, so the newest step stays where it is.
func mergeCurvePoints(a, b CurvePoint) CurvePoint {
	b.Value = (a.Value + b.Value) / 2
	return b
}

// Halve merges neighbouring points pairwise with merge; an odd last point
// stays as it is, so the latest value is never blurred. It returns a new
// slice.
func Halve[T any](ps []T, merge func(a, b T) T) []T {
	out := make([]T, 0, (len(ps)+1)/2)
	for i := 0; i+1 < len(ps); i += 2 {
		out = append(out, merge(ps[i], ps[i+1]))
	}
	if len(ps)%2 == 1 {
		out = append(out, ps[len(ps)-1])
	}
	return out
}

// Downsample reduces ps to at most n points (n ≤ 0: as it is): n runs of
// neighbours, each the mean value at its last step, so the series keeps
// its shape, its first run starts where it started and its last point is
// where it ends. It returns a new slice.
func Downsample(ps []CurvePoint, n int) []CurvePoint {
	if n <= 0 || len(ps) <= n {
		return append(make([]CurvePoint, 0, len(ps)), ps...) // never nil: [] in JSON
	}
	out := make([]CurvePoint, n)
	for i := range out {
		lo, hi := i*len(ps)/n, (i+1)*len(ps)/n
		sum := 0.0
		for _, p := range ps[lo:hi] {
			sum += p.Value
		}
		out[i] = ps[hi-1]
		out[i].Value = sum / float64(hi-lo)
	}
	return out
}

// Resample draws a series onto n columns over x from lo to hi, as a chart
// needs it: a column holds the mean of the points whose x falls in it,
// columns between two that hold points are interpolated so a short run
// still draws a line, and columns before the first point and after the
// last are NaN (not drawn). at returns the i-th of count points, ok false
// for one without a value.
func Resample(n int, lo, hi float64, count int, at func(i int) (x, y float64, ok bool)) []float64 {
	if n <= 0 {
		return nil
	}
	sum, hits := make([]float64, n), make([]int, n)
	span := hi - lo
	for i := range count {
		x, y, ok := at(i)
		if !ok || math.IsNaN(y) || math.IsInf(y, 0) || math.IsNaN(x) {
			continue
		}
		c := 0
		if span > 0 {
			c = min(n-1, max(0, int((x-lo)*float64(n-1)/span)))
		}
		sum[c] += y
		hits[c]++
	}
	out := make([]float64, n)
	prev := -1
	for c := range out {
		out[c] = math.NaN()
		if hits[c] == 0 {
			continue
		}
		out[c] = sum[c] / float64(hits[c])
		for g := prev + 1; prev >= 0 && g < c; g++ {
			out[g] = out[prev] + (out[c]-out[prev])*float64(g-prev)/float64(c-prev)
		}
		prev = c
	}
	return out
}
