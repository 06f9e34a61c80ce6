package engine_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"brightrun/engine"
	"brightrun/engine/enginetest"
	"brightrun/model"
	"brightrun/store/storetest"
)

var benchWords = strings.Fields(`money budget rent savings fund debt card interest rate payment loan mortgage
	retirement account invest index market fear worry plan month week income salary job layoff expense bill
	cushion goal step first small safe risk return tax employer match roth contribution balance credit score
	family partner child college health insurance emergency calm honest clear simple today tomorrow together`)

// benchText makes n words of plausible text, deterministic for a given rng.
func benchText(rng *rand.Rand, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(benchWords[rng.IntN(len(benchWords))])
	}
	b.WriteByte('.')
	return b.String()
}

// genConversation makes the i-th of a varied set of valid enriched files:
// 2–6 exchanges of 15–100 words, three personas, ten arcs, ten topics.
func genConversation(i int) []byte {
	rng := rand.New(rand.NewPCG(uint64(i), 42))
	exchanges := 2 + rng.IntN(5)
	turns := make([]model.Turn, 0, 2*exchanges)
	for range exchanges {
		turns = append(turns,
			model.Turn{Role: model.RoleUser, Content: benchText(rng, 15+rng.IntN(40))},
			model.Turn{Role: model.RoleAssistant, Content: benchText(rng, 30+rng.IntN(70))})
	}
	q := float64(50+rng.IntN(50)) / 10
	f := model.ConversationFile{
		ConversationID: fmt.Sprintf("bench-%05d", i),
		Title:          benchText(rng, 5),
		Persona:        []string{"anxious_first_time_investor", "overwhelmed_parent", "pre_retiree"}[i%3],
		EmotionalArc:   fmt.Sprintf("arc_%d", i%10),
		TrainingTopic:  fmt.Sprintf("topic_%d", (i/10)%10),
		Tier:           []string{model.TierTemplate, model.TierEdgeCase}[min(i%10/7, 1)],
		Turns:          turns,
		Enrichment:     &model.Enrichment{Status: model.EnrichmentCompleted, QualityScore: &q},
		SystemPrompt:   "You are a calm, practical financial coach.",
	}
	for k := range exchanges {
		ti := 2*k + 1
		f.TrainingPairs = append(f.TrainingPairs, model.TrainingPair{
			ID: fmt.Sprintf("%s-p%d", f.ConversationID, k+1), TurnIndex: &ti,
			ConversationHistory: turns[:2*k], CurrentUserInput: turns[2*k].Content, TargetResponse: turns[ti].Content,
			EmotionalContext: json.RawMessage(`{"detected":["anxiety"],"intensity":0.5}`), QualityScore: &q,
		})
	}
	data, err := json.Marshal(f)
	if err != nil {
		panic(err)
	}
	return data
}

func writeBenchFiles(b *testing.B, n int) string {
	b.Helper()
	dir := b.TempDir()
	for i := range n {
		sub := filepath.Join(dir, fmt.Sprintf("batch-%02d", i/1000))
		if i%1000 == 0 {
			if err := os.MkdirAll(sub, 0o755); err != nil {
				b.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("conv-%05d.enriched.json", i)), genConversation(i), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

func benchSession(b *testing.B) *engine.Session {
	b.Helper()
	e := enginetest.New(b, engine.Config{Mode: engine.ModeLocal}, storetest.NewDB(b), storetest.NewObjects(b))
	u, err := e.EnsureUser(context.Background(), "bench")
	if err != nil {
		b.Fatal(err)
	}
	return e.Session(u)
}

// BenchmarkImport10k imports a directory of 10,000 enriched conversations.
func BenchmarkImport10k(b *testing.B) {
	const n = 10_000
	dir := writeBenchFiles(b, n)
	s := benchSession(b)
	ctx := context.Background()
	for b.Loop() {
		res, err := s.Import(ctx, []string{dir}, nil)
		if err != nil {
			b.Fatal(err)
		}
		if res.Imported+res.Updated != n || len(res.Rejected) != 0 {
			b.Fatalf("imported %d updated %d rejected %d", res.Imported, res.Updated, len(res.Rejected))
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "files/s")
}

// BenchmarkBuildTrainingFile10k rebuilds a training file of 10,000
// conversations (target: at most 2 s).
func BenchmarkBuildTrainingFile10k(b *testing.B) {
	const n = 10_000
	dir := writeBenchFiles(b, n)
	s := benchSession(b)
	ctx := context.Background()
	if _, err := s.Import(ctx, []string{dir}, nil); err != nil {
		b.Fatal(err)
	}
	ids, err := s.ConversationIDs(ctx, model.ConversationQuery{Sort: model.SortConversationID})
	if err != nil || len(ids) != n {
		b.Fatalf("%d ids, %v", len(ids), err)
	}
	tf, err := s.CreateTrainingFile(ctx, "bench", "", ids)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		built, err := s.BuildTrainingFile(ctx, tf.ID)
		if err != nil {
			b.Fatal(err)
		}
		if built.ConversationCount != n || built.TotalTrainingPairs != tf.TotalTrainingPairs {
			b.Fatalf("built %+v", built)
		}
	}
	b.ReportMetric(float64(tf.TotalTrainingPairs), "pairs")
	b.ReportMetric(float64(tf.JSONLFileSize)/(1<<20), "jsonl-MiB")
}

// BenchmarkImportLongString imports one file whose first turn is 8 MiB of
// letters without a space (one piece of the tokenizer); B/op is what the
// import allocated, which was over 100 times the file's size.
func BenchmarkImportLongString(b *testing.B) {
	data, _ := longStringFile(8 << 20)
	p := filepath.Join(b.TempDir(), "long.json")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		b.Fatal(err)
	}
	s := benchSession(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res, err := s.Import(ctx, []string{p}, nil)
		if err != nil {
			b.Fatal(err)
		}
		if res.Imported+res.Updated != 1 {
			b.Fatalf("imported %d updated %d rejected %v", res.Imported, res.Updated, res.Rejected)
		}
	}
	b.ReportMetric(float64(len(data)), "file-bytes")
}
