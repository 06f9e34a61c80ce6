package common

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Age renders how long ago t was, in the compact form of gh and k9s ("now",
// "3m ago", "5h ago", "2d ago"), falling back to a date after a month.
func Age(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh ago", int(d/time.Hour))
	case d < 30*24*time.Hour:
		return fmt.Sprintf("%dd ago", int(d/(24*time.Hour)))
	case now.Year() == t.Year():
		return t.Format("Jan 2")
	default:
		return t.Format("Jan 2 2006")
	}
}

// Count is n things, in the singular for one: "1 pair", "2,413 pairs";
// many is the plural, for words whose plural is not one more s.
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return Thousands(int64(n)) + " " + many
}

// Counted is n things whose plural takes an s: "1 dataset", "12 datasets".
func Counted(n int, what string) string {
	return Count(n, what, what+"s")
}

// Thousands renders n with comma separators: 13268572 → "13,268,572".
func Thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	lead := len(s) % 3
	if lead == 0 {
		lead = 3
	}
	b.WriteString(s[:lead])
	for i := lead; i < len(s); i += 3 {
		b.WriteByte(',')
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// Money renders dollars with cents and thousands separators: "$1,234.50".
func Money(v float64) string {
	cents := int64(math.Round(v * 100))
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s$%s.%02d", sign, Thousands(cents/100), cents%100)
}

// Duration renders hours as "3.57 h (3h 34m)", the decimal the API reports
// and the clock time a person reads.
func Duration(hours float64) string {
	total := int64(math.Round(hours * 60))
	return fmt.Sprintf("%.2f h (%dh %02dm)", hours, total/60, total%60)
}

// Float renders a float the shortest way that round-trips: 5e-05, 0.05.
func Float(v float64) string {
	return strconv.FormatFloat(v, 'g', -1, 64)
}
