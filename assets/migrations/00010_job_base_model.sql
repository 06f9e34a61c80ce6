-- The base model is part of the job (issue 15): each job names the model
-- its adapter is trained on, from the model catalog (assets/models.json or
-- <data dir>/models.json). Jobs created before this migration were trained
-- by a trainer whose own default was Qwen/Qwen2.5-0.5B-Instruct, the
-- catalog's default, so that is what they record (the column keeps that default;
-- the engine always writes the job's model).
--
-- How a job is validated is recorded too:
--   eval_fraction          the share of the dataset held out for validation;
--                          NULL leaves it to the trainer (0.1), 0 means none
--   validation_dataset_id  a dataset of the same user used instead of a
--                          split (no cascade: datasets are soft-deleted)
--   total_validation_pairs its valid examples when the job was created;
--                          NULL when the trainer splits the dataset itself

-- +goose Up
ALTER TABLE training_jobs
    ADD COLUMN base_model text NOT NULL DEFAULT 'Qwen/Qwen2.5-0.5B-Instruct' CHECK (base_model <> ''),
    ADD COLUMN eval_fraction double precision CHECK (eval_fraction BETWEEN 0 AND 0.5),
    ADD COLUMN validation_dataset_id uuid,
    ADD COLUMN total_validation_pairs integer CHECK (total_validation_pairs >= 0),
    ADD CONSTRAINT training_jobs_validation_dataset_fk
        FOREIGN KEY (validation_dataset_id, user_id) REFERENCES datasets (id, user_id);

SELECT brightrun_grant_app();

-- +goose Down
ALTER TABLE training_jobs
    DROP CONSTRAINT training_jobs_validation_dataset_fk,
    DROP COLUMN total_validation_pairs,
    DROP COLUMN validation_dataset_id,
    DROP COLUMN eval_fraction,
    DROP COLUMN base_model;
