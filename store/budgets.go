package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"brightrun/model"
)

// WithAdmin runs fn as userID with the admin's reach (migration 00017): it
// may read and set every operator's budget and read every operator's costs
// and jobs, and writes nothing else in another's name.
func (db *DB) WithAdmin(ctx context.Context, userID uuid.UUID, fn func(tx pgx.Tx) error) error {
	return db.WithUser(ctx, userID, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('app.admin', 'on', true)"); err != nil {
			return fmt.Errorf("act as admin: %w", err)
		}
		return fn(tx)
	})
}

// SetBudget sets user's monthly limit in USD. Row-level security refuses
// another operator's unless the transaction is the admin's.
func SetBudget(ctx context.Context, tx pgx.Tx, user uuid.UUID, limit float64) error {
	if _, err := tx.Exec(ctx, `INSERT INTO budgets (user_id, monthly_limit) VALUES ($1, $2)
		ON CONFLICT (user_id) DO UPDATE SET monthly_limit = EXCLUDED.monthly_limit`, user, limit); err != nil {
		return fmt.Errorf("set budget: %w", err)
	}
	return nil
}

// budgetLimit reads user's monthly limit (locked until the transaction
// ends when lock is set); ok is false when the user has no budget, or it
// is another operator's and the transaction is not the admin's.
func budgetLimit(ctx context.Context, tx pgx.Tx, user uuid.UUID, lock bool) (limit float64, ok bool, err error) {
	q := `SELECT monthly_limit::float8 FROM budgets WHERE user_id = $1`
	if lock {
		q += ` FOR UPDATE`
	}
	err = tx.QueryRow(ctx, q, user).Scan(&limit)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("read budget: %w", err)
	}
	return limit, true, nil
}

// MonthSpend is what user spent in month (the cost_records recorded in
// it) and has committed (the expected cost of every job not ended yet:
// its estimate, or its cap when lower).
func MonthSpend(ctx context.Context, tx pgx.Tx, user uuid.UUID, month model.Month) (spent, committed float64, err error) {
	err = tx.QueryRow(ctx, `
		SELECT (SELECT coalesce(sum(total_cost), 0)::float8 FROM cost_records
			WHERE user_id = $1 AND recorded_at >= $2 AND recorded_at < $3),
		       (SELECT coalesce(sum(least(estimated_total_cost, coalesce(max_cost, estimated_total_cost))), 0)::float8
			FROM training_jobs WHERE user_id = $1 AND status NOT IN `+finalStatuses+`)`,
		user, month.Start(), month.End()).Scan(&spent, &committed)
	if err != nil {
		return 0, 0, fmt.Errorf("month spend: %w", err)
	}
	return spent, committed, nil
}

// ReadBudget is user's budget and where month stands; ok is false when
// there is none (or the transaction may not see it). With lock, the budget
// row stays locked until the transaction ends, so two jobs created at once
// are checked one after the other.
func ReadBudget(ctx context.Context, tx pgx.Tx, user uuid.UUID, name string, month model.Month, lock bool) (model.Budget, bool, error) {
	limit, ok, err := budgetLimit(ctx, tx, user, lock)
	if err != nil || !ok {
		return model.Budget{}, false, err
	}
	spent, committed, err := MonthSpend(ctx, tx, user, month)
	if err != nil {
		return model.Budget{}, false, err
	}
	return model.NewBudget(name, month, limit, spent, committed), true, nil
}

// BudgetAlert notifies user, inside tx, when the month's spend has reached
// a threshold (80 %, 100 %) of the budget not notified yet this month, and
// records it so that it fires once. It returns the threshold notified, 0
// when none.
func BudgetAlert(ctx context.Context, tx pgx.Tx, user uuid.UUID, now time.Time) (int, error) {
	month := model.MonthOf(now)
	var alertedMonth string
	var alerted int
	err := tx.QueryRow(ctx, `SELECT alerted_month, alerted_pct FROM budgets WHERE user_id = $1 FOR UPDATE`, user).Scan(&alertedMonth, &alerted)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("budget alert: %w", err)
	}
	b, _, err := ReadBudget(ctx, tx, user, "", month, false)
	if err != nil {
		return 0, err
	}
	if alertedMonth != month.String() {
		alerted = 0
	}
	level := model.BudgetLevel(b.Spent, b.MonthlyLimit)
	if level <= alerted {
		return 0, nil
	}
	if _, err := tx.Exec(ctx, `UPDATE budgets SET alerted_month = $2, alerted_pct = $3 WHERE user_id = $1`,
		user, month.String(), level); err != nil {
		return 0, fmt.Errorf("budget alert: %w", err)
	}
	n := model.BudgetNotification(b, level)
	n.UserID = user
	if _, err := AddNotification(ctx, tx, n); err != nil {
		return 0, err
	}
	return level, nil
}
