package model

import "testing"

// BenchmarkEstimateMatrix prices the full preset × GPU × gpu_count (1..8)
// matrix, 3 × 4 × 8 = 96 estimates per iteration: what the TUI recomputes as
// the user drags the count slider. Target: well under 5 ms per matrix.
func BenchmarkEstimateMatrix(b *testing.B) {
	c := testCatalog(b)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n = 0
		for count := MinGPUCount; count <= MaxGPUCount; count++ {
			es, err := c.Compare(1000, 13_268_572, count, HyperOverrides{})
			if err != nil {
				b.Fatal(err)
			}
			n += len(es)
		}
	}
	if n != 96 {
		b.Fatalf("matrix has %d estimates, want 96", n)
	}
}
