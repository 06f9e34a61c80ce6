package convfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"brightrun/model"
)

// maxKeyLen bounds identifiers and reference keys: they end up in object
// keys, indexes and table cells.
const maxKeyLen = 200

// ParseConversationFile checks data against every rule of docs/formats.md#conversation-files and
// returns the parsed file. name is only used in the error, a *FileError
// naming the first fault found and its JSON path.
func ParseConversationFile(name string, data []byte) (model.ConversationFile, error) {
	return parseConversationFile(name, data, false)
}

// ParseConversationFileInPlace is ParseConversationFile whose strings share
// data's memory instead of copying it, so that a file of one 40 MB turn is
// held once, not twice, while its tokens are counted. data must not change
// while the result, or any string taken from it, is in use.
func ParseConversationFileInPlace(name string, data []byte) (model.ConversationFile, error) {
	return parseConversationFile(name, data, true)
}

func parseConversationFile(name string, data []byte, shared bool) (model.ConversationFile, error) {
	p := parser{file: name}
	if len(data) > model.MaxConversationFileSize {
		return model.ConversationFile{}, model.FileTooBig(name, int64(len(data)))
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return model.ConversationFile{}, p.fail("$", "not valid JSON: the file is empty")
	}
	if !utf8.Valid(data) {
		return model.ConversationFile{}, p.fail("$", "not valid UTF-8 (at byte %d)", firstInvalidUTF8(data))
	}
	root, fault := decodeJSON(data, shared)
	if fault != "" {
		return model.ConversationFile{}, p.fail("$", "not valid JSON: %s", fault)
	}
	if path, key, dup := model.DuplicateKey(data); dup {
		return model.ConversationFile{}, p.fail(path, "duplicate key %q: a key may appear once in an object", key)
	}
	return p.document(root)
}

