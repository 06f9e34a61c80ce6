package store_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"brightrun/model"
	"brightrun/store"
	"brightrun/store/storetest"
)

func TestValidateUserName(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"alice", true},
		{"A.b_c-9", true},
		{strings.Repeat("x", 64), true},
		{"", false},
		{strings.Repeat("x", 65), false},
		{"bob smith", false},
		{"bob/../x", false},
		{"zoë", false},
		{"a@b", false},
	} {
		err := store.ValidateUserName(tc.name)
		if (err == nil) != tc.ok {
			t.Errorf("ValidateUserName(%q) = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}

func TestEnsureUserIsIdempotentAndRaceSafe(t *testing.T) {
	db := storetest.NewDB(t)
	ctx := context.Background()
	// Processes starting together on a fresh database all get the one row.
	var wg sync.WaitGroup
	got := make([]model.User, 8)
	errs := make([]error, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = db.EnsureUser(ctx, "operator")
		}()
	}
	wg.Wait()
	for i := range got {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if got[i].ID != got[0].ID || got[i].Name != "operator" || got[i].CreatedAt.IsZero() {
			t.Errorf("EnsureUser #%d = %+v, want %+v", i, got[i], got[0])
		}
	}
	again, err := db.EnsureUser(ctx, "operator")
	if err != nil || again.ID != got[0].ID || !again.CreatedAt.Equal(got[0].CreatedAt) {
		t.Errorf("EnsureUser again = %+v, %v; want %+v", again, err, got[0])
	}
	if list, err := db.ListUsers(ctx); err != nil || len(list) != 1 {
		t.Errorf("after EnsureUser races: %d users, %v; want 1", len(list), err)
	}
	// An OS user name outside AddUser's rule is still accepted.
	if _, err := db.EnsureUser(ctx, `CORP\jane doe`); err != nil {
		t.Errorf("EnsureUser with an unusual OS name: %v", err)
	}
	if _, err := db.EnsureUser(ctx, ""); err == nil {
		t.Error("EnsureUser accepted an empty name")
	}
}

func TestAddUser(t *testing.T) {
	db := storetest.NewDB(t)
	ctx := context.Background()
	u, err := db.AddUser(ctx, "bob")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddUser(ctx, "bob"); !errors.Is(err, store.ErrUserExists) {
		t.Errorf("adding bob twice: %v, want ErrUserExists", err)
	}
	_, err = db.AddUser(ctx, "bob smith")
	if err == nil || errors.Is(err, store.ErrUserExists) || !strings.Contains(err.Error(), "letters, digits") {
		t.Errorf("adding an invalid name: %v, want a message naming the allowed characters", err)
	}
	// EnsureUser finds a user made by AddUser rather than failing.
	e, err := db.EnsureUser(ctx, "bob")
	if err != nil || e.ID != u.ID {
		t.Errorf("EnsureUser(bob) = %+v, %v; want %s", e, err, u.ID)
	}
}

func TestUserByNameAndList(t *testing.T) {
	db := storetest.NewDB(t)
	ctx := context.Background()
	if _, err := db.UserByName(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UserByName(nobody): %v, want ErrNotFound", err)
	}
	list, err := db.ListUsers(ctx)
	if err != nil || len(list) != 0 {
		t.Fatalf("ListUsers on an empty database = %v, %v", list, err)
	}
	for _, n := range []string{"carol", "alice", "bob"} {
		if _, err := db.AddUser(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	bob, err := db.UserByName(ctx, "bob")
	if err != nil || bob.Name != "bob" {
		t.Fatalf("UserByName(bob) = %+v, %v", bob, err)
	}
	list, err = db.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range list {
		names = append(names, u.Name)
	}
	if strings.Join(names, ",") != "alice,bob,carol" {
		t.Errorf("ListUsers = %v, want alice,bob,carol", names)
	}
}
