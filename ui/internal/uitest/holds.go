package uitest

import (
	"strings"
	"testing"
)

// Holds fails t for each of wants that text lacks, saying what the text is
// and showing it, so one run reports every missing piece at once.
func Holds(t testing.TB, what, text string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("%s: no %q in:\n%s", what, want, text)
		}
	}
}
