package dataset

import (
	"reflect"
	"testing"
)

func TestTokenHistogramBuckets(t *testing.T) {
	var h histogram
	for _, v := range []int{0, 12, 255, 256, 511, 512, 3000, 70000} {
		h.add(v)
	}
	want := []HistogramBucket{
		{0, 256, 3}, {256, 512, 2}, {512, 1024, 1}, {1024, 2048, 0}, {2048, 4096, 1},
		{4096, 8192, 0}, {8192, 16384, 0}, {16384, 32768, 0}, {32768, 65536, 0}, {65536, 131072, 1},
	}
	if got := h.buckets(); !reflect.DeepEqual(got, want) {
		t.Errorf("buckets\n got %v\nwant %v", got, want)
	}
	if got := refHistogram([]int{0, 12, 255, 256, 511, 512, 3000, 70000}); !reflect.DeepEqual(got, want) {
		t.Errorf("reference\n got %v\nwant %v", got, want)
	}
	var empty histogram
	if got := empty.buckets(); got == nil || len(got) != 0 {
		t.Errorf("no examples: %#v, want an empty list", got)
	}
}
