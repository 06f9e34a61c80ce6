package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"brightrun/model"
	"brightrun/model/convfile"
)

// ErrTrainingFileExists means the user already has a (live) training file
// of that name.
var ErrTrainingFileExists = errors.New("a training file of that name exists")

// TrainingFileBuilder makes a training file's artifacts from its row and
// its conversations in order, and says what it wrote. The store calls it
// inside the transaction that changed the file, with the row locked, so a
// failed build leaves the membership as it was and two changes to one file
// never interleave. Artifacts are derived data: if the commit fails after
// the builder wrote them, the next build overwrites them.
type TrainingFileBuilder func(ctx context.Context, tf model.TrainingFile, members TrainingMembers) (model.TrainingFileBuild, error)

// TrainingMember is one conversation of a training file as a build sees it:
// its row and, when the row carries a current one, the fragment encoded at
// import.
type TrainingMember struct {
	Conversation model.Conversation
	Fragment     *convfile.TrainingFragment // nil: encode it again from the file
}

// TrainingMembers calls yield for each member of a training file, in order,
// streaming from the database. A fragment's bytes are the driver's buffer:
// valid only until yield returns. It may be walked once.
type TrainingMembers func(yield func(TrainingMember) error) error

const trainingFileColumns = `id, name, description, format, conversation_count, total_training_pairs, total_tokens,
	storage_bucket, json_storage_path, jsonl_storage_path, json_file_size, jsonl_file_size, stats, built_at,
	created_at, updated_at`

func scanTrainingFile(row pgx.Row) (model.TrainingFile, error) {
	var t model.TrainingFile
	err := row.Scan(&t.ID, &t.Name, &t.Description, &t.Format, &t.ConversationCount, &t.TotalTrainingPairs, &t.TotalTokens,
		&t.StorageBucket, &t.JSONStoragePath, &t.JSONLStoragePath, &t.JSONFileSize, &t.JSONLFileSize, &t.Stats, &t.BuiltAt,
		&t.CreatedAt, &t.UpdatedAt)
	return t, err
}

// CreateTrainingFile makes a training file of the given conversations (row
// IDs, in that order) and builds it, all in one transaction.
func (db *DB) CreateTrainingFile(ctx context.Context, userID uuid.UUID, name, description string, conversationIDs []uuid.UUID, build TrainingFileBuilder) (model.TrainingFile, error) {
	if err := model.ValidateTrainingFileName(name); err != nil {
		return model.TrainingFile{}, err
	}
	var out model.TrainingFile
	err := db.WithUser(ctx, userID, func(tx pgx.Tx) error {
		var id uuid.UUID
		err := tx.QueryRow(ctx, `INSERT INTO training_files (user_id, name, description, format)
			VALUES (app_current_user_id(), $1, $2, $3) RETURNING id`, name, description, convfile.LoRAv4Format).Scan(&id)
		if isUniqueViolation(err) {
			return fmt.Errorf("%q: %w", name, ErrTrainingFileExists)
		}
		if err != nil {
			return err
		}
		if err := addMembers(ctx, tx, id, conversationIDs); err != nil {
			return err
		}
		out, err = rebuildInTx(ctx, tx, id, build)
		return err
	})
	if err != nil {
		return model.TrainingFile{}, fmt.Errorf("create training file: %w", err)
	}
	return out, nil
}

// AddToTrainingFile appends conversations (row IDs, in that order) that the
// file does not hold yet, and rebuilds it.
func (db *DB) AddToTrainingFile(ctx context.Context, userID, id uuid.UUID, conversationIDs []uuid.UUID, build TrainingFileBuilder) (model.TrainingFile, error) {
	return db.changeTrainingFile(ctx, userID, id, build, func(tx pgx.Tx) error {
		return addMembers(ctx, tx, id, conversationIDs)
	})
}

