package convfile_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/model/convfile"
)

// wordCounter counts words: a stand-in tokenizer whose counts a test can
// work out by hand.
type wordCounter struct{ calls int }

func (w *wordCounter) Count(s string) int { w.calls++; return len(strings.Fields(s)) }

func buildInputs(t *testing.T) []convfile.BuildConversation {
	t.Helper()
	a, err := convfile.ParseConversationFile("a.json", []byte(goodEnriched))
	if err != nil {
		t.Fatal(err)
	}
	b, err := convfile.ParseConversationFile("b.json", mutated(t, func(m map[string]any) {
		m["conversation_id"] = "conv-002"
		m["persona"] = "retiree"
		m["tier"] = "edge_case"
		delete(m, "system_prompt")
		delete(m, "enrichment")
		m["training_pairs"] = pairsOf(m)[:1]
	}))
	if err != nil {
		t.Fatal(err)
	}
	return []convfile.BuildConversation{{File: a, Tokens: 40}, {File: b, Tokens: 12}}
}

var testMeta = model.TrainingFileMeta{
	ID:          uuid.MustParse("7f0c1b8e-5d1a-4a8e-9d7e-0b7f4c7c2a11"),
	Name:        "coach v1",
	Description: "calm <money> & jobs",
	CreatedAt:   time.Date(2026, 1, 2, 3, 4, 5, 123456000, time.FixedZone("CET", 3600)),
}

func TestBuildLoRAv4IsDeterministic(t *testing.T) {
	doc1, lines1, _, err := convfile.BuildLoRAv4(testMeta, buildInputs(t))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		doc2, lines2, _, err := convfile.BuildLoRAv4(testMeta, buildInputs(t))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(doc1, doc2) || !bytes.Equal(lines1, lines2) {
			t.Fatal("two builds of the same content differ")
		}
	}
}

func TestBuildLoRAv4LineShape(t *testing.T) {
	_, lines, stats, err := convfile.BuildLoRAv4(testMeta, buildInputs(t))
	if err != nil {
		t.Fatal(err)
	}
	if stats.ConversationCount != 2 || stats.TotalTrainingPairs != 3 || stats.TotalTokens != 52 ||
		stats.Personas["retiree"] != 1 || stats.Tiers["template"] != 1 || stats.Tiers["edge_case"] != 1 ||
		stats.EmotionalArcs["fear_to_confidence"] != 2 {
		t.Fatalf("stats %+v", stats)
	}
	text := string(lines)
	if strings.Count(text, "\n") != 3 || !strings.HasSuffix(text, "\n") {
		t.Fatalf("want 3 lines:\n%s", text)
	}
	want := []string{
		// The file's system prompt, no history, then input and target.
		`{"messages":[{"role":"system","content":"You are a calm financial coach."},{"role":"user","content":"I just lost my job."},{"role":"assistant","content":"I'm sorry. Let's look at your runway."}],"metadata":{"format":"brightrun-lora-v4","training_file_id":"7f0c1b8e-5d1a-4a8e-9d7e-0b7f4c7c2a11","conversation_id":"conv-001","pair_id":"conv-001-p1","persona":"anxious_first_time_investor","emotional_arc":"fear_to_confidence","training_topic":"emergency_fund","tier":"template","quality_score":8.9}}`,
		// The pair's own system prompt wins; history comes before the input;
		// no pair score, so the conversation's.
		`{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"I just lost my job."},{"role":"assistant","content":"I'm sorry. Let's look at your runway."},{"role":"user","content":"I have three months saved."},{"role":"assistant","content":"That is a real cushion."}],"metadata":{"format":"brightrun-lora-v4","training_file_id":"7f0c1b8e-5d1a-4a8e-9d7e-0b7f4c7c2a11","conversation_id":"conv-001","pair_id":"conv-001-p2","persona":"anxious_first_time_investor","emotional_arc":"fear_to_confidence","training_topic":"emergency_fund","tier":"template","quality_score":8.6}}`,
		// No system prompt at all: the user speaks first.
		`{"messages":[{"role":"user","content":"I just lost my job."},{"role":"assistant","content":"I'm sorry. Let's look at your runway."}],"metadata":{"format":"brightrun-lora-v4","training_file_id":"7f0c1b8e-5d1a-4a8e-9d7e-0b7f4c7c2a11","conversation_id":"conv-002","pair_id":"conv-001-p1","persona":"retiree","emotional_arc":"fear_to_confidence","training_topic":"emergency_fund","tier":"edge_case","quality_score":8.9}}`,
	}
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if line != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, line, want[i])
		}
	}
}

