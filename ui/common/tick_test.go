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
	cmd := Tick(ctx, time.Hour, fired{})
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
	if _, ok := Tick(context.Background(), time.Millisecond, fired{})().(fired); !ok {
		t.Error("a tick did not fire")
	}
}

func TestDebounceSchedulesOncePerBurst(t *testing.T) {
	type reload struct{}
	var db Debounce
	ctx := context.Background()
	first := db.Schedule(ctx, time.Millisecond, reload{})
	if first == nil {
		t.Fatal("the first event of a burst scheduled nothing")
	}
	if db.Schedule(ctx, time.Millisecond, reload{}) != nil {
		t.Error("a second event of the burst scheduled another reload")
	}
	if _, ok := first().(reload); !ok {
		t.Error("the scheduled command did not deliver its message")
	}
	db.Fired()
	if db.Schedule(ctx, time.Millisecond, reload{}) == nil {
		t.Error("an event after the reload arrived scheduled nothing")
	}
}
