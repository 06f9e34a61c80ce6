package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"brightrun/engine"
	"brightrun/engine/enginetest"
	"brightrun/model"
	"brightrun/store"
	"brightrun/store/storetest"
)

const (
	goodDir = "testdata/import/good"
	badDir  = "testdata/import/bad"
)

// newSession gives a test an engine on a fresh database and buckets, and
// the operator "ada". The reference tables know the keys of the fixtures
// except night_shift_nurse, shame_to_self_compassion and credit_card_debt.
func newSession(t *testing.T) (*engine.Session, *store.DB, *store.Objects) {
	t.Helper()
	db, o := storetest.NewDB(t), storetest.NewObjects(t)
	e := enginetest.New(t, engine.Config{Mode: engine.ModeLocal, DataDir: t.TempDir()}, db, o)
	ctx := context.Background()
	u, err := e.EnsureUser(ctx, "ada")
	if err != nil {
		t.Fatal(err)
	}
	err = db.UpsertReference(ctx, []model.Persona{{Key: "anxious_first_time_investor", Name: "Anxious"}},
		[]model.EmotionalArc{{Key: "fear_to_confidence", Name: "Fear", Tier: "template"}},
		[]model.Topic{{Key: "emergency_fund", Name: "Emergency fund"}})
	if err != nil {
		t.Fatal(err)
	}
	return e.Session(u), db, o
}

func byKey(t *testing.T, s *engine.Session, keys ...string) []uuid.UUID {
	t.Helper()
	convs, err := s.ConversationsByKey(context.Background(), keys)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]uuid.UUID, len(convs))
	for i, c := range convs {
		ids[i] = c.ID
	}
	return ids
}

func TestImportGoodAndBadFiles(t *testing.T) {
	s, _, _ := newSession(t)
	ctx := context.Background()
	var reports []engine.ImportProgress
	res, err := s.Import(ctx, []string{goodDir, badDir, "testdata/import/nothing-*.json", "testdata/import/missing.json"},
		func(p engine.ImportProgress) { reports = append(reports, p) })
	if err != nil {
		t.Fatal(err)
	}
	// Five good files of four conversations (one raw and enriched), the
	// hidden directory and notes.txt skipped.
	if res.Imported != 4 || res.Updated != 1 {
		t.Fatalf("imported %d updated %d, want 4 and 1; rejected %v", res.Imported, res.Updated, res.Rejected)
	}
	if strings.Join(res.NewPersonas, ",") != "night_shift_nurse" || strings.Join(res.NewEmotionalArcs, ",") != "shame_to_self_compassion" ||
		strings.Join(res.NewTopics, ",") != "credit_card_debt" {
		t.Fatalf("new keys %v %v %v", res.NewPersonas, res.NewEmotionalArcs, res.NewTopics)
	}
	want := []engine.Rejection{
		{File: "testdata/import/nothing-*.json", Reason: "no file matches the pattern"},
		{File: "testdata/import/missing.json", Reason: "no such file or directory"},
		{File: "testdata/import/bad/empty-turns.json", Path: "$.turns", Reason: "must have at least 2 turns"},
		{File: "testdata/import/bad/missing-persona.json", Path: "$.persona", Reason: "required field is missing"},
		{File: "testdata/import/bad/not-json.json", Path: "$", Reason: "not valid JSON"},
		{File: "testdata/import/bad/pair-no-target.json", Path: "$.training_pairs[1].target_response", Reason: "required field is missing"},
		{File: "testdata/import/bad/roles.json", Path: "$.turns[2].role", Reason: `roles must alternate user/assistant, got "assistant" after "assistant"`},
		{File: "testdata/import/bad/unknown-tier.json", Path: "$.tier", Reason: `unknown tier "gold"`},
		{File: "testdata/import/bad/wrong-type.json", Path: "$.turns", Reason: "must be an array, got string"},
	}
	if len(res.Rejected) != len(want) {
		t.Fatalf("rejected %d files, want %d: %v", len(res.Rejected), len(want), res.Rejected)
	}
	for i, w := range want {
		r := res.Rejected[i]
		if r.File != w.File || r.Path != w.Path || !strings.Contains(r.Reason, w.Reason) {
			t.Errorf("rejection %d: %+v, want %+v", i, r, w)
		}
	}
	if len(reports) != 13 || reports[0].Done != 0 || reports[0].Total != 12 || reports[12].Done != 12 {
		t.Fatalf("progress reports: %+v", reports)
	}

	page, err := s.ListConversations(ctx, model.ConversationQuery{Sort: model.SortConversationID})
	if err != nil || page.Total != 4 {
		t.Fatalf("list: %+v %v", page, err)
	}
	layoff := page.Conversations[0]
	if layoff.ConversationID != "demo-layoff-001" || layoff.Title != "Budgeting after a layoff" || layoff.EnrichmentStatus != "completed" ||
		layoff.PairCount != 2 || layoff.TurnCount != 4 || *layoff.QualityScore != 8.5 || layoff.TokenCount == 0 ||
		layoff.RawStoragePath == "" || layoff.EnrichedStoragePath == "" {
		t.Fatalf("layoff row %+v", layoff)
	}
	raw := page.Conversations[2]
	if raw.ConversationID != "demo-rawonly-004" || raw.EnrichmentStatus != model.EnrichmentNotEnriched || raw.PairCount != 0 {
		t.Fatalf("raw-only row %+v", raw)
	}

	// Importing the same files again updates them all and adds nothing.
	res, err = s.Import(ctx, []string{goodDir + "/*.json", goodDir + "/sub"}, nil)
	if err != nil || res.Imported != 0 || res.Updated != 5 || len(res.Rejected) != 0 || len(res.NewPersonas) != 0 {
		t.Fatalf("re-import: %+v %v", res, err)
	}
}

