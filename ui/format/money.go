package format

import "brightrun/model"

// Money renders dollars with cents and thousands separators: "$1,234.50",
// as the comparison tables the model writes do.
func Money(v float64) string {
	return model.Dollars(v)
}

// Rate is an hourly price: "$2.49/h".
func Rate(perHour float64) string {
	return Money(perHour) + "/h"
}

// BudgetLine is where the month stands against a budget: "$1.00 / $5.00
// this month".
func BudgetLine(b model.Budget) string {
	return Money(b.Spent) + " / " + Money(b.MonthlyLimit) + " this month"
}
