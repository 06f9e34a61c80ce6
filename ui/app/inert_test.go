package app_test

import (
	"strings"
	"testing"

	"brightrun/ui/app"
	"brightrun/ui/common"
	"brightrun/ui/datasets"
	"brightrun/ui/internal/uitest"
	"brightrun/ui/notifications"
)

// TestStoredTextIsDrawnInert: a colour, an OSC 52 clipboard write or a
// cursor report in stored text is drawn as visible text, never as the
// sequence, on every screen (they all get their text through the shell's
// backend). With NoColor the frame's own styling has no colour, so any
// colour sequence in it would be stored text.
func TestStoredTextIsDrawnInert(t *testing.T) {
	b := uitest.NewBackend(t)
	b.Items[0].Title = "\x1b[31mred\x1b[0m title"
	b.Items[0].Message = "clip \x1b]52;c;SGVsbG8=\x07 ask \x1b[6n"
	f := b.DatasetFixture()
	f.Lock()
	f.Items[0].Name = "\x1b[32mgreen"
	f.Unlock()
	m := start(t, b, 160, 40, appOptions(notifications.New, datasets.New))

	check := func(screen string, visible ...string) {
		t.Helper()
		frame := content(m)
		for _, raw := range []string{"\x1b[31m", "\x1b[32m", "\x1b]52", "\x1b[6n", "\x07"} {
			if strings.Contains(frame, raw) {
				t.Errorf("%s: stored sequence %q reaches the terminal", screen, raw)
			}
		}
		for _, v := range visible {
			if !strings.Contains(plain(m), v) {
				t.Errorf("%s: %q is not shown:\n%s", screen, v, plain(m))
			}
		}
	}
	check("notifications", `\x1b[31mred\x1b[0m title`)
	press(m, "2")
	check("datasets", `\x1b[32mgreen`)
}

func appOptions(screens ...common.ScreenFactory) app.Options {
	return app.Options{Screens: screens}
}
