package uitest

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
)

// ConversationData is the fixture's conversations, training files and the
// datasets made from them, held in memory: the demo conversations of
// assets/demo (raw and enriched, realistic titles, every persona, arc and
// tier) or GenerateConversations' rows. Queries filter, sort and page the
// way the store does, so the screens' windowing is tested for real.
//
// It hangs off a Backend (see Backend.Data) rather than inside it, so the
// notifications fixture stays as it was.
type ConversationData struct {
	mu sync.Mutex

	rows  []model.Conversation // in import order
	files map[uuid.UUID]*storedConversation
	// byKey finds a row by its conversation_id.
	byKey map[string]int

	personas, arcs, topics []model.FacetValue // reference rows, counts unused

	training []*fixtureTrainingFile // newest first
	// Datasets are the datasets DatasetFromTrainingFile made.
	Datasets []model.Dataset

	version int // bumped by every change, invalidating the query cache
	cache   map[string][]int

	inflight atomic.Int32

	errs map[string]error
	// Calls counts the calls of each method by name.
	Calls map[string]int
	// Queries are the queries ListConversations was asked, in order.
	Queries []model.ConversationQuery
	// Delay, when set, holds every call that long (for "still loading" tests).
	Delay time.Duration
	// ImportFileDelay holds Import that long per file, so a test can stop
	// an import halfway.
	ImportFileDelay time.Duration
}

// storedConversation is what object storage would hold for a row.
type storedConversation struct {
	raw, enriched []byte
	file          model.ConversationFile // the enriched one when there is one
}

var conversationData sync.Map // *Backend → *ConversationData

// Data returns the backend's conversation fixture, seeded with the demo
// conversations and two training files on first use.
func (b *Backend) Data() *ConversationData {
	if d, ok := conversationData.Load(b); ok {
		return d.(*ConversationData)
	}
	d, _ := conversationData.LoadOrStore(b, demoData(b.UserValue.ID))
	return d.(*ConversationData)
}

// SetErr makes every later call of method (a ConversationsBackend method
// name, e.g. "ListConversations") fail with err; nil heals it.
func (d *ConversationData) SetErr(method string, err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.errs[method] = err
}

// Rows returns a copy of the conversations in import order.
func (d *ConversationData) Rows() []model.Conversation {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.rows)
}

// SetRows replaces every conversation (and forgets the training files),
// e.g. with GenerateConversations(100_000).
func (d *ConversationData) SetRows(rows []model.Conversation) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.rows = rows
	d.files = map[uuid.UUID]*storedConversation{}
	d.byKey = make(map[string]int, len(rows))
	for i, r := range rows {
		d.byKey[r.ConversationID] = i
	}
	d.training = nil
	d.version++
}

// track counts a call in flight until the returned func runs, so a test
// runner can wait for the fixture instead of guessing (see Run).
func (d *ConversationData) track() func() {
	d.inflight.Add(1)
	return func() { d.inflight.Add(-1) }
}

// Busy reports whether a call is in flight.
func (d *ConversationData) Busy() bool { return d.inflight.Load() > 0 }

// begin records a call and returns its injected error, after the delay.
func (d *ConversationData) begin(method string) error {
	d.mu.Lock()
	delay := d.Delay
	d.Calls[method]++
	err := d.errs[method]
	d.mu.Unlock()
	if delay > 0 {
		time.Sleep(delay)
	}
	return err
}

func (d *ConversationData) indexByID(id uuid.UUID) (int, bool) {
	for i := range d.rows {
		if d.rows[i].ID == id {
			return i, true
		}
	}
	return 0, false
}

