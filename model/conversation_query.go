package model

import "fmt"

// Columns the conversation browser sorts by. Each is a column of the
// conversations table; ConversationQuery.Sort must be one of them, which is
// also what keeps user input out of the SQL.
const (
	SortTitle            = "title"
	SortConversationID   = "conversation_id"
	SortPersona          = "persona"
	SortEmotionalArc     = "emotional_arc"
	SortTrainingTopic    = "training_topic"
	SortTier             = "tier"
	SortEnrichmentStatus = "enrichment_status"
	SortQualityScore     = "quality_score"
	SortTurnCount        = "turn_count"
	SortPairCount        = "pair_count"
	SortCreatedAt        = "created_at"
	SortImportedAt       = "imported_at"
)

// SortColumns lists every sortable column, in the browse table's order.
var SortColumns = []string{
	SortTitle, SortPersona, SortEmotionalArc, SortTrainingTopic, SortTier, SortEnrichmentStatus,
	SortQualityScore, SortTurnCount, SortPairCount, SortCreatedAt, SortImportedAt, SortConversationID,
}

// DefaultConversationLimit is the page size when a query gives none;
// MaxConversationLimit the most one page may hold.
const (
	DefaultConversationLimit = 50
	MaxConversationLimit     = 1000
)

// ConversationQuery selects, orders and pages conversations. The zero value
// is the first page of all conversations, newest first. Facet lists are
// OR within one facet and AND across facets.
type ConversationQuery struct {
	// Text matches anywhere in the title or the conversation_id, ignoring case.
	Text          string   `json:"text,omitempty"`
	Tiers         []string `json:"tiers,omitempty"`
	Personas      []string `json:"personas,omitempty"`
	EmotionalArcs []string `json:"emotional_arcs,omitempty"`
	Topics        []string `json:"training_topics,omitempty"`
	Statuses      []string `json:"enrichment_statuses,omitempty"`
	// MinQuality keeps conversations whose quality score is at least this;
	// those without a score are left out when it is set.
	MinQuality *float64 `json:"min_quality,omitempty"`
	// Trainable keeps only conversations that can go into a training file
	// (enriched, with training pairs).
	Trainable bool `json:"trainable,omitempty"`
	// Sort is one of SortColumns; empty means created_at, newest first
	// (Desc is then ignored). Ties break on id, so paging is stable.
	Sort   string `json:"sort,omitempty"`
	Desc   bool   `json:"desc,omitempty"`
	Offset int    `json:"offset,omitempty"`
	// Limit is the page size: 0 means DefaultConversationLimit.
	Limit int `json:"limit,omitempty"`
}

// Normalized returns q with defaults filled in, or an error naming the
// first bad field.
func (q ConversationQuery) Normalized() (ConversationQuery, error) {
	if q.Sort == "" {
		q.Sort, q.Desc = SortCreatedAt, true
	}
	known := false
	for _, c := range SortColumns {
		known = known || c == q.Sort
	}
	if !known {
		return q, fmt.Errorf("cannot sort by %q: want one of %v", q.Sort, SortColumns)
	}
	if q.Offset < 0 {
		return q, fmt.Errorf("offset %d is negative", q.Offset)
	}
	switch {
	case q.Limit == 0:
		q.Limit = DefaultConversationLimit
	case q.Limit < 0 || q.Limit > MaxConversationLimit:
		return q, fmt.Errorf("limit %d is out of range: must be between 1 and %d", q.Limit, MaxConversationLimit)
	}
	if q.MinQuality != nil && !(*q.MinQuality >= 0 && *q.MinQuality <= 10) { // NaN too
		return q, fmt.Errorf("min quality %g is out of range: must be between 0 and 10", *q.MinQuality)
	}
	for _, t := range q.Tiers {
		if t != TierTemplate && t != TierEdgeCase {
			return q, fmt.Errorf("unknown tier %q: want template or edge_case", t)
		}
	}
	for _, s := range q.Statuses {
		if !isOneOf(s, EnrichmentStatuses) {
			return q, fmt.Errorf("unknown enrichment status %q: want one of %v", s, EnrichmentStatuses)
		}
	}
	return q, nil
}

// ConversationPage is one page of a query and how many rows match it in all.
type ConversationPage struct {
	Conversations []Conversation `json:"conversations"`
	Total         int            `json:"total"`
	Offset        int            `json:"offset"`
	Limit         int            `json:"limit"`
}

// FacetValue is one value of a facet with how many of the user's
// conversations have it. Reference values nobody uses yet have Count 0.
type FacetValue struct {
	Key   string `json:"key"`
	Name  string `json:"name,omitempty"`
	Tier  string `json:"tier,omitempty"` // emotional arcs only
	Count int    `json:"count"`
}

// Facets are the values the browser offers as filters, from the reference
// tables and the fixed lists of tiers and statuses.
type Facets struct {
	Tiers              []FacetValue `json:"tiers"`
	Personas           []FacetValue `json:"personas"`
	EmotionalArcs      []FacetValue `json:"emotional_arcs"`
	TrainingTopics     []FacetValue `json:"training_topics"`
	EnrichmentStatuses []FacetValue `json:"enrichment_statuses"`
}

func isOneOf(s string, list []string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
