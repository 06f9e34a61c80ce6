package confirm

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"brightrun/ui/internal/uitest"
	"brightrun/ui/theme"
)

func TestKeysAnswer(t *testing.T) {
	m := New(theme.New(true), "Delete training file “Q4”?", "Datasets made from it keep their data.")
	for k, want := range map[string]Result{"y": Yes, "Y": Yes, "n": No, "esc": No, "enter": No, "space": Pending, "q": Pending} {
		if _, got := m.Update(uitest.Key(k)); got != want {
			t.Errorf("%s: %v, want %v", k, got, want)
		}
	}
}

// TestEnterTakesTheHighlightedChoice: enter answers what is highlighted,
// no at first, and the panel marks the highlighted choice.
func TestEnterTakesTheHighlightedChoice(t *testing.T) {
	m := New(theme.New(true), "Cancel job “sft-q4”?", "")
	for _, tc := range []struct {
		keys   []string
		want   Result
		marked string
	}{
		{nil, No, "▸ no"},
		{[]string{"left"}, Yes, "▸ yes"},
		{[]string{"tab"}, Yes, "▸ yes"},
		{[]string{"right", "l"}, No, "▸ no"},
		{[]string{"h", "h", "h"}, Yes, "▸ yes"},
	} {
		c := m
		for _, k := range tc.keys {
			var r Result
			if c, r = c.Update(uitest.Key(k)); r != Pending {
				t.Fatalf("%v: %s answered %v", tc.keys, k, r)
			}
		}
		if got := c.Highlighted(); got != tc.want {
			t.Errorf("%v: highlighted %v, want %v", tc.keys, got, tc.want)
		}
		if v := ansi.Strip(c.View()); !strings.Contains(v, tc.marked) {
			t.Errorf("%v: view does not mark %q:\n%s", tc.keys, tc.marked, v)
		}
		if _, got := c.Update(uitest.Key("enter")); got != tc.want {
			t.Errorf("%v then enter: %v, want %v", tc.keys, got, tc.want)
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
