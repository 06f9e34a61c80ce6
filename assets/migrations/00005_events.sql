-- Every change an open screen shows is announced on the channel
-- brightrun_events, so screens in any process (local or over SSH) update
-- within a second without polling. The payload names the table, the row,
-- its owner and the operation; listeners fetch the row itself under
-- row-level security, so a payload never carries data.
--
-- metrics_points is left out on purpose: a training job writes many points a
-- second, and the job's own row (current metrics, progress) changes with
-- them and is announced.

-- +goose Up

-- +goose StatementBegin
CREATE FUNCTION brightrun_notify_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    IF TG_OP = 'DELETE' THEN
        r := OLD;
    ELSE
        r := NEW;
    END IF;
    PERFORM pg_notify('brightrun_events', json_build_object(
        'table', TG_TABLE_NAME, 'id', r.id, 'user_id', r.user_id, 'op', TG_OP)::text);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER datasets_notify AFTER INSERT OR UPDATE OR DELETE ON datasets
    FOR EACH ROW EXECUTE FUNCTION brightrun_notify_change();
CREATE TRIGGER training_jobs_notify AFTER INSERT OR UPDATE OR DELETE ON training_jobs
    FOR EACH ROW EXECUTE FUNCTION brightrun_notify_change();
CREATE TRIGGER notifications_notify AFTER INSERT OR UPDATE OR DELETE ON notifications
    FOR EACH ROW EXECUTE FUNCTION brightrun_notify_change();
CREATE TRIGGER training_files_notify AFTER INSERT OR UPDATE OR DELETE ON training_files
    FOR EACH ROW EXECUTE FUNCTION brightrun_notify_change();
CREATE TRIGGER model_artifacts_notify AFTER INSERT OR UPDATE OR DELETE ON model_artifacts
    FOR EACH ROW EXECUTE FUNCTION brightrun_notify_change();

SELECT brightrun_grant_app();

-- +goose Down
DROP TRIGGER model_artifacts_notify ON model_artifacts;
DROP TRIGGER training_files_notify ON training_files;
DROP TRIGGER notifications_notify ON notifications;
DROP TRIGGER training_jobs_notify ON training_jobs;
DROP TRIGGER datasets_notify ON datasets;
DROP FUNCTION brightrun_notify_change();
