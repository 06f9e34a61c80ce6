package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"brightrun/model"
	"brightrun/model/convfile"
)

// ConversationFileWrite is one validated conversation file on its way in.
type ConversationFileWrite struct {
	// Summary is the row's metadata (model.ConversationFile.Summary); its
	// ID and storage paths are ignored. A zero CreatedAt means "now" for a
	// new row and "unchanged" for an existing one.
	Summary model.Conversation
	Flavour string // model.FlavourRaw or model.FlavourEnriched
	Data    []byte // the file, stored unchanged
	// Fragment is the enriched file's share of a training file
	// (convfile.EncodeTrainingFragment); nil for a raw file.
	Fragment *convfile.TrainingFragment
}

// SavedConversation is what SaveConversationFile did.
type SavedConversation struct {
	Conversation model.Conversation
	Inserted     bool // a new conversation; false: an existing one was updated
	NewKeys      NewReferenceKeys
}

// undoTimeout bounds the clean-up after a failed save, which runs even when
// the caller's context is already cancelled.
const undoTimeout = 30 * time.Second

// SaveConversationFile stores a conversation file at
// {user_id}/{conversation_id}/{flavour}.json and its metadata in
// conversations, both or neither:
//
//  1. In one transaction: add unknown reference keys, lock or insert the
//     row and write its metadata. A row that cannot be written (a broken
//     constraint, a lost connection) fails here, before any object changes.
//  2. Still inside it, when an object of this flavour exists already, copy
//     it aside on the server, then put the new object.
//  3. Commit. If the commit fails after the put, undo the put: restore the
//     copy, or delete the object of a new conversation.
//
// The row lock taken in step 1 serialises two imports of one conversation.
// A process killed between the put and the commit leaves at worst an object
// no row points at, which the next import of that file overwrites.
//
// An enriched file describes a conversation better than its raw one, so a
// raw file imported after the enriched one only records its own path; the
// metadata stays the enriched file's.
func SaveConversationFile(ctx context.Context, db *DB, objects *Objects, userID uuid.UUID, w ConversationFileWrite) (SavedConversation, error) {
	if w.Flavour != model.FlavourRaw && w.Flavour != model.FlavourEnriched {
		return SavedConversation{}, fmt.Errorf("save conversation: unknown flavour %q", w.Flavour)
	}
	cid := w.Summary.ConversationID
	key := model.ConversationObjectKey(userID, cid, w.Flavour)
	var out SavedConversation
	var put bool
	var backup string
	err := db.WithUser(ctx, userID, func(tx pgx.Tx) error {
		nk, err := ensureReferenceKeys(ctx, tx, w.Summary.Persona, w.Summary.EmotionalArc, w.Summary.TrainingTopic)
		if err != nil {
			return err
		}
		c, inserted, hadObject, err := upsertConversation(ctx, tx, w, key)
		if err != nil {
			return err
		}
		if hadObject {
			backup = key + ".previous-" + uuid.NewString()
			if err := objects.CopyObject(ctx, BucketConversations, key, backup); err != nil {
				backup = ""
				if !errors.Is(err, ErrNotFound) {
					return err
				}
			}
		}
		if err := objects.PutObject(ctx, BucketConversations, key, bytes.NewReader(w.Data), int64(len(w.Data)), "application/json"); err != nil {
			return err
		}
		put = true
		out = SavedConversation{Conversation: c, Inserted: inserted, NewKeys: nk}
		return nil
	})
	undoCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), undoTimeout)
	defer cancel()
	if err != nil && put {
		var undoErr error
		if backup != "" {
			undoErr = objects.CopyObject(undoCtx, BucketConversations, backup, key)
		} else {
			undoErr = objects.DeleteObject(undoCtx, BucketConversations, key)
		}
		if undoErr != nil {
			err = fmt.Errorf("%w (and undoing the stored file failed: %v)", err, undoErr)
		}
	}
	if backup != "" {
		_ = objects.DeleteObject(undoCtx, BucketConversations, backup)
	}
	if err != nil {
		return SavedConversation{}, fmt.Errorf("save conversation %s: %w", cid, err)
	}
	return out, nil
}

