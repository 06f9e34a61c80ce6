package conversations

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/format"
	"brightrun/ui/internal/golden"
	"brightrun/ui/internal/uitest"
)

func plain(m *Model) string { return ansi.Strip(m.View()) }

func TestGolden(t *testing.T) {
	golden.AtSizes(func(w, h int, name func(string) string) {
		t.Run(name("table"), func(t *testing.T) {
			m := newScreen(t, uitest.NewBackend(t), w, h)
			press(m, "j", "j", "space", "j", "space")
			golden.Assert(t, name("table"), m.View())
		})
		t.Run(name("table_sorted_filtered"), func(t *testing.T) {
			m := newScreen(t, uitest.NewBackend(t), w, h)
			press(m, "s", "S", "/")
			typeText(m, "debt")
			press(m, "enter")
			golden.Assert(t, name("table_sorted_filtered"), m.View())
		})
		t.Run(name("detail_turns"), func(t *testing.T) {
			m := newScreen(t, uitest.NewBackend(t), w, h)
			press(m, "G", "enter") // the oldest: the first demo conversation
			golden.Assert(t, name("detail_turns"), m.View())
		})
		t.Run(name("detail_pairs"), func(t *testing.T) {
			m := newScreen(t, uitest.NewBackend(t), w, h)
			press(m, "G", "enter", "v")
			golden.Assert(t, name("detail_pairs"), m.View())
		})
		t.Run(name("facets"), func(t *testing.T) {
			m := newScreen(t, uitest.NewBackend(t), w, h)
			press(m, "f", "j", "j", "space", "g", "l", "l", "l", "l", "l", "l", "l", "l", "l", "l", "l", "l", "l", "l", "l", "l", "l")
			golden.Assert(t, name("facets"), m.View())
		})
	})
	t.Run("large_120x40", func(t *testing.T) {
		m := newScreen(t, uitest.NewLargeBackend(t, 100_000), 120, 40)
		press(m, "G")
		golden.Assert(t, "large_120x40", m.View())
	})
	t.Run("new_file_80x24", func(t *testing.T) {
		m := newScreen(t, uitest.NewBackend(t), 80, 24)
		press(m, "space", "space", "n")
		typeText(m, "empathy-v2")
		golden.Assert(t, "new_file_80x24", m.View())
	})
}

func TestLoadsNewestFirstWithThePosition(t *testing.T) {
	m := newScreen(t, uitest.NewBackend(t), 120, 40)
	v := plain(m)
	first := strings.Index(v, "Widower at 63")
	second := strings.Index(v, "Widowed at 42")
	if first < 0 || second < 0 || first > second {
		t.Fatalf("not newest first:\n%s", v)
	}
	uitest.Holds(t, "view", v, "1–38 of 66", "Created▼", "pragmatic_pr…", "9.4")
}

// TestWindowOf100k checks that the screen only ever asks for a window,
// and that the ends of a 100,000-row table are one key away.
func TestWindowOf100k(t *testing.T) {
	b := uitest.NewLargeBackend(t, 100_000)
	m := newScreen(t, b, 120, 40)
	d := b.Data()
	for _, q := range d.Queries {
		if q.Limit > windowSize {
			t.Fatalf("a query asked for %d rows", q.Limit)
		}
	}
	if c, _ := m.current(); !strings.Contains(plain(m), "1–38 of 100,000") || c.ConversationID != "gen-000001" {
		t.Fatalf("first page on %q:\n%s", c.ConversationID, plain(m))
	}
	press(m, "G")
	last := d.Queries[len(d.Queries)-1]
	if last.Offset != 100_000-windowSize || last.Limit != windowSize {
		t.Errorf("G fetched offset %d limit %d", last.Offset, last.Limit)
	}
	v := plain(m)
	if !strings.Contains(v, "99,963–100,000 of 100,000") {
		t.Errorf("last page:\n%s", v)
	}
	if c, ok := m.current(); !ok || c.ConversationID != "gen-100000" {
		t.Errorf("cursor on %q, want the last row", c.ConversationID)
	}
	press(m, "g")
	if c, _ := m.current(); c.ConversationID != "gen-000001" {
		t.Errorf("g: cursor on %q", c.ConversationID)
	}
	if len(m.win.rows) > windowSize {
		t.Errorf("holding %d rows", len(m.win.rows))
	}
}

