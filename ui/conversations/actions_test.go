package conversations

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/assets"
	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/internal/golden"
	"brightrun/ui/internal/uitest"
)

// paste pastes s into whatever has the keyboard, as a terminal does.
func paste(m *Model, s string) []tea.Msg { return send(m, tea.PasteMsg{Content: s}) }

func TestDetailTurnsAndPairs(t *testing.T) {
	m := newScreen(t, uitest.NewBackend(t), 60, 30)
	press(m, "G", "enter")
	v := plain(m)
	uitest.Holds(t, "turns", v, "Moving $14k out of a savings", "anxious_first_time_investor · fear_to_confidence", "Turns 10", "Pairs 5",
		"▌ User · turn 1", "  │ Assistant · turn 2", "▌ I'm 27, I work as an ER nurse")
	for i, l := range strings.Split(m.View(), "\n") {
		if w := ansi.StringWidth(l); w > 60 {
			t.Errorf("line %d is %d wide", i+1, w)
		}
	}
	press(m, "G")
	if !strings.Contains(plain(m), "100%") {
		t.Errorf("G did not scroll to the end:\n%s", plain(m))
	}
	press(m, "v")
	v = plain(m)
	uitest.Holds(t, "pairs", v, "Pair 1 of 5", "System prompt", "You are Brightrun Advisor", "History", "0 turns before the input", "Input")
	press(m, "G")
	if v := plain(m); !strings.Contains(v, "Target") || !strings.Contains(v, "Emotional ctx") || !strings.Contains(v, "intensity:") {
		t.Errorf("the last pair lacks its target or context:\n%s", v)
	}
	press(m, "esc")
	if m.mode != modeBrowse || m.detail != nil {
		t.Error("esc did not go back to the table")
	}
}

func TestDetailOfARawConversation(t *testing.T) {
	m := newScreen(t, uitest.NewBackend(t), 80, 24)
	press(m, "/")
	typeText(m, "gold IRA")
	press(m, "enter", "enter", "v")
	if v := plain(m); !strings.Contains(v, "No training pairs: this conversation is raw") {
		t.Errorf("raw pairs view:\n%s", v)
	}
	passed := press(m, "E")
	if n, ok := uitest.Find[common.NoticeMsg](passed); !ok || !strings.Contains(string(n), "not enriched") || m.detail.prompting() {
		t.Errorf("E on a raw conversation: %q", n)
	}
}

func TestExportRawAndEnriched(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 80, 24)
	press(m, "G", "enter", "e")
	if !m.InputFocused() {
		t.Fatal("e opened no prompt")
	}
	const id = "bf236b29-8768-4f91-972e-b6ff3e903c9f"
	if got := m.detail.prompt.Value(); got != "./"+id+".enriched.json" {
		t.Errorf("default path %q", got)
	}
	press(m, "tab")
	if got := m.detail.prompt.Value(); got != "./"+id+".raw.json" || m.detail.flavour != model.FlavourRaw {
		t.Errorf("tab: %q %s", got, m.detail.flavour)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "raw.json")
	press(m, "ctrl+u")
	paste(m, out)
	passed := press(m, "enter")
	want, _ := fs.ReadFile(assets.Demo, "demo/conversations/01-savings-to-first-index-fund.raw.json")
	if got, err := os.ReadFile(out); err != nil || string(got) != string(want) {
		t.Fatalf("raw export differs from the imported file (%v)", err)
	}
	if n, ok := uitest.Find[common.NoticeMsg](passed); !ok || !strings.HasPrefix(string(n), "Wrote the raw file to "+out) {
		t.Errorf("notice %q", n)
	}
	if m.detail.prompting() {
		t.Error("the prompt stayed open")
	}
	press(m, "E", "ctrl+u")
	out = filepath.Join(dir, "enriched.json")
	paste(m, out)
	press(m, "enter")
	want, _ = fs.ReadFile(assets.Demo, "demo/conversations/01-savings-to-first-index-fund.enriched.json")
	if got, _ := os.ReadFile(out); string(got) != string(want) {
		t.Error("enriched export differs from the imported file")
	}
	b.Data().SetErr("ExportConversation", errors.New("disk full"))
	press(m, "r")
	passed = press(m, "enter")
	if e, ok := uitest.Find[common.ErrMsg](passed); !ok || e.Op != "export raw file" || !m.detail.prompting() {
		t.Errorf("failed export: %v, prompt open %v", passed, m.detail.prompting())
	}
	press(m, "esc", "esc")
	if m.mode != modeBrowse {
		t.Error("esc esc did not leave the detail")
	}
}

