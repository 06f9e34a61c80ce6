package uitest

import (
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"brightrun/model"
)

// Vocabulary of generated rows: the demo's personas, arcs and topics, and
// title pieces that read like the demo's titles.
var (
	genPersonas = []string{"anxious_first_time_investor", "overwhelmed_sandwich_parent", "pragmatic_pre_retiree"}
	genArcs     = []string{"fear_to_confidence", "overwhelm_to_clarity", "shame_to_self_compassion", "confusion_to_understanding",
		"frustration_to_motivation", "guilt_to_balance", "overexcitement_to_grounded", "crisis_to_referral",
		"guarantee_pressure_to_boundary", "grief_to_first_steps"}
	genTopics = []string{"emergency_fund", "index_investing_basics", "retirement_accounts", "debt_payoff", "college_savings",
		"insurance_basics", "first_home_purchase", "budgeting_after_job_loss", "side_income_taxes", "estate_beneficiary_basics"}
	genSubjects = []string{"Moving savings into an index fund", "Paying down four credit cards", "A 529 for three kids",
		"Health cover until Medicare", "Severance and a mortgage", "Quarterly taxes on gig income",
		"Naming beneficiaries after a divorce", "A down payment gift from parents", "Roth or traditional 401(k)",
		"An annuity pitch that sounds too good"}
	genSituations = []string{"after a layoff", "at 59", "with a newborn", "before closing", "as a widow", "on one income",
		"after Mom moved in", "with no savings yet", "two years from retiring", "during a divorce"}
	genStatuses = []string{model.EnrichmentCompleted, model.EnrichmentCompleted, model.EnrichmentCompleted,
		model.EnrichmentNotEnriched, model.EnrichmentPending, model.EnrichmentInProgress, model.EnrichmentFailed}
)

// GenerateConversations makes n table rows, the same every time, for the
// scale tests and the 100,000-row benchmark: varied titles, every persona,
// arc, topic, tier and status, quality scores on completed rows, creation
// times a minute apart going back from Now. They have no stored files;
// completed ones carry an enriched path so they count as trainable.
func GenerateConversations(n int) []model.Conversation {
	rows := make([]model.Conversation, n)
	for i := range rows {
		var id uuid.UUID
		binary.BigEndian.PutUint64(id[8:], uint64(i)+1)
		id[6], id[8] = 0x40, id[8]|0x80 // version 4, RFC 4122 variant
		h := uint32(i) * 2654435761     // Knuth's multiplicative hash spreads the picks
		status := genStatuses[h%uint32(len(genStatuses))]
		turns := 4 + 2*int(h>>8%5)
		r := model.Conversation{
			ID:               id,
			ConversationID:   fmt.Sprintf("gen-%06d", i+1),
			Title:            fmt.Sprintf("%s %s (#%d)", genSubjects[h>>4%10], genSituations[h>>12%10], i+1),
			Persona:          genPersonas[h>>16%3],
			EmotionalArc:     genArcs[h>>20%10],
			TrainingTopic:    genTopics[h>>24%10],
			Tier:             model.TierTemplate,
			EnrichmentStatus: status,
			TurnCount:        turns,
			TokenCount:       int64(180 * turns),
			CreatedAt:        Now.Add(-time.Duration(i) * time.Minute),
			ImportedAt:       Now.Add(-time.Duration(i) * time.Second),
		}
		if h>>28%7 == 0 {
			r.Tier = model.TierEdgeCase
		}
		if status == model.EnrichmentCompleted {
			q := 6 + float64(h>>6%41)/10
			r.QualityScore = &q
			r.PairCount = turns / 2
			// A path marks them enriched (trainable); the fixture never reads it.
			r.EnrichedStoragePath = "generated/" + r.ConversationID + "/enriched.json"
		}
		rows[i] = r
	}
	return rows
}

// NewLargeBackend returns the fixture with n generated conversations in
// place of the demo ones.
func NewLargeBackend(tb testing.TB, n int) *Backend {
	tb.Helper()
	b := NewBackend(tb)
	d := b.Data()
	d.SetRows(GenerateConversations(n))
	// Sort for the screens' first query now, so its answer comes at once.
	q, _ := model.ConversationQuery{Sort: model.SortCreatedAt, Desc: true}.Normalized()
	d.mu.Lock()
	d.matching(q)
	d.mu.Unlock()
	return b
}
