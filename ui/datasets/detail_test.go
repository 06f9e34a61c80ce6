package datasets

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/model"
	"brightrun/ui/internal/golden"
	"brightrun/ui/internal/uitest"
)

// openByName moves the cursor to a dataset and opens its report.
func openByName(t *testing.T, m *Model, name string) {
	t.Helper()
	for i := 0; i < len(m.shown); i++ {
		if d, _ := m.selected(); d.Name == name {
			press(m, "enter")
			if m.mode != modeDetail {
				t.Fatalf("enter did not open the report")
			}
			return
		}
		press(m, "j")
	}
	t.Fatalf("%s is not listed", name)
}

func TestGoldenDetail(t *testing.T) {
	for _, s := range [][2]int{{80, 24}, {120, 40}} {
		name := fmt.Sprintf("detail_%dx%d", s[0], s[1])
		t.Run(name, func(t *testing.T) {
			m := newLoaded(t, uitest.NewBackend(t), s[0], s[1])
			openByName(t, m, "scraped-faq")
			golden.Assert(t, name, m.View())
		})
	}
	t.Run("detail_ready_120x40", func(t *testing.T) {
		m := newLoaded(t, uitest.NewBackend(t), 120, 40)
		openByName(t, m, "support-2024-q4")
		press(m, "G")
		golden.Assert(t, "detail_ready_120x40", m.View())
	})
}

func TestDetailShowsTheWholeReport(t *testing.T) {
	m := newLoaded(t, uitest.NewBackend(t), 120, 40)
	openByName(t, m, "scraped-faq")
	content := ansi.Strip(m.detail.vp.GetContent())
	uitest.Holds(t, "report", content,
		"✗ 12 errors (invalid_json 7, empty_content 3, last_not_assistant 2); first at line 4",
		"Shape      sharegpt · 193 lines (1 blank) · 180 valid · 1 duplicate",
		"✗ not training ready: 12 errors",
		"per example min 18 · mean 96.4 · p50 88 · p95 201 · max 388",
		"Issues  12 errors · 1 warning · n/N steps through them",
		"Line", "Code", "Message",
		"invalid_json                 7  error",
		"duplicate                    1  warning",
		"0–256", "256–512",
		"How do I reset my password?", "gpt", "prorated on your next invoice",
	)
}

func TestStepThroughIssues(t *testing.T) {
	m := newLoaded(t, uitest.NewBackend(t), 80, 24)
	openByName(t, m, "scraped-faq")
	position := func() string { return ansi.Strip(m.detail.vp.GetContent()) }
	press(m, "n", "n", "n")
	if c := position(); !strings.Contains(c, "issue 4 of 13 (error) · line 31 · last_not_assistant") ||
		!strings.Contains(c, "the last message is from human, not gpt") {
		t.Errorf("after n n n:\n%s", c)
	}
	// The table is in view after a jump.
	if v := ansi.Strip(m.View()); !strings.Contains(v, "     31 last_not_assistant") {
		t.Errorf("table not in view:\n%s", v)
	}
	press(m, "N", "N", "N", "N")
	if c := position(); !strings.Contains(c, "issue 13 of 13 (warning) · line 45 · duplicate") {
		t.Errorf("N past the first did not go round:\n%s", c)
	}
	press(m, "n")
	if c := position(); !strings.Contains(c, "issue 1 of 13 (error) · line 4") {
		t.Errorf("n past the last did not go round:\n%s", c)
	}
}

func TestStepKeepsTheCursorInTheTable(t *testing.T) {
	m := newLoaded(t, uitest.NewBackend(t), 120, 40)
	openByName(t, m, "support-2024-q4")
	// All 100 warnings forward, round the end, and back again.
	check := func(step string, want int) {
		t.Helper()
		press(m, step)
		is := m.detail.rows[m.detail.issues.Cursor()]
		row := fmt.Sprintf("%7s %-20s", fmt.Sprint(is.Line), is.Code)
		if want != m.detail.issues.Cursor() || !strings.Contains(ansi.Strip(m.detail.issues.View()), row) {
			t.Fatalf("%s to %d: cursor %d, row %q not drawn:\n%s", step, want, m.detail.issues.Cursor(), row, m.detail.issues.View())
		}
	}
	for i := 1; i < 100; i++ {
		check("n", i)
	}
	check("n", 0)
	check("N", 99)
	for i := 98; i >= 90; i-- {
		check("N", i)
	}
}

