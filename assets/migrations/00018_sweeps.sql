-- Sweeps (issue 20): a grid of training runs launched in one step. The
-- runs are ordinary training_jobs rows that point at their sweep.
--   axes       the grid as given, one list per axis that varies:
--              {"learning_rate":[1e-4,2e-4],"rank":[8,16],"batch_size":[…],
--               "epochs":[…],"preset":["fast",…],"gpu":["H100",…]}
--   max_total  the operator's cap on the sum of the runs' estimates in USD;
--              NULL when none was given
-- No cascade from sweeps to jobs: a job outlives nothing it belongs to, and
-- a sweep is never deleted while its runs exist.

-- +goose Up
CREATE TABLE sweeps (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    dataset_id  uuid NOT NULL,
    axes        jsonb NOT NULL DEFAULT '{}',
    max_total   numeric(12,2) CHECK (max_total > 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, user_id),
    FOREIGN KEY (dataset_id, user_id) REFERENCES datasets (id, user_id)
);
CREATE INDEX sweeps_user_created_idx ON sweeps (user_id, created_at DESC);
ALTER TABLE sweeps ENABLE ROW LEVEL SECURITY;
ALTER TABLE sweeps FORCE ROW LEVEL SECURITY;
CREATE POLICY sweeps_owner ON sweeps FOR ALL
    USING (user_id = app_current_user_id())
    WITH CHECK (user_id = app_current_user_id());

ALTER TABLE training_jobs
    ADD COLUMN sweep_id uuid,
    ADD FOREIGN KEY (sweep_id, user_id) REFERENCES sweeps (id, user_id);
CREATE INDEX training_jobs_sweep_idx ON training_jobs (sweep_id) WHERE sweep_id IS NOT NULL;

SELECT brightrun_grant_app();

-- +goose Down
DROP INDEX training_jobs_sweep_idx;
ALTER TABLE training_jobs DROP COLUMN sweep_id;
DROP POLICY sweeps_owner ON sweeps;
DROP TABLE sweeps;
