-- SSH public keys of operators, for `brightrun serve` (issue 8).
--
-- user_keys was global when the SSH server did not exist yet. Now that keys
-- are used, they are per-user rows like any other: row-level security
-- enabled and forced, one policy admitting only app_current_user_id()'s
-- keys, so an operator's session can neither list nor remove nor forge
-- another operator's keys.
--
-- The server has to find the operator of a key before it knows who is
-- connecting, which row-level security rightly refuses. It asks
-- brightrun_user_for_key instead: a SECURITY DEFINER function that answers
-- exactly one question (which user, if any, holds the key with this SHA256
-- fingerprint) and returns the user's id and name, never another column or
-- another row. It runs as the owner of the tables; when that owner is not a
-- superuser, forced row-level security binds it too, so the owner gets a
-- read-only policy of its own (it could switch row security off on its own
-- table anyway, so this grants it nothing new, and the application role,
-- which is not a member of the owner, gains nothing).
--
-- A fingerprint identifies a key ("SHA256:" and the unpadded base64 of the
-- SHA-256 of the key's wire form, as ssh-keygen -l prints it) and is unique:
-- one key cannot let two operators in. last_used_at is when a session last
-- authenticated with the key, shown by `brightrun user list`.

-- +goose Up

-- Nothing wrote this table before; fill in what any earlier row lacks so the
-- constraints below hold, and drop rows whose key cannot be read.
UPDATE user_keys
SET fingerprint = 'SHA256:' || rtrim(encode(sha256(decode(split_part(public_key, ' ', 2), 'base64')), 'base64'), '=')
WHERE fingerprint = '' AND split_part(public_key, ' ', 2) ~ '^[A-Za-z0-9+/]+=*$';
DELETE FROM user_keys WHERE fingerprint = '';

DROP INDEX user_keys_fingerprint_idx;
ALTER TABLE user_keys
    ALTER COLUMN fingerprint DROP DEFAULT,
    ADD CONSTRAINT user_keys_fingerprint_check CHECK (fingerprint LIKE 'SHA256:_%'),
    ADD CONSTRAINT user_keys_fingerprint_key UNIQUE (fingerprint),
    ADD COLUMN last_used_at timestamptz;

ALTER TABLE user_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY user_keys_owner ON user_keys FOR ALL
    USING (user_id = app_current_user_id())
    WITH CHECK (user_id = app_current_user_id());

-- +goose StatementBegin
DO $$
BEGIN
    EXECUTE format('CREATE POLICY user_keys_owner_lookup ON user_keys FOR SELECT TO %I USING (true)', current_user);
END
$$;
-- +goose StatementEnd

-- The search path is pinned and every name qualified, so nobody can slip a
-- table or an operator of their own in front of the ones meant here.
-- +goose StatementBegin
CREATE FUNCTION brightrun_user_for_key(key_fingerprint text)
RETURNS TABLE (user_id uuid, user_name text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT u.id, u.name
    FROM public.user_keys k
    JOIN public.users u ON u.id = k.user_id
    WHERE k.fingerprint = key_fingerprint
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION brightrun_user_for_key(text) FROM PUBLIC;

-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'brightrun_app') THEN
        GRANT EXECUTE ON FUNCTION brightrun_user_for_key(text) TO brightrun_app;
    END IF;
END
$$;
-- +goose StatementEnd

SELECT brightrun_grant_app();

-- +goose Down
DROP FUNCTION brightrun_user_for_key(text);
DROP POLICY user_keys_owner_lookup ON user_keys;
DROP POLICY user_keys_owner ON user_keys;
ALTER TABLE user_keys NO FORCE ROW LEVEL SECURITY;
ALTER TABLE user_keys DISABLE ROW LEVEL SECURITY;
ALTER TABLE user_keys
    DROP COLUMN last_used_at,
    DROP CONSTRAINT user_keys_fingerprint_key,
    DROP CONSTRAINT user_keys_fingerprint_check,
    ALTER COLUMN fingerprint SET DEFAULT '';
CREATE INDEX user_keys_fingerprint_idx ON user_keys (fingerprint);
