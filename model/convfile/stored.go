package convfile

import (
	"bytes"
	"encoding/json"
	"fmt"

	"brightrun/model"
)

// storedFile is a conversation file as DecodeStoredConversation reads it.
type storedFile struct {
	model.ConversationFile
	TrainingPairs *[]model.TrainingPair `json:"training_pairs"`
}

// DecodeStoredConversation reads a file that ParseConversationFile accepted
// when it was imported (so it comes from our own storage): a plain struct
// decode, several times faster than the field-by-field checks, for builds
// that read thousands of files. Anything else should use
// ParseConversationFile.
func DecodeStoredConversation(data []byte) (model.ConversationFile, error) {
	var s storedFile
	var err error
	if err = json.Unmarshal(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), &s); err != nil {
		return model.ConversationFile{}, fmt.Errorf("decode stored conversation: %w", err)
	}
	f := s.ConversationFile
	f.Flavour = model.FlavourRaw
	if s.TrainingPairs != nil && *s.TrainingPairs != nil {
		f.Flavour = model.FlavourEnriched
		f.TrainingPairs = *s.TrainingPairs
		for i := range f.TrainingPairs {
			p := &f.TrainingPairs[i]
			if p.ConversationHistory == nil {
				p.ConversationHistory = []model.Turn{}
			}
			if p.EmotionalContext, err = canonicalJSON(p.EmotionalContext); err != nil {
				return model.ConversationFile{}, fmt.Errorf("decode stored conversation: pair %s: %w", p.ID, err)
			}
		}
	}
	return f, nil
}

// canonicalJSON re-encodes a free-form value with sorted keys and no
// spaces, the form ParseConversationFile gives, so both decoders build the
// same bytes. null becomes nil (absent).
func canonicalJSON(raw json.RawMessage) (json.RawMessage, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return marshalCompact(v)
}
