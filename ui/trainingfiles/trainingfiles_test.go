package trainingfiles

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"brightrun/model"
	"brightrun/model/convfile"
	"brightrun/ui/common"
	"brightrun/ui/internal/golden"
	"brightrun/ui/internal/uitest"
)

func plain(m *Model) string { return ansi.Strip(m.View()) }

func TestGolden(t *testing.T) {
	golden.AtSizes(func(w, h int, name func(string) string) {
		t.Run(name("list"), func(t *testing.T) {
			m := newScreen(t, uitest.NewBackend(t), w, h)
			golden.Assert(t, name("list"), m.View())
		})
		t.Run(name("detail"), func(t *testing.T) {
			m := newScreen(t, uitest.NewBackend(t), w, h)
			press(m, "j", "enter", "j", "j")
			golden.Assert(t, name("detail"), m.View())
		})
	})
	t.Run("confirm_delete_80x24", func(t *testing.T) {
		m := newScreen(t, uitest.NewBackend(t), 80, 24)
		press(m, "d")
		golden.Assert(t, "confirm_delete_80x24", m.View())
	})
	t.Run("export_prompt_80x24", func(t *testing.T) {
		m := newScreen(t, uitest.NewBackend(t), 80, 24)
		press(m, "J")
		golden.Assert(t, "export_prompt_80x24", m.View())
	})
}

func TestListNewestFirst(t *testing.T) {
	m := newScreen(t, uitest.NewBackend(t), 120, 40)
	v := plain(m)
	a, b := strings.Index(v, "Crisis and edge cases"), strings.Index(v, "Empathy templates v1")
	if a < 0 || b < 0 || a > b {
		t.Fatalf("not newest first:\n%s", v)
	}
	uitest.Holds(t, "list", v, "2 files · 120 pairs", "27,698", "2h ago", "3d ago", "Referrals, scams and grief")
}

func TestDetailShowsStatsChartsAndConversations(t *testing.T) {
	m := newScreen(t, uitest.NewBackend(t), 120, 40)
	press(m, "j", "enter")
	v := plain(m)
	uitest.Holds(t, "detail", v, "Empathy templates v1", "12 conversations · 55 pairs · 22,654 tokens", "Personas", "Emotional arcs", "Tiers",
		"template", "█", "Moving $14k out of a savings account")
	press(m, "esc")
	if m.detail != nil || !strings.Contains(plain(m), "Convs") {
		t.Error("esc did not go back to the list")
	}
}

func TestRemoveAsksThenRebuilds(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 120, 40)
	press(m, "enter", "j", "x")
	if !m.InputFocused() || !strings.Contains(plain(m), "Remove “The \"bank fraud department\"") {
		t.Fatalf("no question:\n%s", plain(m))
	}
	press(m, "n")
	if len(b.Data().TrainingFileMembers("Crisis and edge cases")) != 12 {
		t.Fatal("n removed anyway")
	}
	press(m, "x", "enter") // enter takes the highlighted choice, no at first
	if m.confirm != nil || len(b.Data().TrainingFileMembers("Crisis and edge cases")) != 12 {
		t.Fatal("enter on the first highlight did not answer no")
	}
	passed := press(m, "x", "left", "enter")
	members := b.Data().TrainingFileMembers("Crisis and edge cases")
	if len(members) != 11 {
		t.Fatalf("%d members after removing one", len(members))
	}
	if n, ok := uitest.Find[common.NoticeMsg](passed); !ok || !strings.Contains(string(n), "now 11 conversations, 60 pairs") {
		t.Errorf("notice %q", n)
	}
	if v := plain(m); !strings.Contains(v, "11 conversations · 60 pairs") || strings.Contains(v, "bank fraud") {
		t.Errorf("detail not refreshed:\n%s", v)
	}
}

func TestRebuild(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 80, 24)
	passed := press(m, "b")
	if b.Data().Calls["BuildTrainingFile"] != 1 {
		t.Fatal("b did not rebuild")
	}
	if n, ok := uitest.Find[common.NoticeMsg](passed); !ok || !strings.HasPrefix(string(n), "Rebuilt “Crisis and edge cases”") {
		t.Errorf("notice %q", n)
	}
	if v := plain(m); !strings.Contains(v, "now") {
		t.Errorf("built time not refreshed:\n%s", v)
	}
}

