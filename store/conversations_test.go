package store_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"brightrun/model"
	"brightrun/store"
	"brightrun/store/storetest"
)

func summary(cid, tier string, quality *float64, pairs int) model.Conversation {
	return model.Conversation{
		ConversationID: cid, Title: "title " + cid, Persona: "p1", EmotionalArc: "a1", TrainingTopic: "t1",
		Tier: tier, EnrichmentStatus: model.EnrichmentCompleted, QualityScore: quality, TurnCount: 4, PairCount: pairs, TokenCount: 10,
	}
}

func f64(v float64) *float64 { return &v }

func objectBody(t *testing.T, o *store.Objects, key string) (string, bool) {
	t.Helper()
	body, _, err := o.GetObject(context.Background(), store.BucketConversations, key)
	if errors.Is(err, store.ErrNotFound) {
		return "", false
	}
	if err != nil {
		t.Fatal(err)
	}
	defer body.Close()
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b), true
}

func TestSaveConversationFileInsertsUpdatesAndAddsKeys(t *testing.T) {
	db, u := storetest.NewDBWithUser(t, "ada")
	o := storetest.NewObjects(t)
	ctx := context.Background()

	raw := store.ConversationFileWrite{Summary: summary("c1", "template", nil, 0), Flavour: model.FlavourRaw, Data: []byte(`{"raw":1}`)}
	raw.Summary.EnrichmentStatus = model.EnrichmentNotEnriched
	s, err := store.SaveConversationFile(ctx, db, o, u.ID, raw)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Inserted || s.NewKeys.Personas[0] != "p1" || s.NewKeys.EmotionalArcs[0] != "a1" || s.NewKeys.Topics[0] != "t1" {
		t.Fatalf("first save: %+v", s)
	}
	rawKey := u.ID.String() + "/c1/raw.json"
	if s.Conversation.RawStoragePath != rawKey || s.Conversation.EnrichedStoragePath != "" {
		t.Fatalf("paths %+v", s.Conversation)
	}
	if body, ok := objectBody(t, o, rawKey); !ok || body != `{"raw":1}` {
		t.Fatalf("raw object %q %v", body, ok)
	}

	enr := store.ConversationFileWrite{Summary: summary("c1", "edge_case", f64(8.25), 3), Flavour: model.FlavourEnriched, Data: []byte(`{"enriched":1}`)}
	s, err = store.SaveConversationFile(ctx, db, o, u.ID, enr)
	if err != nil {
		t.Fatal(err)
	}
	c := s.Conversation
	if s.Inserted || len(s.NewKeys.Personas) != 0 || c.Tier != "edge_case" || c.PairCount != 3 || *c.QualityScore != 8.25 ||
		c.RawStoragePath != rawKey || c.EnrichedStoragePath != u.ID.String()+"/c1/enriched.json" {
		t.Fatalf("enriched update: %+v", s)
	}

	// The raw file again: its path is kept, the enriched metadata stays.
	raw.Data = []byte(`{"raw":2}`)
	s, err = store.SaveConversationFile(ctx, db, o, u.ID, raw)
	if err != nil {
		t.Fatal(err)
	}
	if s.Inserted || s.Conversation.Tier != "edge_case" || s.Conversation.PairCount != 3 || s.Conversation.EnrichmentStatus != model.EnrichmentCompleted {
		t.Fatalf("raw after enriched: %+v", s.Conversation)
	}
	if body, _ := objectBody(t, o, rawKey); body != `{"raw":2}` {
		t.Fatalf("raw object not replaced: %q", body)
	}
	page, err := db.ListConversations(ctx, u.ID, model.ConversationQuery{})
	if err != nil || page.Total != 1 {
		t.Fatalf("list: %+v %v", page, err)
	}
}

