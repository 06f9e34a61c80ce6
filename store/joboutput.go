package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"brightrun/model"
)

// InsertJobOutput stores lines a job's trainer printed, in order, in one
// statement. The lines must be clean (model.CleanOutputLine).
func InsertJobOutput(ctx context.Context, tx pgx.Tx, userID, jobID uuid.UUID, lines []model.JobOutputLine) error {
	if len(lines) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, insertOutputSQL, outputArgs(userID, jobID, lines)...); err != nil {
		return fmt.Errorf("store %d output lines of job %s: %w", len(lines), jobID, err)
	}
	return nil
}

const insertOutputSQL = `
	INSERT INTO job_output_lines (user_id, job_id, at, stream, text)
	SELECT $1, $2, l.at, l.stream, l.text
	FROM unnest($3::timestamptz[], $4::text[], $5::text[]) WITH ORDINALITY AS l(at, stream, text, n)
	ORDER BY l.n`

// outputArgs are the arguments of insertOutputSQL.
func outputArgs(userID, jobID uuid.UUID, lines []model.JobOutputLine) []any {
	at, stream, text := make([]time.Time, len(lines)), make([]string, len(lines)), make([]string, len(lines))
	for i, l := range lines {
		at[i], stream[i], text[i] = l.At, l.Stream, l.Text
	}
	return []any{userID, jobID, at, stream, text}
}

// JobOutput reads up to limit of a job's output lines after afterSeq,
// oldest first (limit ≤ 0: all of them).
func JobOutput(ctx context.Context, tx pgx.Tx, jobID uuid.UUID, afterSeq int64, limit int) ([]model.JobOutputLine, error) {
	q := `SELECT seq, at, stream, text FROM job_output_lines WHERE job_id = $1 AND seq > $2 ORDER BY seq`
	args := []any{jobID, afterSeq}
	if limit > 0 {
		q += ` LIMIT $3`
		args = append(args, limit)
	}
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("output of job %s: %w", jobID, err)
	}
	lines, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (model.JobOutputLine, error) {
		var l model.JobOutputLine
		err := row.Scan(&l.Seq, &l.At, &l.Stream, &l.Text)
		return l, err
	})
	if err != nil {
		return nil, fmt.Errorf("output of job %s: %w", jobID, err)
	}
	return lines, nil
}
