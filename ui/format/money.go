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
