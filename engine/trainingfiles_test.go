package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/model/convfile"
	"brightrun/store"
	"brightrun/store/storetest"
)

// jsonlLine is what a test reads back from training.jsonl.
type jsonlLine struct {
	Messages []model.Turn `json:"messages"`
	Metadata struct {
		Format         string `json:"format"`
		TrainingFileID string `json:"training_file_id"`
		ConversationID string `json:"conversation_id"`
		PairID         string `json:"pair_id"`
		Tier           string `json:"tier"`
	} `json:"metadata"`
}

func exportBoth(t *testing.T, s *engine.Session, tf model.TrainingFile) (doc, lines []byte) {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []struct {
		format string
		dst    *[]byte
	}{{"json", &doc}, {"jsonl", &lines}} {
		p := filepath.Join(dir, "training."+f.format)
		if _, err := s.ExportTrainingFile(context.Background(), tf.ID, f.format, p); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		*f.dst = data
	}
	return doc, lines
}

func TestTrainingFileLifecycle(t *testing.T) {
	s, db, _ := newSession(t)
	ctx := context.Background()
	if _, err := s.Import(ctx, []string{goodDir}, nil); err != nil {
		t.Fatal(err)
	}
	ids := byKey(t, s, "demo-nurse-002", "demo-layoff-001", "demo-retiree-003", "demo-rawonly-004")

	tf, err := s.CreateTrainingFile(ctx, "coach v1", "calm money talk", ids[:3])
	if err != nil {
		t.Fatal(err)
	}
	st := tf.Stats
	if tf.ConversationCount != 3 || tf.TotalTrainingPairs != 9 || tf.TotalTokens == 0 || st.TotalTokens != tf.TotalTokens ||
		st.Personas["anxious_first_time_investor"] != 2 || st.Personas["night_shift_nurse"] != 1 ||
		st.Tiers["template"] != 2 || st.Tiers["edge_case"] != 1 || tf.BuiltAt == nil || tf.JSONLFileSize == 0 {
		t.Fatalf("created %+v", tf)
	}
	doc, lines := exportBoth(t, s, tf)
	got := strings.Split(strings.TrimSuffix(string(lines), "\n"), "\n")
	if len(got) != tf.TotalTrainingPairs {
		t.Fatalf("%d JSONL lines, stats say %d pairs", len(got), tf.TotalTrainingPairs)
	}
	var order []string
	for i, l := range got {
		var line jsonlLine
		if err := json.Unmarshal([]byte(l), &line); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		last := line.Messages[len(line.Messages)-1]
		if last.Role != model.RoleAssistant || last.Content == "" || line.Messages[0].Role != model.RoleSystem ||
			line.Metadata.Format != convfile.LoRAv4Format || line.Metadata.TrainingFileID != tf.ID.String() {
			t.Fatalf("line %d: %s", i+1, l)
		}
		if len(order) == 0 || order[len(order)-1] != line.Metadata.ConversationID {
			order = append(order, line.Metadata.ConversationID)
		}
	}
	if strings.Join(order, ",") != "demo-nurse-002,demo-layoff-001,demo-retiree-003" {
		t.Fatalf("conversation order in the JSONL: %v", order)
	}
	var d struct {
		Format string                  `json:"format"`
		Stats  model.TrainingFileStats `json:"stats"`
	}
	if err := json.Unmarshal(doc, &d); err != nil || d.Format != convfile.LoRAv4Format || d.Stats.TotalTrainingPairs != 9 ||
		d.Stats.TotalTokens != tf.TotalTokens {
		t.Fatalf("training.json: %+v %v", d, err)
	}

	// Rebuilding the same content gives the same bytes.
	if _, err := s.BuildTrainingFile(ctx, tf.ID); err != nil {
		t.Fatal(err)
	}
	doc2, lines2 := exportBoth(t, s, tf)
	if !bytes.Equal(doc, doc2) || !bytes.Equal(lines, lines2) {
		t.Fatal("a rebuild of the same content changed the artifacts")
	}
	// Rows without the fragments encoded at import (or with an outdated
	// encoding) are encoded from their files: still the same bytes.
	storetest.Exec(t, db, s.User().ID, `UPDATE conversations SET training_entry = NULL WHERE conversation_id = 'demo-layoff-001';
		UPDATE conversations SET training_fragment_version = 0 WHERE conversation_id = 'demo-nurse-002'`)
	if _, err := s.BuildTrainingFile(ctx, tf.ID); err != nil {
		t.Fatal(err)
	}
	doc3, lines3 := exportBoth(t, s, tf)
	if !bytes.Equal(doc, doc3) || !bytes.Equal(lines, lines3) {
		t.Fatal("a build from the stored files differs from one from the fragments")
	}

	// A raw conversation is refused by name and nothing changes.
	if _, err := s.AddToTrainingFile(ctx, tf.ID, ids[3:]); err == nil || !strings.Contains(err.Error(), "demo-rawonly-004 is raw") {
		t.Fatalf("adding a raw conversation: %v", err)
	}
	if _, err := s.CreateTrainingFile(ctx, "raw one", "", ids[2:]); err == nil || !strings.Contains(err.Error(), "demo-rawonly-004") {
		t.Fatalf("creating with a raw conversation: %v", err)
	}
	if list, _ := s.TrainingFiles(ctx); len(list) != 1 {
		t.Fatalf("a refused create left a file: %+v", list)
	}

	// Remove one, add it back: it goes last.
	tf, err = s.RemoveFromTrainingFile(ctx, tf.ID, ids[1:2])
	if err != nil || tf.TotalTrainingPairs != 7 || tf.ConversationCount != 2 {
		t.Fatalf("after remove: %+v %v", tf, err)
	}
	if tf, err = s.AddToTrainingFile(ctx, tf.ID, ids[1:2]); err != nil {
		t.Fatal(err)
	}
	detail, err := s.TrainingFile(ctx, tf.ID)
	if err != nil || len(detail.Conversations) != 3 || detail.Conversations[2].ConversationID != "demo-layoff-001" ||
		detail.TotalTrainingPairs != 9 {
		t.Fatalf("detail after re-adding: %+v %v", detail, err)
	}

	if _, err := s.CreateTrainingFile(ctx, "coach v1", "", ids[:1]); !errors.Is(err, store.ErrTrainingFileExists) {
		t.Fatalf("duplicate name: %v", err)
	}
	if _, err := s.CreateTrainingFile(ctx, "empty", "", nil); err == nil {
		t.Fatal("a training file of nothing was created")
	}
	if _, err := s.ExportTrainingFile(ctx, tf.ID, "csv", filepath.Join(t.TempDir(), "x")); err == nil {
		t.Fatal("unknown export format accepted")
	}
	if err := s.DeleteTrainingFile(ctx, tf.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TrainingFile(ctx, tf.ID); !errors.Is(err, engine.ErrNotFound) {
		t.Fatalf("deleted file: %v", err)
	}
}