func TestImportRejectsOversizedAndUnreadableFiles(t *testing.T) {
	s, _, _ := newSession(t)
	dir := t.TempDir()
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	// Sparse: 51 MiB on paper, nothing on disk; refused from its size alone.
	if err := os.Truncate(big, 51<<20); err != nil {
		t.Fatal(err)
	}
	locked := filepath.Join(dir, "locked.json")
	if err := os.WriteFile(locked, []byte("{}"), 0o000); err != nil {
		t.Fatal(err)
	}
	res, err := s.Import(context.Background(), []string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rejected) != 2 || res.Rejected[0].File != big || res.Rejected[0].Reason != "file is 51 MiB, over the 50 MiB limit" {
		t.Fatalf("rejections %v", res.Rejected)
	}
	want := "permission denied"
	if os.Geteuid() == 0 {
		want = "required field is missing" // root reads anything; "{}" then fails on content
	}
	if !strings.Contains(res.Rejected[1].Reason, want) {
		t.Fatalf("locked file: %v", res.Rejected[1])
	}
}

func TestImportLeavesNothingHalfWritten(t *testing.T) {
	s, db, o := newSession(t)
	ctx := context.Background()
	owner, err := pgx.Connect(ctx, db.OwnerDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(ctx)
	// The database refuses one conversation's row.
	if _, err := owner.Exec(ctx, `ALTER TABLE conversations ADD CONSTRAINT refuse_nurse CHECK (conversation_id <> 'demo-nurse-002')`); err != nil {
		t.Fatal(err)
	}
	_, err = s.Import(ctx, []string{goodDir + "/02-nurse.enriched.json"}, nil)
	if err == nil || !strings.Contains(err.Error(), "refuse_nurse") {
		t.Fatalf("err = %v, want the refused row", err)
	}
	key := model.ConversationObjectKey(s.User().ID, "demo-nurse-002", model.FlavourEnriched)
	if _, ok, err := o.HeadObject(ctx, store.BucketConversations, key); ok || err != nil {
		t.Fatalf("object without a row: exists=%v err=%v", ok, err)
	}
	if page, _ := s.ListConversations(ctx, model.ConversationQuery{}); page.Total != 0 {
		t.Fatalf("%d rows after a refused import", page.Total)
	}
	// The new persona of the refused file was not added either.
	if personas, _ := s.Personas(ctx); len(personas) != 1 {
		t.Fatalf("personas after a refused import: %+v", personas)
	}
}

func TestConversationDetailAndExport(t *testing.T) {
	s, _, _ := newSession(t)
	ctx := context.Background()
	if _, err := s.Import(ctx, []string{goodDir}, nil); err != nil {
		t.Fatal(err)
	}
	ids := byKey(t, s, "demo-layoff-001", "demo-rawonly-004")
	d, err := s.Conversation(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if d.File.Flavour != model.FlavourEnriched || len(d.File.TrainingPairs) != 2 || len(d.File.Turns) != 4 ||
		d.File.TrainingPairs[1].CurrentUserInput == "" || len(d.File.TrainingPairs[1].ConversationHistory) != 2 {
		t.Fatalf("detail %+v", d.File)
	}
	out := t.TempDir()
	for _, c := range []struct{ flavour, src string }{
		{"raw", goodDir + "/01-layoff.raw.json"}, {"enriched", goodDir + "/01-layoff.enriched.json"},
	} {
		dst := filepath.Join(out, c.flavour+".json")
		n, err := s.ExportConversation(ctx, ids[0], c.flavour, dst)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(dst)
		want, _ := os.ReadFile(c.src)
		if !bytes.Equal(got, want) || n != int64(len(want)) {
			t.Fatalf("%s export differs from the imported file", c.flavour)
		}
	}
	if _, err := s.ExportConversation(ctx, ids[1], "enriched", filepath.Join(out, "x.json")); err == nil ||
		!strings.Contains(err.Error(), "demo-rawonly-004 has no enriched file") {
		t.Fatalf("exporting a missing flavour: %v", err)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 2 {
		t.Fatalf("export left extra files: %v", entries)
	}
	facets, err := s.Facets(ctx)
	if err != nil || len(facets.Personas) != 2 || facets.Personas[1].Key != "night_shift_nurse" || facets.Personas[1].Count != 1 {
		t.Fatalf("facets %+v %v", facets.Personas, err)
	}
}

// A listed or opened conversation carries the reference rows' names beside
// its keys; a key an import added, with no name yet, has none. The JSON
// keeps the keys alone.
func TestConversationsCarryReferenceNames(t *testing.T) {
	s, _, _ := newSession(t)
	ctx := context.Background()
	if _, err := s.Import(ctx, []string{goodDir}, nil); err != nil {
		t.Fatal(err)
	}
	page, err := s.ListConversations(ctx, model.ConversationQuery{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][3]string{}
	for _, c := range page.Conversations {
		got[c.Persona] = [3]string{c.PersonaName, c.EmotionalArc + "=" + c.EmotionalArcName, c.TrainingTopic + "=" + c.TrainingTopicName}
	}
	if g := got["anxious_first_time_investor"]; g != [3]string{"Anxious", "fear_to_confidence=Fear", "emergency_fund=Emergency fund"} {
		t.Errorf("named row: %q", g)
	}
	if g, ok := got["night_shift_nurse"]; !ok || g[0] != "" {
		t.Errorf("a persona an import added has no name: %q (%v)", g, ok)
	}
	ids := byKey(t, s, "demo-layoff-001")
	d, err := s.Conversation(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if d.PersonaName != "Anxious" || d.EmotionalArcName != "Fear" || d.TrainingTopicName != "Emergency fund" {
		t.Errorf("detail names %q %q %q", d.PersonaName, d.EmotionalArcName, d.TrainingTopicName)
	}
	b, err := json.Marshal(page.Conversations[0])
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "_name") {
		t.Errorf("JSON gained the names: %s", b)
	}
}