func TestNewTrainingFileFromTheSelection(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 80, 24)
	if passed := press(m, "n"); len(passed) != 1 || m.mode != modeBrowse {
		t.Fatalf("n without a selection: %v", passed)
	}
	press(m, "j", "space", "k", "k", "space") // the second row, then the first
	press(m, "n")
	press(m, "enter") // no name yet
	if !strings.Contains(plain(m), "training file name is empty") {
		t.Fatalf("no error for an empty name:\n%s", plain(m))
	}
	typeText(m, "empathy-v2")
	press(m, "tab")
	typeText(m, "first pass")
	passed := press(m, "enter")
	if n, ok := uitest.Find[common.NoticeMsg](passed); !ok || string(n) != "Training file “empathy-v2” created: 2 conversations, 12 pairs" {
		t.Fatalf("notice %q", n)
	}
	members := b.Data().TrainingFileMembers("empathy-v2")
	if len(members) != 2 {
		t.Fatalf("members %v", members)
	}
	if m.sel.Len() != 0 || m.mode != modeBrowse {
		t.Error("the selection or the form stayed")
	}
	// The order of selection is the file's order: the second row first.
	second, first := m.win.rows[1].ID, m.win.rows[0].ID
	if members[0] != second || members[1] != first {
		t.Errorf("order %v, want %v then %v", members, second, first)
	}
}

// Enter creates the file from the name field too: the description is
// optional.
func TestNewTrainingFileEnterFromTheName(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 80, 24)
	press(m, "space", "n")
	typeText(m, "quick")
	passed := press(m, "enter")
	if n, ok := uitest.Find[common.NoticeMsg](passed); !ok || !strings.HasPrefix(string(n), "Training file “quick” created: 1 conversation") {
		t.Fatalf("notice %q", n)
	}
}

func TestNewTrainingFileRefusesARawConversation(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 80, 24)
	press(m, "/")
	typeText(m, "gold IRA")
	press(m, "enter", "space", "n")
	typeText(m, "with-raw")
	passed := press(m, "enter", "enter")
	if e, ok := uitest.Find[common.ErrMsg](passed); !ok || !strings.Contains(e.Error(), "raw") {
		t.Fatalf("no error for the shell: %v", passed)
	}
	if m.mode != modeNewFile || !strings.Contains(plain(m), "is raw (not") {
		t.Errorf("the form did not keep the error:\n%s", plain(m))
	}
	press(m, "esc")
	if m.mode != modeBrowse || m.sel.Len() != 1 {
		t.Error("esc lost the selection or kept the form")
	}
}

func TestAddSelectionToATrainingFile(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 80, 24)
	press(m, "space", "space", "t")
	if !strings.Contains(plain(m), "Empathy templates v1") {
		t.Fatalf("picker:\n%s", plain(m))
	}
	passed := press(m, "j", "enter")
	if n := len(b.Data().TrainingFileMembers("Empathy templates v1")); n != 14 {
		t.Errorf("members %d, want 12 + 2", n)
	}
	if n, ok := uitest.Find[common.NoticeMsg](passed); !ok || !strings.HasPrefix(string(n), "Added 2 conversations to “Empathy templates v1”: now 14") {
		t.Errorf("notice %q", n)
	}
	if m.mode != modeBrowse || m.sel.Len() != 0 {
		t.Error("picker or selection stayed")
	}
}

