package confirm

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"brightrun/ui/internal/uitest"
	"brightrun/ui/theme"
)

// TestAnswerRunsTheChosenSide: a pending key runs nothing and leaves the
// question open; y runs yes, n runs no, and a missing side runs nothing
// but still closes the question.
func TestAnswerRunsTheChosenSide(t *testing.T) {
	type ran string
	side := func(name string) func() tea.Cmd {
		return func() tea.Cmd { return func() tea.Msg { return ran(name) } }
	}
	for _, tc := range []struct {
		key     string
		yes, no func() tea.Cmd
		want    ran // "" when nothing runs
		done    bool
	}{
		{"q", side("yes"), side("no"), "", false},
		{"y", side("yes"), side("no"), "yes", true},
		{"n", side("yes"), side("no"), "no", true},
		{"esc", side("yes"), nil, "", true},
	} {
		m := New(theme.New(true), "Cancel job “sft-q4”?", "")
		cmd, done := m.Answer(uitest.Key(tc.key), tc.yes, tc.no)
		var got ran
		if cmd != nil {
			got, _ = cmd().(ran)
		}
		if got != tc.want || done != tc.done {
			t.Errorf("%s: ran %q done %v, want %q %v", tc.key, got, done, tc.want, tc.done)
		}
	}
}