// decodeJSON decodes data, one JSON value, or says why it is not one.
// Valid data is read in place (decodeTree); invalid data goes through a
// json.Decoder, whose errors the rejections have always quoted.
func decodeJSON(data []byte, shared bool) (root any, fault string) {
	if json.Valid(data) {
		return decodeTree(data, shared), ""
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&root); err != nil {
		return nil, describeJSONError(data, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Sprintf("unexpected data after the top-level object (at byte %d)", dec.InputOffset())
	}
	return root, ""
}

// parser checks one file; its methods return *FileError on the first fault.
type parser struct{ file string }

func (p parser) fail(path, format string, a ...any) *model.FileError {
	return &model.FileError{File: p.file, Path: path, Reason: fmt.Sprintf(format, a...)}
}

// document walks the decoded document field by field, in the order a reader
// would check them, so the first reported fault is the most basic one.
func (p parser) document(root any) (model.ConversationFile, error) {
	top, ok := root.(map[string]any)
	if !ok {
		return model.ConversationFile{}, p.fail("$", "must be a JSON object, got %s", typeName(root))
	}
	var f model.ConversationFile
	var err error
	if f.ConversationID, err = p.key(top, "$", "conversation_id", true); err != nil {
		return f, err
	}
	if err := checkObjectKeyChars(f.ConversationID); err != nil {
		return f, p.fail("$.conversation_id", "%s", err)
	}
	if f.Title, err = p.str(top, "$", "title", false, true); err != nil {
		return f, err
	}
	if strings.ContainsRune(f.Title, 0) {
		return f, p.fail("$.title", "must not contain NUL characters")
	}
	for _, k := range []struct {
		name string
		dst  *string
	}{{"persona", &f.Persona}, {"emotional_arc", &f.EmotionalArc}, {"training_topic", &f.TrainingTopic}} {
		if *k.dst, err = p.key(top, "$", k.name, true); err != nil {
			return f, err
		}
	}
	if f.Tier, err = p.str(top, "$", "tier", true, false); err != nil {
		return f, err
	}
	if f.Tier != model.TierTemplate && f.Tier != model.TierEdgeCase {
		return f, p.fail("$.tier", "unknown tier %q: want template or edge_case", f.Tier)
	}
	created, err := p.str(top, "$", "created_at", false, true)
	if err != nil {
		return f, err
	}
	if created != "" {
		t, perr := time.Parse(time.RFC3339, created)
		if perr != nil {
			return f, p.fail("$.created_at", "must be an RFC 3339 time such as 2025-12-01T10:00:00Z, got %q", created)
		}
		f.CreatedAt = &t
	}
	if f.Turns, err = p.turns(top); err != nil {
		return f, err
	}
	if f.Enrichment, err = p.enrichment(top); err != nil {
		return f, err
	}
	if f.SystemPrompt, err = p.str(top, "$", "system_prompt", false, true); err != nil {
		return f, err
	}
	f.Flavour = model.FlavourRaw
	if v, ok := top["training_pairs"]; ok && v != nil {
		f.Flavour = model.FlavourEnriched
		if f.TrainingPairs, err = p.pairs(v, f.Turns); err != nil {
			return f, err
		}
	}
	return f, nil
}

func (p parser) turns(top map[string]any) ([]model.Turn, error) {
	v, ok := top["turns"]
	if !ok || v == nil {
		return nil, p.fail("$.turns", "required field is missing")
	}
	list, ok := v.([]any)
	if !ok {
		return nil, p.fail("$.turns", "must be an array, got %s", typeName(v))
	}
	if len(list) < 2 {
		return nil, p.fail("$.turns", "must have at least 2 turns (a user turn and the assistant's answer), got %d", len(list))
	}
	return p.messages(list, "$.turns")
}

// messages checks a list of turns: objects with a known role and non-empty
// content, starting with the user and alternating user/assistant.
func (p parser) messages(list []any, path string) ([]model.Turn, error) {
	out := make([]model.Turn, len(list))
	for i, item := range list {
		ip := fmt.Sprintf("%s[%d]", path, i)
		m, ok := item.(map[string]any)
		if !ok {
			return nil, p.fail(ip, "must be an object with role and content, got %s", typeName(item))
		}
		role, err := p.str(m, ip, "role", true, false)
		if err != nil {
			return nil, err
		}
		if role != model.RoleUser && role != model.RoleAssistant {
			return nil, p.fail(ip+".role", "unknown role %q: want user or assistant", role)
		}
		want := model.RoleUser
		if i%2 == 1 {
			want = model.RoleAssistant
		}
		if role != want {
			if i == 0 {
				return nil, p.fail(ip+".role", "the first turn must be the user's, got %q", role)
			}
			return nil, p.fail(ip+".role", "roles must alternate user/assistant, got %q after %q", role, out[i-1].Role)
		}
		content, err := p.str(m, ip, "content", true, false)
		if err != nil {
			return nil, err
		}
		out[i] = model.Turn{Role: role, Content: content}
	}
	return out, nil
}

func (p parser) enrichment(top map[string]any) (*model.Enrichment, error) {
	v, ok := top["enrichment"]
	if !ok || v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, p.fail("$.enrichment", "must be an object, got %s", typeName(v))
	}
	var e model.Enrichment
	var err error
	if e.Status, err = p.str(m, "$.enrichment", "status", true, false); err != nil {
		return nil, err
	}
	switch e.Status {
	case model.EnrichmentPending, model.EnrichmentInProgress, model.EnrichmentCompleted, model.EnrichmentFailed:
	default:
		return nil, p.fail("$.enrichment.status", "unknown enrichment status %q: want pending, in_progress, completed or failed", e.Status)
	}
	if e.QualityScore, err = p.score(m, "$.enrichment"); err != nil {
		return nil, err
	}
	if sv, ok := m["stages"]; ok && sv != nil {
		list, ok := sv.([]any)
		if !ok {
			return nil, p.fail("$.enrichment.stages", "must be an array of strings, got %s", typeName(sv))
		}
		e.Stages = make([]string, len(list))
		for i, s := range list {
			str, ok := s.(string)
			if !ok {
				return nil, p.fail(fmt.Sprintf("$.enrichment.stages[%d]", i), "must be a string, got %s", typeName(s))
			}
			e.Stages[i] = str
		}
	}
	return &e, nil
}

func (p parser) pairs(v any, turns []model.Turn) ([]model.TrainingPair, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, p.fail("$.training_pairs", "must be an array, got %s", typeName(v))
	}
	out := make([]model.TrainingPair, len(list))
	seen := make(map[string]int, len(list))
	for i, item := range list {
		ip := fmt.Sprintf("$.training_pairs[%d]", i)
		pr, err := p.pair(item, ip, turns)
		if err != nil {
			return nil, err
		}
		if j, dup := seen[pr.ID]; dup {
			return nil, p.fail(ip+".id", "duplicate pair id %q (also at $.training_pairs[%d])", pr.ID, j)
		}
		seen[pr.ID] = i
		out[i] = pr
	}
	return out, nil
}

