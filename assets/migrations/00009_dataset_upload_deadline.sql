-- An uploading dataset waits for its bytes in one of two ways, and each
-- has its own deadline, after which the row is ended in error and what its
-- upload left in storage is removed (engine/upload_sweep.go):
--
--   client  `dataset upload` (or the TUI) sends the file itself and renews
--           upload_expires_at while it sends. A client killed with -9
--           stops renewing, and the row expires a few minutes later.
--   url     `dataset upload-url` handed out a presigned PUT URL that is
--           valid for an hour; the row waits until the URL has expired
--           (plus a grace for a PUT started just before).
--
-- The statuses stay the ones docs/schema.md names (uploading → validating →
-- ready | error): how an upload waits is a property of the upload, not a
-- new state of the dataset. Both columns are NULL for rows that never
-- waited (seeded ones) and upload_expires_at goes back to NULL when the
-- row leaves uploading.

-- +goose Up
ALTER TABLE datasets
    ADD COLUMN upload_via text CHECK (upload_via IN ('client', 'url')),
    ADD COLUMN upload_expires_at timestamptz;
-- Rows uploading before this migration did not say how they wait: give
-- them the longer of the two deadlines, counted from their creation.
UPDATE datasets SET upload_expires_at = created_at + interval '1 hour 15 minutes'
    WHERE status = 'uploading';
CREATE INDEX datasets_upload_expires_idx ON datasets (upload_expires_at) WHERE status = 'uploading';

SELECT brightrun_grant_app();

-- +goose Down
DROP INDEX datasets_upload_expires_idx;
ALTER TABLE datasets DROP COLUMN upload_expires_at, DROP COLUMN upload_via;
