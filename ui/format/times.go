package format

import (
	"fmt"
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

// ClockUTC is a time of day in UTC with its zone, for deadlines within the
// day such as a URL's expiry: "14:05 UTC".
func ClockUTC(t time.Time) string {
	return t.UTC().Format("15:04 MST")
}

// StampUTC is a log line's time in UTC to the second: "14:05:09".
func StampUTC(t time.Time) string {
	return t.UTC().Format("15:04:05")
}

// MinuteUTC is a date and time in UTC to the minute: "2026-03-01 14:05".
func MinuteUTC(t time.Time) string {
	return t.UTC().Format("2006-01-02 15:04")
}
