package model

import "testing"

func TestCountsByCode(t *testing.T) {
	for _, tc := range []struct {
		counts map[string]int
		text   string
		total  int
	}{
		{nil, "", 0},
		{map[string]int{"invalid_json": 2, "bad_weight": 1}, "bad_weight 1, invalid_json 2", 3},
	} {
		if text, total := CountsByCode(tc.counts); text != tc.text || total != tc.total {
			t.Errorf("CountsByCode(%v) = %q %d, want %q %d", tc.counts, text, total, tc.text, tc.total)
		}
	}
}
