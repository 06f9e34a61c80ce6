package common

import (
	"context"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// Call runs its function in the command, not when it is built, under a
// deadline of CallTimeout from the session's context.
func TestCallRunsUnderTheCallDeadline(t *testing.T) {
	type answer struct{ left time.Duration }
	ran := false
	cmd := Common{Ctx: context.Background()}.Call(func(ctx context.Context, _ Backend) tea.Msg {
		ran = true
		at, ok := ctx.Deadline()
		if !ok {
			t.Error("the call has no deadline")
		}
		return answer{left: time.Until(at)}
	})
	if ran {
		t.Fatal("Call ran the engine call while building the command")
	}
	got, ok := cmd().(answer)
	if !ok || got.left <= 0 || got.left > CallTimeout {
		t.Errorf("answer %+v, want one with at most %s left", got, CallTimeout)
	}
}
