package configure

import (
	"testing"

	"brightrun/ui/internal/uitest"
)

// BenchmarkConfigureKeystroke is one digit typed into a field, then the
// frame drawn at 120×40: the estimate is recomputed in Update. Target:
// well under 5 ms.
func BenchmarkConfigureKeystroke(b *testing.B) {
	m, _ := newScreen(b, 120, 40)
	goTo(m, fBatch)
	digit, back := uitest.Key("2"), uitest.Key("backspace")
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		k := digit
		if i%2 == 1 {
			k = back
		}
		m.Update(k)
		_ = m.View()
	}
}

// BenchmarkComparisonAllCounts computes every preset × GPU × count 1–8
// (96 estimates), sorts them and draws the comparison at 120×40. Target:
// well under 5 ms.
func BenchmarkComparisonAllCounts(b *testing.B) {
	m, _ := newScreen(b, 120, 40)
	goTo(m, fDataset)
	press(m, "c", "a", "s")
	b.ResetTimer()
	for b.Loop() {
		m.computeComparison()
		m.scroll()
		_ = m.View()
	}
}