func TestSaveConversationFileIsAllOrNothing(t *testing.T) {
	dsn := storetest.NewDatabase(t)
	db, err := store.OpenDB(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	o := storetest.NewObjects(t)
	ctx := context.Background()
	u, _ := db.AddUser(ctx, "ada")

	// A row the database refuses (an unknown tier slips past the model
	// here): nothing is stored at all.
	bad := store.ConversationFileWrite{Summary: summary("c-bad", "gold", nil, 1), Flavour: model.FlavourEnriched, Data: []byte(`{}`)}
	if _, err := store.SaveConversationFile(ctx, db, o, u.ID, bad); err == nil {
		t.Fatal("a row breaking a constraint was saved")
	}
	if _, ok := objectBody(t, o, u.ID.String()+"/c-bad/enriched.json"); ok {
		t.Fatal("the object landed without its row")
	}

	good := store.ConversationFileWrite{Summary: summary("c2", "template", nil, 1), Flavour: model.FlavourEnriched, Data: []byte(`{"v":1}`)}
	if _, err := store.SaveConversationFile(ctx, db, o, u.ID, good); err != nil {
		t.Fatal(err)
	}

	// Make every commit that touched conversations fail, after the object
	// was put: a deferred constraint trigger fires at commit time.
	owner, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(ctx)
	_, err = owner.Exec(ctx, `
		CREATE FUNCTION fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'commit refused by test'; END $$;
		CREATE CONSTRAINT TRIGGER fail_at_commit AFTER INSERT OR UPDATE ON conversations
			DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fail_at_commit();`)
	if err != nil {
		t.Fatal(err)
	}
	newOne := store.ConversationFileWrite{Summary: summary("c3", "template", nil, 1), Flavour: model.FlavourEnriched, Data: []byte(`{"v":1}`)}
	if _, err := store.SaveConversationFile(ctx, db, o, u.ID, newOne); err == nil || !strings.Contains(err.Error(), "commit refused") {
		t.Fatalf("err = %v, want the refused commit", err)
	}
	if _, ok := objectBody(t, o, u.ID.String()+"/c3/enriched.json"); ok {
		t.Fatal("a new conversation's object survived its failed commit")
	}
	good.Data = []byte(`{"v":2}`)
	if _, err := store.SaveConversationFile(ctx, db, o, u.ID, good); err == nil {
		t.Fatal("update committed despite the trigger")
	}
	if body, _ := objectBody(t, o, u.ID.String()+"/c2/enriched.json"); body != `{"v":1}` {
		t.Fatalf("after a failed update the object holds %q, want the previous content", body)
	}
	page, err := db.ListConversations(ctx, u.ID, model.ConversationQuery{})
	if err != nil || page.Total != 1 || page.Conversations[0].ConversationID != "c2" {
		t.Fatalf("rows after failures: %+v %v", page, err)
	}
}

func TestListConversationsFiltersSortsAndPages(t *testing.T) {
	db, u, other := storetest.NewDBWithUsers(t, "ada", "bob")
	ctx := context.Background()
	storetest.SeedConversations(t, db, u.ID, 100)
	storetest.SeedConversations(t, db, other.ID, 7)

	ids := func(p model.ConversationPage) string {
		var s []string
		for _, c := range p.Conversations {
			s = append(s, strings.TrimPrefix(c.ConversationID, "conv-0000"))
		}
		return strings.Join(s, ",")
	}
	tests := []struct {
		name  string
		q     model.ConversationQuery
		total int
		first string // ids of the page, shortened
	}{
		{"default newest first", model.ConversationQuery{Limit: 3}, 100, "conv-000100,99,98"},
		{"text on title", model.ConversationQuery{Text: "budget", Sort: model.SortCreatedAt, Limit: 3}, 10, "10,20,30"},
		{"text on id", model.ConversationQuery{Text: "conv-00004", Limit: 20}, 10, "49,48,47,46,45,44,43,42,41,40"},
		{"like metacharacters are literal", model.ConversationQuery{Text: "%"}, 0, ""},
		{"tier", model.ConversationQuery{Tiers: []string{"edge_case"}, Sort: model.SortConversationID, Limit: 2}, 25, "04,08"},
		{"persona and tier", model.ConversationQuery{Personas: []string{"p0"}, Tiers: []string{"edge_case"}, Sort: model.SortConversationID, Limit: 2}, 8, "12,24"},
		{"status", model.ConversationQuery{Statuses: []string{"not_enriched"}, Limit: 1}, 20, "conv-000100"},
		{"min quality", model.ConversationQuery{MinQuality: f64(9.5), Sort: model.SortConversationID, Limit: 3}, 7, "21,32,43"},
		{"trainable", model.ConversationQuery{Trainable: true, Limit: 1}, 80, "99"},
		{"title is case-insensitive", model.ConversationQuery{Sort: model.SortTitle, Limit: 2}, 100, "10,conv-000100"},
		{"second page", model.ConversationQuery{Sort: model.SortConversationID, Offset: 98, Limit: 5}, 100, "99,conv-000100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := db.ListConversations(ctx, u.ID, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != tt.total || ids(p) != tt.first {
				t.Fatalf("total %d page %s; want %d and %s", p.Total, ids(p), tt.total, tt.first)
			}
		})
	}

	// Sorting by a column with ties: the order of the column holds, and
	// paging through it visits every row once.
	for _, q := range []model.ConversationQuery{
		{Sort: model.SortQualityScore, Desc: true}, {Sort: model.SortQualityScore}, {Sort: model.SortPairCount},
		{Sort: model.SortTurnCount, Desc: true}, {Sort: model.SortPersona, Desc: true},
	} {
		seen := map[uuid.UUID]bool{}
		var prev *model.Conversation
		for q.Offset = 0; q.Offset < 100; q.Offset += 7 {
			q.Limit = 7
			p, err := db.ListConversations(ctx, u.ID, q)
			if err != nil {
				t.Fatal(err)
			}
			for i := range p.Conversations {
				c := p.Conversations[i]
				if seen[c.ID] {
					t.Fatalf("sort %s desc=%v: %s on two pages", q.Sort, q.Desc, c.ConversationID)
				}
				seen[c.ID] = true
				if prev != nil && outOfOrder(q, *prev, c) {
					t.Fatalf("sort %s desc=%v: %+v before %+v", q.Sort, q.Desc, *prev, c)
				}
				prev = &c
			}
		}
		if len(seen) != 100 {
			t.Fatalf("sort %s: paging saw %d rows, want 100", q.Sort, len(seen))
		}
	}

	all, err := db.ConversationIDs(ctx, u.ID, model.ConversationQuery{Tiers: []string{"edge_case"}, Limit: 1})
	if err != nil || len(all) != 25 {
		t.Fatalf("select all: %d ids, %v", len(all), err)
	}
	for _, bad := range []model.ConversationQuery{{Sort: "title; DROP TABLE users"}, {Limit: -1}, {Tiers: []string{"gold"}}, {MinQuality: f64(11)}} {
		if _, err := db.ListConversations(ctx, u.ID, bad); err == nil {
			t.Errorf("query %+v accepted", bad)
		}
	}
}

