package convfile

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"brightrun/model"
)

// TrainingFragmentVersion is the version of the encoding EncodeTrainingFragment
// produces. Fragments stored with another version are encoded again from
// their file before use, so a change to the format never mixes old and new.
const TrainingFragmentVersion = 1

// TrainingFragment is one conversation's share of a training file, encoded
// once (at import) so that a build only concatenates: Entry is its element
// of training.json's conversations, Lines its lines of training.jsonl with
// the nil UUID where the training file's ID goes.
type TrainingFragment struct {
	Entry []byte
	Lines []byte
}

// loraHeader is training.json up to its conversations.
type loraHeader struct {
	Format       string                  `json:"format"`
	Version      int                     `json:"version"`
	TrainingFile model.TrainingFileMeta  `json:"training_file"`
	Stats        model.TrainingFileStats `json:"stats"`
}

type docConversation struct {
	ConversationID string               `json:"conversation_id"`
	Persona        string               `json:"persona"`
	EmotionalArc   string               `json:"emotional_arc"`
	TrainingTopic  string               `json:"training_topic"`
	Tier           string               `json:"tier"`
	QualityScore   *float64             `json:"quality_score"`
	TrainingPairs  []model.TrainingPair `json:"training_pairs"`
}

// idPlaceholder is the training_file_id of a fragment's lines. Quotes inside
// JSON strings are escaped, so this exact byte sequence can only be the
// metadata key itself, never a piece of content.
var idPlaceholder = []byte(`"training_file_id":"` + uuid.Nil.String() + `"`)

// EncodeTrainingFragment encodes an enriched file's part of any training file.
func EncodeTrainingFragment(f model.ConversationFile) (TrainingFragment, error) {
	if f.Flavour != model.FlavourEnriched || len(f.TrainingPairs) == 0 {
		return TrainingFragment{}, fmt.Errorf("conversation %s has no training pairs: only enriched conversations with pairs can go into a training file", f.ConversationID)
	}
	var lines bytes.Buffer
	enc := json.NewEncoder(&lines)
	enc.SetEscapeHTML(false)
	for _, p := range f.TrainingPairs {
		q := p.QualityScore
		if q == nil {
			q = f.QualityScore()
		}
		line := chatLine{Messages: TrainingMessages(f, p), Metadata: lineMetadata{
			Format: LoRAv4Format, TrainingFileID: uuid.Nil, ConversationID: f.ConversationID, PairID: p.ID,
			Persona: f.Persona, EmotionalArc: f.EmotionalArc, TrainingTopic: f.TrainingTopic, Tier: f.Tier, QualityScore: q,
		}}
		if err := enc.Encode(line); err != nil {
			return TrainingFragment{}, fmt.Errorf("encode pair %s of %s: %w", p.ID, f.ConversationID, err)
		}
	}
	entry, err := marshalCompact(docConversation{
		ConversationID: f.ConversationID, Persona: f.Persona, EmotionalArc: f.EmotionalArc,
		TrainingTopic: f.TrainingTopic, Tier: f.Tier, QualityScore: f.QualityScore(), TrainingPairs: f.TrainingPairs,
	})
	if err != nil {
		return TrainingFragment{}, fmt.Errorf("encode %s: %w", f.ConversationID, err)
	}
	return TrainingFragment{Entry: entry, Lines: lines.Bytes()}, nil
}

// LoRAv4Assembler puts a training file together from its conversations'
// fragments, one at a time and in order, so a build never holds more than
// the two artifacts it is writing.
type LoRAv4Assembler struct {
	tf      model.TrainingFileMeta
	stats   model.TrainingFileStats
	seen    map[string]bool
	entries []byte
	lines   []byte
	id      []byte
}

// NewLoRAv4Assembler starts an empty training file.
func NewLoRAv4Assembler(tf model.TrainingFileMeta) *LoRAv4Assembler {
	tf.CreatedAt = tf.CreatedAt.UTC()
	return &LoRAv4Assembler{
		tf:    tf,
		stats: model.TrainingFileStats{Personas: map[string]int{}, EmotionalArcs: map[string]int{}, Tiers: map[string]int{}},
		seen:  map[string]bool{},
		id:    []byte(tf.ID.String()),
	}
}

// Add appends one conversation: c is its row (persona, arc, tier, pair and
// token counts, as written from the same file as frag). frag may be reused
// by the caller once Add returns.
func (a *LoRAv4Assembler) Add(c model.Conversation, frag TrainingFragment) error {
	if c.PairCount == 0 || len(frag.Lines) == 0 || len(frag.Entry) == 0 {
		return fmt.Errorf("conversation %s has no training pairs: only enriched conversations with pairs can go into a training file", c.ConversationID)
	}
	if a.seen[c.ConversationID] {
		return fmt.Errorf("conversation %s is in the training file twice", c.ConversationID)
	}
	a.seen[c.ConversationID] = true
	a.stats.ConversationCount++
	a.stats.TotalTrainingPairs += c.PairCount
	a.stats.TotalTokens += c.TokenCount
	a.stats.Personas[c.Persona]++
	a.stats.EmotionalArcs[c.EmotionalArc]++
	a.stats.Tiers[c.Tier]++
	if len(a.entries) > 0 {
		a.entries = append(a.entries, ',')
	}
	a.entries = append(a.entries, frag.Entry...)
	start := len(a.lines)
	a.lines = append(a.lines, frag.Lines...)
	// Put the file's ID where the placeholder is, in place (same length).
	off := len(idPlaceholder) - 37
	for rest := a.lines[start:]; ; {
		i := bytes.Index(rest, idPlaceholder)
		if i < 0 {
			break
		}
		copy(rest[i+off:], a.id)
		rest = rest[i+len(idPlaceholder):]
	}
	return nil
}

// Finish returns training.json, training.jsonl and the stats.
func (a *LoRAv4Assembler) Finish() (jsonDoc, jsonl []byte, stats model.TrainingFileStats, err error) {
	header, err := marshalCompact(loraHeader{Format: LoRAv4Format, Version: LoRAv4Version, TrainingFile: a.tf, Stats: a.stats})
	if err != nil {
		return nil, nil, a.stats, fmt.Errorf("encode training.json: %w", err)
	}
	jsonDoc = make([]byte, 0, len(header)+len(a.entries)+24)
	jsonDoc = append(jsonDoc, header[:len(header)-1]...) // without its closing brace
	jsonDoc = append(jsonDoc, `,"conversations":[`...)
	jsonDoc = append(jsonDoc, a.entries...)
	jsonDoc = append(jsonDoc, "]}\n"...)
	a.entries = nil
	if a.lines == nil {
		a.lines = []byte{}
	}
	return jsonDoc, a.lines, a.stats, nil
}

// marshalCompact is json.Marshal without HTML escaping (so "<" stays "<").
func marshalCompact(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
