package model

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Tiers of emotional arcs and conversations (docs/formats.md#conversation-files).
const (
	TierTemplate = "template"
	TierEdgeCase = "edge_case"
)

// Tiers lists the known tiers, in display order.
var Tiers = []string{TierTemplate, TierEdgeCase}

// Enrichment statuses. A file's enrichment.status is one of the first four;
// NotEnriched is what the conversations table records for a raw file that
// says nothing about enrichment.
const (
	EnrichmentPending     = "pending"
	EnrichmentInProgress  = "in_progress"
	EnrichmentCompleted   = "completed"
	EnrichmentFailed      = "failed"
	EnrichmentNotEnriched = "not_enriched"
)

// EnrichmentStatuses lists every status a conversation row can have, in
// display order.
var EnrichmentStatuses = []string{EnrichmentNotEnriched, EnrichmentPending, EnrichmentInProgress, EnrichmentCompleted, EnrichmentFailed}

// The two flavours of a conversation file, which are also the names of its
// objects in storage ({user_id}/{conversation_id}/raw.json, enriched.json).
const (
	FlavourRaw      = "raw"
	FlavourEnriched = "enriched"
)

// Chat roles. Turns are only user or assistant; system appears in built
// training lines.
const (
	RoleSystem    = "system"
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// MaxConversationFileSize is the largest conversation file import accepts.
const MaxConversationFileSize = 50 << 20

// Turn is one message of a conversation.
type Turn struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Enrichment is what the enrichment pipeline says about a conversation.
type Enrichment struct {
	Status       string   `json:"status"`
	QualityScore *float64 `json:"quality_score,omitempty"`
	Stages       []string `json:"stages,omitempty"`
}

// TrainingPair is one supervised example cut from a conversation: the
// history up to a user input, and the assistant response to learn.
type TrainingPair struct {
	ID                  string          `json:"id"`
	TurnIndex           *int            `json:"turn_index,omitempty"`
	SystemPrompt        string          `json:"system_prompt,omitempty"`
	ConversationHistory []Turn          `json:"conversation_history"`
	CurrentUserInput    string          `json:"current_user_input"`
	TargetResponse      string          `json:"target_response"`
	EmotionalContext    json.RawMessage `json:"emotional_context,omitempty"`
	QualityScore        *float64        `json:"quality_score,omitempty"`
}

// ConversationFile is one parsed conversation file, raw or enriched
// (docs/formats.md#conversation-files). Parse it with ParseConversationFile, which checks every
// rule; the zero value is not a valid file.
type ConversationFile struct {
	ConversationID string         `json:"conversation_id"`
	Title          string         `json:"title,omitempty"`
	Persona        string         `json:"persona"`
	EmotionalArc   string         `json:"emotional_arc"`
	TrainingTopic  string         `json:"training_topic"`
	Tier           string         `json:"tier"`
	CreatedAt      *time.Time     `json:"created_at,omitempty"`
	Turns          []Turn         `json:"turns"`
	Enrichment     *Enrichment    `json:"enrichment,omitempty"`
	SystemPrompt   string         `json:"system_prompt,omitempty"`
	TrainingPairs  []TrainingPair `json:"training_pairs,omitempty"`
	// Flavour is FlavourEnriched when the file has training_pairs (even an
	// empty list), else FlavourRaw.
	Flavour string `json:"flavour"`
}

// EnrichmentStatus is the status the conversations table records: the
// file's own when it says, completed for an enriched file that does not,
// not_enriched for a raw one that does not.
func (f ConversationFile) EnrichmentStatus() string {
	switch {
	case f.Enrichment != nil && f.Enrichment.Status != "":
		return f.Enrichment.Status
	case f.Flavour == FlavourEnriched:
		return EnrichmentCompleted
	default:
		return EnrichmentNotEnriched
	}
}

// QualityScore is the conversation's score from its enrichment, if any.
func (f ConversationFile) QualityScore() *float64 {
	if f.Enrichment == nil {
		return nil
	}
	return f.Enrichment.QualityScore
}

// maxTitleRunes bounds a title derived from the first user turn.
const maxTitleRunes = 80

// DisplayTitle is the file's title, or, when it has none, the start of its
// first user turn, so the browse table never shows a blank row.
func (f ConversationFile) DisplayTitle() string {
	if t := strings.TrimSpace(f.Title); t != "" {
		return t
	}
	if len(f.Turns) == 0 {
		return f.ConversationID
	}
	line := titleWords(f.Turns[0].Content)
	if utf8.RuneCountInString(line) <= maxTitleRunes {
		return line
	}
	r := []rune(line)
	return strings.TrimSpace(string(r[:maxTitleRunes-1])) + "…"
}

// titleWords is strings.Join(strings.Fields(s), " ") cut after more than
// maxTitleRunes runes: it reads only the start of s, so a turn of 40 MB
// without spaces costs a title, not copies of the turn.
func titleWords(s string) string {
	var b strings.Builder
	runes, gap := 0, false
	for i := 0; i < len(s) && runes <= maxTitleRunes; {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			gap = true
		default:
			if gap && b.Len() > 0 {
				b.WriteByte(' ')
				runes++
			}
			gap = false
			b.WriteString(s[i : i+size])
			runes++
		}
		i += size
	}
	return b.String()
}

// Summary is the conversations row that describes f: everything but the
// identifiers and paths the store assigns. tokens is TrainingTokens(f, …).
func (f ConversationFile) Summary(tokens int64, fileSize int64) Conversation {
	c := Conversation{
		ConversationID:   f.ConversationID,
		Title:            f.DisplayTitle(),
		Persona:          f.Persona,
		EmotionalArc:     f.EmotionalArc,
		TrainingTopic:    f.TrainingTopic,
		Tier:             f.Tier,
		EnrichmentStatus: f.EnrichmentStatus(),
		QualityScore:     f.QualityScore(),
		TurnCount:        len(f.Turns),
		PairCount:        len(f.TrainingPairs),
		TokenCount:       tokens,
		FileSize:         fileSize,
	}
	if f.CreatedAt != nil {
		c.CreatedAt = *f.CreatedAt
	}
	return c
}

// Conversation is one row of the conversations table: what the browse
// table shows and filters on, without the file's turns and pairs (those
// stay in object storage and are fetched for one conversation at a time).
type Conversation struct {
	ID               uuid.UUID `json:"id"`
	ConversationID   string    `json:"conversation_id"`
	Title            string    `json:"title"`
	Persona          string    `json:"persona"`
	EmotionalArc     string    `json:"emotional_arc"`
	TrainingTopic    string    `json:"training_topic"`
	Tier             string    `json:"tier"`
	EnrichmentStatus string    `json:"enrichment_status"`
	QualityScore     *float64  `json:"quality_score"`
	TurnCount        int       `json:"turn_count"`
	PairCount        int       `json:"pair_count"`
	// TokenCount is what the conversation adds to a training file's
	// total_tokens (cl100k over every message of its training lines); for
	// a raw conversation, which cannot go into one, the tokens of its turns.
	TokenCount          int64  `json:"token_count"`
	RawStoragePath      string `json:"raw_storage_path,omitempty"`
	EnrichedStoragePath string `json:"enriched_storage_path,omitempty"`
	// FileSize is the size of the file the row describes (the enriched one
	// when there is one).
	FileSize   int64     `json:"file_size"`
	CreatedAt  time.Time `json:"created_at"`
	ImportedAt time.Time `json:"imported_at"`
	UpdatedAt  time.Time `json:"updated_at"`

	// The reference rows' names for Persona, EmotionalArc and
	// TrainingTopic, for a face to show: empty when the key has none (one
	// an import added). They are not stored on the row, and the JSON keeps
	// the keys alone, as documented.
	PersonaName       string `json:"-"`
	EmotionalArcName  string `json:"-"`
	TrainingTopicName string `json:"-"`
}

// HasFlavour says whether the conversation has a stored file of that flavour.
func (c Conversation) HasFlavour(flavour string) bool {
	switch flavour {
	case FlavourRaw:
		return c.RawStoragePath != ""
	case FlavourEnriched:
		return c.EnrichedStoragePath != ""
	}
	return false
}

// Trainable says why c cannot go into a training file, or nil when it can:
// only enriched conversations with training pairs can.
func (c Conversation) Trainable() error {
	if c.EnrichedStoragePath == "" {
		return fmt.Errorf("conversation %s is raw (not enriched): only enriched conversations with training pairs can go into a training file", c.ConversationID)
	}
	if c.PairCount == 0 {
		return fmt.Errorf("conversation %s has no training pairs: only enriched conversations with training pairs can go into a training file", c.ConversationID)
	}
	return nil
}

// Persona is a reference row: who the user in a conversation is.
type Persona struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// EmotionalArc is a reference row: how the user's feelings move through a
// conversation. Tier is empty for an arc an import added and nobody
// classified yet.
type EmotionalArc struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Tier        string `json:"tier,omitempty"`
}

// Topic is a reference row: what a conversation is about.
type Topic struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	Description string `json:"description"`
}
