package worker

import (
	"slices"
	"sync"
	"testing"

	"github.com/google/uuid"
)

func TestGPUAllocatorTakesFreeGPUsOnly(t *testing.T) {
	a := newGPUAllocator([]int{0, 1, 2})
	j1, j2, j3 := uuid.New(), uuid.New(), uuid.New()
	if got, ok := a.take(j1, 2); !ok || !slices.Equal(got, []int{0, 1}) {
		t.Fatalf("take 2 = %v, %v; want [0 1]", got, ok)
	}
	if got, ok := a.take(j2, 2); ok {
		t.Fatalf("take 2 with one free = %v; want refused", got)
	}
	if got, ok := a.take(j2, 1); !ok || !slices.Equal(got, []int{2}) {
		t.Fatalf("take 1 = %v, %v; want [2]", got, ok)
	}
	if free := a.free(); len(free) != 0 {
		t.Fatalf("free = %v; want none", free)
	}
	a.release(j1)
	if free := a.free(); !slices.Equal(free, []int{0, 1}) {
		t.Fatalf("free after release = %v; want [0 1]", free)
	}
	if got, ok := a.take(j3, 2); !ok || !slices.Equal(got, []int{0, 1}) {
		t.Fatalf("take 2 after release = %v, %v; want [0 1]", got, ok)
	}
}

// TestGPUAllocatorNeverSharesAGPU races many runs for few GPUs (run it
// with -race): a GPU is never held by two runs at once.
func TestGPUAllocatorNeverSharesAGPU(t *testing.T) {
	a := newGPUAllocator([]int{0, 1, 2, 3})
	var mu sync.Mutex
	holder := map[int]uuid.UUID{}
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			for range 200 {
				job := uuid.New()
				got, ok := a.take(job, 1+i%3)
				if !ok {
					continue
				}
				mu.Lock()
				for _, id := range got {
					if other, busy := holder[id]; busy {
						t.Errorf("GPU %d given to %s while %s holds it", id, job, other)
					}
					holder[id] = job
				}
				mu.Unlock()
				mu.Lock()
				for _, id := range got {
					delete(holder, id)
				}
				mu.Unlock()
				a.release(job)
			}
		})
	}
	wg.Wait()
	if free := a.free(); len(free) != 4 {
		t.Fatalf("free at the end = %v; want all 4", free)
	}
}