// RemoveFromTrainingFile drops conversations (row IDs) from the file and
// rebuilds it; the others keep their order.
func (db *DB) RemoveFromTrainingFile(ctx context.Context, userID, id uuid.UUID, conversationIDs []uuid.UUID, build TrainingFileBuilder) (model.TrainingFile, error) {
	return db.changeTrainingFile(ctx, userID, id, build, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM training_file_conversations WHERE training_file_id = $1 AND conversation_id = ANY($2)`,
			id, conversationIDs)
		return err
	})
}

// RebuildTrainingFile builds the file again from its current conversations.
func (db *DB) RebuildTrainingFile(ctx context.Context, userID, id uuid.UUID, build TrainingFileBuilder) (model.TrainingFile, error) {
	return db.changeTrainingFile(ctx, userID, id, build, func(pgx.Tx) error { return nil })
}

func (db *DB) changeTrainingFile(ctx context.Context, userID, id uuid.UUID, build TrainingFileBuilder, change func(tx pgx.Tx) error) (model.TrainingFile, error) {
	var out model.TrainingFile
	err := db.WithUser(ctx, userID, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT id FROM training_files WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`, id).Scan(&id)
		if err != nil {
			return notFound(err)
		}
		if err := change(tx); err != nil {
			return err
		}
		out, err = rebuildInTx(ctx, tx, id, build)
		return err
	})
	if err != nil {
		return model.TrainingFile{}, fmt.Errorf("training file %s: %w", id, err)
	}
	return out, nil
}

// addMembers appends conversations after the file's last position, skipping
// those it holds already. Each must be the user's and trainable.
func addMembers(ctx context.Context, tx pgx.Tx, id uuid.UUID, conversationIDs []uuid.UUID) error {
	if len(conversationIDs) == 0 {
		return nil
	}
	rows, err := tx.Query(ctx, `SELECT `+conversationColumns+` FROM conversations WHERE id = ANY($1)`, conversationIDs)
	if err != nil {
		return err
	}
	found, err := collectConversations(rows)
	if err != nil {
		return err
	}
	byID := make(map[uuid.UUID]model.Conversation, len(found))
	for _, c := range found {
		byID[c.ID] = c
	}
	for _, cid := range conversationIDs {
		c, ok := byID[cid]
		if !ok {
			return fmt.Errorf("conversation %s: %w", cid, ErrNotFound)
		}
		if err := c.Trainable(); err != nil {
			return err
		}
	}
	// WITH ORDINALITY keeps the caller's order; DISTINCT ON drops repeats
	// within the list, ON CONFLICT the conversations already in the file.
	_, err = tx.Exec(ctx, `
		INSERT INTO training_file_conversations (training_file_id, conversation_id, user_id, position)
		SELECT $1, cid, app_current_user_id(),
			(SELECT coalesce(max(position), -1) FROM training_file_conversations WHERE training_file_id = $1)
				+ row_number() OVER (ORDER BY ord)
		FROM (SELECT DISTINCT ON (cid) cid, ord FROM unnest($2::uuid[]) WITH ORDINALITY AS u(cid, ord) ORDER BY cid, ord) d
		ORDER BY ord
		ON CONFLICT (training_file_id, conversation_id) DO NOTHING`, id, conversationIDs)
	return err
}

// rebuildInTx runs the builder on the file's current members and records
// what it wrote.
func rebuildInTx(ctx context.Context, tx pgx.Tx, id uuid.UUID, build TrainingFileBuilder) (model.TrainingFile, error) {
	tf, err := scanTrainingFile(tx.QueryRow(ctx, `SELECT `+trainingFileColumns+` FROM training_files WHERE id = $1`, id))
	if err != nil {
		return tf, err
	}
	b, err := build(ctx, tf, func(yield func(TrainingMember) error) error {
		return walkTrainingMembers(ctx, tx, id, yield)
	})
	if err != nil {
		return tf, err
	}
	return scanTrainingFile(tx.QueryRow(ctx, `
		UPDATE training_files SET conversation_count = $2, total_training_pairs = $3, total_tokens = $4,
			json_storage_path = $5, jsonl_storage_path = $6, json_file_size = $7, jsonl_file_size = $8,
			stats = $9, built_at = now()
		WHERE id = $1 RETURNING `+trainingFileColumns,
		id, b.Stats.ConversationCount, b.Stats.TotalTrainingPairs, b.Stats.TotalTokens,
		b.JSONStoragePath, b.JSONLStoragePath, b.JSONFileSize, b.JSONLFileSize, b.Stats))
}

