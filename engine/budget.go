package engine

import (
	"context"
	"fmt"
	"time"

	"brightrun/model"
	"brightrun/store"
)

// AdminSession is the session of the local account: the command line and
// the TUI run on the machine that holds the database's credentials (the one
// that runs `brightrun user`), so they act as the admin, who may set and
// read every operator's budget and see everyone's costs. Sessions of
// operators logged in over SSH are plain Sessions.
func (e *Engine) AdminSession(u model.User) *Session {
	s := e.Session(u)
	s.admin = true
	return s
}

// Admin says whether the session acts as the admin.
func (s *Session) Admin() bool { return s.admin }

// withReach runs fn as the session's operator, with the admin's reach
// when the session is the admin's (row-level security decides what that
// lets it see and change).
func (s *Session) withReach(ctx context.Context, fn func(tx store.Tx) error) error {
	if s.admin {
		return s.e.db.WithAdmin(ctx, s.user.ID, fn)
	}
	return s.e.db.WithUser(ctx, s.user.ID, fn)
}

// budgetUser is the operator a budget command is about: the session's own
// ("") or the one named, which only the admin may name.
func (s *Session) budgetUser(ctx context.Context, name string) (model.User, error) {
	if name == "" || name == s.user.Name {
		return s.user, nil
	}
	if !s.admin {
		return model.User{}, fmt.Errorf("budget of %q: only the admin (the local account) may see or set another operator's budget", name)
	}
	return s.e.db.UserByName(ctx, name)
}

// SetBudget sets the monthly limit of the operator named (the session's
// own when ""), and returns where the month stands.
func (s *Session) SetBudget(ctx context.Context, name string, limit float64) (model.Budget, error) {
	if err := model.CheckMonthlyLimit(limit); err != nil {
		return model.Budget{}, err
	}
	u, err := s.budgetUser(ctx, name)
	if err != nil {
		return model.Budget{}, err
	}
	var b model.Budget
	err = s.withReach(ctx, func(tx store.Tx) error {
		if err := store.SetBudget(ctx, tx, u.ID, limit); err != nil {
			return err
		}
		b, _, err = store.ReadBudget(ctx, tx, u.ID, u.Name, model.MonthOf(time.Now()), false)
		return err
	})
	return b, err
}

// Budget is the budget of the operator named (the session's own when "")
// and where the current month stands; ok is false when none is set.
func (s *Session) Budget(ctx context.Context, name string) (b model.Budget, ok bool, err error) {
	u, err := s.budgetUser(ctx, name)
	if err != nil {
		return model.Budget{}, false, err
	}
	err = s.withReach(ctx, func(tx store.Tx) error {
		b, ok, err = store.ReadBudget(ctx, tx, u.ID, u.Name, model.MonthOf(time.Now()), false)
		return err
	})
	return b, ok, err
}

// checkBudget refuses, inside the transaction that would write it, a job
// that would take the operator past the month's budget. The budget row
// stays locked until the transaction ends, so jobs created at once are
// counted one after the other.
func (s *Session) checkBudget(ctx context.Context, tx store.Tx, j model.Job) error {
	b, ok, err := store.ReadBudget(ctx, tx, s.user.ID, s.user.Name, model.MonthOf(time.Now()), true)
	if err != nil || !ok {
		return err
	}
	return model.CheckBudget(b, model.ExpectedCost(j.EstimatedTotalCost, j.MaxCost))
}

// TopCostJobs is how many of the costliest jobs a costs report lists.
const TopCostJobs = 10

// Costs is month's costs grouped by by (model.CostGroupings): the
// operator's own, or every operator's for the admin.
func (s *Session) Costs(ctx context.Context, month model.Month, by string) (model.CostReport, error) {
	if err := model.CheckCostGrouping(by); err != nil {
		return model.CostReport{}, err
	}
	var r model.CostReport
	err := s.withReach(ctx, func(tx store.Tx) (err error) {
		r, err = store.CostReport(ctx, tx, month, by, TopCostJobs)
		return err
	})
	r.AllUsers = s.admin
	return r, err
}
