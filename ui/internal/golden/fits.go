package golden

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// Fits fails t when frame, named what in the messages, has more than h
// lines or a line wider than w cells: a frame must never overflow the area
// it was drawn for, whatever is on screen.
func Fits(t testing.TB, what, frame string, w, h int) {
	t.Helper()
	lines := strings.Split(frame, "\n")
	if len(lines) > h {
		t.Errorf("%s at %d×%d: %d lines", what, w, h, len(lines))
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Errorf("%s at %d×%d: line %d is %d wide: %q", what, w, h, i+1, lw, ansi.Strip(l))
		}
	}
}