func TestScrollingFetchesTheNextWindow(t *testing.T) {
	b := uitest.NewLargeBackend(t, 100_000)
	m := newScreen(t, b, 80, 24)
	pgdn := tea.KeyPressMsg{Code: tea.KeyPgDown}
	before := len(b.Data().Queries)
	for range 12 {
		send(m, pgdn)
	}
	if m.cursor != 12*m.pageHeight() {
		t.Fatalf("cursor %d after 12 pages of %d", m.cursor, m.pageHeight())
	}
	if len(b.Data().Queries) == before {
		t.Fatal("scrolling past the window fetched nothing")
	}
	if !m.win.has(m.cursor) || strings.Contains(plain(m), "…  ·") {
		t.Errorf("rows still pending after the fetch:\n%s", plain(m))
	}
	want := fmt.Sprintf("gen-%06d", m.cursor+1)
	if c, _ := m.current(); c.ConversationID != want {
		t.Errorf("cursor on %q, want %s", c.ConversationID, want)
	}
	// Going back up within the window asks for nothing.
	n := len(b.Data().Queries)
	press(m, "k", "k")
	if len(b.Data().Queries) != n {
		t.Error("moving inside the window fetched again")
	}
}

func TestStaleWindowIsDropped(t *testing.T) {
	m := newScreen(t, uitest.NewBackend(t), 80, 24)
	m.Update(pageMsg{seq: m.fetchSeq - 1, page: model.ConversationPage{Total: 1}})
	if m.total != 66 {
		t.Errorf("an old answer replaced the window: total %d", m.total)
	}
}

func TestPendingRowsWhileAWindowLoads(t *testing.T) {
	m := newScreen(t, uitest.NewLargeBackend(t, 100_000), 80, 24)
	m.Update(uitest.Key("G")) // the fetch is not delivered
	v := plain(m)
	if !strings.Contains(v, "  …") || !strings.Contains(v, "99,979–100,000 of 100,000") {
		t.Errorf("no placeholder rows while the last window loads:\n%s", v)
	}
}

// TestPreviousRowsWhileAFilterLoads: between the key that applies a filter
// and the page it fetches, the table keeps showing the rows it had (the
// cursor back on the first), rather than blanking between keystrokes.
func TestPreviousRowsWhileAFilterLoads(t *testing.T) {
	m := newScreen(t, uitest.NewBackend(t), 120, 40)
	first := m.win.rows[0].Title[:20] // as wide as the column shows
	press(m, "/")
	for _, msg := range uitest.Type("crypt") {
		m.Update(msg)
	}
	m.Update(uitest.Key("enter")) // the fetch is not delivered
	if !m.stale {
		t.Fatal("enter did not start the query")
	}
	if v := plain(m); !strings.Contains(v, first) || strings.Contains(v, "  …") {
		t.Errorf("the previous rows are gone while the filter loads (want %q):\n%s", first, v)
	}
}

func TestSortCyclesAndReverses(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 120, 40)
	press(m, "s")
	q := b.Data().Queries[len(b.Data().Queries)-1]
	if q.Sort != model.SortTitle || q.Desc {
		t.Fatalf("s: sort %q desc %v", q.Sort, q.Desc)
	}
	if c, _ := m.current(); !strings.HasPrefix(c.Title, "$") {
		t.Errorf("title ascending starts with %q", c.Title)
	}
	if !strings.Contains(plain(m), "Title▲") {
		t.Errorf("no ▲ on the title:\n%s", plain(m))
	}
	press(m, "S")
	if c, _ := m.current(); !strings.HasPrefix(c.Title, "Will, trust") {
		t.Errorf("title descending starts with %q", c.Title)
	}
	if !strings.Contains(plain(m), "Title▼") {
		t.Error("no ▼ after S")
	}
	press(m, "<", "<") // back past the first column to Created, ascending
	q = b.Data().Queries[len(b.Data().Queries)-1]
	if q.Sort != model.SortPairCount {
		t.Errorf("< <: sort %q", q.Sort)
	}
	// At 80 columns the topic is hidden; the header says what sorts.
	m.SetSize(80, 24)
	press(m, "s", "s", "s", "s", "s")
	if q := b.Data().Queries[len(b.Data().Queries)-1]; q.Sort != model.SortTrainingTopic {
		t.Fatalf("sort %q, want topic", q.Sort)
	}
	if !strings.Contains(plain(m), "by topic ▲") {
		t.Errorf("hidden sort column not named:\n%s", plain(m))
	}
}

