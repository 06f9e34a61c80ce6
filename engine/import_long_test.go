package engine_test

import (
	"encoding/json"
	"math/rand/v2"
	"runtime"
	"testing"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/model/convfile"
	"brightrun/model/tokens"
)

// longStringFile is a valid raw conversation file whose first turn is n
// random lowercase letters: no space, so one pre-tokenizer piece.
func longStringFile(n int) (data []byte, content string) {
	rng := rand.New(rand.NewPCG(uint64(n), 7))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + rng.IntN(26))
	}
	content = string(b)
	data, err := json.Marshal(model.ConversationFile{
		ConversationID: "long-string", Persona: "p", EmotionalArc: "a", TrainingTopic: "t", Tier: model.TierTemplate,
		Turns: []model.Turn{{Role: model.RoleUser, Content: content}, {Role: model.RoleAssistant, Content: "ok"}},
	})
	if err != nil {
		panic(err)
	}
	return data, content
}

// TestImportCountsALongStringInBoundedMemory is defect 7 of issue 14: one
// turn of letters without a space is one piece of the tokenizer, which took
// 45 times its size to count. The count is the counter's (held to the
// library's by model/tokens), and what import does with the parsed file,
// counting it and deriving its row, allocates less than 8 bytes per byte.
func TestImportCountsALongStringInBoundedMemory(t *testing.T) {
	const n = 8 << 20
	data, content := longStringFile(n)
	f, err := convfile.ParseConversationFile("long.json", data)
	if err != nil {
		t.Fatal(err)
	}
	want := int64(tokens.Count(content) + tokens.Count("ok"))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	got := convfile.TrainingTokens(f, engine.Tokens())
	row := f.Summary(got, int64(len(data)))
	runtime.ReadMemStats(&after)
	if got != want || row.TokenCount != want {
		t.Fatalf("tokens %d (row %d), want %d", got, row.TokenCount, want)
	}
	if got < n/8 {
		t.Fatalf("%d tokens for %d random letters", got, n)
	}
	if row.Title != content[:79]+"…" {
		t.Fatalf("title %q", row.Title)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8*n {
		t.Fatalf("counting a %d-byte turn allocated %d bytes (%.1f per byte), want under 8", n, alloc, float64(alloc)/n)
	}
}
