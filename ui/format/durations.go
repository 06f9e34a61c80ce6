package format

import (
	"fmt"
	"math"
	"time"

	"brightrun/model"
)

// Hours renders hours as "3.57 h (3h 34m)", the decimal the API reports
// and the clock time a person reads.
func Hours(hours float64) string {
	total := int64(math.Round(hours * 60))
	return fmt.Sprintf("%.2f h (%dh %02dm)", hours, total/60, total%60)
}

// Span is a duration the way a clock reads, to the minute once past one:
// "45s", "12m", "1h 04m", as the model's comparison writes it. A negative
// duration reads as "0s".
func Span(d time.Duration) string {
	return model.Clock(d)
}

// Left renders what a countdown still needs, to the second below an hour:
// "3s", "1m 05s", "2h 03m".
func Left(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm %02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
	default:
		return fmt.Sprintf("%dh %02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
}
