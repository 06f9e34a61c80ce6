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
	time.Sleep(200 * time.Millisecond) // let the listener connect

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
