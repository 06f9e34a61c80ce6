-- Spend control (issue 19): a monthly budget per operator, and an admin who
-- may see and set everyone's.
--
-- budgets holds one row per operator who has a budget. The operator may
-- read and set their own; the admin may read and set anyone's. The admin is
-- the transaction that says so with set_config('app.admin', 'on', true):
-- Brightrun does that for the local account (the command line and the TUI
-- run on the machine that holds the database's credentials, which is also
-- who runs `brightrun user`), never for an operator logged in over SSH.
-- alerted_month and alerted_pct record the last threshold (80 or 100 %)
-- notified, so each fires once a month.
--
-- The admin also reads every operator's cost_records and training_jobs
-- (for `brightrun costs` and the committed spend of `budget show --user`):
-- an extra SELECT-only policy beside each owner policy, so the admin still
-- writes nothing in another operator's name.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION app_is_admin() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('app.admin', true), '') = 'on'
$$;
-- +goose StatementEnd

CREATE TABLE budgets (
    user_id       uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    monthly_limit numeric(12,2) NOT NULL CHECK (monthly_limit >= 0),
    alerted_month text NOT NULL DEFAULT '',
    alerted_pct   integer NOT NULL DEFAULT 0 CHECK (alerted_pct IN (0, 80, 100)),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE budgets ENABLE ROW LEVEL SECURITY;
ALTER TABLE budgets FORCE ROW LEVEL SECURITY;
CREATE POLICY budgets_owner ON budgets FOR ALL
    USING (user_id = app_current_user_id() OR app_is_admin())
    WITH CHECK (user_id = app_current_user_id() OR app_is_admin());
CREATE TRIGGER budgets_updated_at BEFORE UPDATE ON budgets
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE POLICY cost_records_admin_read ON cost_records FOR SELECT USING (app_is_admin());
CREATE POLICY training_jobs_admin_read ON training_jobs FOR SELECT USING (app_is_admin());

SELECT brightrun_grant_app();

-- +goose Down
DROP POLICY training_jobs_admin_read ON training_jobs;
DROP POLICY cost_records_admin_read ON cost_records;
DROP TABLE budgets;
DROP FUNCTION app_is_admin();
