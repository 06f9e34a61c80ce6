-- The LoRA training tables (the web app's E01 schema, docs/formats.md, docs/cli.md):
-- datasets, training jobs, their metrics, artifacts and costs, and
-- notifications. Per-user like 00002: user_id, forced row-level security and
-- foreign keys that include user_id.

-- +goose Up
CREATE TABLE datasets (
    id                         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id                    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name                       text NOT NULL CHECK (name <> ''),
    description                text NOT NULL DEFAULT '',
    format                     text NOT NULL DEFAULT 'chat',  -- shape: chat | sharegpt | alpaca | brightrun-lora-v4
    status                     text NOT NULL DEFAULT 'uploading'
        CHECK (status IN ('uploading', 'validating', 'ready', 'error')),
    storage_bucket             text NOT NULL DEFAULT 'lora-datasets',
    storage_path               text NOT NULL DEFAULT '',
    file_name                  text NOT NULL DEFAULT '',
    file_size                  bigint NOT NULL DEFAULT 0 CHECK (file_size >= 0),
    training_file_id           uuid,  -- set when made from a training file
    total_training_pairs       integer NOT NULL DEFAULT 0 CHECK (total_training_pairs >= 0),
    total_validation_pairs     integer NOT NULL DEFAULT 0 CHECK (total_validation_pairs >= 0),
    total_tokens               bigint NOT NULL DEFAULT 0 CHECK (total_tokens >= 0),
    avg_turns_per_conversation numeric(10,2) NOT NULL DEFAULT 0,
    avg_tokens_per_example     numeric(12,2) NOT NULL DEFAULT 0,
    avg_tokens_per_turn        numeric(10,2),  -- the web app's column; kept for compatibility
    training_ready             boolean NOT NULL DEFAULT false,
    validated_at               timestamptz,
    validation_errors          jsonb NOT NULL DEFAULT '[]',  -- [{line, code, message}], first 100
    validation_report          jsonb NOT NULL DEFAULT '{}',  -- the whole report of docs/formats.md#datasets-and-validation
    sample_data                jsonb NOT NULL DEFAULT '[]',  -- up to 5 examples
    error_message              text,
    created_at                 timestamptz NOT NULL DEFAULT now(),
    updated_at                 timestamptz NOT NULL DEFAULT now(),
    deleted_at                 timestamptz,
    UNIQUE (id, user_id),
    FOREIGN KEY (training_file_id, user_id) REFERENCES training_files (id, user_id)
);
CREATE INDEX datasets_user_created_idx ON datasets (user_id, created_at DESC);
CREATE INDEX datasets_status_idx ON datasets (status) WHERE deleted_at IS NULL;
CREATE INDEX datasets_training_file_idx ON datasets (training_file_id) WHERE training_file_id IS NOT NULL;
CREATE TRIGGER datasets_updated_at BEFORE UPDATE ON datasets
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE datasets ENABLE ROW LEVEL SECURITY;
ALTER TABLE datasets FORCE ROW LEVEL SECURITY;
CREATE POLICY datasets_owner ON datasets FOR ALL
    USING (user_id = app_current_user_id())
    WITH CHECK (user_id = app_current_user_id());

CREATE TABLE training_jobs (
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id                 uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    dataset_id              uuid NOT NULL,
    name                    text NOT NULL DEFAULT '',
    status                  text NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'initializing', 'running', 'finalizing', 'completed', 'failed', 'cancelled')),
    current_stage           text NOT NULL DEFAULT 'queued',
    progress                numeric(5,2) NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    current_epoch           integer NOT NULL DEFAULT 0 CHECK (current_epoch >= 0),
    total_epochs            integer NOT NULL CHECK (total_epochs >= 1),
    current_step            integer NOT NULL DEFAULT 0 CHECK (current_step >= 0),
    total_steps             integer NOT NULL DEFAULT 0 CHECK (total_steps >= 0),
    gpu_config              jsonb NOT NULL,  -- {type, count}
    hyperparameters         jsonb NOT NULL,  -- {learning_rate, batch_size, epochs, rank, alpha, dropout}
    preset                  text NOT NULL DEFAULT '',
    estimated_total_cost    numeric(12,2) NOT NULL DEFAULT 0,
    current_cost            numeric(12,2) NOT NULL DEFAULT 0,
    final_cost              numeric(12,2),
    current_metrics         jsonb NOT NULL DEFAULT '{}',  -- {train_loss, val_loss, learning_rate, …}
    trainer                 text NOT NULL DEFAULT 'simulated',
    cloned_from             uuid,
    artifact_id             uuid,  -- the adapter, once written (FK added below)
    external_job_id         text,  -- a real trainer's own id, if it has one
    retry_count             integer NOT NULL DEFAULT 0 CHECK (retry_count >= 0),
    error_message           text,
    error_stack             text,
    estimated_completion_at timestamptz,
    queued_at               timestamptz NOT NULL DEFAULT now(),
    started_at              timestamptz,
    completed_at            timestamptz,
    cancelled_at            timestamptz,
    cancel_requested_at     timestamptz,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, user_id),
    UNIQUE (user_id, external_job_id),
    -- No cascade: datasets are soft-deleted while jobs refer to them.
    FOREIGN KEY (dataset_id, user_id) REFERENCES datasets (id, user_id),
    FOREIGN KEY (cloned_from, user_id) REFERENCES training_jobs (id, user_id)
);
CREATE INDEX training_jobs_user_created_idx ON training_jobs (user_id, created_at DESC);
CREATE INDEX training_jobs_status_idx ON training_jobs (status);
CREATE INDEX training_jobs_dataset_idx ON training_jobs (dataset_id);
CREATE TRIGGER training_jobs_updated_at BEFORE UPDATE ON training_jobs
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE training_jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE training_jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY training_jobs_owner ON training_jobs FOR ALL
    USING (user_id = app_current_user_id())
    WITH CHECK (user_id = app_current_user_id());

