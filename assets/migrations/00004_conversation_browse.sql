-- Browsing conversations and managing training files (issue 4): indexes for
-- every sortable column of the browse table, each enriched conversation's
-- share of a training file encoded once at import, training-file names that
-- can be reused once a file is deleted, and a global key/value table for
-- installation-wide facts such as "the demo data was seeded".

-- +goose Up

-- An enriched conversation's element of training.json and its lines of
-- training.jsonl (model.TrainingFragment), written with the row from the
-- same file. A build concatenates them instead of fetching and re-encoding
-- every file, which is what lets 10,000 conversations build in about a
-- second. Derived data: NULL (or an old version) means "encode it again
-- from the file in object storage". Big values are compressed and kept out
-- of line (TOAST), so the scans behind browsing do not read them.
ALTER TABLE conversations
    ADD COLUMN training_fragment_version smallint,
    ADD COLUMN training_entry bytea,
    ADD COLUMN training_lines bytea;
-- lz4 (PostgreSQL 14+, when built with it) decompresses several times faster
-- than the default pglz, and these repetitive texts shrink a lot; without it,
-- no compression at all reads faster than pglz.
-- +goose StatementBegin
DO $$
BEGIN
    ALTER TABLE conversations ALTER COLUMN training_entry SET COMPRESSION lz4;
    ALTER TABLE conversations ALTER COLUMN training_lines SET COMPRESSION lz4;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'brightrun: no lz4 compression here (%); training fragments stored uncompressed', SQLERRM;
    ALTER TABLE conversations ALTER COLUMN training_entry SET STORAGE EXTERNAL;
    ALTER TABLE conversations ALTER COLUMN training_lines SET STORAGE EXTERNAL;
END
$$;
-- +goose StatementEnd

-- Each sort column gets an index that ends in id, the tie-breaker of every
-- browse query, so a page of 100,000 rows is read in index order instead of
-- sorting the lot. (created_at, persona, arc, topic, tier, quality, status
-- and lower(title) already have (user_id, column) indexes from 00002; these
-- replace them with ones that also serve the tie-break.)
DROP INDEX conversations_user_created_idx;
DROP INDEX conversations_user_persona_idx;
DROP INDEX conversations_user_arc_idx;
DROP INDEX conversations_user_topic_idx;
DROP INDEX conversations_user_tier_idx;
DROP INDEX conversations_user_quality_idx;
DROP INDEX conversations_user_status_idx;
DROP INDEX conversations_user_title_idx;
CREATE INDEX conversations_user_created_idx ON conversations (user_id, created_at, id);
CREATE INDEX conversations_user_imported_idx ON conversations (user_id, imported_at, id);
CREATE INDEX conversations_user_persona_idx ON conversations (user_id, persona, id);
CREATE INDEX conversations_user_arc_idx ON conversations (user_id, emotional_arc, id);
CREATE INDEX conversations_user_topic_idx ON conversations (user_id, training_topic, id);
CREATE INDEX conversations_user_tier_idx ON conversations (user_id, tier, id);
-- Best first is the usual way to sort by quality, with unscored rows last.
CREATE INDEX conversations_user_quality_idx ON conversations (user_id, quality_score DESC NULLS LAST, id DESC);
CREATE INDEX conversations_user_status_idx ON conversations (user_id, enrichment_status, id);
CREATE INDEX conversations_user_title_idx ON conversations (user_id, lower(title), id);
CREATE INDEX conversations_user_turns_idx ON conversations (user_id, turn_count, id);
CREATE INDEX conversations_user_pairs_idx ON conversations (user_id, pair_count, id);

-- A deleted (soft-deleted) training file no longer holds its name.
ALTER TABLE training_files DROP CONSTRAINT training_files_user_id_name_key;
CREATE UNIQUE INDEX training_files_user_name_live_idx ON training_files (user_id, name) WHERE deleted_at IS NULL;

-- Installation-wide settings and markers. Global (no row-level security):
-- they describe the installation, not an operator.
CREATE TABLE app_settings (
    key        text PRIMARY KEY CHECK (key <> ''),
    value      text NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL DEFAULT now()
);

SELECT brightrun_grant_app();

-- +goose Down
DROP TABLE app_settings;
ALTER TABLE conversations
    DROP COLUMN training_fragment_version,
    DROP COLUMN training_entry,
    DROP COLUMN training_lines;
DROP INDEX training_files_user_name_live_idx;
ALTER TABLE training_files ADD CONSTRAINT training_files_user_id_name_key UNIQUE (user_id, name);
DROP INDEX conversations_user_pairs_idx;
DROP INDEX conversations_user_turns_idx;
DROP INDEX conversations_user_imported_idx;
DROP INDEX conversations_user_created_idx;
DROP INDEX conversations_user_persona_idx;
DROP INDEX conversations_user_arc_idx;
DROP INDEX conversations_user_topic_idx;
DROP INDEX conversations_user_tier_idx;
DROP INDEX conversations_user_quality_idx;
DROP INDEX conversations_user_status_idx;
DROP INDEX conversations_user_title_idx;
CREATE INDEX conversations_user_created_idx ON conversations (user_id, created_at DESC);
CREATE INDEX conversations_user_persona_idx ON conversations (user_id, persona);
CREATE INDEX conversations_user_arc_idx ON conversations (user_id, emotional_arc);
CREATE INDEX conversations_user_topic_idx ON conversations (user_id, training_topic);
CREATE INDEX conversations_user_tier_idx ON conversations (user_id, tier);
CREATE INDEX conversations_user_quality_idx ON conversations (user_id, quality_score DESC NULLS LAST);
CREATE INDEX conversations_user_status_idx ON conversations (user_id, enrichment_status);
CREATE INDEX conversations_user_title_idx ON conversations (user_id, lower(title));
