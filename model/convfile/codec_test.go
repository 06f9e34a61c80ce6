package convfile_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"brightrun/model"
	"brightrun/model/convfile"
)

// goodEnriched is a valid enriched file every rejection case breaks in one place.
const goodEnriched = `{
  "conversation_id": "conv-001",
  "title": "Budgeting after a layoff",
  "persona": "anxious_first_time_investor",
  "emotional_arc": "fear_to_confidence",
  "training_topic": "emergency_fund",
  "tier": "template",
  "created_at": "2025-12-01T10:00:00Z",
  "turns": [
    {"role": "user", "content": "I just lost my job."},
    {"role": "assistant", "content": "I'm sorry. Let's look at your runway."},
    {"role": "user", "content": "I have three months saved."},
    {"role": "assistant", "content": "That is a real cushion."}
  ],
  "enrichment": {"status": "completed", "quality_score": 8.6, "stages": ["validation", "pairs"]},
  "system_prompt": "You are a calm financial coach.",
  "training_pairs": [
    {"id": "conv-001-p1", "turn_index": 1, "conversation_history": [],
     "current_user_input": "I just lost my job.", "target_response": "I'm sorry. Let's look at your runway.",
     "emotional_context": {"intensity": 0.7, "detected": ["anxiety"]}, "quality_score": 8.9},
    {"id": "conv-001-p2", "turn_index": 3,
     "conversation_history": [{"role": "user", "content": "I just lost my job."}, {"role": "assistant", "content": "I'm sorry. Let's look at your runway."}],
     "current_user_input": "I have three months saved.", "target_response": "That is a real cushion.", "system_prompt": "Be brief."}
  ]
}`

func mutated(t *testing.T, fn func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(goodEnriched), &m); err != nil {
		t.Fatal(err)
	}
	fn(m)
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func turnsOf(m map[string]any) []any { return m["turns"].([]any) }
func pairsOf(m map[string]any) []any { return m["training_pairs"].([]any) }
func pair(m map[string]any, i int) map[string]any {
	return pairsOf(m)[i].(map[string]any)
}

func TestParseConversationFileAcceptsBothFlavours(t *testing.T) {
	f, err := convfile.ParseConversationFile("good.json", []byte(goodEnriched))
	if err != nil {
		t.Fatal(err)
	}
	if f.Flavour != model.FlavourEnriched || len(f.Turns) != 4 || len(f.TrainingPairs) != 2 ||
		f.EnrichmentStatus() != model.EnrichmentCompleted || *f.QualityScore() != 8.6 || f.CreatedAt == nil {
		t.Fatalf("parsed %+v", f)
	}
	p := f.TrainingPairs[0]
	if *p.TurnIndex != 1 || string(p.EmotionalContext) != `{"detected":["anxiety"],"intensity":0.7}` || *p.QualityScore != 8.9 {
		t.Fatalf("pair %+v ctx %s", p, p.EmotionalContext)
	}
	if f.TrainingPairs[1].SystemPrompt != "Be brief." || len(f.TrainingPairs[1].ConversationHistory) != 2 {
		t.Fatalf("pair 2 %+v", f.TrainingPairs[1])
	}
	if g, err := convfile.ParseConversationFileInPlace("good.json", []byte(goodEnriched)); err != nil || !reflect.DeepEqual(g, f) {
		t.Fatalf("in place: %+v %v, want %+v", g, err, f)
	}

	raw := mutated(t, func(m map[string]any) {
		delete(m, "training_pairs")
		delete(m, "enrichment")
		delete(m, "title")
	})
	f, err = convfile.ParseConversationFile("raw.json", raw)
	if err != nil {
		t.Fatal(err)
	}
	if f.Flavour != model.FlavourRaw || f.EnrichmentStatus() != model.EnrichmentNotEnriched || f.QualityScore() != nil {
		t.Fatalf("raw parsed as %+v", f)
	}
	if got := f.DisplayTitle(); got != "I just lost my job." {
		t.Fatalf("derived title %q", got)
	}
	// A byte-order mark and an enriched file with no pairs yet are fine.
	f, err = convfile.ParseConversationFile("bom.json", append([]byte("\xef\xbb\xbf"), mutated(t, func(m map[string]any) {
		m["training_pairs"] = []any{}
	})...))
	if err != nil || f.Flavour != model.FlavourEnriched || len(f.TrainingPairs) != 0 {
		t.Fatalf("empty pairs: %+v %v", f, err)
	}
}