CREATE TABLE metrics_points (
    id              bigserial PRIMARY KEY,
    job_id          uuid NOT NULL,
    user_id         uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    step            integer NOT NULL CHECK (step >= 0),
    epoch           numeric NOT NULL DEFAULT 0,  -- fractional: 1.5 is half-way through epoch 2
    train_loss      double precision,
    val_loss        double precision,
    learning_rate   double precision,
    gpu_utilization double precision,
    tokens_per_sec  double precision,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (job_id, user_id) REFERENCES training_jobs (id, user_id) ON DELETE CASCADE
);
CREATE INDEX metrics_points_job_step_idx ON metrics_points (job_id, step);
ALTER TABLE metrics_points ENABLE ROW LEVEL SECURITY;
ALTER TABLE metrics_points FORCE ROW LEVEL SECURITY;
CREATE POLICY metrics_points_owner ON metrics_points FOR ALL
    USING (user_id = app_current_user_id())
    WITH CHECK (user_id = app_current_user_id());

CREATE TABLE model_artifacts (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id        uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    job_id         uuid NOT NULL,
    name           text NOT NULL CHECK (name <> ''),
    storage_bucket text NOT NULL DEFAULT 'model-artifacts',
    storage_path   text NOT NULL,
    file_size      bigint NOT NULL DEFAULT 0 CHECK (file_size >= 0),
    sha256         text NOT NULL DEFAULT '',
    format         text NOT NULL DEFAULT 'peft-lora',
    metadata       jsonb NOT NULL DEFAULT '{}',
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, user_id),
    FOREIGN KEY (job_id, user_id) REFERENCES training_jobs (id, user_id) ON DELETE CASCADE
);
CREATE INDEX model_artifacts_job_idx ON model_artifacts (job_id);
CREATE INDEX model_artifacts_user_created_idx ON model_artifacts (user_id, created_at DESC);
ALTER TABLE model_artifacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE model_artifacts FORCE ROW LEVEL SECURITY;
CREATE POLICY model_artifacts_owner ON model_artifacts FOR ALL
    USING (user_id = app_current_user_id())
    WITH CHECK (user_id = app_current_user_id());

ALTER TABLE training_jobs
    ADD FOREIGN KEY (artifact_id, user_id) REFERENCES model_artifacts (id, user_id);

CREATE TABLE cost_records (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    job_id       uuid NOT NULL,
    kind         text NOT NULL DEFAULT 'final' CHECK (kind IN ('final', 'partial')),  -- partial: cancelled or failed
    gpu_type     text NOT NULL,
    gpu_count    integer NOT NULL CHECK (gpu_count >= 1),
    hours        numeric(12,4) NOT NULL DEFAULT 0 CHECK (hours >= 0),
    hourly_rate  numeric(12,4) NOT NULL DEFAULT 0 CHECK (hourly_rate >= 0),  -- per GPU
    compute_cost numeric(12,2) NOT NULL DEFAULT 0,
    storage_cost numeric(12,2) NOT NULL DEFAULT 0,
    total_cost   numeric(12,2) NOT NULL DEFAULT 0,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (job_id, user_id) REFERENCES training_jobs (id, user_id) ON DELETE CASCADE
);
CREATE INDEX cost_records_job_idx ON cost_records (job_id);
CREATE INDEX cost_records_user_recorded_idx ON cost_records (user_id, recorded_at DESC);
ALTER TABLE cost_records ENABLE ROW LEVEL SECURITY;
ALTER TABLE cost_records FORCE ROW LEVEL SECURITY;
CREATE POLICY cost_records_owner ON cost_records FOR ALL
    USING (user_id = app_current_user_id())
    WITH CHECK (user_id = app_current_user_id());

CREATE TABLE notifications (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    type       text NOT NULL CHECK (type <> ''),  -- job_queued, job_completed, dataset_ready, …
    title      text NOT NULL,
    message    text NOT NULL DEFAULT '',
    priority   text NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high')),
    action     jsonb NOT NULL DEFAULT '{}',  -- {kind, id, label}: what the notification points at
    read       boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_user_created_idx ON notifications (user_id, created_at DESC);
CREATE INDEX notifications_user_unread_idx ON notifications (user_id) WHERE NOT read;
ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE notifications FORCE ROW LEVEL SECURITY;
CREATE POLICY notifications_owner ON notifications FOR ALL
    USING (user_id = app_current_user_id())
    WITH CHECK (user_id = app_current_user_id());

SELECT brightrun_grant_app();

-- +goose Down
-- One statement, because training_jobs and model_artifacts refer to each other.
DROP TABLE notifications, cost_records, model_artifacts, metrics_points, training_jobs, datasets;
