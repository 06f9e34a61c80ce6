package worker

import (
	"context"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"brightrun/model"
)

// workerRegistry keeps this worker's row in the worker registry: written
// when it starts, at once when a run starts or ends (so waiting reasons
// and the Workers view follow), renewed every few seconds, and deleted when
// it stops. Its sweep deletes the rows of dead workers.
type workerRegistry struct {
	e           *Runtime
	id          uuid.UUID
	rescueAfter time.Duration
	base        model.Worker // what does not change
	gpus        *gpuAllocator

	mu      sync.Mutex
	running []uuid.UUID
	poke    chan struct{}
}

func (e *Runtime) newWorkerRegistry(o Options) *workerRegistry {
	host, _ := os.Hostname()
	id := uuid.New()
	gpuType := ""
	if o.runs(model.TrainerExec) {
		gpuType = o.GPUType
	}
	return &workerRegistry{e: e, id: id, rescueAfter: o.RescueAfter, gpus: o.gpus, poke: make(chan struct{}, 1),
		base: model.Worker{ID: id, Host: host, PID: os.Getpid(), Trainers: slices.Clone(o.Trainers), GPUType: gpuType,
			GPUs: slices.Clone(o.GPUIDs), StartedAt: time.Now().UTC()}}
}

// self is the worker as its row says now.
func (r *workerRegistry) self() model.Worker {
	w := r.base
	w.GPUsFree = r.gpus.free()
	r.mu.Lock()
	w.RunningJobs = slices.Clone(r.running)
	r.mu.Unlock()
	return w
}

// started and ended record a run of the job on this worker.
func (r *workerRegistry) started(job uuid.UUID) {
	r.mu.Lock()
	r.running = append(r.running, job)
	r.mu.Unlock()
	r.changed()
}

func (r *workerRegistry) ended(job uuid.UUID) {
	r.mu.Lock()
	if i := slices.Index(r.running, job); i >= 0 {
		r.running = slices.Delete(r.running, i, i+1)
	}
	r.mu.Unlock()
	r.changed()
}

func (r *workerRegistry) changed() {
	select {
	case r.poke <- struct{}{}:
	default:
	}
}

// registryEvery is how often a worker renews its row: well within the
// rescue interval, after which it counts as dead.
func registryEvery(rescueAfter time.Duration) time.Duration {
	return min(5*time.Second, max(250*time.Millisecond, rescueAfter/4))
}

func (r *workerRegistry) save(ctx context.Context) error {
	return r.e.db.SaveWorker(ctx, r.self(), r.rescueAfter)
}

// run renews the row and sweeps dead workers' rows until ctx ends.
func (r *workerRegistry) run(ctx context.Context) {
	t := time.NewTicker(registryEvery(r.rescueAfter))
	defer t.Stop()
	for {
		sweep := false
		select {
		case <-ctx.Done():
			return
		case <-r.poke:
		case <-t.C:
			sweep = true
		}
		if err := r.save(ctx); err != nil && ctx.Err() == nil {
			r.e.log.Warn("worker registry", "err", err)
		}
		if !sweep {
			continue
		}
		if n, err := r.e.db.DeleteDeadWorkers(ctx); err != nil && ctx.Err() == nil {
			r.e.log.Warn("worker registry sweep", "err", err)
		} else if n > 0 {
			r.e.log.Info("dead workers left the registry", "count", n)
		}
	}
}

// deregister deletes the row of a worker that stops.
func (r *workerRegistry) deregister() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.e.db.DeleteWorker(ctx, r.id); err != nil {
		r.e.log.Warn("worker registry", "err", err)
	}
}
