-- The `/` filter of the conversation browser (title or conversation_id
-- containing the text, ILIKE '%text%') answered from trigram indexes rather
-- than by reading every row: at 100,000 conversations a rare word cost a
-- full scan per keystroke.

-- +goose Up

-- pg_trgm ships with PostgreSQL's contrib (the postgresql package on Debian
-- and Ubuntu includes it) and is a trusted extension (PostgreSQL 13+), so
-- the database owner of the zero-config cluster creates it. On a shared
-- server where it is neither installed nor creatable the filter still
-- works, by scanning: the migration says so and goes on.
-- +goose StatementBegin
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX IF NOT EXISTS conversations_title_trgm_idx ON conversations USING gin (title gin_trgm_ops);
    CREATE INDEX IF NOT EXISTS conversations_key_trgm_idx ON conversations USING gin (conversation_id gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'brightrun: no pg_trgm here (%); the conversation filter scans instead of using an index', SQLERRM;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP INDEX IF EXISTS conversations_key_trgm_idx;
DROP INDEX IF EXISTS conversations_title_trgm_idx;
-- The extension stays: on a shared server something else may use it.
