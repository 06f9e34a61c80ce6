package uitest

import "testing"

// recorder is a testing.TB that keeps what Errorf was told.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, format)
}

// Holds reports each missing piece once and nothing when all are there.
func TestHolds(t *testing.T) {
	for _, tc := range []struct {
		name  string
		wants []string
		fails int
	}{
		{"all there", []string{"job", "$25.50"}, 0},
		{"one missing", []string{"job", "$9.99"}, 1},
		{"two missing", []string{"x", "y", "job"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &recorder{TB: t}
			Holds(r, "view", "job costs $25.50", tc.wants...)
			if len(r.errs) != tc.fails {
				t.Errorf("%d failures, want %d", len(r.errs), tc.fails)
			}
		})
	}
}
