-- Conversations and the training files built from them (docs/formats.md).
--
-- Every table here is per-user: user_id NOT NULL, row-level security enabled
-- and forced, and one policy admitting only rows of app_current_user_id()
-- for reading and writing alike.
--
-- References between per-user tables carry user_id in the foreign key
-- ((x_id, user_id) → x(id, user_id)). Foreign-key checks bypass row-level
-- security, so without it a user could link a row to another user's row by
-- knowing its id; with it such a link simply fails.

-- +goose Up
CREATE TABLE conversations (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id               uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    conversation_id       text NOT NULL CHECK (conversation_id <> ''),
    title                 text NOT NULL DEFAULT '',
    persona               text NOT NULL REFERENCES personas(key) ON UPDATE CASCADE,
    emotional_arc         text NOT NULL REFERENCES emotional_arcs(key) ON UPDATE CASCADE,
    training_topic        text NOT NULL REFERENCES training_topics(key) ON UPDATE CASCADE,
    tier                  text NOT NULL CHECK (tier IN ('template', 'edge_case')),
    enrichment_status     text NOT NULL DEFAULT 'not_enriched'
        CHECK (enrichment_status IN ('pending', 'in_progress', 'completed', 'failed', 'not_enriched')),
    quality_score         numeric(4,2) CHECK (quality_score BETWEEN 0 AND 10),
    turn_count            integer NOT NULL DEFAULT 0 CHECK (turn_count >= 0),
    pair_count            integer NOT NULL DEFAULT 0 CHECK (pair_count >= 0),
    token_count           bigint NOT NULL DEFAULT 0 CHECK (token_count >= 0),
    raw_storage_path      text NOT NULL DEFAULT '',
    enriched_storage_path text,
    file_size             bigint NOT NULL DEFAULT 0 CHECK (file_size >= 0),
    created_at            timestamptz NOT NULL DEFAULT now(),  -- the file's created_at when it has one
    imported_at           timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, conversation_id),
    UNIQUE (id, user_id)
);
CREATE INDEX conversations_user_created_idx ON conversations (user_id, created_at DESC);
CREATE INDEX conversations_user_persona_idx ON conversations (user_id, persona);
CREATE INDEX conversations_user_arc_idx ON conversations (user_id, emotional_arc);
CREATE INDEX conversations_user_topic_idx ON conversations (user_id, training_topic);
CREATE INDEX conversations_user_tier_idx ON conversations (user_id, tier);
CREATE INDEX conversations_user_quality_idx ON conversations (user_id, quality_score DESC NULLS LAST);
CREATE INDEX conversations_user_status_idx ON conversations (user_id, enrichment_status);
CREATE INDEX conversations_user_title_idx ON conversations (user_id, lower(title));
CREATE TRIGGER conversations_updated_at BEFORE UPDATE ON conversations
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE conversations ENABLE ROW LEVEL SECURITY;
ALTER TABLE conversations FORCE ROW LEVEL SECURITY;
CREATE POLICY conversations_owner ON conversations FOR ALL
    USING (user_id = app_current_user_id())
    WITH CHECK (user_id = app_current_user_id());

CREATE TABLE training_files (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id              uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name                 text NOT NULL CHECK (name <> ''),
    description          text NOT NULL DEFAULT '',
    format               text NOT NULL DEFAULT 'brightrun-lora-v4',
    conversation_count   integer NOT NULL DEFAULT 0 CHECK (conversation_count >= 0),
    total_training_pairs integer NOT NULL DEFAULT 0 CHECK (total_training_pairs >= 0),
    total_tokens         bigint NOT NULL DEFAULT 0 CHECK (total_tokens >= 0),
    storage_bucket       text NOT NULL DEFAULT 'training-files',
    json_storage_path    text NOT NULL DEFAULT '',
    jsonl_storage_path   text NOT NULL DEFAULT '',
    json_file_size       bigint NOT NULL DEFAULT 0 CHECK (json_file_size >= 0),
    jsonl_file_size      bigint NOT NULL DEFAULT 0 CHECK (jsonl_file_size >= 0),
    stats                jsonb NOT NULL DEFAULT '{}',
    built_at             timestamptz,  -- NULL until the artifacts are written
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    deleted_at           timestamptz,
    UNIQUE (user_id, name),
    UNIQUE (id, user_id)
);
CREATE INDEX training_files_user_created_idx ON training_files (user_id, created_at DESC);
CREATE TRIGGER training_files_updated_at BEFORE UPDATE ON training_files
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE training_files ENABLE ROW LEVEL SECURITY;
ALTER TABLE training_files FORCE ROW LEVEL SECURITY;
CREATE POLICY training_files_owner ON training_files FOR ALL
    USING (user_id = app_current_user_id())
    WITH CHECK (user_id = app_current_user_id());

-- Which conversations a training file holds, in the order they were added
-- (position), which is the order of the built artifacts.
CREATE TABLE training_file_conversations (
    training_file_id uuid NOT NULL,
    conversation_id  uuid NOT NULL,  -- conversations.id, not the business key
    user_id          uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    position         integer NOT NULL DEFAULT 0,
    added_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (training_file_id, conversation_id),
    FOREIGN KEY (training_file_id, user_id) REFERENCES training_files (id, user_id) ON DELETE CASCADE,
    FOREIGN KEY (conversation_id, user_id) REFERENCES conversations (id, user_id) ON DELETE CASCADE
);
CREATE INDEX training_file_conversations_conversation_idx ON training_file_conversations (conversation_id);
CREATE INDEX training_file_conversations_order_idx ON training_file_conversations (training_file_id, position);
ALTER TABLE training_file_conversations ENABLE ROW LEVEL SECURITY;
ALTER TABLE training_file_conversations FORCE ROW LEVEL SECURITY;
CREATE POLICY training_file_conversations_owner ON training_file_conversations FOR ALL
    USING (user_id = app_current_user_id())
    WITH CHECK (user_id = app_current_user_id());

SELECT brightrun_grant_app();

-- +goose Down
DROP TABLE training_file_conversations;
DROP TABLE training_files;
DROP TABLE conversations;
