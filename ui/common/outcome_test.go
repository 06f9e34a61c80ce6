package common

import (
	"errors"
	"testing"
)

// Outcome posts the error under its operation when there is one, else the
// notice, never both.
func TestOutcome(t *testing.T) {
	boom := errors.New("boom")
	for _, tc := range []struct {
		name string
		err  error
		want any
	}{
		{"done", nil, NoticeMsg("Wrote x")},
		{"failed", boom, ErrMsg{Op: "export", Err: boom}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Outcome("export", tc.err, "Wrote x")(); got != tc.want {
				t.Errorf("got %#v, want %#v", got, tc.want)
			}
		})
	}
}
