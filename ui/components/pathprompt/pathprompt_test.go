package pathprompt

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/ui/internal/uitest"
	"brightrun/ui/theme"
)

func send(m Model, keys ...string) (Model, Result) {
	var r Result
	for _, k := range keys {
		m, _, r = m.Update(uitest.Key(k))
	}
	return m, r
}

func TestEditAndSubmit(t *testing.T) {
	m := New(theme.New(true), "Export enriched file", "./c1.enriched.json")
	m.Focus()
	m, r := send(m, "ctrl+u")
	if r != Editing || m.Value() != "" {
		t.Fatalf("ctrl+u: %q %v", m.Value(), r)
	}
	if _, r = send(m, "enter"); r != Editing {
		t.Error("enter on an empty path submitted")
	}
	for _, msg := range uitest.Type("/tmp/out.json") {
		m, _, _ = m.Update(msg)
	}
	m, r = send(m, "enter")
	if r != Submitted || m.Value() != "/tmp/out.json" {
		t.Errorf("submit: %q %v", m.Value(), r)
	}
	if _, r = send(m, "esc"); r != Cancelled {
		t.Error("esc did not cancel")
	}
}

func TestViewFitsItsWidth(t *testing.T) {
	m := New(theme.New(true), "Export training file as JSONL", strings.Repeat("x", 120))
	m.Hint = "writes the artifact byte for byte"
	m.Focus()
	for _, w := range []int{10, 40, 80} {
		m.SetWidth(w)
		for _, l := range strings.Split(m.View(), "\n") {
			if got := ansi.StringWidth(l); got > max(10, w) {
				t.Errorf("width %d: line %q is %d wide", w, ansi.Strip(l), got)
			}
		}
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "Export training file") || !strings.Contains(v, "writes the artifact") {
		t.Errorf("view:\n%s", v)
	}
}

func TestPasteGoesToTheInput(t *testing.T) {
	m := New(theme.New(true), "Import", "")
	m.Focus()
	m, _, _ = m.Update(tea.PasteMsg{Content: "/data/convs"})
	if m.Value() != "/data/convs" {
		t.Errorf("paste: %q", m.Value())
	}
}

func TestExpand(t *testing.T) {
	home, err := os.UserHomeDir()
	if err != nil {
		t.Skip("no home directory")
	}
	if got := Expand("~/x.json"); got != filepath.Join(home, "x.json") {
		t.Errorf("Expand(~/x.json) = %q", got)
	}
	if got := Expand("./~x.json"); got != "./~x.json" {
		t.Errorf("Expand changed %q", got)
	}
}