func TestDetailFollowsValidation(t *testing.T) {
	b := uitest.NewBackend(t)
	f := b.DatasetFixture()
	m := newLoaded(t, b, 80, 24)
	openByName(t, m, "tone-tuner-v2")
	if c := m.detail.vp.GetContent(); !strings.Contains(c, "Validation is running in the background") {
		t.Errorf("validating detail:\n%s", c)
	}
	// The worker finishes: the next poll sees it and reads the report.
	support, _ := f.Find("support-2024-q4")
	f.Lock()
	f.Items[0].Status, f.Items[0].TrainingReady = model.DatasetReady, true
	f.Items[0].ValidationReport = support.ValidationReport
	f.Items[0].UpdatedAt = f.Items[0].UpdatedAt.Add(1)
	f.Unlock()
	details := f.Details
	deliver(m, []tea.Msg{pollMsg{}})
	if f.Details != details+1 {
		t.Fatalf("the detail was not read again: %d reads", f.Details)
	}
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "✓ ready") || !strings.Contains(m.detail.vp.GetContent(), "training ready") {
		t.Errorf("detail after validation:\n%s", v)
	}
	press(m, "esc")
	if m.mode != modeList {
		t.Errorf("esc left mode %v", m.mode)
	}
}

func TestDetailDeleteReturnsToTheList(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newLoaded(t, b, 80, 24)
	openByName(t, m, "alpaca-mini")
	press(m, "d")
	if m.mode != modeDelete {
		t.Fatalf("d in the detail: mode %v", m.mode)
	}
	press(m, "esc")
	if m.mode != modeDetail {
		t.Fatalf("keeping it left mode %v", m.mode)
	}
	press(m, "d", "y")
	if m.mode != modeList || len(b.DatasetFixture().Deleted) != 1 {
		t.Errorf("mode %v, deleted %v", m.mode, b.DatasetFixture().Deleted)
	}
}

func TestUnreadableReport(t *testing.T) {
	b := uitest.NewBackend(t)
	f := b.DatasetFixture()
	f.Items[3].ValidationReport = json.RawMessage(`{"errors": 3}`)
	m := newLoaded(t, b, 80, 24)
	openByName(t, m, "alpaca-mini")
	if c := ansi.Strip(m.detail.vp.GetContent()); !strings.Contains(c, "The report could not be read:") {
		t.Errorf("content:\n%s", c)
	}
}

func TestSampleShapes(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{`{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}`, "user:hi|assistant:hello"},
		{`{"conversations":[{"from":"human","value":"q"},{"from":"gpt","value":"a"}]}`, "human:q|gpt:a"},
		{`{"instruction":"sum","input":"1 2","output":"3"}`, "instruction:sum\n1 2|output:3"},
		{`[1,2]`, "line:[1,2]"},
		{`{"other":1}`, `line:{"other":1}`},
	} {
		var got []string
		for _, tr := range sampleTurns(json.RawMessage(tc.line)) {
			got = append(got, tr.role+":"+tr.text)
		}
		if g := strings.Join(got, "|"); g != tc.want {
			t.Errorf("%s: got %q, want %q", tc.line, g, tc.want)
		}
	}
}

// TestCleanFromTheReport: x in the report of a dataset with errors makes a
// clean copy (listed, validating) and says so; a dataset with nothing to
// drop is left alone, and the key shows only where it applies.
func TestCleanFromTheReport(t *testing.T) {
	tests := []struct {
		name    string
		cleaned int
		notice  string
	}{
		{"scraped-faq", 1, "“scraped-faq (clean)” holds the valid lines of “scraped-faq”; validating it"},
		{"alpaca-mini", 0, "“alpaca-mini” has no line to drop"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := uitest.NewBackend(t)
			m := newLoaded(t, b, 120, 40)
			openByName(t, m, tt.name)
			help := fmt.Sprint(m.ShortHelp())
			if strings.Contains(help, "clean copy") != (tt.cleaned == 1) {
				t.Errorf("help %s", help)
			}
			got := strings.Join(notices(press(m, "x")), " | ")
			if len(b.DatasetFixture().Cleaned) != tt.cleaned || !strings.Contains(got, tt.notice) {
				t.Fatalf("cleaned %v, notices %q", b.DatasetFixture().Cleaned, got)
			}
			if _, ok := b.DatasetFixture().Find(tt.name + " (clean)"); ok != (tt.cleaned == 1) {
				t.Errorf("the copy is listed: %v", ok)
			}
		})
	}
}