func TestFilterAsYouType(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 120, 40)
	press(m, "/")
	if !m.InputFocused() {
		t.Fatal("/ did not focus the filter")
	}
	// Keystrokes only, without running their commands: a debounce tick
	// must not land in between on a slow machine.
	for _, msg := range uitest.Type("cryp") {
		m.Update(msg)
	}
	// The debounce fires for the newest keystroke only.
	m.Update(filterTickMsg{seq: m.filterSeq - 1})
	if m.query.Text != "" {
		t.Fatalf("an older keystroke's tick ran the query %q", m.query.Text)
	}
	_, cmd := m.Update(uitest.Key("t"))
	tick, ok := waitFor[filterTickMsg](cmd, time.Second)
	if !ok {
		t.Fatal("no debounce tick after typing")
	}
	send(m, tick)
	if m.query.Text != "crypt" || !strings.Contains(plain(m), "1–1 of 1") || !strings.Contains(plain(m), "crypto pool") {
		t.Errorf("after the debounce: text %q\n%s", m.query.Text, plain(m))
	}
	// q is text while typing, not quit.
	press(m, "q")
	if m.filter.Value() != "cryptq" {
		t.Errorf("filter %q", m.filter.Value())
	}
	press(m, "backspace", "enter")
	if m.InputFocused() || !strings.Contains(plain(m), "“crypt”") {
		t.Errorf("enter did not apply and leave:\n%s", plain(m))
	}
	press(m, "esc") // clears the filter
	if m.query.Text != "" || !strings.Contains(plain(m), "of 66") {
		t.Errorf("esc left the filter %q", m.query.Text)
	}
	press(m, "/")
	typeText(m, "zzz")
	press(m, "enter")
	if v := plain(m); !strings.Contains(v, "No conversation matches") {
		t.Errorf("no empty state for a filter matching nothing:\n%s", v)
	}
}

func TestFacets(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 120, 40)
	press(m, "f")
	if !m.InputFocused() || !strings.Contains(plain(m), "edge_case") {
		t.Fatalf("facet panel:\n%s", plain(m))
	}
	press(m, "j", "j", "space") // tier edge_case
	if strings.Join(m.query.Tiers, ",") != "edge_case" || m.total != 13 {
		t.Fatalf("tiers %v total %d", m.query.Tiers, m.total)
	}
	press(m, "g")
	for range 18 {
		press(m, "l")
	}
	if m.query.MinQuality == nil || *m.query.MinQuality != 8.5 {
		t.Fatalf("min quality %v", m.query.MinQuality)
	}
	if m.total != 12 {
		t.Errorf("edge cases of quality ≥ 8.5: %d, want 12", m.total)
	}
	press(m, "h", "h")
	if *m.query.MinQuality != 7.5 {
		t.Errorf("h h: %v", *m.query.MinQuality)
	}
	press(m, "enter")
	if m.InputFocused() || !strings.Contains(plain(m), "tier edge_case · q≥7.5") {
		t.Errorf("facets not summed up in the header:\n%s", plain(m))
	}
	press(m, "f", "c", "esc")
	if m.filteredByFacets() || m.total != 66 {
		t.Errorf("c did not clear the facets: %d", m.total)
	}
	if s := stepQuality(nil, false); s != nil {
		t.Error("below any is any")
	}
	if s := stepQuality(stepQuality(nil, true), false); s != nil {
		t.Error("0 down is any")
	}
}

