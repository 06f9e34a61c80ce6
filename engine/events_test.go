package engine_test

import (
	"context"
	"testing"
	"time"

	"brightrun/engine"
	"brightrun/model"
)

func TestEventsReachOnlyTheirOperator(t *testing.T) {
	e := newEngine(t)
	ctx := context.Background()
	ada, _ := e.EnsureUser(ctx, "ada")
	bob, _ := e.EnsureUser(ctx, "bob")
	adaEvents, cancelA := e.Session(ada).Subscribe()
	defer cancelA()
	bobEvents, cancelB := e.Session(bob).Subscribe()
	defer cancelB()

	n, err := e.Session(ada).Notify(ctx, model.Notification{Type: "job_queued", Title: "t", Message: "m"})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-adaEvents:
		if ev.Table != "notifications" || ev.ID != n.ID || ev.Op != "INSERT" {
			t.Fatalf("event %+v, want the notification insert", ev)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5s")
	}
	select {
	case ev := <-bobEvents:
		t.Fatalf("bob got ada's event %+v", ev)
	case <-time.After(300 * time.Millisecond):
	}
	var _ engine.Event
}

// TestSubscribeReturnsListening fires a change the moment Subscribe returns
// on a fresh engine, whose listener is not yet connected when Subscribe is
// called: Subscribe must not return before LISTEN is in force, or this
// change is never delivered.
func TestSubscribeReturnsListening(t *testing.T) {
	e := newEngine(t)
	ctx := context.Background()
	ada, err := e.EnsureUser(ctx, "ada")
	if err != nil {
		t.Fatal(err)
	}
	events, cancel := e.Session(ada).Subscribe()
	defer cancel()
	if !e.Listening() {
		t.Fatal("Subscribe returned before LISTEN was in force")
	}
	n, err := e.Session(ada).Notify(ctx, model.Notification{Type: "job_queued", Title: "t", Message: "m"})
	if err != nil {
		t.Fatal(err)
	}
	for {
		select {
		case ev := <-events:
			if ev.Table == "notifications" && ev.ID == n.ID {
				return
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the change made right after Subscribe returned never arrived")
		}
	}
}
