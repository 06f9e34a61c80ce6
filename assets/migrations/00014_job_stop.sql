-- How a run may end before its last epoch, shared by early stopping
-- (issue 18) and the per-job cost cap (issue 19):
--   early_stopping_patience  evaluations in a row without a better validation
--                            loss before the run stops; 0 (the default) is off
--   max_cost                 the job's cost cap in USD; NULL is no cap
--   stop_reason              why a run ended before its plan, in words an
--                            operator reads ("stopped early at epoch 3 of 5:
--                            …", "cost cap of $1.00 reached at step 40");
--                            NULL when it ran its course
--   best_checkpoint_step     the step of the checkpoint whose adapter the job
--                            keeps (lowest validation loss, else train loss)

-- +goose Up
ALTER TABLE training_jobs
    ADD COLUMN early_stopping_patience integer NOT NULL DEFAULT 0 CHECK (early_stopping_patience BETWEEN 0 AND 100),
    ADD COLUMN max_cost numeric(12,2) CHECK (max_cost > 0),
    ADD COLUMN stop_reason text CHECK (length(stop_reason) <= 2000),
    ADD COLUMN best_checkpoint_step integer CHECK (best_checkpoint_step >= 0);

SELECT brightrun_grant_app();

-- +goose Down
ALTER TABLE training_jobs
    DROP COLUMN best_checkpoint_step,
    DROP COLUMN stop_reason,
    DROP COLUMN max_cost,
    DROP COLUMN early_stopping_patience;