// upsertConversation writes the row of w inside tx and says whether it
// was inserted and whether an object of w's flavour existed before.
func upsertConversation(ctx context.Context, tx pgx.Tx, w ConversationFileWrite, key string) (c model.Conversation, inserted, hadObject bool, err error) {
	s := w.Summary
	var created *time.Time
	if !s.CreatedAt.IsZero() {
		created = &s.CreatedAt
	}
	rawPath, enrichedPath := "", (*string)(nil)
	if w.Flavour == model.FlavourRaw {
		rawPath = key
	} else {
		enrichedPath = &key
	}
	var fragVersion *int
	var entry, lines []byte
	if w.Fragment != nil {
		v := convfile.TrainingFragmentVersion
		fragVersion, entry, lines = &v, w.Fragment.Entry, w.Fragment.Lines
	}
	// Two tries: if a concurrent import inserts the row between our look
	// and our insert, the second look finds it.
	for range 2 {
		var id uuid.UUID
		var oldRaw, oldEnriched string
		err = tx.QueryRow(ctx, `SELECT id, raw_storage_path, coalesce(enriched_storage_path, '')
			FROM conversations WHERE conversation_id = $1 FOR UPDATE`, s.ConversationID).Scan(&id, &oldRaw, &oldEnriched)
		if errors.Is(err, pgx.ErrNoRows) {
			c, err = scanConversation(tx.QueryRow(ctx, `
				INSERT INTO conversations (user_id, conversation_id, title, persona, emotional_arc, training_topic, tier,
					enrichment_status, quality_score, turn_count, pair_count, token_count, raw_storage_path,
					enriched_storage_path, file_size, created_at, training_fragment_version, training_entry, training_lines)
				VALUES (app_current_user_id(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, coalesce($15, now()),
					$16, $17, $18)
				ON CONFLICT (user_id, conversation_id) DO NOTHING
				RETURNING `+conversationColumns,
				s.ConversationID, s.Title, s.Persona, s.EmotionalArc, s.TrainingTopic, s.Tier, s.EnrichmentStatus,
				s.QualityScore, s.TurnCount, s.PairCount, s.TokenCount, rawPath, enrichedPath, s.FileSize, created,
				fragVersion, entry, lines))
			if errors.Is(err, pgx.ErrNoRows) {
				continue
			}
			return c, err == nil, false, err
		}
		if err != nil {
			return c, false, false, err
		}
		if w.Flavour == model.FlavourRaw {
			hadObject = oldRaw != ""
			if oldEnriched != "" {
				c, err = scanConversation(tx.QueryRow(ctx, `UPDATE conversations SET raw_storage_path = $2, imported_at = now()
					WHERE id = $1 RETURNING `+conversationColumns, id, rawPath))
				return c, false, hadObject, err
			}
		} else {
			hadObject = oldEnriched != ""
		}
		c, err = scanConversation(tx.QueryRow(ctx, `
			UPDATE conversations SET title = $2, persona = $3, emotional_arc = $4, training_topic = $5, tier = $6,
				enrichment_status = $7, quality_score = $8, turn_count = $9, pair_count = $10, token_count = $11,
				raw_storage_path = CASE WHEN $12 <> '' THEN $12 ELSE raw_storage_path END,
				enriched_storage_path = coalesce($13, enriched_storage_path),
				file_size = $14, created_at = coalesce($15, created_at), imported_at = now(),
				training_fragment_version = $16, training_entry = $17, training_lines = $18
			WHERE id = $1 RETURNING `+conversationColumns,
			id, s.Title, s.Persona, s.EmotionalArc, s.TrainingTopic, s.Tier, s.EnrichmentStatus,
			s.QualityScore, s.TurnCount, s.PairCount, s.TokenCount, rawPath, enrichedPath, s.FileSize, created,
			fragVersion, entry, lines))
		return c, false, hadObject, err
	}
	return c, false, false, fmt.Errorf("conversation %s: inserted and removed concurrently, try again", s.ConversationID)
}
