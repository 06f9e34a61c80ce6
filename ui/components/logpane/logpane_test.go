package logpane

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/ui/theme"
)

func TestFindMatches(t *testing.T) {
	lines := []string{"CUDA out of memory", "torch.cuda warning", "nothing", "cuda cuda"}
	for _, tc := range []struct {
		q     string
		lines []int
		first []int
	}{
		{"cuda", []int{0, 1, 3, 3}, []int{0, 4}},
		{"CUDA", []int{0}, []int{0, 4}},
		{"warning", []int{1}, []int{19 + 11, 19 + 18}},
		{"absent", nil, nil},
	} {
		ranges, at := findMatches(lines, tc.q)
		if !slices.Equal(at, tc.lines) {
			t.Errorf("%q: lines %v, want %v", tc.q, at, tc.lines)
			continue
		}
		if tc.first != nil && !slices.Equal(ranges[0], tc.first) {
			t.Errorf("%q: first range %v, want %v", tc.q, ranges[0], tc.first)
		}
	}
}

// TestPaneFollowsSearchesAndSteps: the pane follows its end until
// scrolled away, keeps its place as lines arrive, and steps through a
// query's matches.
func TestPaneFollowsSearchesAndSteps(t *testing.T) {
	th := theme.New(true)
	p := New(th, "search")
	if v := p.View(th, 20, 3, "  none yet"); len(v) != 1 || ansi.Strip(v[0]) != "  none yet" {
		t.Fatalf("empty pane: %q", v)
	}
	lines := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("line %d", i)
		}
		return out
	}
	p.SetLines(lines(10), nil)
	if v := p.View(th, 20, 3, ""); strings.TrimSpace(ansi.Strip(v[2])) != "line 9" || !p.Following() {
		t.Fatalf("not at the end: %q", v)
	}
	p.Viewport().ScrollUp(2)
	p.Scrolled()
	p.SetLines(lines(12), nil)
	if v := p.View(th, 20, 3, ""); strings.TrimSpace(ansi.Strip(v[0])) != "line 5" || p.Following() {
		t.Errorf("scrolled away, new lines moved the view: %q", v)
	}
	p.Search()
	for _, r := range "line 1" {
		p.UpdateInput(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	if v := p.View(th, 20, 3, ""); len(v) != 3 || !strings.HasPrefix(ansi.Strip(v[2]), "/line 1") {
		t.Errorf("the query is not on the last line: %q", v)
	}
	p.Submit()
	if p.Query() != "line 1" || p.Matches() != 3 || p.Typing() { // line 1, 10, 11
		t.Fatalf("query %q: %d matches, typing %v", p.Query(), p.Matches(), p.Typing())
	}
	at := p.Current()
	p.Step(1)
	if p.Current() != (at+1)%3 {
		t.Errorf("step went from %d to %d", at, p.Current())
	}
	if note := ansi.Strip(p.SearchNote(th)); !strings.Contains(note, "/3") {
		t.Errorf("note %q", note)
	}
	p.ClearSearch()
	if p.Query() != "" || p.Matches() != 0 || p.SearchNote(th) != "" {
		t.Errorf("cleared: query %q, %d matches", p.Query(), p.Matches())
	}
}
