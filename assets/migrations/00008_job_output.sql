-- What an exec trainer prints besides the protocol (its stderr: Python
-- warnings, tracebacks, progress bars) and the log messages it sends, kept
-- per job so the job view's log pane and `brightrun job logs` can show and
-- search them. A table of its own, not the job row's events array: a chatty
-- trainer writes thousands of lines, and rewriting a growing jsonb value on
-- every flush would cost more each time. seq orders the lines of a job and
-- lets a reader ask for the lines after the last one it has.
--
-- Like metrics_points it is not announced: the job's row changes in the same
-- flush, and that is announced.

-- +goose Up
CREATE TABLE job_output_lines (
    seq     bigserial PRIMARY KEY,
    job_id  uuid NOT NULL,
    user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    at      timestamptz NOT NULL DEFAULT now(),
    stream  text NOT NULL CHECK (stream IN ('stdout', 'stderr')),
    text    text NOT NULL,
    FOREIGN KEY (job_id, user_id) REFERENCES training_jobs (id, user_id) ON DELETE CASCADE
);
CREATE INDEX job_output_lines_job_seq_idx ON job_output_lines (job_id, seq);
ALTER TABLE job_output_lines ENABLE ROW LEVEL SECURITY;
ALTER TABLE job_output_lines FORCE ROW LEVEL SECURITY;
CREATE POLICY job_output_lines_owner ON job_output_lines FOR ALL
    USING (user_id = app_current_user_id())
    WITH CHECK (user_id = app_current_user_id());

SELECT brightrun_grant_app();

-- +goose Down
DROP TABLE job_output_lines;
