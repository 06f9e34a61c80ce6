package model

import (
	"errors"
	"testing"
	"time"
)

func TestSpendRules(t *testing.T) {
	one, three := 1.0, 3.0
	for _, tt := range []struct {
		name      string
		est       float64
		cap       *float64
		want      float64
		stopEarly bool
	}{
		{"no cap", 2.57, nil, 2.57, false},
		{"cap below", 2.57, &one, 1, true},
		{"cap above", 2.57, &three, 2.57, false},
	} {
		if got := ExpectedCost(tt.est, tt.cap); got != tt.want {
			t.Errorf("%s: expected cost %v, want %v", tt.name, got, tt.want)
		}
		if got := CapBelowEstimate(tt.est, tt.cap); got != tt.stopEarly {
			t.Errorf("%s: stops early %v, want %v", tt.name, got, tt.stopEarly)
		}
	}
	if got := CostCapReason(1, 77); got != "cost cap of $1.00 reached at step 77" {
		t.Errorf("reason %q", got)
	}
	for _, v := range []float64{0, 0.001, -1, MaxCostLimit + 1} {
		if CheckMaxCost(v) == nil {
			t.Errorf("cap %v accepted", v)
		}
	}
	if CheckMaxCost(0.01) != nil || CheckMonthlyLimit(0) != nil || CheckMonthlyLimit(-0.01) == nil {
		t.Error("bounds of a cap or a limit")
	}
}

func TestCheckBudget(t *testing.T) {
	m := MonthOf(time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC))
	b := NewBudget("ann", m, 5, 0, 2.57)
	if err := CheckBudget(NewBudget("ann", m, 5, 0, 0), 2.57); err != nil {
		t.Fatalf("first $2.57 job under $5: %v", err)
	}
	err := CheckBudget(b, 2.57)
	var over *BudgetExceededError
	if !errors.As(err, &over) || err.Error() != "over budget: spent $0.00 + committed $2.57 + this job $2.57 = $5.14 would pass the monthly limit of $5.00 for 2026-12" {
		t.Fatalf("second job: %v", err)
	}
	if CheckBudget(NewBudget("ann", m, 5, 2.43, 0), 2.57) != nil {
		t.Fatal("exactly the limit is allowed")
	}
	if b.Remaining != 2.43 || NewBudget("ann", m, 1, 3, 0).Remaining != 0 {
		t.Fatalf("remaining: %+v", b)
	}
	for _, tt := range []struct {
		spent, limit float64
		want         int
	}{{0, 5, 0}, {3.99, 5, 0}, {4, 5, 80}, {5, 5, 100}, {0, 0, 0}, {1, 0, 100}} {
		if got := BudgetLevel(tt.spent, tt.limit); got != tt.want {
			t.Errorf("level of %v/%v: %d, want %d", tt.spent, tt.limit, got, tt.want)
		}
	}
}

func TestMonth(t *testing.T) {
	m, err := ParseMonth("2026-02")
	if err != nil || m.String() != "2026-02" || !m.End().Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("%v %v", m, err)
	}
	for _, bad := range []string{"2026-2", "2026-13", "26-02", "2026-02-01", ""} {
		if _, err := ParseMonth(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
