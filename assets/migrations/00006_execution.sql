-- Job execution (issue 7): what a running training job needs beyond the web
-- app's E01 columns.
--
-- training_jobs.heartbeat_at is the running worker's lease: it is renewed every
-- few seconds, and a job whose heartbeat is older than the rescue interval has
-- lost its worker (kill -9, a machine gone) and is resumed elsewhere or ended.
-- River alone cannot tell a dead worker from a long training run.
-- training_jobs.billed_seconds is the GPU time charged so far, kept exactly
-- (current_cost is rounded to cents), so a resumed job keeps billing from where
-- the lost worker stopped.
-- training_jobs.events is the job's event log (stage changes, checkpoints,
-- warnings): a short JSON array on the row, so it is announced with the row.
-- metrics_points.grad_norm completes the curve a training screen shows.

-- +goose Up
ALTER TABLE training_jobs
    ADD COLUMN heartbeat_at   timestamptz,
    ADD COLUMN billed_seconds double precision NOT NULL DEFAULT 0 CHECK (billed_seconds >= 0),
    ADD COLUMN events         jsonb NOT NULL DEFAULT '[]';
ALTER TABLE metrics_points ADD COLUMN grad_norm double precision;

SELECT brightrun_grant_app();

-- +goose Down
ALTER TABLE metrics_points DROP COLUMN grad_norm;
ALTER TABLE training_jobs DROP COLUMN events, DROP COLUMN billed_seconds, DROP COLUMN heartbeat_at;
