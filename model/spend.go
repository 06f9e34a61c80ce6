package model

import (
	"fmt"
	"math"
	"time"
)

// Spend control (docs/cli.md, budget and costs): a cap per job, a monthly
// budget per operator, and the month they are counted in.

// MaxCostLimit bounds a job's cost cap and a monthly budget, so every sum of
// them stays exact in cents (the columns are numeric(12,2)).
const MaxCostLimit = 1_000_000

// CheckMaxCost validates a job's cost cap in USD: a cent at least.
func CheckMaxCost(v float64) error {
	if math.IsNaN(v) || v < 0.01 || v > MaxCostLimit {
		return fmt.Errorf("max cost %g is out of range: must be between 0.01 and %d USD", v, MaxCostLimit)
	}
	return nil
}

// CheckMonthlyLimit validates a monthly budget in USD (0 allows nothing).
func CheckMonthlyLimit(v float64) error {
	if math.IsNaN(v) || v < 0 || v > MaxCostLimit {
		return fmt.Errorf("monthly limit %g is out of range: must be between 0 and %d USD", v, MaxCostLimit)
	}
	return nil
}

// ExpectedCost is what a job is expected to cost: its estimate, or its cap
// when the cap is lower (the worker stops it there).
func ExpectedCost(estimate float64, maxCost *float64) float64 {
	if maxCost != nil && *maxCost < estimate {
		return *maxCost
	}
	return estimate
}

// CapBelowEstimate says whether a job with this cap will stop before it
// finishes, if the estimate holds.
func CapBelowEstimate(estimate float64, maxCost *float64) bool {
	return maxCost != nil && *maxCost < estimate
}

// CostCapReason is the stop_reason of a job the worker stopped at its cap.
func CostCapReason(maxCost float64, step int) string {
	return fmt.Sprintf("cost cap of %s reached at step %d", Dollars(maxCost), step)
}

// Month is a calendar month in UTC, the period budgets and costs count in.
type Month struct{ Year, Number int }

// MonthOf is the month t falls in, in UTC.
func MonthOf(t time.Time) Month {
	t = t.UTC()
	return Month{t.Year(), int(t.Month())}
}

// ParseMonth reads YYYY-MM.
func ParseMonth(s string) (Month, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil || len(s) != 7 {
		return Month{}, fmt.Errorf("month %q is not YYYY-MM", s)
	}
	return MonthOf(t), nil
}

// String is YYYY-MM.
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, m.Number) }

// Start is the month's first instant, in UTC.
func (m Month) Start() time.Time {
	return time.Date(m.Year, time.Month(m.Number), 1, 0, 0, 0, 0, time.UTC)
}

// End is the first instant of the next month.
func (m Month) End() time.Time { return m.Start().AddDate(0, 1, 0) }

// Budget is an operator's monthly budget and where the month stands
// (`budget show --json`). Committed is what queued and running jobs are
// expected to cost (ExpectedCost); Remaining is the limit less spent and
// committed, never below 0.
type Budget struct {
	User         string  `json:"user"`
	Month        string  `json:"month"`
	MonthlyLimit float64 `json:"monthly_limit"`
	Spent        float64 `json:"spent"`
	Committed    float64 `json:"committed"`
	Remaining    float64 `json:"remaining"`
}

// NewBudget fills in Remaining.
func NewBudget(user string, m Month, limit, spent, committed float64) Budget {
	return Budget{User: user, Month: m.String(), MonthlyLimit: limit, Spent: roundCents(spent), Committed: roundCents(committed),
		Remaining: max(0, roundCents(limit-spent-committed))}
}

// BudgetExceededError refuses a job that would take the month past its
// budget; it gives the numbers.
type BudgetExceededError struct {
	Budget   Budget
	Estimate float64
}

func (e *BudgetExceededError) Error() string {
	b := e.Budget
	return fmt.Sprintf("over budget: spent %s + committed %s + this job %s = %s would pass the monthly limit of %s for %s",
		Dollars(b.Spent), Dollars(b.Committed), Dollars(e.Estimate), Dollars(b.Spent+b.Committed+e.Estimate), Dollars(b.MonthlyLimit), b.Month)
}

// CheckBudget refuses a job expected to cost expected when the month's
// spent and committed money plus it would pass the limit.
func CheckBudget(b Budget, expected float64) error {
	if roundCents(b.Spent+b.Committed+expected) > b.MonthlyLimit {
		return &BudgetExceededError{Budget: b, Estimate: expected}
	}
	return nil
}

// Budget alert thresholds, in percent of the monthly limit spent.
const (
	BudgetWarnPct = 80
	BudgetFullPct = 100
)

// BudgetLevel is the highest threshold spent has reached (0, 80 or 100).
func BudgetLevel(spent, limit float64) int {
	switch {
	case limit <= 0 && spent <= 0:
		return 0
	case spent >= limit:
		return BudgetFullPct
	case spent >= limit*BudgetWarnPct/100:
		return BudgetWarnPct
	}
	return 0
}

// NotificationBudget is the type of a budget threshold notification.
const NotificationBudget = "budget_alert"

// BudgetNotification tells an operator the month's spend reached a threshold.
func BudgetNotification(b Budget, pct int) Notification {
	n := Notification{Type: NotificationBudget, Priority: PriorityMedium,
		Title:   fmt.Sprintf("Budget %d%% spent", pct),
		Message: fmt.Sprintf("%s of the %s budget for %s is spent", Dollars(b.Spent), Dollars(b.MonthlyLimit), b.Month)}
	if pct >= BudgetFullPct {
		n.Priority = PriorityHigh
		n.Message += "; new jobs are refused until the limit is raised or the month ends"
	}
	return n
}

// Ways to group a costs report (`brightrun costs --by`).
var CostGroupings = []string{"day", "user", "gpu", "model"}

// CheckCostGrouping validates --by.
func CheckCostGrouping(by string) error {
	for _, g := range CostGroupings {
		if by == g {
			return nil
		}
	}
	return fmt.Errorf("grouping %q is not one of day, user, gpu, model", by)
}

// CostRow is one group of a month's cost records: compute, storage and
// total in USD, GPU hours (hours × GPUs) and how many jobs.
type CostRow struct {
	Key      string  `json:"key"`
	Compute  float64 `json:"compute"`
	Storage  float64 `json:"storage"`
	Total    float64 `json:"total"`
	GPUHours float64 `json:"gpu_hours"`
	Jobs     int     `json:"jobs"`
}

// JobCost is one job's cost in a month, for the top jobs.
type JobCost struct {
	JobID string  `json:"job_id"`
	Name  string  `json:"name"`
	User  string  `json:"user"`
	Total float64 `json:"total"`
}

// CostReport is a month's costs (`brightrun costs --json`): the rows of the
// grouping, their total (summed from the records, not from the rows), the
// costliest jobs, and whether it counts every operator (the admin's).
type CostReport struct {
	Month    string    `json:"month"`
	By       string    `json:"by"`
	AllUsers bool      `json:"all_users"`
	Rows     []CostRow `json:"rows"`
	Total    CostRow   `json:"total"`
	TopJobs  []JobCost `json:"top_jobs"`
}