func TestBuildLoRAv4Document(t *testing.T) {
	doc, _, _, err := convfile.BuildLoRAv4(testMeta, buildInputs(t))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(doc), `{"format":"brightrun-lora-v4","version":4,"training_file":{"id":"7f0c1b8e-5d1a-4a8e-9d7e-0b7f4c7c2a11","name":"coach v1","description":"calm <money> & jobs","created_at":"2026-01-02T02:04:05.123456Z"},"stats":{"conversation_count":2,"total_training_pairs":3,"total_tokens":52,"personas":{"anxious_first_time_investor":1,"retiree":1},"emotional_arcs":{"fear_to_confidence":2},"tiers":{"edge_case":1,"template":1}},"conversations":[{"conversation_id":"conv-001"`) {
		t.Fatalf("document starts %s", doc[:min(len(doc), 600)])
	}
	var d struct {
		Conversations []struct {
			ConversationID string               `json:"conversation_id"`
			QualityScore   *float64             `json:"quality_score"`
			TrainingPairs  []model.TrainingPair `json:"training_pairs"`
		} `json:"conversations"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Conversations) != 2 || d.Conversations[1].ConversationID != "conv-002" || d.Conversations[1].QualityScore != nil ||
		len(d.Conversations[0].TrainingPairs) != 2 || *d.Conversations[0].TrainingPairs[1].TurnIndex != 3 {
		t.Fatalf("conversations %+v", d.Conversations)
	}
}

func TestBuildLoRAv4Refuses(t *testing.T) {
	in := buildInputs(t)
	raw := in[0]
	raw.File.Flavour = model.FlavourRaw
	raw.File.TrainingPairs = nil
	tests := []struct {
		name string
		in   []convfile.BuildConversation
		want string
	}{
		{"raw conversation", []convfile.BuildConversation{raw}, "conv-001 has no training pairs"},
		{"twice", []convfile.BuildConversation{in[0], in[0]}, "conv-001 is in the training file twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, _, err := convfile.BuildLoRAv4(testMeta, tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
	doc, lines, stats, err := convfile.BuildLoRAv4(testMeta, nil)
	if err != nil || len(lines) != 0 || stats.ConversationCount != 0 || !strings.Contains(string(doc), `"conversations":[]`) {
		t.Fatalf("empty build: %s %v", doc, err)
	}
}

func TestTrainingTokensCountsEveryLineMessageOnce(t *testing.T) {
	in := buildInputs(t)
	wc := &wordCounter{}
	got := convfile.TrainingTokens(in[0].File, wc)
	// Line 1: system 6 + user 5 + assistant 7 = 18.
	// Line 2: "Be brief." 2 + history 5 + 7 + input 5 + target 5 = 24.
	if got != 42 {
		t.Fatalf("tokens %d, want 42", got)
	}
	// Repeated texts are counted once: 6 distinct strings.
	if wc.calls != 6 {
		t.Fatalf("%d calls to the counter, want 6", wc.calls)
	}
	raw := in[0].File
	raw.Flavour = model.FlavourRaw
	if got := convfile.TrainingTokens(raw, &wordCounter{}); got != 5+7+5+5 {
		t.Fatalf("raw tokens %d", got)
	}
}

func TestDecodeStoredConversationBuildsTheSameBytes(t *testing.T) {
	data := mutated(t, func(m map[string]any) { pair(m, 1)["emotional_context"] = nil })
	parsed, err := convfile.ParseConversationFile("a.json", data)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := convfile.DecodeStoredConversation(data)
	if err != nil {
		t.Fatal(err)
	}
	d1, l1, _, err := convfile.BuildLoRAv4(testMeta, []convfile.BuildConversation{{File: parsed, Tokens: 3}})
	if err != nil {
		t.Fatal(err)
	}
	d2, l2, _, err := convfile.BuildLoRAv4(testMeta, []convfile.BuildConversation{{File: stored, Tokens: 3}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(d1, d2) || !bytes.Equal(l1, l2) {
		t.Fatalf("the two decoders build different bytes:\n%s\n%s", d1, d2)
	}
	raw, err := convfile.DecodeStoredConversation(mutated(t, func(m map[string]any) { delete(m, "training_pairs") }))
	if err != nil || raw.Flavour != model.FlavourRaw {
		t.Fatalf("raw: %+v %v", raw, err)
	}
}

func TestBuildLoRAv4ManyConversationsKeepOrder(t *testing.T) {
	var in []convfile.BuildConversation
	for i := range 37 {
		f, err := convfile.ParseConversationFile("x.json", mutated(t, func(m map[string]any) {
			m["conversation_id"] = fmt.Sprintf("c%02d", i)
		}))
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, convfile.BuildConversation{File: f, Tokens: 1})
	}
	doc, lines, stats, err := convfile.BuildLoRAv4(testMeta, in)
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Conversations []struct {
			ConversationID string `json:"conversation_id"`
		} `json:"conversations"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatal(err)
	}
	for i, c := range d.Conversations {
		if c.ConversationID != fmt.Sprintf("c%02d", i) {
			t.Fatalf("conversation %d is %s", i, c.ConversationID)
		}
	}
	if stats.TotalTrainingPairs != 74 || bytes.Count(lines, []byte("\n")) != 74 || len(d.Conversations) != 37 {
		t.Fatalf("stats %+v, %d lines", stats, bytes.Count(lines, []byte("\n")))
	}
}