// ListConversations implements common.ConversationsBackend.
func (b *Backend) ListConversations(_ context.Context, q model.ConversationQuery) (model.ConversationPage, error) {
	d := b.Data()
	defer d.track()()
	if err := d.begin("ListConversations"); err != nil {
		return model.ConversationPage{}, err
	}
	q, err := q.Normalized()
	if err != nil {
		return model.ConversationPage{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.Queries = append(d.Queries, q)
	idx := d.matching(q)
	page := model.ConversationPage{Total: len(idx), Offset: q.Offset, Limit: q.Limit, Conversations: []model.Conversation{}}
	for _, i := range idx[min(q.Offset, len(idx)):min(q.Offset+q.Limit, len(idx))] {
		page.Conversations = append(page.Conversations, d.rows[i])
	}
	return page, nil
}

// ConversationIDs implements common.ConversationsBackend.
func (b *Backend) ConversationIDs(_ context.Context, q model.ConversationQuery) ([]uuid.UUID, error) {
	d := b.Data()
	defer d.track()()
	if err := d.begin("ConversationIDs"); err != nil {
		return nil, err
	}
	q, err := q.Normalized()
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	idx := d.matching(q)
	ids := make([]uuid.UUID, len(idx))
	for i, r := range idx {
		ids[i] = d.rows[r].ID
	}
	return ids, nil
}

// matching returns the indexes of the rows q selects, in q's order. The
// answer is cached per query (without paging), so paging through 100,000
// rows sorts them once.
func (d *ConversationData) matching(q model.ConversationQuery) []int {
	q.Offset, q.Limit = 0, 0
	keyJSON, _ := json.Marshal(q)
	key := fmt.Sprintf("%d %s", d.version, keyJSON)
	if d.cache == nil {
		d.cache = map[string][]int{}
	}
	if idx, ok := d.cache[key]; ok {
		return idx
	}
	text := strings.ToLower(q.Text)
	var idx []int
	for i, r := range d.rows {
		switch {
		case text != "" && !strings.Contains(strings.ToLower(r.Title), text) && !strings.Contains(strings.ToLower(r.ConversationID), text),
			!oneOf(r.Tier, q.Tiers), !oneOf(r.Persona, q.Personas), !oneOf(r.EmotionalArc, q.EmotionalArcs),
			!oneOf(r.TrainingTopic, q.Topics), !oneOf(r.EnrichmentStatus, q.Statuses),
			q.MinQuality != nil && (r.QualityScore == nil || *r.QualityScore < *q.MinQuality),
			q.Trainable && r.Trainable() != nil:
			continue
		}
		idx = append(idx, i)
	}
	// As the store orders: the column, then id, both in the query's
	// direction; unscored conversations last either way (NULLS LAST).
	slices.SortStableFunc(idx, func(a, b int) int {
		ra, rb := d.rows[a], d.rows[b]
		if q.Sort == model.SortQualityScore && (ra.QualityScore == nil) != (rb.QualityScore == nil) {
			if ra.QualityScore == nil {
				return 1
			}
			return -1
		}
		c := compareBy(q.Sort, ra, rb)
		if c == 0 {
			c = strings.Compare(ra.ID.String(), rb.ID.String())
		}
		if q.Desc {
			c = -c
		}
		return c
	})
	if len(d.cache) >= 8 { // a few queries are all a screen goes back to
		clear(d.cache)
	}
	d.cache[key] = idx
	return idx
}

func oneOf(v string, list []string) bool { return len(list) == 0 || slices.Contains(list, v) }

// textColumns are the sort columns compared as text, each with what it
// reads of a row.
var textColumns = map[string]func(model.Conversation) string{
	model.SortTitle:            func(c model.Conversation) string { return strings.ToLower(c.Title) },
	model.SortConversationID:   func(c model.Conversation) string { return c.ConversationID },
	model.SortPersona:          func(c model.Conversation) string { return c.Persona },
	model.SortEmotionalArc:     func(c model.Conversation) string { return c.EmotionalArc },
	model.SortTrainingTopic:    func(c model.Conversation) string { return c.TrainingTopic },
	model.SortTier:             func(c model.Conversation) string { return c.Tier },
	model.SortEnrichmentStatus: func(c model.Conversation) string { return c.EnrichmentStatus },
}

// compareBy orders two rows by a model.Sort* column as the store's
// sortExpressions do: titles case-folded (lower(title)). Unscored rows are
// ordered by the caller.
func compareBy(col string, a, b model.Conversation) int {
	if text, ok := textColumns[col]; ok {
		return strings.Compare(text(a), text(b))
	}
	switch col {
	case model.SortQualityScore:
		if a.QualityScore == nil || b.QualityScore == nil {
			return 0
		}
		return cmp.Compare(*a.QualityScore, *b.QualityScore)
	case model.SortTurnCount:
		return cmp.Compare(a.TurnCount, b.TurnCount)
	case model.SortPairCount:
		return cmp.Compare(a.PairCount, b.PairCount)
	case model.SortImportedAt:
		return a.ImportedAt.Compare(b.ImportedAt)
	default:
		return a.CreatedAt.Compare(b.CreatedAt)
	}
}

// Facets implements common.ConversationsBackend: the reference values and
// any key a conversation uses besides, with their counts.
func (b *Backend) Facets(context.Context) (model.Facets, error) {
	d := b.Data()
	defer d.track()()
	if err := d.begin("Facets"); err != nil {
		return model.Facets{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	count := func(ref []model.FacetValue, fixed []string, get func(model.Conversation) string) []model.FacetValue {
		out := slices.Clone(ref)
		for _, k := range fixed {
			out = append(out, model.FacetValue{Key: k})
		}
		at := map[string]int{}
		for i, v := range out {
			at[v.Key] = i
		}
		for _, r := range d.rows {
			k := get(r)
			i, ok := at[k]
			if !ok {
				i = len(out)
				at[k] = i
				out = append(out, model.FacetValue{Key: k})
			}
			out[i].Count++
		}
		return out
	}
	return model.Facets{
		Tiers:              count(nil, model.Tiers, func(c model.Conversation) string { return c.Tier }),
		Personas:           count(d.personas, nil, func(c model.Conversation) string { return c.Persona }),
		EmotionalArcs:      count(d.arcs, nil, func(c model.Conversation) string { return c.EmotionalArc }),
		TrainingTopics:     count(d.topics, nil, func(c model.Conversation) string { return c.TrainingTopic }),
		EnrichmentStatuses: count(nil, model.EnrichmentStatuses, func(c model.Conversation) string { return c.EnrichmentStatus }),
	}, nil
}

// Conversation implements common.ConversationsBackend. A generated row
// has no stored file; it gets a two-turn stand-in.
func (b *Backend) Conversation(_ context.Context, id uuid.UUID) (engine.ConversationDetail, error) {
	d := b.Data()
	defer d.track()()
	if err := d.begin("Conversation"); err != nil {
		return engine.ConversationDetail{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	i, ok := d.indexByID(id)
	if !ok {
		return engine.ConversationDetail{}, fmt.Errorf("conversation %s not found", id)
	}
	row := d.rows[i]
	if s, ok := d.files[id]; ok {
		return engine.ConversationDetail{Conversation: row, File: s.file}, nil
	}
	f := model.ConversationFile{
		ConversationID: row.ConversationID, Title: row.Title, Persona: row.Persona, EmotionalArc: row.EmotionalArc,
		TrainingTopic: row.TrainingTopic, Tier: row.Tier, Flavour: model.FlavourRaw,
		Turns: []model.Turn{{Role: model.RoleUser, Content: row.Title + "?"}, {Role: model.RoleAssistant, Content: "Let's look at it together."}},
	}
	return engine.ConversationDetail{Conversation: row, File: f}, nil
}

// ExportConversation implements common.ConversationsBackend, writing the
// file as imported.
func (b *Backend) ExportConversation(_ context.Context, id uuid.UUID, flavour, outPath string) (int64, error) {
	d := b.Data()
	defer d.track()()
	if err := d.begin("ExportConversation"); err != nil {
		return 0, err
	}
	d.mu.Lock()
	s, ok := d.files[id]
	d.mu.Unlock()
	var data []byte
	if ok && flavour == model.FlavourRaw {
		data = s.raw
	} else if ok && flavour == model.FlavourEnriched {
		data = s.enriched
	}
	if data == nil {
		return 0, fmt.Errorf("conversation %s has no %s file", id, flavour)
	}
	if err := os.WriteFile(outPath, data, 0o644); err != nil {
		return 0, err
	}
	return int64(len(data)), nil
}
