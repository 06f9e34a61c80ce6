package listscreen

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/ui/common"
	"brightrun/ui/theme"
)

func press(name string) tea.KeyPressMsg {
	special := map[string]rune{
		"enter": tea.KeyEnter, "esc": tea.KeyEscape, "up": tea.KeyUp, "down": tea.KeyDown,
		"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd,
		"backspace": tea.KeyBackspace,
	}
	if c, ok := special[name]; ok {
		return tea.KeyPressMsg{Code: c}
	}
	return tea.KeyPressMsg{Code: []rune(name)[0], Text: name}
}

func TestNavMovesByRowPageAndToTheEnds(t *testing.T) {
	keys := common.NewListKeys()
	for _, tc := range []struct {
		name        string
		start       Nav
		key         string
		cursor, top int
		handled     bool
	}{
		{"down", Nav{Cursor: 3, Total: 100, Height: 10}, "down", 4, 0, true},
		{"j", Nav{Cursor: 3, Total: 100, Height: 10}, "j", 4, 0, true},
		{"down scrolls", Nav{Cursor: 9, Total: 100, Height: 10}, "down", 10, 1, true},
		{"down on the last row", Nav{Cursor: 99, Top: 90, Total: 100, Height: 10}, "down", 99, 90, true},
		{"up on the first row", Nav{Total: 100, Height: 10}, "up", 0, 0, true},
		{"g: the first row", Nav{Cursor: 57, Top: 50, Total: 100, Height: 10}, "g", 0, 0, true},
		{"home", Nav{Cursor: 57, Top: 50, Total: 100, Height: 10}, "home", 0, 0, true},
		{"G: the last row", Nav{Cursor: 2, Total: 100, Height: 10}, "G", 99, 90, true},
		{"end", Nav{Cursor: 2, Total: 100, Height: 10}, "end", 99, 90, true},
		{"G in a short list", Nav{Total: 4, Height: 10}, "G", 3, 0, true},
		{"pgdn keeps the place on screen", Nav{Cursor: 3, Total: 100, Height: 10}, "pgdown", 13, 10, true},
		{"pgdn at the end", Nav{Cursor: 95, Top: 90, Total: 100, Height: 10}, "pgdown", 99, 90, true},
		{"pgup", Nav{Cursor: 23, Top: 20, Total: 100, Height: 10}, "pgup", 13, 10, true},
		{"pgup at the top", Nav{Cursor: 3, Total: 100, Height: 10}, "pgup", 0, 0, true},
		{"not a list key", Nav{Cursor: 3, Total: 100, Height: 10}, "x", 3, 0, false},
		{"empty list", Nav{Height: 10}, "G", 0, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := tc.start
			if got := n.Key(press(tc.key), keys); got != tc.handled {
				t.Errorf("handled %v, want %v", got, tc.handled)
			}
			if n.Cursor != tc.cursor || n.Top != tc.top {
				t.Errorf("cursor %d top %d, want %d %d", n.Cursor, n.Top, tc.cursor, tc.top)
			}
		})
	}
}

func TestNavClampsAfterTheListShrinks(t *testing.T) {
	n := Nav{Cursor: 80, Top: 75, Total: 100, Height: 10}
	n.Total = 20
	n.Clamp()
	if n.Cursor != 19 || n.Top != 10 {
		t.Errorf("cursor %d top %d, want 19 10", n.Cursor, n.Top)
	}
	if from, to := n.Shown(); from != 10 || to != 20 {
		t.Errorf("shown %d–%d, want 10–20", from, to)
	}
	n.Total = 0
	n.Clamp()
	if n.Cursor != 0 || n.Top != 0 {
		t.Errorf("empty: cursor %d top %d", n.Cursor, n.Top)
	}
}

func TestFilterTypesAcceptsAndCancels(t *testing.T) {
	accept, cancel := common.Key("enter", "apply", "enter"), common.Key("esc", "cancel", "esc")
	f := NewFilter("/ ", "title", 20)
	if f.Active() {
		t.Fatal("active before /")
	}
	f.Open()
	var events []FilterEvent
	for _, k := range []string{"a", "b", "backspace", "enter"} {
		_, ev := f.Handle(press(k), accept, cancel)
		events = append(events, ev)
	}
	want := []FilterEvent{FilterEdited, FilterEdited, FilterEdited, FilterAccepted}
	if !slices.Equal(events, want) || f.Value() != "a" || f.Active() {
		t.Errorf("events %v value %q active %v; want %v, \"a\", false", events, f.Value(), f.Active(), want)
	}
	// Opened again, the kept text is still there; esc clears it.
	f.Open()
	if _, ev := f.Handle(tea.PasteMsg{Content: "zz"}, accept, cancel); ev != FilterEdited || f.Value() != "azz" {
		t.Errorf("paste: %v %q", ev, f.Value())
	}
	if _, ev := f.Handle(press("esc"), accept, cancel); ev != FilterCancelled || f.Value() != "" || f.Active() {
		t.Errorf("esc: %v %q active %v", ev, f.Value(), f.Active())
	}
	if !strings.HasPrefix(ansi.Strip(f.View()), "/ ") {
		t.Errorf("filter view %q lacks the prompt", ansi.Strip(f.View()))
	}
}

