package simulate

import (
	"hash/fnv"
	"math"

	"github.com/google/uuid"

	"brightrun/model"
)

// The simulated curve. Each value is a pure function of the job and the
// step (noise comes from a hash, not a stream), so any step can be computed
// alone and a resumed run continues the same curve.
//
// Shape: the learning rate warms up linearly over the first ~5% of steps
// and then decays on a cosine to zero. The training loss falls from an
// initial L0 towards a floor Lmin in proportion to the learning rate spent
// so far (flat during warm-up, steep in the middle, levelling off as the
// rate decays); how far it gets depends on the learning rate and the number
// of epochs. The floor is lower for higher ranks and larger datasets. Each
// epoch the model sees the data again, so the training loss dips a little
// more per epoch while the validation loss, measured after each epoch,
// starts to creep up again on small datasets after the second epoch
// (overfitting). Grad norm starts high and settles, with rare spikes;
// throughput and GPU utilisation jitter around the catalog's figures.

// MaxSimPoints bounds how many training points a simulated run records;
// longer runs record every n-th step (and always the last of each epoch).
const MaxSimPoints = 1000

type simCurve struct {
	l0, lmin, budget float64
	warmup           float64 // steps
	total            float64 // steps
	peak             float64 // learning rate
	gradInit         float64
	overfit          float64 // validation loss added per epoch after the second
	throughput       float64 // tokens/s of all GPUs
	noise            float64 // relative noise of the training loss
}

func newSimCurve(s Simulation) simCurve {
	h := s.in.Hyperparameters
	c := simCurve{
		l0:         2.1 + 0.6*s.unit(1, 0),
		total:      float64(s.totalSteps),
		peak:       h.LearningRate,
		gradInit:   1.5 + 1.5*s.unit(2, 0),
		throughput: s.in.GPU.TokensPerSec * float64(s.in.GPUCount),
	}
	c.warmup = math.Max(1, math.Round(0.05*c.total))
	if c.warmup >= c.total {
		c.warmup = math.Max(1, c.total/2)
	}
	// A higher rank and more data lower the floor; a tiny dataset keeps it high.
	c.lmin = 0.45 + 0.2*s.unit(3, 0) + 0.08*math.Log2(128/float64(h.Rank)) + 0.4*math.Exp(-float64(s.in.Pairs)/1500)
	c.lmin = math.Min(c.lmin, 0.6*c.l0)
	c.budget = 2.2 * math.Pow(h.LearningRate/5e-5, 0.6) * math.Sqrt(float64(h.Epochs))
	c.budget = math.Max(0.8, math.Min(c.budget, 7))
	c.overfit = 0.02 * math.Sqrt(2000/(float64(s.in.Pairs)+200))
	c.noise = 0.035 / math.Sqrt(math.Max(1, float64(h.BatchSize)/4))
	return c
}

// lr is the learning rate at a step (continuous, 1-based steps).
func (c simCurve) lr(x float64) float64 {
	if x <= c.warmup {
		return c.peak * x / c.warmup
	}
	if c.total <= c.warmup {
		return c.peak
	}
	return c.peak * 0.5 * (1 + math.Cos(math.Pi*(x-c.warmup)/(c.total-c.warmup)))
}

// spent is the learning rate summed up to x, in closed form, so a long run
// costs nothing to evaluate.
func (c simCurve) spent(x float64) float64 {
	if x <= c.warmup {
		return c.peak * x * x / (2 * c.warmup)
	}
	warm := c.peak * c.warmup / 2
	span := c.total - c.warmup
	if span <= 0 {
		return warm + c.peak*(x-c.warmup)
	}
	u := math.Min(x, c.total) - c.warmup
	return warm + c.peak*0.5*(u+span/math.Pi*math.Sin(math.Pi*u/span))
}

// fraction is how much of the run's learning has happened by step x (0–1).
func (c simCurve) fraction(x float64) float64 {
	all := c.spent(c.total)
	if all <= 0 {
		return 1
	}
	return math.Min(1, c.spent(x)/all)
}

// smoothLoss is the noiseless training loss after step x.
func (c simCurve) smoothLoss(x float64) float64 {
	return c.lmin + (c.l0-c.lmin)*math.Exp(-c.budget*c.fraction(x))
}

// Point is the training point of a step (1..TotalSteps).
func (s Simulation) Point(step int) model.MetricPoint {
	c := s.curve
	x := float64(step)
	epochIndex := (step - 1) / s.stepsPerEpoch // 0 in the first epoch
	loss := c.smoothLoss(x) * (1 - 0.03*float64(epochIndex)) * (1 + c.noise*s.gauss(10, step))
	lr := c.lr(x)
	grad := 0.25 + c.gradInit*math.Exp(-4*c.fraction(x)) + 0.05*s.gauss(11, step)
	if s.unit(12, step) < 0.01 {
		grad *= 2.5 // the occasional spike
	}
	tps := c.throughput * (0.93 + 0.06*s.unit(13, step))
	util := 88 + 8*s.unit(14, step)
	if step <= int(c.warmup) {
		util -= 6 * s.unit(15, step) // kernels warming up
	}
	return model.MetricPoint{
		Step:           step,
		Epoch:          math.Round(x/float64(s.stepsPerEpoch)*1e6) / 1e6,
		TrainLoss:      ptrTo(round4(math.Max(0.01, loss))),
		LearningRate:   ptrTo(lr),
		GradNorm:       ptrTo(round4(math.Max(0.01, grad))),
		GPUUtilization: ptrTo(round4(math.Min(100, math.Max(0, util)))),
		TokensPerSec:   ptrTo(math.Round(tps)),
	}
}

// Validation is the validation point of an epoch (1..epochs), at the
// epoch's last step.
func (s Simulation) Validation(epoch int) model.MetricPoint {
	c := s.curve
	step := epoch * s.stepsPerEpoch
	val := c.lmin*1.06 + 0.03 + (c.l0-c.lmin)*math.Exp(-c.budget*c.fraction(float64(step)))
	val += c.overfit * math.Max(0, float64(epoch-2))
	val *= 1 + 0.01*s.gauss(20, epoch)
	return model.MetricPoint{Step: step, Epoch: float64(epoch), ValLoss: ptrTo(round4(val))}
}

// PointEvery is the stride between recorded training points.
func (s Simulation) PointEvery() int {
	return max(1, (s.totalSteps+MaxSimPoints-1)/MaxSimPoints)
}

// Recorded reports whether a step's training point is recorded.
func (s Simulation) Recorded(step int) bool {
	return step%s.PointEvery() == 0 || step%s.stepsPerEpoch == 0 || step == 1
}

// seedOf derives the job's noise seed from its id.
func seedOf(id uuid.UUID) uint64 {
	h := fnv.New64a()
	h.Write(id[:])
	return h.Sum64()
}

// unit is a uniform number in [0, 1) for (stream, step) of this job.
func (s Simulation) unit(stream uint64, step int) float64 {
	x := splitmix(s.seed ^ stream*0x9E3779B97F4A7C15 ^ uint64(step)*0xBF58476D1CE4E5B9)
	return float64(x>>11) / (1 << 53)
}

// gauss is roughly standard normal (four uniforms, rescaled).
func (s Simulation) gauss(stream uint64, step int) float64 {
	sum := 0.0
	for k := uint64(0); k < 4; k++ {
		sum += s.unit(stream*8+k+100, step)
	}
	return (sum - 2) * math.Sqrt(3)
}

func splitmix(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9
	x = (x ^ (x >> 27)) * 0x94D049BB133111EB
	return x ^ (x >> 31)
}

func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }

func ptrTo(v float64) *float64 { return &v }