// writeConversations writes n valid raw files into dir, plus one broken.
func writeConversations(t *testing.T, dir string, n int) {
	t.Helper()
	for i := range n {
		body := fmt.Sprintf(`{"conversation_id":"bulk-%05d","title":"Bulk %d","persona":"anxious_first_time_investor",`+
			`"emotional_arc":"fear_to_confidence","training_topic":"emergency_fund","tier":"template",`+
			`"turns":[{"role":"user","content":"Hi %d"},{"role":"assistant","content":"Hello"}]}`, i, i, i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("c%05d.raw.json", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "zz-broken.json"), []byte(`{"conversation_id":"x","turns":[`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a conversation"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// runImport follows an import's messages one by one (each listen blocks
// until the next report), calling each with the frame after it.
func runImport(t *testing.T, m *Model, cmd tea.Cmd, each func()) []tea.Msg {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for cmd != nil && time.Now().Before(deadline) {
		msg := cmd()
		if _, ok := msg.(importDoneMsg); ok {
			return send(m, msg)
		}
		_, cmd = m.Update(msg)
		if each != nil {
			each()
		}
	}
	t.Fatal("the import never finished")
	return nil
}

func TestImportAFolderOfThousandsShowsProgress(t *testing.T) {
	dir := t.TempDir()
	writeConversations(t, dir, 2000)
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 80, 24)
	m.importDir = dir
	press(m, "i")
	if v := plain(m); !strings.Contains(v, "Import conversations") || !strings.Contains(v, "c00000.raw.json") {
		t.Fatalf("picker:\n%s", v)
	}
	_, cmd := m.Update(uitest.Key("."))
	frames, sawCount := 0, false
	passed := runImport(t, m, cmd, func() {
		frames++
		v := plain(m)
		if strings.Contains(v, "of 2,001 files") && strings.Contains(v, "░") {
			sawCount = true
		}
	})
	if frames < 2 || !sawCount {
		t.Errorf("no progress shown over %d frames", frames)
	}
	v := plain(m)
	uitest.Holds(t, "summary", v, "Import finished", "imported 2,000", "updated 0", "rejected 1", "zz-broken.json: $: not valid JSON")
	if n, ok := uitest.Find[common.NoticeMsg](passed); !ok || string(n) != "Imported 2,000 · updated 0 · rejected 1" {
		t.Errorf("notice %q", n)
	}
	golden.Assert(t, "import_summary_80x24", m.View())
	if m.total != 2066 {
		t.Errorf("table not reloaded: total %d", m.total)
	}
	press(m, "enter")
	if m.mode != modeBrowse {
		t.Error("enter did not close the summary")
	}
}

func TestImportByTypedGlob(t *testing.T) {
	dir := t.TempDir()
	writeConversations(t, dir, 3)
	m := newScreen(t, uitest.NewBackend(t), 80, 24)
	m.importDir = dir
	press(m, "i", "/", "ctrl+u")
	paste(m, filepath.Join(dir, "c*.json")+" "+filepath.Join(dir, "missing.json"))
	_, cmd := m.Update(uitest.Key("enter"))
	runImport(t, m, cmd, nil)
	v := plain(m)
	if !strings.Contains(v, "imported 3") || !strings.Contains(v, "rejected 1") || !strings.Contains(v, "missing.json") {
		t.Errorf("summary:\n%s", v)
	}
}

func TestImportCanBeStopped(t *testing.T) {
	dir := t.TempDir()
	writeConversations(t, dir, 50)
	b := uitest.NewBackend(t)
	b.Data().ImportFileDelay = 20 * time.Millisecond
	m := newScreen(t, b, 80, 24)
	m.importDir = dir
	press(m, "i")
	_, cmd := m.Update(uitest.Key("."))
	stopped := false
	passed := runImport(t, m, cmd, func() {
		if !stopped && m.importer.done >= 2 {
			stopped = true
			m.Update(uitest.Key("esc"))
		}
	})
	if e, ok := uitest.Find[common.ErrMsg](passed); !ok || !errors.Is(e.Err, context.Canceled) {
		t.Errorf("no cancellation error: %v", passed)
	}
	if v := plain(m); !strings.Contains(v, "Import stopped") {
		t.Errorf("summary:\n%s", v)
	}
}