func TestConversationFacetsCountAndListReferenceValues(t *testing.T) {
	db, u := storetest.NewDBWithUser(t, "ada")
	ctx := context.Background()
	storetest.SeedConversations(t, db, u.ID, 20)
	f, err := db.ConversationFacets(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := func(list []model.FacetValue) string {
		var s []string
		for _, v := range list {
			s = append(s, fmt.Sprintf("%s=%d", v.Key, v.Count))
		}
		return strings.Join(s, " ")
	}
	for _, c := range []struct{ facet, got, want string }{
		{"tiers", got(f.Tiers), "template=15 edge_case=5"},
		{"personas", got(f.Personas), "p0=6 p1=7 p2=7"},
		{"arcs", got(f.EmotionalArcs), "a1=15 a2=5"},
		{"topics", got(f.TrainingTopics), "t-unused=0 t1=20"},
		{"statuses", got(f.EnrichmentStatuses), "not_enriched=4 pending=0 in_progress=0 completed=16 failed=0"},
	} {
		if c.got != c.want {
			t.Errorf("%s: %s, want %s", c.facet, c.got, c.want)
		}
	}
	if f.EmotionalArcs[1].Tier != "edge_case" || f.Personas[0].Name != "Persona 0" {
		t.Errorf("names and tiers: %+v %+v", f.EmotionalArcs, f.Personas)
	}
}

// outOfOrder says whether b may not follow a in q's order. Unscored
// conversations come last in both directions.
func outOfOrder(q model.ConversationQuery, a, b model.Conversation) bool {
	var cmp int
	switch q.Sort {
	case model.SortQualityScore:
		switch {
		case a.QualityScore == nil:
			return b.QualityScore != nil
		case b.QualityScore == nil:
			return false
		}
		cmp = compare(*a.QualityScore, *b.QualityScore)
	case model.SortPairCount:
		cmp = compare(a.PairCount, b.PairCount)
	case model.SortTurnCount:
		cmp = compare(a.TurnCount, b.TurnCount)
	case model.SortPersona:
		cmp = strings.Compare(a.Persona, b.Persona)
	}
	if q.Desc {
		cmp = -cmp
	}
	return cmp > 0
}

func compare[T int | float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestTextFilterPagesMatchTheIndexOrder checks the page of a text filter
// (read in one pass, see textFilteredPage) against the order of the plain
// query (ConversationIDs), for every sort column both ways, and its total
// on a page past the end, so the two shapes of query never disagree.
func TestTextFilterPagesMatchTheIndexOrder(t *testing.T) {
	db, u := storetest.NewDBWithUser(t, "ada")
	ctx := context.Background()
	storetest.SeedConversations(t, db, u.ID, 200)
	for _, col := range model.SortColumns {
		for _, desc := range []bool{false, true} {
			q := model.ConversationQuery{Text: "budget", Sort: col, Desc: desc}
			all, err := db.ConversationIDs(ctx, u.ID, q)
			if err != nil {
				t.Fatal(err)
			}
			q.Offset, q.Limit = 3, 5
			page, err := db.ListConversations(ctx, u.ID, q)
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != len(all) || page.Total != 20 {
				t.Fatalf("%s desc=%v: total %d, ids %d, want 20", col, desc, page.Total, len(all))
			}
			for i, c := range page.Conversations {
				if c.ID != all[3+i] {
					t.Fatalf("%s desc=%v: row %d is %s, want %s", col, desc, 3+i, c.ConversationID, all[3+i])
				}
			}
			if len(page.Conversations) != 5 {
				t.Fatalf("%s desc=%v: %d rows", col, desc, len(page.Conversations))
			}
		}
	}
	past, err := db.ListConversations(ctx, u.ID, model.ConversationQuery{Text: "BUDGET", Offset: 1000, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if past.Total != 20 || len(past.Conversations) != 0 {
		t.Fatalf("a page past the end: total %d, %d rows; want 20 and none", past.Total, len(past.Conversations))
	}
}