func trainingFileMembers(ctx context.Context, tx pgx.Tx, id uuid.UUID) ([]model.Conversation, error) {
	// The subquery is named conversations so the shared column list applies.
	rows, err := tx.Query(ctx, `
		SELECT `+conversationColumns+` FROM (
			SELECT c.*, m.position AS member_position, m.added_at AS member_added_at
			FROM training_file_conversations m JOIN conversations c ON c.id = m.conversation_id
			WHERE m.training_file_id = $1) conversations
		ORDER BY member_position, member_added_at`, id)
	if err != nil {
		return nil, err
	}
	return collectConversations(rows)
}

// walkTrainingMembers streams a file's members with their fragments.
func walkTrainingMembers(ctx context.Context, tx pgx.Tx, id uuid.UUID, yield func(TrainingMember) error) error {
	rows, err := tx.Query(ctx, `
		SELECT `+conversationColumns+`, training_fragment_version, training_entry, training_lines FROM (
			SELECT c.*, m.position AS member_position, m.added_at AS member_added_at
			FROM training_file_conversations m JOIN conversations c ON c.id = m.conversation_id
			WHERE m.training_file_id = $1) conversations
		ORDER BY member_position, member_added_at`, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var m TrainingMember
		var version *int16
		var entry, lines pgtype.DriverBytes
		if err := rows.Scan(append(conversationTargets(&m.Conversation), &version, &entry, &lines)...); err != nil {
			return err
		}
		if version != nil && *version == convfile.TrainingFragmentVersion && len(entry) > 0 && len(lines) > 0 {
			m.Fragment = &convfile.TrainingFragment{Entry: entry, Lines: lines}
		}
		if err := yield(m); err != nil {
			return err
		}
	}
	return rows.Err()
}

// TrainingFileConversations lists a training file's conversations in order.
func (db *DB) TrainingFileConversations(ctx context.Context, userID, id uuid.UUID) ([]model.Conversation, error) {
	var list []model.Conversation
	err := db.WithUser(ctx, userID, func(tx pgx.Tx) error {
		var err error
		list, err = trainingFileMembers(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("conversations of training file %s: %w", id, err)
	}
	return list, nil
}

// TrainingFiles lists the user's live training files, newest first.
func (db *DB) TrainingFiles(ctx context.Context, userID uuid.UUID) ([]model.TrainingFile, error) {
	var list []model.TrainingFile
	err := db.WithUser(ctx, userID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+trainingFileColumns+` FROM training_files
			WHERE deleted_at IS NULL ORDER BY created_at DESC, id DESC`)
		if err != nil {
			return err
		}
		list, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (model.TrainingFile, error) { return scanTrainingFile(r) })
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list training files: %w", err)
	}
	if list == nil {
		list = []model.TrainingFile{}
	}
	return list, nil
}

// TrainingFile returns one live training file.
func (db *DB) TrainingFile(ctx context.Context, userID, id uuid.UUID) (model.TrainingFile, error) {
	var t model.TrainingFile
	err := db.WithUser(ctx, userID, func(tx pgx.Tx) error {
		var err error
		t, err = scanTrainingFile(tx.QueryRow(ctx, `SELECT `+trainingFileColumns+` FROM training_files
			WHERE id = $1 AND deleted_at IS NULL`, id))
		return err
	})
	if err != nil {
		return t, fmt.Errorf("training file %s: %w", id, notFound(err))
	}
	return t, nil
}

// DeleteTrainingFile soft-deletes a training file: datasets made from it
// still point at its row, and its name is free again.
func (db *DB) DeleteTrainingFile(ctx context.Context, userID, id uuid.UUID) error {
	var n int64
	err := db.WithUser(ctx, userID, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE training_files SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL`, id)
		n = tag.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("delete training file %s: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("training file %s: %w", id, ErrNotFound)
	}
	return nil
}
