package dataset

import (
	"math"
	"math/bits"
	"slices"
)

// denseLimit bounds the dense part of a histogram: counts of values below
// it live in a slice (grown only as far as the largest value seen, 512 KiB
// at most), rarer larger values in a map. Every value is kept exactly, so
// percentiles are exact while memory stays bounded by the distinct values.
const denseLimit = 1 << 16

// histogram counts how often each non-negative value occurs.
type histogram struct {
	dense  []int64
	sparse map[int]int64
	n, sum int64
	lo, hi int
}

func (h *histogram) add(v int) {
	if h.n == 0 || v < h.lo {
		h.lo = v
	}
	if h.n == 0 || v > h.hi {
		h.hi = v
	}
	h.n++
	h.sum += int64(v)
	if v < denseLimit {
		if v >= len(h.dense) {
			h.dense = slices.Grow(h.dense, v+1-len(h.dense))[:v+1]
		}
		h.dense[v]++
		return
	}
	if h.sparse == nil {
		h.sparse = make(map[int]int64)
	}
	h.sparse[v]++
}

// percentile is the nearest-rank percentile: the smallest value v such
// that at least p% of the values are <= v.
func (h *histogram) percentile(p float64) int {
	if h.n == 0 {
		return 0
	}
	rank := max(int64(math.Ceil(p/100*float64(h.n))), 1)
	var seen int64
	for v, c := range h.dense {
		if seen += c; seen >= rank {
			return v
		}
	}
	keys := make([]int, 0, len(h.sparse))
	for v := range h.sparse {
		keys = append(keys, v)
	}
	slices.Sort(keys)
	for _, v := range keys {
		if seen += h.sparse[v]; seen >= rank {
			return v
		}
	}
	return h.hi
}

// buckets folds the counts into TokenHistogram's power-of-two buckets.
func (h *histogram) buckets() []HistogramBucket {
	out := []HistogramBucket{}
	if h.n == 0 {
		return out
	}
	for i := 0; i <= bucketIndex(h.hi); i++ {
		lo := 0
		if i > 0 {
			lo = FirstBucketMax << (i - 1)
		}
		out = append(out, HistogramBucket{Min: lo, Max: FirstBucketMax << i})
	}
	for v, c := range h.dense {
		if c > 0 {
			out[bucketIndex(v)].Count += int(c)
		}
	}
	for v, c := range h.sparse {
		out[bucketIndex(v)].Count += int(c)
	}
	return out
}

// bucketIndex is the histogram bucket holding v: 0 below FirstBucketMax,
// then one more for each doubling.
func bucketIndex(v int) int {
	if v < FirstBucketMax {
		return 0
	}
	return bits.Len(uint(v)) - bits.Len(uint(FirstBucketMax)) + 1
}

// mean is the average rounded to 2 decimals.
func (h *histogram) mean() float64 {
	if h.n == 0 {
		return 0
	}
	return math.Round(float64(h.sum)/float64(h.n)*100) / 100
}

// dupSet remembers the content hash of every example and the first line
// it was seen at, to report duplicates. It is the one structure that grows
// with the file: an open-addressing table of 12 bytes per slot at a load
// of at most 3/4, about 16 bytes per distinct example (4 MiB for the
// 250,000 examples of 500 MiB of 2 KiB lines). Hashes are 64-bit maphash
// values: two different examples collide with a probability of about
// n²/2⁶⁵, 2·10⁻⁹ for those 250,000.
type dupSet struct {
	keys  []uint64
	lines []int32 // first line + 1; 0 marks an empty slot
	n     int
}

// seen records hash at line and returns the line of an earlier example
// with the same hash, or 0.
func (s *dupSet) seen(hash uint64, line int) int {
	if s.n >= len(s.keys)*3/4 {
		s.grow()
	}
	mask := uint64(len(s.keys) - 1)
	for i := hash & mask; ; i = (i + 1) & mask {
		switch {
		case s.lines[i] == 0:
			s.keys[i], s.lines[i] = hash, int32(line+1)
			s.n++
			return 0
		case s.keys[i] == hash:
			return int(s.lines[i] - 1)
		}
	}
}

func (s *dupSet) grow() {
	old := *s
	size := max(1024, 2*len(old.keys))
	*s = dupSet{keys: make([]uint64, size), lines: make([]int32, size)}
	for i, l := range old.lines {
		if l != 0 {
			s.seen(old.keys[i], int(l-1))
		}
	}
}
