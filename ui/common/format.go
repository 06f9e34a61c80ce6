package common

import "brightrun/ui/format"

// The formatting lives in ui/format. These names stay so that the screens
// not yet moved to it read the same; new code calls ui/format directly.
var (
	Age       = format.Age
	Count     = format.Count
	Counted   = format.Counted
	Thousands = format.Thousands
	Money     = format.Money
	Duration  = format.Hours
	Float     = format.Float
)