func TestExportBothArtifacts(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 80, 24)
	dir := t.TempDir()
	press(m, "J")
	if m.prompt == nil || m.prompt.Value() != "./crisis-and-edge-cases.jsonl" {
		t.Fatalf("prompt %v", m.prompt)
	}
	press(m, "ctrl+u")
	jsonl := filepath.Join(dir, "out.jsonl")
	paste(m, jsonl)
	passed := press(m, "enter")
	data, err := os.ReadFile(jsonl)
	if err != nil {
		t.Fatal(err)
	}
	if lines := bytes.Count(data, []byte("\n")); lines != 65 {
		t.Errorf("%d JSONL lines, want one per pair (65)", lines)
	}
	if n, ok := uitest.Find[common.NoticeMsg](passed); !ok || !strings.Contains(string(n), "Wrote JSONL to "+jsonl) {
		t.Errorf("notice %q", n)
	}
	press(m, "O", "ctrl+u")
	doc := filepath.Join(dir, "out.json")
	paste(m, doc)
	press(m, "enter")
	var got struct {
		Format string `json:"format"`
		Stats  struct {
			ConversationCount int `json:"conversation_count"`
		} `json:"stats"`
	}
	data, _ = os.ReadFile(doc)
	if err := json.Unmarshal(data, &got); err != nil || got.Format != convfile.LoRAv4Format || got.Stats.ConversationCount != 12 {
		t.Errorf("training.json: %v %+v", err, got)
	}
	press(m, "J", "esc")
	if m.prompt != nil {
		t.Error("esc kept the prompt")
	}
}

func TestDatasetBridge(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 80, 24)
	passed := press(m, "enter", "D")
	ds := b.Data().Datasets
	if len(ds) != 1 || ds[0].TrainingFileID == nil || ds[0].Name != "Crisis and edge cases" {
		t.Fatalf("datasets %+v", ds)
	}
	n, ok := uitest.Find[common.NoticeMsg](passed)
	if !ok || !strings.Contains(string(n), "Dataset “Crisis and edge cases” made") || !strings.Contains(string(n), "validating") {
		t.Errorf("notice %q", n)
	}
	b.Data().SetErr("DatasetFromTrainingFile", errors.New("object storage is unreachable"))
	passed = press(m, "D")
	if e, ok := uitest.Find[common.ErrMsg](passed); !ok || e.Op != "make dataset" {
		t.Errorf("no error for the shell: %v", passed)
	}
}

func TestDeleteFromTheDetail(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 80, 24)
	press(m, "enter", "d", "y")
	if names := b.Data().TrainingFileNames(); len(names) != 1 || names[0] != "Empathy templates v1" {
		t.Fatalf("left %v", names)
	}
	if m.detail != nil || !strings.Contains(plain(m), "1 file ·") {
		t.Errorf("still on the deleted file:\n%s", plain(m))
	}
	press(m, "d", "y")
	if v := plain(m); !strings.Contains(v, "No training files yet") {
		t.Errorf("empty state:\n%s", v)
	}
}

func TestLoadErrorAndReload(t *testing.T) {
	b := uitest.NewBackend(t)
	b.Data().SetErr("TrainingFiles", errors.New("database is down"))
	m := newScreen(t, b, 80, 24)
	if v := plain(m); !strings.Contains(v, "Could not load training files") {
		t.Fatalf("error state:\n%s", v)
	}
	b.Data().SetErr("TrainingFiles", nil)
	press(m, "ctrl+r")
	if !strings.Contains(plain(m), "Crisis and edge cases") {
		t.Errorf("ctrl+r did not reload:\n%s", plain(m))
	}
}

func TestFramesFit(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}, {60, 15}, {30, 8}, {12, 5}} {
		w, h := size[0], size[1]
		for _, keys := range [][]string{nil, {"enter"}, {"d"}, {"J"}, {"enter", "x"}} {
			m := newScreen(t, uitest.NewBackend(t), w, h)
			press(m, keys...)
			golden.Fits(t, fmt.Sprint(keys), m.View(), w, h)
		}
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{"Crisis and edge cases": "crisis-and-edge-cases", "Q4 — empathy!": "q4-empathy", "!!!": "training-file"} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}

// g and G go to the first and the last row of the list (the shared list
// keys), whatever row the cursor is on.
func TestTopAndBottomGoToFirstAndLastRow(t *testing.T) {
	b := uitest.NewBackend(t)
	ids, err := b.ConversationIDs(t.Context(), model.ConversationQuery{Trainable: true})
	if err != nil || len(ids) == 0 {
		t.Fatalf("trainable conversations: %d, %v", len(ids), err)
	}
	for i := range 30 {
		if _, err := b.CreateTrainingFile(t.Context(), fmt.Sprintf("file %02d", i), "", ids[:1]); err != nil {
			t.Fatal(err)
		}
	}
	m := newScreen(t, b, 80, 24)
	if len(m.files) != 32 {
		t.Fatalf("%d files listed, want 32", len(m.files))
	}
	press(m, "j", "j", "G")
	if f, _ := m.selected(); f.ID != m.files[31].ID {
		t.Errorf("G: on %q, want the last row %q", f.Name, m.files[31].Name)
	}
	if v := plain(m); !strings.Contains(v, m.files[31].Name) {
		t.Errorf("G: the last row is not shown:\n%s", v)
	}
	press(m, "k", "g")
	if f, _ := m.selected(); f.ID != m.files[0].ID {
		t.Errorf("g: on %q, want the first row %q", f.Name, m.files[0].Name)
	}
	press(m, "end", "home")
	if f, _ := m.selected(); f.ID != m.files[0].ID {
		t.Errorf("end, home: on %q, want the first row", f.Name)
	}
}
