package conversations

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"brightrun/ui/internal/uitest"
)

// BenchmarkKeypressFrame100k measures what the operator waits for on a
// 100,000-row table: one j through Update and the frame View draws, at
// 120×40. When the cursor nears the window's edge the fetch the key asked
// for is run and delivered outside the timer, as it would arrive between
// frames; the frame that follows is timed like any other. Target: ≤ 16 ms.
func BenchmarkKeypressFrame100k(b *testing.B) {
	m := newScreen(b, uitest.NewLargeBackend(b, 100_000), 120, 40)
	j := uitest.Key("j")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_, cmd := m.Update(j)
		_ = m.View()
		if cmd != nil {
			b.StopTimer()
			for _, msg := range run(m, cmd) {
				if p, ok := msg.(pageMsg); ok {
					m.Update(p)
				}
			}
			if m.cursor >= m.total-1 {
				m.Update(uitest.Key("g"))
			}
			b.StartTimer()
		}
	}
	if m.total != 100_000 {
		b.Fatalf("total %d", m.total)
	}
}

// BenchmarkViewTable120x40 is the frame alone, for comparison.
func BenchmarkViewTable120x40(b *testing.B) {
	m := newScreen(b, uitest.NewLargeBackend(b, 100_000), 120, 40)
	var _ tea.Msg
	for b.Loop() {
		_ = m.View()
	}
}
