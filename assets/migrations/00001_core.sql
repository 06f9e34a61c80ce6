-- Core of the schema: the application role and its grants, the helpers every
-- later migration uses, the users and the global reference tables.
--
-- Migrations run as the tables' owner (the local cluster's superuser, or the
-- user of DATABASE_URL). The application itself works as brightrun_app, a
-- NOLOGIN role that owns nothing: row-level security never applies to a
-- table's owner unless forced and never to a superuser, so the role that runs
-- queries must be a different one.

-- +goose Up

-- +goose StatementBegin
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'brightrun_app') THEN
        BEGIN
            CREATE ROLE brightrun_app NOLOGIN;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'brightrun: % may not create roles; create role brightrun_app (NOLOGIN) and grant it to % by hand',
                current_user, current_user;
        END;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'brightrun_app') THEN
        -- Membership lets the owner's connections SET ROLE brightrun_app.
        BEGIN
            EXECUTE format('GRANT brightrun_app TO %I', current_user);
        EXCEPTION WHEN insufficient_privilege OR invalid_grant_operation THEN
            RAISE NOTICE 'brightrun: could not grant brightrun_app to %: %', current_user, SQLERRM;
        END;
    END IF;
END
$$;
-- +goose StatementEnd

-- brightrun_grant_app gives the application role what it needs on every table
-- and sequence of the schema. Each migration calls it at its end, so a table
-- is never left without grants, whoever ran the migration. It is a no-op
-- (with a notice) when the role does not exist.
-- +goose StatementBegin
CREATE FUNCTION brightrun_grant_app() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'brightrun_app') THEN
        RAISE NOTICE 'brightrun: role brightrun_app does not exist; no grants made';
        RETURN;
    END IF;
    GRANT USAGE ON SCHEMA public TO brightrun_app;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO brightrun_app;
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO brightrun_app;
    -- Tables created later by the migrating role (later migrations, River's
    -- queue tables) get the same grants without anyone remembering to.
    ALTER DEFAULT PRIVILEGES IN SCHEMA public
        GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO brightrun_app;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public
        GRANT USAGE, SELECT ON SEQUENCES TO brightrun_app;
    -- The migration bookkeeping is the owner's alone: the application may
    -- read the schema version but never change it.
    IF to_regclass('public.goose_db_version') IS NOT NULL THEN
        REVOKE INSERT, UPDATE, DELETE ON public.goose_db_version FROM brightrun_app;
    END IF;
END
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION brightrun_grant_app() FROM PUBLIC;

-- app_current_user_id is the user the current transaction acts for, set by
-- the application with set_config('app.user_id', id, true). It is NULL when
-- no user is set (also after a transaction that set one has ended, when the
-- setting reads as ''), and NULL matches no row, so forgetting to set it
-- shows nothing rather than everything. Every row-level security policy uses
-- it; being a simple STABLE SQL function it is inlined and indexes still apply.
-- +goose StatementBegin
CREATE FUNCTION app_current_user_id() RETURNS uuid
LANGUAGE sql STABLE AS $$
    SELECT nullif(current_setting('app.user_id', true), '')::uuid
$$;
-- +goose StatementEnd

-- set_updated_at keeps updated_at honest without every UPDATE naming it.
-- +goose StatementBegin
CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
-- +goose StatementEnd

-- Operators. Global (no row-level security): the application must find a
-- user by name before it knows who is asking.
CREATE TABLE users (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name       text NOT NULL UNIQUE CHECK (name <> ''),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- SSH public keys of operators. Global: the SSH server looks a key up before
-- it knows which user is connecting.
CREATE TABLE user_keys (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    public_key  text NOT NULL UNIQUE CHECK (public_key <> ''),
    fingerprint text NOT NULL DEFAULT '',
    comment     text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX user_keys_user_id_idx ON user_keys (user_id);
CREATE INDEX user_keys_fingerprint_idx ON user_keys (fingerprint);

-- Reference tables shared by all users. Importing a conversation with a key
-- not known yet adds it here (docs/formats.md#conversation-files), so the application may write.
CREATE TABLE personas (
    key         text PRIMARY KEY CHECK (key <> ''),
    name        text NOT NULL DEFAULT '',
    description text NOT NULL DEFAULT '',
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE emotional_arcs (
    key         text PRIMARY KEY CHECK (key <> ''),
    name        text NOT NULL DEFAULT '',
    description text NOT NULL DEFAULT '',
    -- NULL when the arc was added by an import and nobody classified it yet.
    tier        text CHECK (tier IN ('template', 'edge_case')),
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE training_topics (
    key         text PRIMARY KEY CHECK (key <> ''),
    name        text NOT NULL DEFAULT '',
    description text NOT NULL DEFAULT '',
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now()
);

SELECT brightrun_grant_app();

-- +goose Down
DROP TABLE training_topics;
DROP TABLE emotional_arcs;
DROP TABLE personas;
DROP TABLE user_keys;
DROP TABLE users;
DROP FUNCTION set_updated_at();
DROP FUNCTION app_current_user_id();
DROP FUNCTION brightrun_grant_app();
-- The role is cluster-wide and may serve other databases, so it stays; only
-- this database's default grants to it are withdrawn.
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'brightrun_app') THEN
        ALTER DEFAULT PRIVILEGES IN SCHEMA public
            REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM brightrun_app;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public
            REVOKE USAGE, SELECT ON SEQUENCES FROM brightrun_app;
    END IF;
END
$$;
-- +goose StatementEnd
