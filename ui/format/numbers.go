package format

import (
	"strconv"
	"strings"
)

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

// Compact renders a count in at most six characters for narrow tables:
// 980, 9,821, 12.4k, 13.3M.
func Compact(n int64) string {
	switch {
	case n < 10_000:
		return Thousands(n)
	case n < 1_000_000:
		return strconv.FormatFloat(float64(n)/1e3, 'f', 1, 64) + "k"
	case n < 1_000_000_000:
		return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + "M"
	default:
		return strconv.FormatFloat(float64(n)/1e9, 'f', 1, 64) + "G"
	}
}

// Float renders a float the shortest way that round-trips: 5e-05, 0.05.
func Float(v float64) string {
	return strconv.FormatFloat(v, 'g', -1, 64)
}
