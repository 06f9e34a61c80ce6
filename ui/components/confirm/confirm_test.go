package confirm

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"brightrun/ui/internal/uitest"
	"brightrun/ui/theme"
)

func TestOnlyYSaysYes(t *testing.T) {
	m := New(theme.New(true), "Delete training file “Q4”?", "Datasets made from it keep their data.")
	for k, want := range map[string]Result{"y": Yes, "Y": Yes, "n": No, "esc": No, "enter": Pending, "space": Pending, "q": Pending} {
		if _, got := m.Update(uitest.Key(k)); got != want {
			t.Errorf("%s: %v, want %v", k, got, want)
		}
	}
}

func TestViewWrapsToWidth(t *testing.T) {
	m := New(theme.New(true), "Remove “Moving $14k out of a savings account and into an index fund” from this training file?", "It is rebuilt at once.")
	m.SetWidth(40)
	v := m.View()
	for _, l := range strings.Split(v, "\n") {
		if w := ansi.StringWidth(l); w > 40 {
			t.Errorf("line %q is %d wide", ansi.Strip(l), w)
		}
	}
	if p := ansi.Strip(v); !strings.Contains(p, "yes") || !strings.Contains(p, "rebuilt") {
		t.Errorf("view:\n%s", p)
	}
}
