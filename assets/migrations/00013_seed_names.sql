-- The web app's names, where Brightrun had drifted from them: a job's
-- preset is training_jobs.preset_id, an arc's key is emotional_arcs.arc_key,
-- and a notification carries action_url (the page it points at, as the web
-- app links it) beside Brightrun's own action ({kind, id, label}), which the
-- TUI uses to jump. docs/schema.md says what a web app sharing the database
-- finds the same and what differs.
--
-- Renames keep every row, index, constraint and foreign key
-- (conversations.emotional_arc still refers to the arc's key).

-- +goose Up
ALTER TABLE training_jobs RENAME COLUMN preset TO preset_id;
ALTER TABLE emotional_arcs RENAME COLUMN key TO arc_key;

-- notification_action_url is the one place that turns an action into the
-- web app's link: the backfill below and every insert (store) call it, so
-- old and new rows agree. NULL for an action that points at nothing.
-- +goose StatementBegin
CREATE FUNCTION notification_action_url(action jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN coalesce(action->>'id', '') = '' THEN NULL
                WHEN action->>'kind' = 'job' THEN '/training/jobs/' || (action->>'id')
                WHEN action->>'kind' = 'dataset' THEN '/datasets/' || (action->>'id')
           END
$$;
-- +goose StatementEnd

ALTER TABLE notifications ADD COLUMN action_url text;
UPDATE notifications SET action_url = notification_action_url(action);

-- +goose Down
ALTER TABLE notifications DROP COLUMN action_url;
DROP FUNCTION notification_action_url(jsonb);
ALTER TABLE emotional_arcs RENAME COLUMN arc_key TO key;
ALTER TABLE training_jobs RENAME COLUMN preset_id TO preset;
