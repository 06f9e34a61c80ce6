package convfile_test

import (
	"errors"
	"strings"
	"testing"

	"brightrun/model"
	"brightrun/model/convfile"
)

// A key given twice in any object of a conversation file is refused with
// the object's JSON path, at every nesting level; the same key in different
// objects is fine.
func TestParseConversationFileRejectsDuplicateKeys(t *testing.T) {
	edit := func(old, new string) []byte {
		t.Helper()
		if !strings.Contains(goodEnriched, old) {
			t.Fatalf("goodEnriched lacks %q", old)
		}
		return []byte(strings.Replace(goodEnriched, old, new, 1))
	}
	tests := []struct {
		name string
		data []byte
		path string
		key  string
	}{
		{"top level", edit(`"tier": "template",`, `"tier": "template", "tier": "edge_case",`), "$", "tier"},
		{"top level, far apart", edit(`"conversation_id": "conv-001",`, `"conversation_id": "conv-001", "system_prompt": "x",`), "$", "system_prompt"},
		{"in a turn", edit(`{"role": "user", "content": "I have three months saved."}`,
			`{"role": "user", "content": "I have three months saved.", "role": "assistant"}`), "$.turns[2]", "role"},
		{"in the enrichment", edit(`"quality_score": 8.6,`, `"quality_score": 8.6, "quality_score": 9.9,`), "$.enrichment", "quality_score"},
		{"in a pair", edit(`"turn_index": 3,`, `"turn_index": 3, "turn_index": 1,`), "$.training_pairs[1]", "turn_index"},
		{"deep in free data", edit(`{"intensity": 0.7,`, `{"intensity": 0.7, "intensity": 0.1,`), "$.training_pairs[0].emotional_context", "intensity"},
		{"in a history turn", edit(`"conversation_history": [{"role": "user", "content": "I just lost my job."}`,
			`"conversation_history": [{"role": "user", "content": "I just lost my job.", "content": "other"}`), "$.training_pairs[1].conversation_history[0]", "content"},
		{"spelled with an escape", edit(`"tier": "template",`, `"tier": "template", "ti\u0065r": "edge_case",`), "$", "tier"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := convfile.ParseConversationFile("c.json", tt.data)
			var fe *model.FileError
			if !errors.As(err, &fe) {
				t.Fatalf("err %v, want a *FileError", err)
			}
			if fe.File != "c.json" || fe.Path != tt.path || !strings.Contains(fe.Reason, `duplicate key "`+tt.key+`"`) {
				t.Fatalf("got %q, want path %s and duplicate key %q", err, tt.path, tt.key)
			}
		})
	}
	if _, err := convfile.ParseConversationFile("c.json", []byte(goodEnriched)); err != nil {
		t.Fatalf("the same keys in different objects: %v", err)
	}
}
