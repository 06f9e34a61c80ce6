package engine_test

import (
	"context"
	"io/fs"
	"os"
	"strings"
	"testing"

	"brightrun/assets"
	"brightrun/engine"
	"brightrun/engine/enginetest"
	"brightrun/model"
	"brightrun/model/convfile"
	"brightrun/store/storetest"
)

func TestSeedDemoFromFixturesIsIdempotent(t *testing.T) {
	s, _, _ := newSession(t)
	ctx := context.Background()
	res, err := s.SeedDemoFrom(ctx, os.DirFS("testdata"), "reference", os.DirFS(goodDir), ".")
	if err != nil {
		t.Fatal(err)
	}
	// Only the files directly in the directory: two conversations, one of
	// them raw and enriched.
	if res.Personas != 2 || res.EmotionalArcs != 2 || res.Topics != 2 || res.Files != 3 ||
		res.Conversations() != 2 || res.Import.Updated != 1 {
		t.Fatalf("first seed: %+v", res)
	}
	arcs, err := s.EmotionalArcs(ctx)
	if err != nil || len(arcs) != 2 || arcs[1].Tier != model.TierEdgeCase || arcs[1].Name != "Shame to self-compassion" {
		t.Fatalf("arcs %+v %v", arcs, err)
	}
	res, err = s.SeedDemoFrom(ctx, os.DirFS("testdata"), "reference", os.DirFS(goodDir), ".")
	if err != nil || res.Conversations() != 0 || res.Import.Updated != 3 {
		t.Fatalf("second seed: %+v %v", res, err)
	}
	if _, err := s.SeedDemoFrom(ctx, os.DirFS("testdata"), "reference", os.DirFS(badDir), "."); err == nil ||
		!strings.Contains(err.Error(), "rejected") {
		t.Fatalf("seeding bad files: %v", err)
	}
}

func TestSeedDemoIfNewSeedsOncePerLocalDatabase(t *testing.T) {
	db, o := storetest.NewDB(t), storetest.NewObjects(t)
	ctx := context.Background()

	shared := enginetest.New(t, engine.Config{Mode: engine.ModeShared}, db, o)
	u, _ := shared.EnsureUser(ctx, "ada")
	if seeded, _, err := shared.Session(u).SeedDemoIfNew(ctx); seeded || err != nil {
		t.Fatalf("shared mode seeded: %v %v", seeded, err)
	}

	local := enginetest.New(t, engine.Config{Mode: engine.ModeLocal}, db, o)
	s := local.Session(u)
	seeded, res, err := s.SeedDemoIfNew(ctx)
	if err != nil || !seeded {
		t.Fatalf("first local start: seeded=%v err=%v", seeded, err)
	}
	if got, ok := s.DemoSeeded(); !ok || got.Conversations() != res.Conversations() {
		t.Fatalf("session does not remember the seeding: %+v %v", got, ok)
	}
	bob, _ := local.EnsureUser(ctx, "bob")
	if again, _, err := local.Session(bob).SeedDemoIfNew(ctx); again || err != nil {
		t.Fatalf("second start seeded again: %v %v", again, err)
	}
}

// TestEmbeddedDemoData checks the demo data a new installation gets is
// enough to walk the whole pipeline: every file imports, 3 personas, 10
// arcs (7 template, 3 edge_case), about 10 topics, at least 60
// conversations that are both raw and enriched, all keys in the reference
// data.
func TestEmbeddedDemoData(t *testing.T) {
	keys := map[string]map[string]bool{"persona": {}, "arc": {}, "topic": {}}
	tiers := map[string]int{}
	personas, arcs, topics, err := engine.ReadReferenceData(assets.Reference, "reference")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range personas {
		keys["persona"][p.Key] = true
	}
	for _, a := range arcs {
		keys["arc"][a.Key] = true
		tiers[a.Tier]++
	}
	for _, tp := range topics {
		keys["topic"][tp.Key] = true
	}
	if len(personas) != 3 || len(arcs) != 10 || tiers["template"] != 7 || tiers["edge_case"] != 3 || len(topics) < 8 {
		t.Fatalf("reference data: %d personas, arcs by tier %v, %d topics", len(personas), tiers, len(topics))
	}
	flavours := map[string]map[string]bool{}
	files, _ := fs.Glob(assets.Demo, "demo/conversations/*.json")
	for _, name := range files {
		data, _ := fs.ReadFile(assets.Demo, name)
		f, err := convfile.ParseConversationFile(name, data)
		if err != nil {
			t.Fatal(err)
		}
		for kind, k := range map[string]string{"persona": f.Persona, "arc": f.EmotionalArc, "topic": f.TrainingTopic} {
			if !keys[kind][k] {
				t.Errorf("%s: %s %q is not in the reference data", name, kind, k)
			}
		}
		if f.Flavour == model.FlavourEnriched && len(f.TrainingPairs) == 0 {
			t.Errorf("%s: enriched without training pairs", name)
		}
		if flavours[f.ConversationID] == nil {
			flavours[f.ConversationID] = map[string]bool{}
		}
		flavours[f.ConversationID][f.Flavour] = true
	}
	both := 0
	for _, fl := range flavours {
		if fl[model.FlavourRaw] && fl[model.FlavourEnriched] {
			both++
		}
	}
	if both < 60 {
		t.Fatalf("%d demo conversations with raw and enriched files (of %d files), want at least 60", both, len(files))
	}
}