func TestSelectionSpansWindowsAndSelectAll(t *testing.T) {
	b := uitest.NewLargeBackend(t, 100_000)
	m := newScreen(t, b, 80, 24)
	press(m, "space", "space")
	press(m, "G", "space")
	if m.sel.Len() != 3 || m.Badge() != "✓3" {
		t.Fatalf("selected %d, badge %q", m.sel.Len(), m.Badge())
	}
	press(m, "g")
	if !strings.Contains(plain(m), "✓ ") {
		t.Error("selection lost after the window changed")
	}
	press(m, "esc")
	if m.sel.Len() != 0 {
		t.Error("esc kept the selection")
	}
	press(m, "/")
	typeText(m, "(#1")
	press(m, "enter")
	passed := press(m, "A")
	q := m.query
	q.Offset, q.Limit, q.Trainable = 0, 0, true
	trainable, err := b.ConversationIDs(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	// Select-all takes the trainable part of the filtered set: raw
	// conversations cannot go into a training file.
	if m.total != 11112 || len(trainable) == 0 || len(trainable) > m.total || m.sel.Len() != len(trainable) {
		t.Errorf("A selected %d of %d (%d trainable)", m.sel.Len(), m.total, len(trainable))
	}
	n, ok := uitest.Find[common.NoticeMsg](passed)
	if !ok || !strings.Contains(string(n), format.Thousands(int64(len(trainable)))) {
		t.Errorf("notice %q", n)
	}
	if left := m.total - len(trainable); left > 0 && !strings.Contains(string(n), "left out") {
		t.Errorf("notice %q does not say %d raw ones were left out", n, left)
	}
	// An answer for a query that changed meanwhile is dropped.
	m.Update(selectedAllMsg{querySeq: m.querySeq - 1, ids: nil})
	if m.sel.Len() != len(trainable) {
		t.Error("a stale select-all changed the selection")
	}
}

func TestErrorsAndEmptyState(t *testing.T) {
	b := uitest.NewBackend(t)
	b.Data().SetErr("ListConversations", errors.New("database is down"))
	c := newScreen(t, b, 80, 24)
	if v := plain(c); !strings.Contains(v, "Could not load conversations") || !strings.Contains(v, "database is down") {
		t.Errorf("error state:\n%s", v)
	}
	b = uitest.NewBackend(t)
	b.Data().SetRows(nil)
	c = newScreen(t, b, 80, 24)
	if v := plain(c); !strings.Contains(v, "No conversations yet") {
		t.Errorf("empty state:\n%s", v)
	}
	press(c, "enter", "space", "j", "G")
	if c.mode != modeBrowse {
		t.Error("keys on an empty table opened something")
	}
}

// TestFramesFit renders every mode at several sizes: never wider than the
// screen nor taller.
func TestFramesFit(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}, {60, 15}, {30, 8}, {12, 5}} {
		w, h := size[0], size[1]
		for _, keys := range [][]string{nil, {"f"}, {"i"}, {"space", "n"}, {"space", "t"}, {"enter"}, {"enter", "v"}, {"enter", "e"}, {"/"}} {
			m := newScreen(t, uitest.NewBackend(t), w, h)
			m.importDir = t.TempDir()
			press(m, keys...)
			golden.Fits(t, fmt.Sprint(keys), m.View(), w, h)
		}
	}
}

// The Persona, Arc and Topic columns show the reference names the engine
// gives a row, the key where there is none; the detail shows both.
func TestReferenceColumnsShowNames(t *testing.T) {
	c := model.Conversation{Title: "Layoff", Persona: "pragmatic_professional", PersonaName: "Pragmatic pro",
		EmotionalArc: "fear_to_confidence", EmotionalArcName: "Fear to confidence", TrainingTopic: "new_key"}
	cols, _ := layoutColumns(200)
	row := cells(cols, c, false)
	byTitle := map[string]string{}
	for i, col := range cols {
		byTitle[col.title] = row[i]
	}
	if byTitle["Persona"] != "Pragmatic pro" || byTitle["Arc"] != "Fear to confidence" || byTitle["Topic"] != "new_key" {
		t.Errorf("cells %q", byTitle)
	}
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 120, 40)
	m.openDetail(c)
	v := plain(m)
	if !strings.Contains(v, "Pragmatic pro (pragmatic_professional) · Fear to confidence (fear_to_confidence) · new_key") {
		t.Errorf("detail header lacks the names with their keys:\n%s", v)
	}
}
