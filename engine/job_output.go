package engine

import (
	"context"

	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/store"
)

// JobOutput reads up to limit of the lines a job's trainer printed after
// afterSeq, oldest first (limit ≤ 0: all). Another user's job is not found.
func (s *Session) JobOutput(ctx context.Context, id uuid.UUID, afterSeq int64, limit int) ([]model.JobOutputLine, error) {
	var lines []model.JobOutputLine
	err := s.e.db.WithUser(ctx, s.user.ID, func(tx store.Tx) error {
		if _, err := store.GetJob(ctx, tx, id); err != nil {
			return err
		}
		var err error
		lines, err = store.JobOutput(ctx, tx, id, afterSeq, limit)
		return err
	})
	return lines, err
}
