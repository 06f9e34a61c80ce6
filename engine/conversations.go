package engine

import (
	"context"
	"fmt"
	"io"

	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/model/convfile"
	"brightrun/store"
)

// ConversationDetail is one conversation with its file: the row the table
// shows plus the turns and training pairs the detail view shows. File is
// the enriched file when there is one, else the raw one.
type ConversationDetail struct {
	model.Conversation
	File model.ConversationFile `json:"file"`
}

// ListConversations returns one page of conversations matching q and the
// number matching in all. Only table rows are read, never files, so it is
// as quick with 100,000 conversations as with ten.
func (s *Session) ListConversations(ctx context.Context, q model.ConversationQuery) (model.ConversationPage, error) {
	page, err := s.e.db.ListConversations(ctx, s.user.ID, q)
	if err != nil {
		return page, err
	}
	return page, s.nameConversations(ctx, page.Conversations)
}

// ConversationIDs returns the IDs of every conversation matching q (offset
// and limit ignored), for "select all" of a filtered view.
func (s *Session) ConversationIDs(ctx context.Context, q model.ConversationQuery) ([]uuid.UUID, error) {
	return s.e.db.ConversationIDs(ctx, s.user.ID, q)
}

// ConversationsByKey finds conversations by their conversation_id, in the
// order given; an unknown key is an error naming it.
func (s *Session) ConversationsByKey(ctx context.Context, keys []string) ([]model.Conversation, error) {
	return s.e.db.ConversationsByKey(ctx, s.user.ID, keys)
}

// Facets are the filter values with their counts.
func (s *Session) Facets(ctx context.Context) (model.Facets, error) {
	return s.e.db.ConversationFacets(ctx, s.user.ID)
}

// Personas lists the persona reference table.
func (s *Session) Personas(ctx context.Context) ([]model.Persona, error) { return s.e.db.Personas(ctx) }

// EmotionalArcs lists the emotional-arc reference table.
func (s *Session) EmotionalArcs(ctx context.Context) ([]model.EmotionalArc, error) {
	return s.e.db.EmotionalArcs(ctx)
}

// Topics lists the training-topic reference table.
func (s *Session) Topics(ctx context.Context) ([]model.Topic, error) { return s.e.db.Topics(ctx) }

// Conversation returns one conversation with its parsed file, fetched from
// object storage.
func (s *Session) Conversation(ctx context.Context, id uuid.UUID) (ConversationDetail, error) {
	c, err := s.e.db.Conversation(ctx, s.user.ID, id)
	if err != nil {
		return ConversationDetail{}, err
	}
	one := []model.Conversation{c}
	if err := s.nameConversations(ctx, one); err != nil {
		return ConversationDetail{}, err
	}
	c = one[0]
	flavour := model.FlavourEnriched
	if !c.HasFlavour(flavour) {
		flavour = model.FlavourRaw
	}
	f, err := s.conversationFile(ctx, c, flavour)
	if err != nil {
		return ConversationDetail{}, err
	}
	return ConversationDetail{Conversation: c, File: f}, nil
}

// conversationFile fetches and parses one stored file of a conversation.
func (s *Session) conversationFile(ctx context.Context, c model.Conversation, flavour string) (model.ConversationFile, error) {
	key := c.RawStoragePath
	if flavour == model.FlavourEnriched {
		key = c.EnrichedStoragePath
	}
	data, err := s.e.objects.ReadObject(ctx, store.BucketConversations, key)
	if err != nil {
		return model.ConversationFile{}, fmt.Errorf("conversation %s: %w", c.ConversationID, err)
	}
	f, err := convfile.ParseConversationFile(flavour+".json", data)
	if err != nil {
		return model.ConversationFile{}, fmt.Errorf("conversation %s: stored file no longer parses: %w", c.ConversationID, err)
	}
	return f, nil
}

// ExportConversation writes a conversation's raw or enriched file, byte for
// byte as it was imported, to outPath (see WriteLocalFile), and returns its
// size. A regular file appears complete or not at all.
func (s *Session) ExportConversation(ctx context.Context, id uuid.UUID, flavour, outPath string) (int64, error) {
	return s.exportConversation(ctx, id, flavour, toLocalFile(outPath))
}

// ExportConversationTo writes the same bytes as ExportConversation to w
// (the CLI's --out -).
func (s *Session) ExportConversationTo(ctx context.Context, id uuid.UUID, flavour string, w io.Writer) (int64, error) {
	return s.exportConversation(ctx, id, flavour, toStream(w))
}

func (s *Session) exportConversation(ctx context.Context, id uuid.UUID, flavour string, out exportSink) (int64, error) {
	if flavour != model.FlavourRaw && flavour != model.FlavourEnriched {
		return 0, fmt.Errorf("unknown flavour %q: want raw or enriched", flavour)
	}
	c, err := s.e.db.Conversation(ctx, s.user.ID, id)
	if err != nil {
		return 0, err
	}
	if !c.HasFlavour(flavour) {
		return 0, fmt.Errorf("conversation %s has no %s file", c.ConversationID, flavour)
	}
	key := c.RawStoragePath
	if flavour == model.FlavourEnriched {
		key = c.EnrichedStoragePath
	}
	return s.exportObject(ctx, store.BucketConversations, key, out)
}

// exportSink is where an export goes: a local file or a stream. It is
// opened only once the object is found, so a missing object never creates
// (or, for a FIFO, blocks on) the destination.
type exportSink func(write func(w io.Writer) (int64, error)) (int64, error)

func toLocalFile(path string) exportSink {
	return func(write func(w io.Writer) (int64, error)) (int64, error) { return WriteLocalFile(path, write) }
}

func toStream(w io.Writer) exportSink {
	return func(write func(w io.Writer) (int64, error)) (int64, error) { return write(w) }
}

// exportObject copies an object to out.
func (s *Session) exportObject(ctx context.Context, bucket, key string, out exportSink) (int64, error) {
	body, _, err := s.e.objects.GetObject(ctx, bucket, key)
	if err != nil {
		return 0, err
	}
	defer body.Close()
	return out(func(w io.Writer) (int64, error) { return io.Copy(w, body) })
}
