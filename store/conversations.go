package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"brightrun/model"
)

const conversationColumns = `id, conversation_id, title, persona, emotional_arc, training_topic, tier,
	enrichment_status, quality_score::float8, turn_count, pair_count, token_count, raw_storage_path,
	coalesce(enriched_storage_path, ''), file_size, created_at, imported_at, updated_at`

// conversationTargets are the scan destinations of conversationColumns.
func conversationTargets(c *model.Conversation) []any {
	return []any{&c.ID, &c.ConversationID, &c.Title, &c.Persona, &c.EmotionalArc, &c.TrainingTopic, &c.Tier,
		&c.EnrichmentStatus, &c.QualityScore, &c.TurnCount, &c.PairCount, &c.TokenCount, &c.RawStoragePath,
		&c.EnrichedStoragePath, &c.FileSize, &c.CreatedAt, &c.ImportedAt, &c.UpdatedAt}
}

func scanConversation(row pgx.Row) (model.Conversation, error) {
	var c model.Conversation
	err := row.Scan(conversationTargets(&c)...)
	return c, err
}

func collectConversations(rows pgx.Rows) ([]model.Conversation, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (model.Conversation, error) { return scanConversation(r) })
}

// sortExpressions maps each model.SortColumns entry to its SQL. The map is
// the whitelist: nothing else reaches ORDER BY. Columns are qualified, so
// quality_score means the column, not the float8 of the select list that
// carries its name (and that no index serves).
var sortExpressions = map[string]string{
	model.SortTitle:            "lower(conversations.title)",
	model.SortConversationID:   "conversations.conversation_id",
	model.SortPersona:          "conversations.persona",
	model.SortEmotionalArc:     "conversations.emotional_arc",
	model.SortTrainingTopic:    "conversations.training_topic",
	model.SortTier:             "conversations.tier",
	model.SortEnrichmentStatus: "conversations.enrichment_status",
	model.SortQualityScore:     "conversations.quality_score",
	model.SortTurnCount:        "conversations.turn_count",
	model.SortPairCount:        "conversations.pair_count",
	model.SortCreatedAt:        "conversations.created_at",
	model.SortImportedAt:       "conversations.imported_at",
}

// conversationFilter turns a query's filters into a WHERE clause and its
// arguments. Row-level security already confines rows to the user; naming
// the user again gives the planner a value to estimate with, so it walks
// the (user_id, column, id) indexes instead of sorting every row.
func conversationFilter(userID uuid.UUID, q model.ConversationQuery) (string, []any) {
	conds := []string{"user_id = $1"}
	args := []any{userID}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if t := strings.TrimSpace(q.Text); t != "" {
		p := arg("%" + escapeLike(t) + "%")
		conds = append(conds, fmt.Sprintf("(title ILIKE %s OR conversation_id ILIKE %s)", p, p))
	}
	for _, f := range []struct {
		col  string
		vals []string
	}{
		{"tier", q.Tiers}, {"persona", q.Personas}, {"emotional_arc", q.EmotionalArcs},
		{"training_topic", q.Topics}, {"enrichment_status", q.Statuses},
	} {
		if len(f.vals) > 0 {
			conds = append(conds, fmt.Sprintf("%s = ANY(%s)", f.col, arg(f.vals)))
		}
	}
	if q.MinQuality != nil {
		conds = append(conds, "quality_score >= "+arg(*q.MinQuality))
	}
	if q.Trainable {
		conds = append(conds, "enriched_storage_path IS NOT NULL AND pair_count > 0")
	}
	return strings.Join(conds, " AND "), args
}

