-- Datasets the seed's way (issue 17): status says whether validation ran
-- (uploading → validating → ready, or error when it could not run: the file
-- unreadable, not text, storage failing), training_ready whether the
-- dataset is fit to train on. Until now a dataset whose lines had errors
-- ended in error; it now ends ready and not training ready, its report kept.
--   source_dataset_id  the dataset a cleaned copy was made from
--                      (`brightrun dataset clean`); NULL for an upload
--   clean_report       what cleaning dropped: {"dropped", "dropped_counts",
--                      "dropped_lines": [{line, code, message}], first 100}
--   max_tokens         the too_many_tokens limit the report was made with

-- +goose Up
ALTER TABLE datasets
    ADD COLUMN source_dataset_id uuid,
    ADD COLUMN clean_report jsonb,
    ADD COLUMN max_tokens integer CHECK (max_tokens > 0),
    ADD FOREIGN KEY (source_dataset_id, user_id) REFERENCES datasets (id, user_id);
CREATE INDEX datasets_source_idx ON datasets (source_dataset_id) WHERE source_dataset_id IS NOT NULL;

-- A ready row passed every check: it is training ready. Then an error row
-- with a report (validated_at set: validation ran to the end) had line
-- errors: it is ready and not training ready, its report and reason kept.
UPDATE datasets SET training_ready = true WHERE status = 'ready';
UPDATE datasets SET status = 'ready', training_ready = false
    WHERE status = 'error' AND validated_at IS NOT NULL;

SELECT brightrun_grant_app();

-- +goose Down
UPDATE datasets SET status = 'error' WHERE status = 'ready' AND NOT training_ready AND validated_at IS NOT NULL;
DROP INDEX datasets_source_idx;
ALTER TABLE datasets
    DROP COLUMN max_tokens,
    DROP COLUMN clean_report,
    DROP COLUMN source_dataset_id;
