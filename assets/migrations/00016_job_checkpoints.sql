-- A job's checkpoints as rows (issue 18): what the job view lists, what
-- `brightrun job checkpoints` prints, what early stopping keeps and what a
-- resumed run continues from. The files live in the model-artifacts bucket
-- under storage_path (the job's prefix); files lists each one's name, size
-- and SHA-256, as model_artifacts.metadata does for an adapter, so a
-- download is checked the same way. A job keeps the newest few and its best
-- one: pruned checkpoints lose their row and their files together.
--
-- Like metrics_points it is not announced: the job's row changes in the
-- same flush, and that is announced.

-- +goose Up
CREATE TABLE job_checkpoints (
    job_id                    uuid NOT NULL,
    user_id                   uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    step                      integer NOT NULL CHECK (step >= 0),
    epoch                     double precision NOT NULL DEFAULT 0 CHECK (epoch >= 0),
    train_loss                double precision,
    val_loss                  double precision,
    train_mean_token_accuracy double precision CHECK (train_mean_token_accuracy BETWEEN 0 AND 1),
    val_mean_token_accuracy   double precision CHECK (val_mean_token_accuracy BETWEEN 0 AND 1),
    size_bytes                bigint NOT NULL DEFAULT 0 CHECK (size_bytes >= 0),
    storage_bucket            text NOT NULL DEFAULT 'model-artifacts',
    storage_path              text NOT NULL CHECK (length(storage_path) <= 1024),
    files                     jsonb NOT NULL DEFAULT '[]',
    simulated                 boolean NOT NULL DEFAULT false,
    created_at                timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, step),
    FOREIGN KEY (job_id, user_id) REFERENCES training_jobs (id, user_id) ON DELETE CASCADE
);
ALTER TABLE job_checkpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE job_checkpoints FORCE ROW LEVEL SECURITY;
CREATE POLICY job_checkpoints_owner ON job_checkpoints FOR ALL
    USING (user_id = app_current_user_id())
    WITH CHECK (user_id = app_current_user_id());

SELECT brightrun_grant_app();

-- +goose Down
DROP TABLE job_checkpoints;
