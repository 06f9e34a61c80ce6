package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"brightrun/model"
	"brightrun/store"
	"brightrun/store/storetest"
)

// A budget is its operator's and the admin's: another operator can neither
// read nor set it through the store, while the admin (app.admin) can, and
// the admin also reads everyone's cost records; an operator sees only theirs.
func TestBudgetOnlyOwnerOrAdmin(t *testing.T) {
	db, a, b := aliceAndBob(t)
	ctx := context.Background()
	month := model.MonthOf(time.Now())
	read := func(as uuid.UUID, admin bool, of uuid.UUID) (model.Budget, bool) {
		t.Helper()
		var got model.Budget
		var ok bool
		with := db.WithUser
		if admin {
			with = db.WithAdmin
		}
		if err := with(ctx, as, func(tx pgx.Tx) (err error) {
			got, ok, err = store.ReadBudget(ctx, tx, of, "", month, false)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return got, ok
	}
	set := func(as uuid.UUID, admin bool, of uuid.UUID, limit float64) error {
		with := db.WithUser
		if admin {
			with = db.WithAdmin
		}
		return with(ctx, as, func(tx pgx.Tx) error { return store.SetBudget(ctx, tx, of, limit) })
	}

	if got, ok := read(b.user, false, b.user); !ok || got.MonthlyLimit != 5 || got.Spent != 6.8 {
		t.Fatalf("bob's own budget: %+v %v (want limit 5, spent 6.80 from his cost record)", got, ok)
	}
	if _, ok := read(a.user, false, b.user); ok {
		t.Fatal("alice reads bob's budget")
	}
	if err := set(a.user, false, b.user, 1000); !isRLSViolation(err) {
		t.Fatalf("alice sets bob's budget: %v, want a row-level security violation", err)
	}
	if err := set(b.user, false, b.user, 9); err != nil {
		t.Fatalf("bob sets his own: %v", err)
	}
	if err := set(a.user, true, b.user, 12); err != nil {
		t.Fatalf("the admin sets bob's: %v", err)
	}
	if got, ok := read(a.user, true, b.user); !ok || got.MonthlyLimit != 12 {
		t.Fatalf("the admin reads bob's budget: %+v %v", got, ok)
	}
	count := func(with func(context.Context, uuid.UUID, func(pgx.Tx) error) error) (n int) {
		t.Helper()
		if err := with(ctx, a.user, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `SELECT count(*) FROM cost_records`).Scan(&n)
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n, all := count(db.WithUser), count(db.WithAdmin); n != 1 || all != 2 {
		t.Fatalf("cost records seen: %d as alice (want 1), %d as the admin (want 2)", n, all)
	}
	// The admin's reach is read-only on cost records.
	err := db.WithAdmin(ctx, a.user, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE cost_records SET kind = kind WHERE user_id = $1`, b.user)
		if err == nil && tag.RowsAffected() != 0 {
			t.Errorf("the admin changed %d of bob's cost records", tag.RowsAffected())
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Budget alerts fire once per threshold per month.
func TestBudgetAlertFiresOncePerThreshold(t *testing.T) {
	db := storetest.NewDB(t)
	ctx := context.Background()
	seedReference(t, db)
	b := seedTenant(t, db, "bob") // spent $6.80 of a $5 budget
	alert := func(limit float64) int {
		t.Helper()
		var pct int
		if err := db.WithUser(ctx, b.user, func(tx pgx.Tx) (err error) {
			if err := store.SetBudget(ctx, tx, b.user, limit); err != nil {
				return err
			}
			pct, err = store.BudgetAlert(ctx, tx, b.user, time.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return pct
	}
	for _, tt := range []struct {
		limit float64
		want  int
	}{{8, 80}, {8, 0}, {20, 0}, {6, 100}, {6, 0}} {
		if got := alert(tt.limit); got != tt.want {
			t.Fatalf("limit $%.0f: alert %d%%, want %d%%", tt.limit, got, tt.want)
		}
	}
	var n int
	if err := db.WithUser(ctx, b.user, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE type = $1`, model.NotificationBudget).Scan(&n)
	}); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("%d budget notifications, want 2 (80%% and 100%%)", n)
	}
}
