package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/model/convfile"
	"brightrun/store"
)

// TrainingFileDetail is a training file with its conversations in order.
type TrainingFileDetail struct {
	model.TrainingFile
	Conversations []model.Conversation `json:"conversations"`
}

// CreateTrainingFile makes a training file from the given conversations
// (row IDs; their order is the file's) and builds its artifacts right away.
// Only enriched conversations with training pairs can go in: a raw one is
// refused by its conversation_id and nothing is created.
func (s *Session) CreateTrainingFile(ctx context.Context, name, description string, conversationIDs []uuid.UUID) (model.TrainingFile, error) {
	if len(conversationIDs) == 0 {
		return model.TrainingFile{}, errors.New("create training file: select at least one conversation")
	}
	if err := model.CheckLength("training file description", description, model.MaxDescriptionLen); err != nil {
		return model.TrainingFile{}, err
	}
	return s.e.db.CreateTrainingFile(ctx, s.user.ID, name, description, conversationIDs, s.buildArtifacts)
}

// AddToTrainingFile appends conversations the file does not hold yet, and
// rebuilds it.
func (s *Session) AddToTrainingFile(ctx context.Context, id uuid.UUID, conversationIDs []uuid.UUID) (model.TrainingFile, error) {
	return s.e.db.AddToTrainingFile(ctx, s.user.ID, id, conversationIDs, s.buildArtifacts)
}

// RemoveFromTrainingFile drops conversations from the file, and rebuilds it.
func (s *Session) RemoveFromTrainingFile(ctx context.Context, id uuid.UUID, conversationIDs []uuid.UUID) (model.TrainingFile, error) {
	return s.e.db.RemoveFromTrainingFile(ctx, s.user.ID, id, conversationIDs, s.buildArtifacts)
}

// BuildTrainingFile writes the file's artifacts again from the current
// content of its conversations (after some were re-imported, say). The
// same content always gives the same bytes.
func (s *Session) BuildTrainingFile(ctx context.Context, id uuid.UUID) (model.TrainingFile, error) {
	return s.e.db.RebuildTrainingFile(ctx, s.user.ID, id, s.buildArtifacts)
}

// TrainingFiles lists the operator's training files, newest first.
func (s *Session) TrainingFiles(ctx context.Context) ([]model.TrainingFile, error) {
	return s.e.db.TrainingFiles(ctx, s.user.ID)
}

// TrainingFile returns one training file with its stats and conversations.
func (s *Session) TrainingFile(ctx context.Context, id uuid.UUID) (TrainingFileDetail, error) {
	tf, err := s.e.db.TrainingFile(ctx, s.user.ID, id)
	if err != nil {
		return TrainingFileDetail{}, err
	}
	convs, err := s.e.db.TrainingFileConversations(ctx, s.user.ID, id)
	if err != nil {
		return TrainingFileDetail{}, err
	}
	if convs == nil {
		convs = []model.Conversation{}
	}
	return TrainingFileDetail{TrainingFile: tf, Conversations: convs}, nil
}

// DeleteTrainingFile removes a training file from the lists (a soft
// delete: datasets made from it keep their link).
func (s *Session) DeleteTrainingFile(ctx context.Context, id uuid.UUID) error {
	return s.e.db.DeleteTrainingFile(ctx, s.user.ID, id)
}

// ExportTrainingFile writes one artifact ("json" or "jsonl") to outPath
// (see WriteLocalFile) and returns its size.
func (s *Session) ExportTrainingFile(ctx context.Context, id uuid.UUID, format, outPath string) (int64, error) {
	return s.exportTrainingFile(ctx, id, format, toLocalFile(outPath))
}

// ExportTrainingFileTo writes the same bytes as ExportTrainingFile to w
// (the CLI's --out -).
func (s *Session) ExportTrainingFileTo(ctx context.Context, id uuid.UUID, format string, w io.Writer) (int64, error) {
	return s.exportTrainingFile(ctx, id, format, toStream(w))
}

func (s *Session) exportTrainingFile(ctx context.Context, id uuid.UUID, format string, out exportSink) (int64, error) {
	tf, err := s.e.db.TrainingFile(ctx, s.user.ID, id)
	if err != nil {
		return 0, err
	}
	key, err := model.ByArtifactFormat(format, tf.JSONStoragePath, tf.JSONLStoragePath)
	if err != nil {
		return 0, err
	}
	if key == "" {
		return 0, fmt.Errorf("training file %q has not been built", tf.Name)
	}
	return s.exportObject(ctx, store.BucketTrainingFiles, key, out)
}

// buildArtifacts is the store.TrainingFileBuilder: it concatenates the
// members' fragments (encoded at import, streamed from the database) into
// brightrun-lora-v4 and writes both artifacts. A member without a current
// fragment is encoded from its enriched file in object storage, giving the
// same bytes. Token counts come from the rows, counted once at import.
func (s *Session) buildArtifacts(ctx context.Context, tf model.TrainingFile, members store.TrainingMembers) (model.TrainingFileBuild, error) {
	a := convfile.NewLoRAv4Assembler(tf.Meta())
	err := members(func(m store.TrainingMember) error {
		c := m.Conversation
		if err := c.Trainable(); err != nil {
			return err
		}
		if m.Fragment != nil {
			return a.Add(c, *m.Fragment)
		}
		frag, err := s.encodeFromStorage(ctx, c)
		if err != nil {
			return err
		}
		return a.Add(c, frag)
	})
	if err != nil {
		return model.TrainingFileBuild{}, fmt.Errorf("build %q: %w", tf.Name, err)
	}
	doc, lines, stats, err := a.Finish()
	if err != nil {
		return model.TrainingFileBuild{}, fmt.Errorf("build %q: %w", tf.Name, err)
	}
	jsonKey, jsonlKey := model.TrainingFileObjectKeys(tf.ID)
	artifacts := []struct {
		key, contentType string
		data             []byte
	}{{jsonKey, "application/json", doc}, {jsonlKey, "application/jsonl", lines}}
	err = forEach(ctx, len(artifacts), 2, func(ctx context.Context, i int) error {
		a := artifacts[i]
		return s.e.objects.PutObject(ctx, store.BucketTrainingFiles, a.key, bytes.NewReader(a.data), int64(len(a.data)), a.contentType)
	})
	if err != nil {
		return model.TrainingFileBuild{}, fmt.Errorf("build %q: %w", tf.Name, err)
	}
	return model.TrainingFileBuild{
		Stats: stats, JSONStoragePath: jsonKey, JSONLStoragePath: jsonlKey,
		JSONFileSize: int64(len(doc)), JSONLFileSize: int64(len(lines)),
	}, nil
}

// encodeFromStorage encodes a conversation's fragment from its enriched
// file, for rows that carry none (or one of an older encoding).
func (s *Session) encodeFromStorage(ctx context.Context, c model.Conversation) (convfile.TrainingFragment, error) {
	data, err := s.e.objects.ReadObject(ctx, store.BucketConversations, c.EnrichedStoragePath)
	if err != nil {
		return convfile.TrainingFragment{}, fmt.Errorf("conversation %s: %w", c.ConversationID, err)
	}
	// Checked in full at import; a plain decode is enough.
	f, err := convfile.DecodeStoredConversation(data)
	if err != nil {
		return convfile.TrainingFragment{}, fmt.Errorf("conversation %s: %w", c.ConversationID, err)
	}
	return convfile.EncodeTrainingFragment(f)
}
