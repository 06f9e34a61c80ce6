package worker

import (
	"slices"
	"sync"

	"github.com/google/uuid"
)

// gpuAllocator hands a worker's GPUs to its exec runs: each run gets the
// GPUs it asked for, and no GPU is held by two runs at once.
type gpuAllocator struct {
	mu   sync.Mutex
	ids  []int             // the worker's GPU ids, in the order given
	held map[int]uuid.UUID // GPU id → the job holding it
}

func newGPUAllocator(ids []int) *gpuAllocator {
	return &gpuAllocator{ids: slices.Clone(ids), held: map[int]uuid.UUID{}}
}

// take gives job n free GPUs, the lowest-listed first, or nothing (false)
// when fewer than n are free.
func (a *gpuAllocator) take(job uuid.UUID, n int) ([]int, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var got []int
	for _, id := range a.ids {
		if len(got) == n {
			break
		}
		if _, busy := a.held[id]; !busy {
			got = append(got, id)
		}
	}
	if len(got) < n {
		return nil, false
	}
	for _, id := range got {
		a.held[id] = job
	}
	return got, true
}

// release frees the GPUs job holds.
func (a *gpuAllocator) release(job uuid.UUID) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for id, j := range a.held {
		if j == job {
			delete(a.held, id)
		}
	}
}

// free lists the GPUs no run holds, in the order given.
func (a *gpuAllocator) free() []int {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := []int{}
	for _, id := range a.ids {
		if _, busy := a.held[id]; !busy {
			out = append(out, id)
		}
	}
	return out
}
