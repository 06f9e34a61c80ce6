package convfile

import (
	"runtime"
	"sync"

	"github.com/google/uuid"

	"brightrun/model"
)

// The training-file format Brightrun writes (docs/formats.md#training-files-brightrun-lora-v4).
const (
	LoRAv4Format  = "brightrun-lora-v4"
	LoRAv4Version = 4
)

// TokenCounter counts the tokens of one piece of text. The engine gives the
// cl100k tokenizer; model stays free of it (and of its 10 MB vocabulary).
type TokenCounter interface {
	Count(s string) int
}

// BuildConversation is one conversation going into a training file: its
// enriched file and the tokens of its training lines, counted once at
// import by TrainingTokens (so a build never tokenizes).
type BuildConversation struct {
	File   model.ConversationFile
	Tokens int64
}

// TrainingMessages are the chat messages of one pair's JSONL line: the
// system prompt (the pair's, else the file's) when there is one, the
// history, the current user input, and last the assistant's target.
func TrainingMessages(f model.ConversationFile, p model.TrainingPair) []model.Turn {
	msgs := make([]model.Turn, 0, len(p.ConversationHistory)+3)
	sys := p.SystemPrompt
	if sys == "" {
		sys = f.SystemPrompt
	}
	if sys != "" {
		msgs = append(msgs, model.Turn{Role: model.RoleSystem, Content: sys})
	}
	msgs = append(msgs, p.ConversationHistory...)
	msgs = append(msgs, model.Turn{Role: model.RoleUser, Content: p.CurrentUserInput}, model.Turn{Role: model.RoleAssistant, Content: p.TargetResponse})
	return msgs
}

// TrainingTokens counts what f adds to a training file's total_tokens:
// every message content of every training line, each encoded on its own
// (so it equals the dataset validator's total for the same lines). A raw
// file has no lines; its count is the tokens of its turns. Histories repeat
// earlier turns, so each distinct text is counted once and reused.
func TrainingTokens(f model.ConversationFile, tc TokenCounter) int64 {
	seen := map[string]int{}
	count := func(s string) int64 {
		n, ok := seen[s]
		if !ok {
			n = tc.Count(s)
			seen[s] = n
		}
		return int64(n)
	}
	var total int64
	if f.Flavour != model.FlavourEnriched {
		for _, t := range f.Turns {
			total += count(t.Content)
		}
		return total
	}
	for _, p := range f.TrainingPairs {
		for _, m := range TrainingMessages(f, p) {
			total += count(m.Content)
		}
	}
	return total
}

// chatLine is one line of training.jsonl; struct order is key order.
type chatLine struct {
	Messages []model.Turn `json:"messages"`
	Metadata lineMetadata `json:"metadata"`
}

type lineMetadata struct {
	Format         string    `json:"format"`
	TrainingFileID uuid.UUID `json:"training_file_id"`
	ConversationID string    `json:"conversation_id"`
	PairID         string    `json:"pair_id"`
	Persona        string    `json:"persona"`
	EmotionalArc   string    `json:"emotional_arc"`
	TrainingTopic  string    `json:"training_topic"`
	Tier           string    `json:"tier"`
	QualityScore   *float64  `json:"quality_score"`
}

// BuildLoRAv4 makes both artifacts of a training file (docs/formats.md#training-files-brightrun-lora-v4) from
// its conversations in the order they were added. The output depends only
// on the arguments: keys come out in struct order, the stats' maps sorted,
// times in UTC, conversations in order however many goroutines encode
// them, so building the same content twice gives the same bytes. Every
// conversation must be enriched and have training pairs.
//
// It is EncodeTrainingFragment of every file followed by a LoRAv4Assembler,
// so a build from fragments encoded at import gives the very same bytes.
func BuildLoRAv4(tf model.TrainingFileMeta, convs []BuildConversation) (jsonDoc, jsonl []byte, stats model.TrainingFileStats, err error) {
	frags := make([]TrainingFragment, len(convs))
	errs := make([]error, len(convs))
	workers := max(1, min(runtime.GOMAXPROCS(0), len(convs)))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(convs); i += workers {
				frags[i], errs[i] = EncodeTrainingFragment(convs[i].File)
			}
		}()
	}
	wg.Wait()
	a := NewLoRAv4Assembler(tf)
	for i, c := range convs {
		if errs[i] != nil {
			return nil, nil, a.stats, errs[i]
		}
		if err := a.Add(c.File.Summary(c.Tokens, 0), frags[i]); err != nil {
			return nil, nil, a.stats, err
		}
	}
	return a.Finish()
}