func TestParseConversationFileRejections(t *testing.T) {
	tests := []struct {
		name   string
		data   []byte
		path   string
		reason string
	}{
		{"not JSON", []byte(`{"conversation_id": "x",`), "$", "not valid JSON: unexpected end of file"},
		{"syntax error with position", []byte("{\n  \"a\": tru\n}"), "$", "(line 2, column"},
		{"empty file", []byte("  \n"), "$", "the file is empty"},
		{"trailing data", []byte(goodEnriched + "{}"), "$", "unexpected data after the top-level object"},
		{"not an object", []byte(`[1,2]`), "$", "must be a JSON object, got array"},
		{"invalid UTF-8", append([]byte(`{"title":"`), 0xff, '"', '}'), "$", "not valid UTF-8 (at byte 10)"},
		{"missing conversation_id", mutated(t, func(m map[string]any) { delete(m, "conversation_id") }), "$.conversation_id", "required field is missing"},
		{"conversation_id wrong type", mutated(t, func(m map[string]any) { m["conversation_id"] = 42 }), "$.conversation_id", "must be a string, got number 42"},
		{"conversation_id with slash", mutated(t, func(m map[string]any) { m["conversation_id"] = "a/b" }), "$.conversation_id", `has the character '/'`},
		{"conversation_id dot dot", mutated(t, func(m map[string]any) { m["conversation_id"] = ".." }), "$.conversation_id", "must start with a letter or digit"},
		{"title wrong type", mutated(t, func(m map[string]any) { m["title"] = []any{} }), "$.title", "must be a string, got array"},
		{"missing persona", mutated(t, func(m map[string]any) { delete(m, "persona") }), "$.persona", "required field is missing"},
		{"empty persona", mutated(t, func(m map[string]any) { m["persona"] = " " }), "$.persona", "is empty"},
		{"missing emotional_arc", mutated(t, func(m map[string]any) { delete(m, "emotional_arc") }), "$.emotional_arc", "required field is missing"},
		{"topic wrong type", mutated(t, func(m map[string]any) { m["training_topic"] = true }), "$.training_topic", "must be a string, got boolean true"},
		{"missing tier", mutated(t, func(m map[string]any) { delete(m, "tier") }), "$.tier", "required field is missing"},
		{"unknown tier", mutated(t, func(m map[string]any) { m["tier"] = "gold" }), "$.tier", `unknown tier "gold": want template or edge_case`},
		{"bad created_at", mutated(t, func(m map[string]any) { m["created_at"] = "yesterday" }), "$.created_at", "must be an RFC 3339 time"},
		{"missing turns", mutated(t, func(m map[string]any) { delete(m, "turns") }), "$.turns", "required field is missing"},
		{"turns wrong type", mutated(t, func(m map[string]any) { m["turns"] = "hi" }), "$.turns", "must be an array, got string"},
		{"empty turns", mutated(t, func(m map[string]any) { m["turns"] = []any{} }), "$.turns", "at least 2 turns"},
		{"one turn", mutated(t, func(m map[string]any) { m["turns"] = turnsOf(m)[:1] }), "$.turns", "got 1"},
		{"turn not object", mutated(t, func(m map[string]any) { turnsOf(m)[1] = "hello" }), "$.turns[1]", "must be an object with role and content, got string"},
		{"turn missing role", mutated(t, func(m map[string]any) { delete(turnsOf(m)[2].(map[string]any), "role") }), "$.turns[2].role", "required field is missing"},
		{"unknown role", mutated(t, func(m map[string]any) { turnsOf(m)[1].(map[string]any)["role"] = "system" }), "$.turns[1].role", `unknown role "system"`},
		{"first not user", mutated(t, func(m map[string]any) {
			turnsOf(m)[0].(map[string]any)["role"] = "assistant"
		}), "$.turns[0].role", `the first turn must be the user's, got "assistant"`},
		{"roles do not alternate", mutated(t, func(m map[string]any) {
			turnsOf(m)[1].(map[string]any)["role"] = "user"
		}), "$.turns[1].role", `roles must alternate user/assistant, got "user" after "user"`},
		{"empty content", mutated(t, func(m map[string]any) { turnsOf(m)[3].(map[string]any)["content"] = "  " }), "$.turns[3].content", "is empty"},
		{"content wrong type", mutated(t, func(m map[string]any) { turnsOf(m)[3].(map[string]any)["content"] = 1.5 }), "$.turns[3].content", "must be a string, got number 1.5"},
		{"enrichment wrong type", mutated(t, func(m map[string]any) { m["enrichment"] = "done" }), "$.enrichment", "must be an object, got string"},
		{"enrichment unknown status", mutated(t, func(m map[string]any) {
			m["enrichment"].(map[string]any)["status"] = "done"
		}), "$.enrichment.status", `unknown enrichment status "done"`},
		{"enrichment missing status", mutated(t, func(m map[string]any) {
			delete(m["enrichment"].(map[string]any), "status")
		}), "$.enrichment.status", "required field is missing"},
		{"quality out of range", mutated(t, func(m map[string]any) {
			m["enrichment"].(map[string]any)["quality_score"] = 11
		}), "$.enrichment.quality_score", "quality_score 11 is out of range"},
		{"quality wrong type", mutated(t, func(m map[string]any) {
			m["enrichment"].(map[string]any)["quality_score"] = "high"
		}), "$.enrichment.quality_score", `must be a number, got string "high"`},
		{"stage not string", mutated(t, func(m map[string]any) {
			m["enrichment"].(map[string]any)["stages"] = []any{"a", 2}
		}), "$.enrichment.stages[1]", "must be a string, got number"},
		{"pairs wrong type", mutated(t, func(m map[string]any) { m["training_pairs"] = map[string]any{} }), "$.training_pairs", "must be an array, got object"},
		{"pair not object", mutated(t, func(m map[string]any) { pairsOf(m)[0] = 3 }), "$.training_pairs[0]", "must be an object, got number"},
		{"pair missing id", mutated(t, func(m map[string]any) { delete(pair(m, 1), "id") }), "$.training_pairs[1].id", "required field is missing"},
		{"duplicate pair id", mutated(t, func(m map[string]any) { pair(m, 1)["id"] = "conv-001-p1" }), "$.training_pairs[1].id", `duplicate pair id "conv-001-p1" (also at $.training_pairs[0])`},
		{"pair without input", mutated(t, func(m map[string]any) { delete(pair(m, 0), "current_user_input") }), "$.training_pairs[0].current_user_input", "required field is missing"},
		{"pair with empty input", mutated(t, func(m map[string]any) { pair(m, 0)["current_user_input"] = "" }), "$.training_pairs[0].current_user_input", "is empty"},
		{"pair without target", mutated(t, func(m map[string]any) { delete(pair(m, 1), "target_response") }), "$.training_pairs[1].target_response", "required field is missing"},
		{"turn_index out of range", mutated(t, func(m map[string]any) { pair(m, 1)["turn_index"] = 9 }), "$.training_pairs[1].turn_index", "turn_index 9 is out of range: the conversation has 4 turns (0..3)"},
		{"turn_index negative", mutated(t, func(m map[string]any) { pair(m, 1)["turn_index"] = -1 }), "$.training_pairs[1].turn_index", "out of range"},
		{"turn_index not integer", mutated(t, func(m map[string]any) { pair(m, 1)["turn_index"] = 1.5 }), "$.training_pairs[1].turn_index", "must be an integer, got number 1.5"},
		{"turn_index at user turn", mutated(t, func(m map[string]any) { pair(m, 1)["turn_index"] = 2 }), "$.training_pairs[1].turn_index", "points at a user turn"},
		{"history wrong type", mutated(t, func(m map[string]any) { pair(m, 1)["conversation_history"] = "x" }), "$.training_pairs[1].conversation_history", "must be an array, got string"},
		{"history roles", mutated(t, func(m map[string]any) {
			pair(m, 1)["conversation_history"].([]any)[1].(map[string]any)["role"] = "user"
		}), "$.training_pairs[1].conversation_history[1].role", "roles must alternate"},
		{"history ends with user", mutated(t, func(m map[string]any) {
			pair(m, 1)["conversation_history"] = pair(m, 1)["conversation_history"].([]any)[:1]
		}), "$.training_pairs[1].conversation_history[0].role", "must end with the assistant's turn"},
		{"emotional_context not object", mutated(t, func(m map[string]any) { pair(m, 0)["emotional_context"] = "sad" }), "$.training_pairs[0].emotional_context", "must be an object, got string"},
		{"pair quality out of range", mutated(t, func(m map[string]any) { pair(m, 0)["quality_score"] = -0.5 }), "$.training_pairs[0].quality_score", "-0.5 is out of range"},
		{"file too big", make([]byte, model.MaxConversationFileSize+1), "", "over the 50 MiB limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := convfile.ParseConversationFile("bad.json", tt.data)
			var fe *model.FileError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a *FileError", err)
			}
			if fe.File != "bad.json" || fe.Path != tt.path || !strings.Contains(fe.Reason, tt.reason) {
				t.Fatalf("got file %q path %q reason %q; want path %q reason containing %q", fe.File, fe.Path, fe.Reason, tt.path, tt.reason)
			}
			if strings.Contains(fe.Reason, "\n") {
				t.Fatalf("reason is not one line: %q", fe.Reason)
			}
			if _, err2 := convfile.ParseConversationFileInPlace("bad.json", tt.data); err2 == nil || err2.Error() != err.Error() {
				t.Fatalf("in place: %v, want %v", err2, err)
			}
		})
	}
}

func TestFileErrorMessage(t *testing.T) {
	e := &model.FileError{File: "file.json", Path: "$.turns[2].role", Reason: `roles must alternate user/assistant, got "user" after "user"`}
	if got, want := e.Error(), `file.json: $.turns[2].role: roles must alternate user/assistant, got "user" after "user"`; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if got := model.FileTooBig("big.json", 60<<20).Error(); got != "big.json: file is 60 MiB, over the 50 MiB limit" {
		t.Fatalf("too big: %q", got)
	}
}

func TestDisplayTitleTruncates(t *testing.T) {
	f := model.ConversationFile{Turns: []model.Turn{{Role: "user", Content: strings.Repeat("word ", 40)}}}
	got := f.DisplayTitle()
	if !strings.HasSuffix(got, "…") || len([]rune(got)) > 80 {
		t.Fatalf("title %q", got)
	}
}