func (p parser) pair(item any, ip string, turns []model.Turn) (model.TrainingPair, error) {
	var pr model.TrainingPair
	m, ok := item.(map[string]any)
	if !ok {
		return pr, p.fail(ip, "must be an object, got %s", typeName(item))
	}
	var err error
	if pr.ID, err = p.str(m, ip, "id", true, false); err != nil {
		return pr, err
	}
	if tv, ok := m["turn_index"]; ok && tv != nil {
		n, ok := tv.(json.Number)
		idx, ierr := n.Int64()
		if !ok || ierr != nil {
			return pr, p.fail(ip+".turn_index", "must be an integer, got %s", describeValue(tv))
		}
		if idx < 0 || idx >= int64(len(turns)) {
			return pr, p.fail(ip+".turn_index", "turn_index %d is out of range: the conversation has %d turns (0..%d)", idx, len(turns), len(turns)-1)
		}
		if turns[idx].Role != model.RoleAssistant {
			return pr, p.fail(ip+".turn_index", "turn_index %d points at a %s turn: want the assistant turn the pair trains", idx, turns[idx].Role)
		}
		i := int(idx)
		pr.TurnIndex = &i
	}
	if pr.SystemPrompt, err = p.str(m, ip, "system_prompt", false, true); err != nil {
		return pr, err
	}
	pr.ConversationHistory = []model.Turn{}
	if hv, ok := m["conversation_history"]; ok && hv != nil {
		list, ok := hv.([]any)
		if !ok {
			return pr, p.fail(ip+".conversation_history", "must be an array, got %s", typeName(hv))
		}
		if pr.ConversationHistory, err = p.messages(list, ip+".conversation_history"); err != nil {
			return pr, err
		}
		if n := len(list); n > 0 && pr.ConversationHistory[n-1].Role != model.RoleAssistant {
			return pr, p.fail(fmt.Sprintf("%s.conversation_history[%d].role", ip, n-1),
				"the history must end with the assistant's turn, since current_user_input follows it")
		}
	}
	if pr.CurrentUserInput, err = p.str(m, ip, "current_user_input", true, false); err != nil {
		return pr, err
	}
	if pr.TargetResponse, err = p.str(m, ip, "target_response", true, false); err != nil {
		return pr, err
	}
	if ev, ok := m["emotional_context"]; ok && ev != nil {
		if _, ok := ev.(map[string]any); !ok {
			return pr, p.fail(ip+".emotional_context", "must be an object, got %s", typeName(ev))
		}
		// Re-encoding the decoded value gives a canonical form (sorted
		// keys), so the same context always builds the same bytes.
		raw, merr := marshalCompact(ev)
		if merr != nil {
			return pr, p.fail(ip+".emotional_context", "cannot be encoded: %v", merr)
		}
		pr.EmotionalContext = raw
	}
	if pr.QualityScore, err = p.score(m, ip); err != nil {
		return pr, err
	}
	return pr, nil
}

// str reads m[key] as a string. required: missing or null is an error.
// mayBeEmpty: "" or whitespace only is allowed (else "is empty").
func (p parser) str(m map[string]any, path, key string, required, mayBeEmpty bool) (string, error) {
	fp := path + "." + key
	v, ok := m[key]
	if !ok || v == nil {
		if required {
			return "", p.fail(fp, "required field is missing")
		}
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", p.fail(fp, "must be a string, got %s", describeValue(v))
	}
	if !mayBeEmpty && strings.TrimSpace(s) == "" {
		return "", p.fail(fp, "is empty")
	}
	return s, nil
}

// key reads a required identifier: a non-empty string, at most maxKeyLen
// bytes, without NUL or surrounding spaces (they would make look-alike keys).
func (p parser) key(m map[string]any, path, key string, required bool) (string, error) {
	s, err := p.str(m, path, key, required, false)
	if err != nil || s == "" {
		return s, err
	}
	fp := path + "." + key
	switch {
	case len(s) > maxKeyLen:
		return "", p.fail(fp, "is %d bytes long: at most %d", len(s), maxKeyLen)
	case strings.ContainsRune(s, 0):
		return "", p.fail(fp, "must not contain NUL characters")
	case strings.TrimSpace(s) != s:
		return "", p.fail(fp, "%q has leading or trailing spaces", s)
	}
	return s, nil
}

// score reads an optional quality_score in 0..10.
func (p parser) score(m map[string]any, path string) (*float64, error) {
	v, ok := m["quality_score"]
	if !ok || v == nil {
		return nil, nil
	}
	fp := path + ".quality_score"
	n, ok := v.(json.Number)
	if !ok {
		return nil, p.fail(fp, "must be a number, got %s", describeValue(v))
	}
	f, err := n.Float64()
	if err != nil || f < 0 || f > 10 {
		return nil, p.fail(fp, "quality_score %s is out of range: must be between 0 and 10", n)
	}
	return &f, nil
}

// checkObjectKeyChars keeps conversation IDs safe as one segment of an
// object key (and so of a path on a file-system backed S3 server).
func checkObjectKeyChars(id string) error {
	for i, r := range id {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			(i > 0 && (r == '-' || r == '_' || r == '.' || r == ':'))
		if !ok {
			if i == 0 {
				return fmt.Errorf("%q must start with a letter or digit", id)
			}
			return fmt.Errorf("%q has the character %q: use letters, digits, '-', '_', '.' and ':'", id, r)
		}
	}
	return nil
}
