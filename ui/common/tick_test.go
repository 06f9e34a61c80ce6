package common

import (
	"context"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

func TestTickGivesUpWithItsContext(t *testing.T) {
	type fired struct{}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := Tick(ctx, time.Hour, func(time.Time) tea.Msg { return fired{} })
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	cancel()
	select {
	case msg := <-done:
		if msg != nil {
			t.Errorf("a cancelled tick sent %T", msg)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the tick waited out its hour after its session ended")
	}
	if _, ok := Tick(context.Background(), time.Millisecond, func(time.Time) tea.Msg { return fired{} })().(fired); !ok {
		t.Error("a tick did not fire")
	}
}
