package format

import (
	"fmt"
	"math"
)

// Money renders dollars with cents and thousands separators: "$1,234.50".
func Money(v float64) string {
	cents := int64(math.Round(v * 100))
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s$%s.%02d", sign, Thousands(cents/100), cents%100)
}

// Rate is an hourly price: "$2.49/h".
func Rate(perHour float64) string {
	return Money(perHour) + "/h"
}
