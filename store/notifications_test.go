package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/store"
	"brightrun/store/storetest"
)

func TestNotifications(t *testing.T) {
	db, alice, bob := storetest.NewDBWithUsers(t, "alice", "bob")
	ctx := context.Background()
	jobID := uuid.New()
	first, err := db.InsertNotification(ctx, model.Notification{
		UserID: alice.ID, Type: "job_queued", Title: "Training Job Queued",
		Message: "The job for dataset ds was queued and will start shortly", Priority: model.PriorityLow,
		Action: model.NotificationAction{Kind: "job", ID: jobID.String(), Label: "View job"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if first.ID == uuid.Nil || first.CreatedAt.IsZero() || first.Read || first.UserID != alice.ID ||
		first.Action.ID != jobID.String() || first.Action.Kind != "job" || first.Priority != model.PriorityLow {
		t.Errorf("inserted notification = %+v", first)
	}
	second, err := db.InsertNotification(ctx, model.Notification{UserID: alice.ID, Type: "job_completed", Title: "Done"})
	if err != nil {
		t.Fatal(err)
	}
	if second.Priority != model.PriorityMedium {
		t.Errorf("default priority = %q, want medium", second.Priority)
	}
	if _, err := db.InsertNotification(ctx, model.Notification{UserID: bob.ID, Type: "x", Title: "for bob"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.InsertNotification(ctx, model.Notification{UserID: alice.ID, Type: "x", Title: "t", Priority: "urgent"}); err == nil {
		t.Error("a notification with priority urgent was accepted")
	}
	if _, err := db.InsertNotification(ctx, model.Notification{Type: "x", Title: "nobody's"}); err == nil {
		t.Error("a notification without a user was accepted")
	}

	list, err := db.ListNotifications(ctx, alice.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != second.ID || list[1].ID != first.ID {
		t.Fatalf("ListNotifications = %+v, want [second, first]", list)
	}
	got := list[1]
	if !got.CreatedAt.Equal(first.CreatedAt) {
		t.Errorf("listed created_at %v, inserted %v", got.CreatedAt, first.CreatedAt)
	}
	got.CreatedAt = first.CreatedAt
	if got != first {
		t.Errorf("listed %+v, inserted %+v", got, first)
	}
	if list, err := db.ListNotifications(ctx, alice.ID, 1); err != nil || len(list) != 1 || list[0].ID != second.ID {
		t.Errorf("ListNotifications(limit 1) = %+v, %v", list, err)
	}

	if n, err := db.UnreadNotifications(ctx, alice.ID); err != nil || n != 2 {
		t.Errorf("unread = %d, %v; want 2", n, err)
	}
	// Bob cannot mark Alice's notification read: to him it does not exist.
	if err := db.MarkNotificationRead(ctx, bob.ID, first.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("bob marking alice's notification: %v, want ErrNotFound", err)
	}
	if err := db.MarkNotificationRead(ctx, alice.ID, uuid.New()); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("marking a missing notification: %v, want ErrNotFound", err)
	}
	if err := db.MarkNotificationRead(ctx, alice.ID, first.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkNotificationRead(ctx, alice.ID, first.ID); err != nil {
		t.Errorf("marking a read notification again: %v", err)
	}
	if n, err := db.UnreadNotifications(ctx, alice.ID); err != nil || n != 1 {
		t.Errorf("unread after marking one = %d, %v; want 1", n, err)
	}
	if n, err := db.MarkAllNotificationsRead(ctx, alice.ID); err != nil || n != 1 {
		t.Errorf("MarkAllNotificationsRead = %d, %v; want 1", n, err)
	}
	if n, err := db.UnreadNotifications(ctx, alice.ID); err != nil || n != 0 {
		t.Errorf("unread after marking all = %d, %v; want 0", n, err)
	}
	// Bob's stays unread.
	if n, err := db.UnreadNotifications(ctx, bob.ID); err != nil || n != 1 {
		t.Errorf("bob's unread = %d, %v; want 1", n, err)
	}
}

func TestCounts(t *testing.T) {
	db, alice, bob := storetest.NewDBWithUsers(t, "alice", "bob")
	ctx := context.Background()
	empty, err := db.Counts(ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"conversations", "training_files", "datasets", "training_jobs", "notifications", "unread_notifications"} {
		if v, ok := empty[k]; !ok || v != 0 {
			t.Errorf("empty counts[%s] = %d, %v", k, v, ok)
		}
	}
	seedReference(t, db)
	seedTenant(t, db, "carol") // someone else's rows must not be counted
	for i := 0; i < 3; i++ {
		n, err := db.InsertNotification(ctx, model.Notification{UserID: alice.ID, Type: "x", Title: "t"})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if err := db.MarkNotificationRead(ctx, alice.ID, n.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := db.InsertNotification(ctx, model.Notification{UserID: bob.ID, Type: "x", Title: "t"}); err != nil {
		t.Fatal(err)
	}
	c, err := db.Counts(ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c["notifications"] != 3 || c["unread_notifications"] != 2 || c["conversations"] != 0 || c["training_jobs"] != 0 {
		t.Errorf("alice's counts = %v", c)
	}
	carol, err := db.UserByName(ctx, "carol")
	if err != nil {
		t.Fatal(err)
	}
	c, err = db.Counts(ctx, carol.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"conversations": 1, "training_files": 1, "datasets": 1, "training_jobs": 1, "notifications": 1, "unread_notifications": 1}
	for k, v := range want {
		if c[k] != v {
			t.Errorf("carol's counts[%s] = %d, want %d (all: %v)", k, c[k], v, c)
		}
	}
	if len(c) != len(want) {
		t.Errorf("counts has keys %v, want exactly %v", c, want)
	}
}
