-- The worker registry: one row per live worker process, so operators see
-- the fleet (`brightrun worker list`, the Workers view) and a queued job
-- can say why no worker takes it (model.WaitingReason). Each worker
-- renews heartbeat_at every few seconds and deletes its row when it
-- stops; a row whose heartbeat is older than its worker's rescue interval
-- is a dead worker's: it is not shown, and any worker's sweep deletes it.
--
-- Workers serve every user, so this is not user data: no user_id and no
-- row-level security, like River's own tables. Changes that a screen
-- shows (a worker starting or going, a GPU taken or freed) are announced
-- on brightrun_events with no user, to every session; a heartbeat alone
-- is not.

-- +goose Up
CREATE TABLE workers (
    id           uuid PRIMARY KEY,
    host         text NOT NULL,
    pid          integer NOT NULL,
    trainers     text[] NOT NULL,
    gpu_type     text NOT NULL DEFAULT '',
    gpus         integer[] NOT NULL DEFAULT '{}',
    gpus_free    integer[] NOT NULL DEFAULT '{}',
    running_jobs uuid[] NOT NULL DEFAULT '{}',
    rescue_after interval NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX workers_heartbeat_idx ON workers (heartbeat_at);

-- +goose StatementBegin
CREATE FUNCTION brightrun_notify_worker() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    r workers;
BEGIN
    IF TG_OP = 'DELETE' THEN
        r := OLD;
    ELSE
        r := NEW;
    END IF;
    PERFORM pg_notify('brightrun_events', json_build_object(
        'table', 'workers', 'id', r.id, 'user_id', NULL, 'op', TG_OP)::text);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER workers_notify_insert_delete AFTER INSERT OR DELETE ON workers
    FOR EACH ROW EXECUTE FUNCTION brightrun_notify_worker();
CREATE TRIGGER workers_notify_update AFTER UPDATE ON workers
    FOR EACH ROW WHEN (OLD.gpus_free IS DISTINCT FROM NEW.gpus_free
        OR OLD.running_jobs IS DISTINCT FROM NEW.running_jobs)
    EXECUTE FUNCTION brightrun_notify_worker();

SELECT brightrun_grant_app();

-- +goose Down
DROP TABLE workers;
DROP FUNCTION brightrun_notify_worker();