func TestAssemblingStoredFragmentsGivesTheBuildsBytes(t *testing.T) {
	in := buildInputs(t)
	doc, lines, stats, err := convfile.BuildLoRAv4(testMeta, in)
	if err != nil {
		t.Fatal(err)
	}
	a := convfile.NewLoRAv4Assembler(testMeta)
	for _, c := range in {
		frag, err := convfile.EncodeTrainingFragment(c.File)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(frag.Lines, []byte(`"training_file_id":"00000000-0000-0000-0000-000000000000"`)) {
			t.Fatal("fragment lines carry no placeholder ID")
		}
		if err := a.Add(c.File.Summary(c.Tokens, 0), frag); err != nil {
			t.Fatal(err)
		}
	}
	doc2, lines2, stats2, err := a.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(doc, doc2) || !bytes.Equal(lines, lines2) || stats2.TotalTokens != stats.TotalTokens {
		t.Fatal("assembling fragments differs from building")
	}
	if bytes.Contains(lines2, []byte(uuid.Nil.String())) {
		t.Fatal("placeholder left in the output")
	}
	// A placeholder-like text inside content is escaped and stays as it is.
	f := in[0].File
	f.TrainingPairs = append([]model.TrainingPair(nil), f.TrainingPairs...)
	f.TrainingPairs[0].TargetResponse = `"training_file_id":"00000000-0000-0000-0000-000000000000"`
	_, l, _, err := convfile.BuildLoRAv4(testMeta, []convfile.BuildConversation{{File: f}})
	if err != nil || !bytes.Contains(l, []byte(`\"training_file_id\":\"00000000-0000-0000-0000-000000000000\"`)) {
		t.Fatalf("content was rewritten: %s %v", l, err)
	}
}
