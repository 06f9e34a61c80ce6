package engine_test

import (
	"context"
	"errors"
	"math"
	"sync"
	"testing"

	"brightrun/engine"
	"brightrun/engine/enginetest"
	"brightrun/model"
	"brightrun/store/storetest"
)

// Jobs created at once against one budget are counted one after the
// other: with room for one, exactly one is written. A preview writes
// nothing, a cap below the estimate counts as the cap, and only the admin
// names another operator's budget.
func TestBudgetIsCheckedAtomically(t *testing.T) {
	e, db, ada, s := enginetest.Operator(t, "ada")
	ctx := context.Background()
	d := storetest.DatasetRow(t, db, ada.ID, "cash", model.DatasetReady, true, 40)
	req := engine.JobRequest{DatasetID: d.ID, GPU: model.GPUConfig{Type: "V100-32GB", Count: 1}}
	p, err := s.PreviewJob(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	est := p.Estimate.EstimatedCost
	if jobs, _, _ := written(t, db, s); jobs != 0 || p.Job.EstimatedTotalCost != est {
		t.Fatalf("a preview wrote %d jobs, or priced %v against %v", jobs, p.Job.EstimatedTotalCost, est)
	}
	if _, err := s.SetBudget(ctx, "", est*1.5); err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() { _, errs[i] = s.CreateJob(ctx, req) })
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		var over *model.BudgetExceededError
		switch {
		case err == nil:
			ok++
		case !errors.As(err, &over):
			t.Fatalf("not a budget refusal: %v", err)
		}
	}
	if jobs, _, _ := written(t, db, s); ok != 1 || jobs != 1 {
		t.Fatalf("%d creations succeeded and %d jobs were written; want 1 and 1", ok, jobs)
	}

	// A cap of a third of the estimate commits only the cap: it fits.
	capped := req
	capUSD := math.Round(est/3*100) / 100
	capped.MaxCost = &capUSD
	if _, err := s.CreateJob(ctx, capped); err != nil {
		t.Fatalf("a capped job within the budget: %v", err)
	}
	b, found, err := s.Budget(ctx, "")
	if err != nil || !found || math.Abs(b.Committed-(est+capUSD)) > 0.001 {
		t.Fatalf("budget after a job and a capped one: %+v %v %v; want committed %v + %v", b, found, err, est, capUSD)
	}

	bob, _ := e.EnsureUser(ctx, "bob")
	if _, err := e.Session(bob).SetBudget(ctx, "ada", 1000); err == nil {
		t.Fatal("an SSH operator set another's budget")
	}
	if _, found, err := e.Session(bob).Budget(ctx, "ada"); err == nil || found {
		t.Fatal("an SSH operator read another's budget")
	}
	if b, err := e.AdminSession(bob).SetBudget(ctx, "ada", 1000); err != nil || b.User != "ada" || b.MonthlyLimit != 1000 {
		t.Fatalf("the admin sets ada's budget: %+v %v", b, err)
	}
}