// conversationOrder is the ORDER BY of a normalized query: the column, then
// id in the same direction, so pages never overlap or skip rows and the
// (user_id, column, id) indexes serve it. Unscored conversations sort last
// either way.
func conversationOrder(q model.ConversationQuery) string {
	dir := "ASC"
	if q.Desc {
		dir = "DESC"
	}
	nulls := ""
	if q.Sort == model.SortQualityScore {
		nulls = " NULLS LAST"
	}
	return fmt.Sprintf("%s %s%s, conversations.id %s", sortExpressions[q.Sort], dir, nulls, dir)
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// ListConversations returns one page of the user's conversations matching
// q and how many match in all. Only metadata columns are read; the files
// stay in object storage.
func (db *DB) ListConversations(ctx context.Context, userID uuid.UUID, q model.ConversationQuery) (model.ConversationPage, error) {
	q, err := q.Normalized()
	if err != nil {
		return model.ConversationPage{}, err
	}
	where, args := conversationFilter(userID, q)
	page := model.ConversationPage{Offset: q.Offset, Limit: q.Limit}
	err = db.WithUser(ctx, userID, func(tx pgx.Tx) error {
		if strings.TrimSpace(q.Text) != "" {
			return textFilteredPage(ctx, tx, q, where, args, &page)
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM conversations WHERE `+where, args...).Scan(&page.Total); err != nil {
			return err
		}
		if q.Offset >= page.Total {
			return nil // nothing to read: a filter that matches nothing costs one query
		}
		rows, err := tx.Query(ctx, fmt.Sprintf(`SELECT %s FROM conversations WHERE %s ORDER BY %s LIMIT %d OFFSET %d`,
			conversationColumns, where, conversationOrder(q), q.Limit, q.Offset), args...)
		if err != nil {
			return err
		}
		page.Conversations, err = collectConversations(rows)
		return err
	})
	if err != nil {
		return model.ConversationPage{}, fmt.Errorf("list conversations: %w", err)
	}
	if page.Conversations == nil {
		page.Conversations = []model.Conversation{}
	}
	return page, nil
}

// textFilteredPage reads the page and the total of a text filter in one
// pass over the table. ILIKE '%text%' can use no index (a trigram index
// would serve it, but under the table's forced row-level security the
// planner puts only leakproof operators in an index scan, and ILIKE is not
// one), and counting in one scan and then walking the sort column's index
// for the page reads the table twice; worse, when the matches are few
// and clustered (the newest 1% of 100,000), the walk visits nearly every
// row one heap fetch at a time (226 ms). So the matches are read once with
// their sort column alone (a narrow row), counted, the page's ids sorted
// out of them, and only those rows read in full.
func textFilteredPage(ctx context.Context, tx pgx.Tx, q model.ConversationQuery, where string, args []any, page *model.ConversationPage) error {
	order := conversationOrder(q)
	rows, err := tx.Query(ctx, fmt.Sprintf(`SELECT %s, p.match_total FROM conversations JOIN (
			WITH conversations AS MATERIALIZED (SELECT id, %s FROM conversations WHERE %s)
			SELECT id AS match_id, (SELECT count(*) FROM conversations) AS match_total
			FROM conversations ORDER BY %s LIMIT %d OFFSET %d
		) p ON p.match_id = conversations.id ORDER BY %s`,
		conversationColumns, sortColumn(q.Sort), where, order, q.Limit, q.Offset, order), args...)
	if err != nil {
		return err
	}
	page.Conversations, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (model.Conversation, error) {
		var c model.Conversation
		err := r.Scan(append(conversationTargets(&c), &page.Total)...)
		return c, err
	})
	if err != nil || len(page.Conversations) > 0 || q.Offset == 0 {
		return err
	}
	// A page past the end has no row to carry the total.
	return tx.QueryRow(ctx, `SELECT count(*) FROM conversations WHERE `+where, args...).Scan(&page.Total)
}

// sortColumn is the table column a sort reads (the one its expression in
// sortExpressions names).
func sortColumn(sort string) string {
	expr := sortExpressions[sort]
	i := strings.Index(expr, "conversations.") + len("conversations.")
	return strings.TrimSuffix(expr[i:], ")")
}

// ConversationIDs returns the IDs of every conversation matching q (its
// offset and limit ignored), in q's order: "select all" of a filtered view.
func (db *DB) ConversationIDs(ctx context.Context, userID uuid.UUID, q model.ConversationQuery) ([]uuid.UUID, error) {
	q.Offset, q.Limit = 0, 0
	q, err := q.Normalized()
	if err != nil {
		return nil, err
	}
	where, args := conversationFilter(userID, q)
	var ids []uuid.UUID
	err = db.WithUser(ctx, userID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id FROM conversations WHERE `+where+` ORDER BY `+conversationOrder(q), args...)
		if err != nil {
			return err
		}
		ids, err = pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("select conversations: %w", err)
	}
	return ids, nil
}

// Conversation returns one of the user's conversations by its row ID.
func (db *DB) Conversation(ctx context.Context, userID, id uuid.UUID) (model.Conversation, error) {
	var c model.Conversation
	err := db.WithUser(ctx, userID, func(tx pgx.Tx) error {
		var err error
		c, err = scanConversation(tx.QueryRow(ctx, `SELECT `+conversationColumns+` FROM conversations WHERE id = $1`, id))
		return err
	})
	if err != nil {
		return c, fmt.Errorf("conversation %s: %w", id, notFound(err))
	}
	return c, nil
}

// ConversationsByKey returns the user's conversations with the given
// business keys (conversation_id), in the order given. Every key must
// exist: ErrNotFound names the first that does not.
func (db *DB) ConversationsByKey(ctx context.Context, userID uuid.UUID, keys []string) ([]model.Conversation, error) {
	byKey := make(map[string]model.Conversation, len(keys))
	err := db.WithUser(ctx, userID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+conversationColumns+` FROM conversations WHERE conversation_id = ANY($1)`, keys)
		if err != nil {
			return err
		}
		list, err := collectConversations(rows)
		for _, c := range list {
			byKey[c.ConversationID] = c
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find conversations: %w", err)
	}
	out := make([]model.Conversation, 0, len(keys))
	for _, k := range keys {
		c, ok := byKey[k]
		if !ok {
			return nil, fmt.Errorf("conversation %q: %w", k, ErrNotFound)
		}
		out = append(out, c)
	}
	return out, nil
}

// ConversationFacets counts the user's conversations by tier, persona, arc,
// topic and enrichment status, listing every reference value (used or not)
// and every used value (known to the reference tables or not). One scan of
// the table, whatever its size.
func (db *DB) ConversationFacets(ctx context.Context, userID uuid.UUID) (model.Facets, error) {
	counts := map[string]map[string]int{}
	err := db.WithUser(ctx, userID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			SELECT CASE WHEN GROUPING(persona) = 0 THEN 'persona'
				WHEN GROUPING(emotional_arc) = 0 THEN 'arc'
				WHEN GROUPING(training_topic) = 0 THEN 'topic'
				WHEN GROUPING(tier) = 0 THEN 'tier' ELSE 'status' END,
				coalesce(persona, emotional_arc, training_topic, tier, enrichment_status), count(*)
			FROM conversations
			GROUP BY GROUPING SETS ((persona), (emotional_arc), (training_topic), (tier), (enrichment_status))`)
		if err != nil {
			return err
		}
		var facet, key string
		var n int
		_, err = pgx.ForEachRow(rows, []any{&facet, &key, &n}, func() error {
			if counts[facet] == nil {
				counts[facet] = map[string]int{}
			}
			counts[facet][key] = n
			return nil
		})
		return err
	})
	if err != nil {
		return model.Facets{}, fmt.Errorf("count conversations by facet: %w", err)
	}
	personas, err := db.Personas(ctx)
	if err != nil {
		return model.Facets{}, err
	}
	arcs, err := db.EmotionalArcs(ctx)
	if err != nil {
		return model.Facets{}, err
	}
	topics, err := db.Topics(ctx)
	if err != nil {
		return model.Facets{}, err
	}
	var f model.Facets
	for _, t := range model.Tiers {
		f.Tiers = append(f.Tiers, model.FacetValue{Key: t, Count: counts["tier"][t]})
	}
	for _, s := range model.EnrichmentStatuses {
		f.EnrichmentStatuses = append(f.EnrichmentStatuses, model.FacetValue{Key: s, Count: counts["status"][s]})
	}
	for _, p := range personas {
		f.Personas = append(f.Personas, model.FacetValue{Key: p.Key, Name: p.Name, Count: counts["persona"][p.Key]})
	}
	for _, a := range arcs {
		f.EmotionalArcs = append(f.EmotionalArcs, model.FacetValue{Key: a.Key, Name: a.Name, Tier: a.Tier, Count: counts["arc"][a.Key]})
	}
	for _, t := range topics {
		f.TrainingTopics = append(f.TrainingTopics, model.FacetValue{Key: t.Key, Name: t.Name, Count: counts["topic"][t.Key]})
	}
	f.Personas = appendUnlisted(f.Personas, counts["persona"])
	f.EmotionalArcs = appendUnlisted(f.EmotionalArcs, counts["arc"])
	f.TrainingTopics = appendUnlisted(f.TrainingTopics, counts["topic"])
	return f, nil
}

// appendUnlisted adds values in use that the listed ones lack (a key whose
// reference row was deactivated), sorted, so no conversation is unreachable
// through the facets.
func appendUnlisted(list []model.FacetValue, counts map[string]int) []model.FacetValue {
	listed := make(map[string]bool, len(list))
	for _, v := range list {
		listed[v.Key] = true
	}
	var extra []model.FacetValue
	for k, n := range counts {
		if !listed[k] {
			extra = append(extra, model.FacetValue{Key: k, Count: n})
		}
	}
	slices.SortFunc(extra, func(a, b model.FacetValue) int { return strings.Compare(a.Key, b.Key) })
	return append(list, extra...)
}