func TestSelectionKeepsOrderAcrossToggles(t *testing.T) {
	s := NewSelection[int]()
	s.Toggle(3)
	s.Toggle(1)
	if n := s.Add([]int{1, 7, 9}); n != 2 {
		t.Errorf("added %d new, want 2", n)
	}
	s.Toggle(3)
	if got := s.Keys(); !slices.Equal(got, []int{1, 7, 9}) || s.Len() != 3 || s.Has(3) || !s.Has(7) {
		t.Errorf("keys %v len %d", got, s.Len())
	}
	v := s.Version
	s.Clear()
	if s.Len() != 0 || s.Has(1) || s.Version == v {
		t.Errorf("after clear: len %d version %d", s.Len(), s.Version)
	}
}

func TestPlaceholderCentresTheEmptyState(t *testing.T) {
	p := Placeholder{Theme: theme.New(true), Width: 40, Height: 7}
	lines := strings.Split(ansi.Strip(p.Empty("No rows yet", "i imports some")), "\n")
	if len(lines) != 7 {
		t.Fatalf("%d lines, want 7", len(lines))
	}
	if strings.TrimSpace(lines[2]) != "No rows yet" {
		t.Errorf("line 3 %q", lines[2])
	}
	if strings.TrimSpace(lines[4]) != "i imports some" || len([]rune(lines[4])) != 40 {
		t.Errorf("line 5 %q", lines[4])
	}
	failed := ansi.Strip(p.Failed("things", errors.New("connection refused")))
	if !strings.Contains(failed, "Could not load things") || !strings.Contains(failed, "connection refused · ctrl+r to retry") {
		t.Errorf("failed state:\n%s", failed)
	}
	if got := ansi.Strip(p.Loading("*", "things")); !strings.Contains(got, "* Loading things…") {
		t.Errorf("loading state:\n%s", got)
	}
}

func TestPlaceholderStandsInUntilTheRowsArrive(t *testing.T) {
	p := Placeholder{Theme: theme.New(true), Width: 40, Height: 7}
	boom := errors.New("connection refused")
	for _, tc := range []struct {
		name   string
		loaded bool
		err    error
		want   string // "" when the rows are drawn
	}{
		{"loading", false, nil, "* Loading things…"},
		{"failed", false, boom, "Could not load things"},
		{"loaded", true, nil, ""},
		{"reload failed over rows", true, boom, ""},
	} {
		s, ok := p.Unloaded(tc.loaded, tc.err, "*", "things")
		if ok != (tc.want != "") || !strings.Contains(ansi.Strip(s), tc.want) {
			t.Errorf("%s: %v %q, want %q", tc.name, ok, ansi.Strip(s), tc.want)
		}
	}
}

func TestTableKeysMoveByTheSharedKeys(t *testing.T) {
	rows := make([]table.Row, 50)
	for i := range rows {
		rows[i] = table.Row{strconv.Itoa(i)}
	}
	tb := table.New(table.WithKeyMap(TableKeys(common.NewListKeys())), table.WithFocused(true),
		table.WithColumns([]table.Column{{Title: "n", Width: 4}}), table.WithRows(rows), table.WithHeight(10))
	for _, step := range []struct {
		key  string
		want int
	}{{"G", 49}, {"g", 0}, {"j", 1}, {"end", 49}, {"home", 0}, {"pgdown", 9}, {"ctrl+d", 9}, {"f", 9}} {
		k := press(step.key)
		if step.key == "ctrl+d" {
			k = tea.KeyPressMsg{Code: 'd', Mod: tea.ModCtrl}
		}
		tb, _ = tb.Update(k)
		if tb.Cursor() != step.want {
			t.Errorf("after %s: cursor %d, want %d", step.key, tb.Cursor(), step.want)
		}
	}
}

// TestHeaderLine: right flush at the edge; with no room, left alone, cut.
func TestHeaderLine(t *testing.T) {
	for _, tc := range []struct {
		w                 int
		left, right, want string
	}{
		{12, "Jobs", "3 of 9", "Jobs  3 of 9"},
		{11, "Jobs", "3 of 9", "Jobs 3 of 9"},
		{10, "Jobs", "3 of 9", "Jobs"},
		{3, "Jobs", "", "Jo…"},
	} {
		if got := HeaderLine(tc.w, tc.left, tc.right); got != tc.want {
			t.Errorf("HeaderLine(%d, %q, %q) = %q, want %q", tc.w, tc.left, tc.right, got, tc.want)
		}
	}
}

// TestSpinTicksOnlyItsOwnSpinnerWhileBusy: the tick loop goes on only for
// this spinner and only while the screen is busy.
func TestSpinTicksOnlyItsOwnSpinnerWhileBusy(t *testing.T) {
	s, other := spinner.New(), spinner.New()
	if Spin(&s, other.Tick().(spinner.TickMsg), true) != nil {
		t.Error("another spinner's tick went on")
	}
	if Spin(&s, s.Tick().(spinner.TickMsg), false) != nil {
		t.Error("a tick went on while idle")
	}
	if Spin(&s, s.Tick().(spinner.TickMsg), true) == nil {
		t.Error("a tick stopped while busy")
	}
}
