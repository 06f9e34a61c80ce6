package store_test

import (
	"context"
	"testing"

	"brightrun/model"
	"brightrun/store/storetest"
)

// BenchmarkBrowse100k times what the conversation browser asks for with
// 100,000 conversations: it must stay interactive (tens of milliseconds).
func BenchmarkBrowse100k(b *testing.B) {
	db, u := storetest.NewDBWithUser(b, "ada")
	ctx := context.Background()
	storetest.SeedConversations(b, db, u.ID, 100_000)
	queries := []struct {
		name string
		q    model.ConversationQuery
	}{
		{"first-page", model.ConversationQuery{}},
		{"deep-page", model.ConversationQuery{Offset: 90_000}},
		{"text", model.ConversationQuery{Text: "budget"}},
		{"quality-desc", model.ConversationQuery{Sort: model.SortQualityScore, Desc: true}},
		{"facets-and-sort", model.ConversationQuery{Tiers: []string{"edge_case"}, Personas: []string{"p1"}, MinQuality: f64(5), Sort: model.SortPairCount}},
	}
	for _, qq := range queries {
		b.Run(qq.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := db.ListConversations(ctx, u.ID, qq.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("select-all", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.ConversationIDs(ctx, u.ID, model.ConversationQuery{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("facets", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.ConversationFacets(ctx, u.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
}
