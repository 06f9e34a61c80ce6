package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"brightrun/store"
	"brightrun/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// tenantRows are the IDs of one user's rows, one in every per-user table.
type tenantRows struct {
	user         uuid.UUID
	conversation uuid.UUID
	trainingFile uuid.UUID
	dataset      uuid.UUID
	job          uuid.UUID
	artifact     uuid.UUID
	sweep        uuid.UUID
}

// perUserTable describes one table that row-level security must guard:
// a column the adversary "updates" to itself, and an insert that would
// be a perfectly valid row of the victim, so only the policy can refuse it.
type perUserTable struct {
	name      string
	updateCol string
	// insert adds one row owned by victim; args are (victim's user ID, a fresh
	// UUID) followed by what victimArgs returns.
	insert     string
	victimArgs func(v tenantRows) []any
}

// perUserTables lists every per-user table, in an order in which deleting
// one user's rows table by table breaks no foreign key. TestEveryUserTableHasRLS
// fails when a table with a user_id column is missing here, so a new table
// cannot escape the adversarial test.
var perUserTables = []perUserTable{
	{
		// One row per user: the victim's exists, so the owner's insert is an
		// upsert (the policy still checks the proposed row first).
		name: "budgets", updateCol: "monthly_limit",
		insert: `INSERT INTO budgets (user_id, monthly_limit) SELECT $1, 7 WHERE $2::uuid IS NOT NULL
			ON CONFLICT (user_id) DO UPDATE SET monthly_limit = 7`,
		victimArgs: func(tenantRows) []any { return nil },
	},
	{
		name: "user_keys", updateCol: "comment",
		insert: `INSERT INTO user_keys (user_id, id, public_key, fingerprint)
			SELECT $1, k, 'ssh-ed25519 spoof' || k::text, 'SHA256:' || k::text FROM (SELECT $2::uuid AS k) AS s`,
		victimArgs: func(tenantRows) []any { return nil },
	},
	{
		name: "notifications", updateCol: "title",
		insert:     `INSERT INTO notifications (user_id, id, type, title) VALUES ($1, $2, 'spoof', 'spoof')`,
		victimArgs: func(tenantRows) []any { return nil },
	},
	{
		name: "cost_records", updateCol: "kind",
		insert:     `INSERT INTO cost_records (user_id, id, job_id, gpu_type, gpu_count, total_cost) VALUES ($1, $2, $3, 'H100', 1, 1)`,
		victimArgs: func(v tenantRows) []any { return []any{v.job} },
	},
	{
		name: "job_output_lines", updateCol: "text",
		insert:     `INSERT INTO job_output_lines (user_id, job_id, stream, text) SELECT $1, $3, 'stderr', 'spoof' WHERE $2::uuid IS NOT NULL`,
		victimArgs: func(v tenantRows) []any { return []any{v.job} },
	},
	{
		name: "job_checkpoints", updateCol: "size_bytes",
		insert:     `INSERT INTO job_checkpoints (user_id, job_id, step, storage_path) SELECT $1, $3, 99, 'x/' WHERE $2::uuid IS NOT NULL`,
		victimArgs: func(v tenantRows) []any { return []any{v.job} },
	},
	{
		name: "metrics_points", updateCol: "step",
		insert:     `INSERT INTO metrics_points (user_id, job_id, step) SELECT $1, $3, 99 WHERE $2::uuid IS NOT NULL`,
		victimArgs: func(v tenantRows) []any { return []any{v.job} },
	},
	{
		name: "model_artifacts", updateCol: "name",
		insert:     `INSERT INTO model_artifacts (user_id, id, job_id, name, storage_path) VALUES ($1, $2, $3, 'spoof', 'x/y')`,
		victimArgs: func(v tenantRows) []any { return []any{v.job} },
	},
	{
		name: "training_jobs", updateCol: "name",
		insert: `INSERT INTO training_jobs (user_id, id, dataset_id, total_epochs, gpu_config, hyperparameters)
			VALUES ($1, $2, $3, 1, '{}', '{}')`,
		victimArgs: func(v tenantRows) []any { return []any{v.dataset} },
	},
	{
		name: "sweeps", updateCol: "name",
		insert:     `INSERT INTO sweeps (user_id, id, name, dataset_id) VALUES ($1, $2, 'spoof', $3)`,
		victimArgs: func(v tenantRows) []any { return []any{v.dataset} },
	},
	{
		name: "datasets", updateCol: "name",
		insert:     `INSERT INTO datasets (user_id, id, name) VALUES ($1, $2, 'spoof')`,
		victimArgs: func(tenantRows) []any { return nil },
	},
	{
		name: "training_file_conversations", updateCol: "position",
		// The victim's only possible pair exists already. ON CONFLICT DO NOTHING
		// would make the insert a silent no-op, but the policy is checked on the
		// proposed row first, so it must still be refused.
		insert: `INSERT INTO training_file_conversations (user_id, training_file_id, conversation_id)
			SELECT $1, $3, $4 WHERE $2::uuid IS NOT NULL ON CONFLICT DO NOTHING`,
		victimArgs: func(v tenantRows) []any { return []any{v.trainingFile, v.conversation} },
	},
	{
		name: "training_files", updateCol: "name",
		insert:     `INSERT INTO training_files (user_id, id, name) VALUES ($1, $2, 'spoof')`,
		victimArgs: func(tenantRows) []any { return nil },
	},
	{
		name: "conversations", updateCol: "title",
		insert: `INSERT INTO conversations (user_id, id, conversation_id, persona, emotional_arc, training_topic, tier)
			VALUES ($1, $2, 'spoof', 'p1', 'a1', 't1', 'template')`,
		victimArgs: func(tenantRows) []any { return nil },
	},
}

// globalTablesWithUserID are tables that carry user_id but are global on
// purpose. There are none: even the SSH keys, looked up before the user is
// known, are guarded, and looked up through a definer function (00007).
var globalTablesWithUserID = map[string]string{}

// seedTenant gives user one row in every per-user table, written as that
// user (so the policies' WITH CHECK is exercised on the happy path too).
func seedTenant(t *testing.T, db *store.DB, name string) tenantRows {
	t.Helper()
	ctx := context.Background()
	u := storetest.AddUser(t, db, name)
	r := tenantRows{user: u.ID}
	err := db.WithUser(ctx, u.ID, func(tx pgx.Tx) error {
		steps := []struct {
			sql  string
			args []any
			dst  *uuid.UUID
		}{
			{`INSERT INTO conversations (user_id, conversation_id, title, persona, emotional_arc, training_topic, tier)
				VALUES ($1, 'conv-1', $2, 'p1', 'a1', 't1', 'template') RETURNING id`, []any{u.ID, name + "'s chat"}, &r.conversation},
			{`INSERT INTO training_files (user_id, name) VALUES ($1, 'file-1') RETURNING id`, []any{u.ID}, &r.trainingFile},
			{`INSERT INTO training_file_conversations (user_id, training_file_id, conversation_id, position)
				VALUES ($1, $2, $3, 0) RETURNING training_file_id`, []any{u.ID, &r.trainingFile, &r.conversation}, new(uuid.UUID)},
			{`INSERT INTO datasets (user_id, name, status, training_file_id, training_ready)
				VALUES ($1, 'ds-1', 'ready', $2, true) RETURNING id`, []any{u.ID, &r.trainingFile}, &r.dataset},
			{`INSERT INTO sweeps (user_id, name, dataset_id, axes) VALUES ($1, 'sweep-1', $2, '{"rank":[8,16]}')
				RETURNING id`, []any{u.ID, &r.dataset}, &r.sweep},
			{`INSERT INTO training_jobs (user_id, dataset_id, total_epochs, total_steps, gpu_config, hyperparameters)
				VALUES ($1, $2, 3, 750, '{"type":"H100","count":1}', '{"rank":16}') RETURNING id`, []any{u.ID, &r.dataset}, &r.job},
			{`INSERT INTO metrics_points (user_id, job_id, step, epoch, train_loss) VALUES ($1, $2, 1, 0.01, 2.5)
				RETURNING $2::uuid`, []any{u.ID, &r.job}, new(uuid.UUID)},
			{`INSERT INTO job_output_lines (user_id, job_id, stream, text) VALUES ($1, $2, 'stderr', 'loading shards')
				RETURNING $2::uuid`, []any{u.ID, &r.job}, new(uuid.UUID)},
			{`INSERT INTO model_artifacts (user_id, job_id, name, storage_path) VALUES ($1, $2, 'adapter', 'a/b')
				RETURNING id`, []any{u.ID, &r.job}, &r.artifact},
			{`INSERT INTO cost_records (user_id, job_id, gpu_type, gpu_count, hours, hourly_rate, total_cost)
				VALUES ($1, $2, 'H100', 1, 1.5, 4.2, 6.8) RETURNING id`, []any{u.ID, &r.job}, new(uuid.UUID)},
			{`INSERT INTO notifications (user_id, type, title, message) VALUES ($1, 'job_queued', 'Training Job Queued', 'hi')
				RETURNING id`, []any{u.ID}, new(uuid.UUID)},
			{`INSERT INTO user_keys (user_id, public_key, fingerprint) VALUES ($1, 'ssh-ed25519 key-of-' || $2, 'SHA256:' || $2)
				RETURNING id`, []any{u.ID, name}, new(uuid.UUID)},
			{`INSERT INTO budgets (user_id, monthly_limit) VALUES ($1, 5) RETURNING user_id`, []any{u.ID}, new(uuid.UUID)},
		}
		for i, s := range steps {
			// Migration tests seed a schema rolled back to an older version:
			// a table that version lacks is left out rather than failing.
			var present bool
			table := strings.Fields(s.sql)[2]
			if err := tx.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, table).Scan(&present); err != nil {
				return fmt.Errorf("step %d: %w", i, err)
			}
			if !present {
				continue
			}
			// Arguments given as *uuid.UUID refer to IDs returned by earlier steps.
			args := make([]any, len(s.args))
			for j, a := range s.args {
				if p, ok := a.(*uuid.UUID); ok {
					a = *p
				}
				args[j] = a
			}
			if err := tx.QueryRow(ctx, s.sql, args...).Scan(s.dst); err != nil {
				return fmt.Errorf("step %d: %w", i, err)
			}
		}
		// job_checkpoints (00016) is missing from a database migrated down
		// below it (the seed names test).
		var checkpoints bool
		if err := tx.QueryRow(ctx, `SELECT to_regclass('job_checkpoints') IS NOT NULL`).Scan(&checkpoints); err != nil || !checkpoints {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO job_checkpoints (user_id, job_id, step, storage_path) VALUES ($1, $2, 10, 'a/b/')`, u.ID, r.job)
		return err
	})
	if err != nil {
		t.Fatalf("seed %s: %v", name, err)
	}
	return r
}

// aliceAndBob is a fresh database where alice and bob each have a row in
// every per-user table.
func aliceAndBob(t *testing.T) (*store.DB, tenantRows, tenantRows) {
	t.Helper()
	db := storetest.NewDB(t)
	seedReference(t, db)
	return db, seedTenant(t, db, "alice"), seedTenant(t, db, "bob")
}

// seedReference adds the persona, arc and topic every seeded conversation uses.
func seedReference(t *testing.T, db *store.DB) { seedReferenceArcColumn(t, db, "arc_key") }

// seedReferenceArcColumn is seedReference for a schema whose arc key
// column is arcKey (before migration 00013 it was "key").
func seedReferenceArcColumn(t *testing.T, db *store.DB, arcKey string) {
	t.Helper()
	err := db.Tx(context.Background(), func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), `
			INSERT INTO personas (key, name) VALUES ('p1', 'Persona');
			INSERT INTO emotional_arcs (`+pgx.Identifier{arcKey}.Sanitize()+`, name, tier) VALUES ('a1', 'Arc', 'template');
			INSERT INTO training_topics (key, name) VALUES ('t1', 'Topic');`)
		return err
	})
	if err != nil {
		t.Fatalf("seed reference tables: %v", err)
	}
}

// fingerprint summarises every row of table the user sees: how many and a
// hash of their full contents, so any change to any column shows.
func fingerprint(t *testing.T, db *store.DB, user uuid.UUID, table string) string {
	t.Helper()
	var n int64
	var sum string
	err := db.WithUser(context.Background(), user, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), fmt.Sprintf(
			`SELECT count(*), coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '') FROM %s AS r`,
			pgx.Identifier{table}.Sanitize())).Scan(&n, &sum)
	})
	if err != nil {
		t.Fatalf("fingerprint %s: %v", table, err)
	}
	return fmt.Sprintf("%d rows %s", n, sum)
}

var errRollback = errors.New("rollback")

// asUserRolledBack runs fn as user and always rolls back, so each check
// starts from the same rows.
func asUserRolledBack(t *testing.T, db *store.DB, user uuid.UUID, fn func(ctx context.Context, tx pgx.Tx)) {
	t.Helper()
	err := db.WithUser(context.Background(), user, func(tx pgx.Tx) error {
		fn(context.Background(), tx)
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("transaction: %v", err)
	}
}

// isRLSViolation tells the policy's refusal ("new row violates row-level
// security policy") from any other failure, such as a foreign key.
func isRLSViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "42501" && strings.Contains(pe.Message, "row-level security")
}

// isPermissionDenied is a missing privilege (or a policy refusal).
func isPermissionDenied(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "42501"
}

// TestRowLevelSecurityIsolatesUsers is the adversarial test of the issue: user
// A, acting through the application role with plain SQL and no WHERE clause,
// can neither see, change, delete nor forge any of user B's rows, in any
// per-user table.
func TestRowLevelSecurityIsolatesUsers(t *testing.T) {
	db, a, b := aliceAndBob(t)
	ctx := context.Background()
	// B's job points at B's artifact; A's does not, so that A can later delete
	// its artifacts table by table.
	if err := db.WithUser(ctx, b.user, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE training_jobs SET artifact_id = $1, cloned_from = id WHERE id = $2`, b.artifact, b.job)
		return err
	}); err != nil {
		t.Fatal(err)
	}

	before := map[string]string{}
	for _, tb := range perUserTables {
		before[tb.name] = fingerprint(t, db, b.user, tb.name)
		if want := "1 rows "; before[tb.name][:len(want)] != want {
			t.Fatalf("%s: B should have exactly one row, has %s", tb.name, before[tb.name])
		}
	}

	for _, tb := range perUserTables {
		t.Run(tb.name, func(t *testing.T) {
			table := pgx.Identifier{tb.name}.Sanitize()
			col := pgx.Identifier{tb.updateCol}.Sanitize()
			asUserRolledBack(t, db, a.user, func(ctx context.Context, tx pgx.Tx) {
				// A plain SELECT * returns A's row and nothing else.
				rows, err := tx.Query(ctx, "SELECT * FROM "+table)
				if err != nil {
					t.Fatalf("select: %v", err)
				}
				userCol := -1
				for i, fd := range rows.FieldDescriptions() {
					if fd.Name == "user_id" {
						userCol = i
					}
				}
				if userCol < 0 {
					t.Fatalf("%s has no user_id column", tb.name)
				}
				n := 0
				for rows.Next() {
					vals, err := rows.Values()
					if err != nil {
						t.Fatalf("select: %v", err)
					}
					if got := uuid.UUID(vals[userCol].([16]byte)); got != a.user {
						t.Errorf("SELECT * returned a row of user %s", got)
					}
					n++
				}
				if err := rows.Err(); err != nil {
					t.Fatalf("select: %v", err)
				}
				if n != 1 {
					t.Errorf("SELECT * returned %d rows, want A's 1", n)
				}
				// Even naming B explicitly finds nothing.
				var nb int
				if err := tx.QueryRow(ctx, "SELECT count(*) FROM "+table+" WHERE user_id = $1", b.user).Scan(&nb); err != nil {
					t.Fatal(err)
				}
				if nb != 0 {
					t.Errorf("A counts %d of B's rows", nb)
				}

				// An UPDATE without WHERE touches only A's row.
				tag, err := tx.Exec(ctx, fmt.Sprintf("UPDATE %s SET %s = %s", table, col, col))
				if err != nil {
					t.Fatalf("update: %v", err)
				}
				if tag.RowsAffected() != 1 {
					t.Errorf("UPDATE affected %d rows, want A's 1", tag.RowsAffected())
				}
				tag, err = tx.Exec(ctx, fmt.Sprintf("UPDATE %s SET %s = %s WHERE user_id = $1", table, col, col), b.user)
				if err != nil {
					t.Fatalf("update B: %v", err)
				}
				if tag.RowsAffected() != 0 {
					t.Errorf("UPDATE ... WHERE user_id = B affected %d rows", tag.RowsAffected())
				}
			})

			// A cannot hand its own row over to B.
			asUserRolledBack(t, db, a.user, func(ctx context.Context, tx pgx.Tx) {
				_, err := tx.Exec(ctx, "UPDATE "+table+" SET user_id = $1", b.user)
				if !isRLSViolation(err) {
					t.Errorf("UPDATE SET user_id = B: got %v, want a row-level security violation", err)
				}
			})

			// A cannot forge a row for B, even one that is otherwise valid.
			asUserRolledBack(t, db, a.user, func(ctx context.Context, tx pgx.Tx) {
				args := append([]any{b.user, uuid.New()}, tb.victimArgs(b)...)
				_, err := tx.Exec(ctx, tb.insert, args...)
				if !isRLSViolation(err) {
					t.Errorf("INSERT with user_id = B: got %v, want a row-level security violation", err)
				}
			})
			// The same insert is a valid row for its owner: the refusal above
			// came from the policy, not from a mistake in the statement.
			asUserRolledBack(t, db, b.user, func(ctx context.Context, tx pgx.Tx) {
				if tb.name == "training_file_conversations" {
					// Free the pair, so that the insert is not a no-op.
					if _, err := tx.Exec(ctx, "DELETE FROM training_file_conversations"); err != nil {
						t.Fatal(err)
					}
				}
				args := append([]any{b.user, uuid.New()}, tb.victimArgs(b)...)
				tag, err := tx.Exec(ctx, tb.insert, args...)
				if err != nil || tag.RowsAffected() != 1 {
					t.Errorf("the same INSERT as B: %d rows, %v; want 1 row", tag.RowsAffected(), err)
				}
			})
		})
	}

	// A deletes everything it can, table by table, for real.
	t.Run("delete", func(t *testing.T) {
		err := db.WithUser(ctx, a.user, func(tx pgx.Tx) error {
			for _, tb := range perUserTables {
				table := pgx.Identifier{tb.name}.Sanitize()
				tag, err := tx.Exec(ctx, "DELETE FROM "+table+" WHERE user_id = $1", b.user)
				if err != nil {
					return fmt.Errorf("delete %s where B: %w", tb.name, err)
				}
				if tag.RowsAffected() != 0 {
					t.Errorf("%s: DELETE ... WHERE user_id = B affected %d rows", tb.name, tag.RowsAffected())
				}
				tag, err = tx.Exec(ctx, "DELETE FROM "+table)
				if err != nil {
					return fmt.Errorf("delete %s: %w", tb.name, err)
				}
				if tag.RowsAffected() != 1 {
					t.Errorf("%s: DELETE affected %d rows, want A's 1", tb.name, tag.RowsAffected())
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, tb := range perUserTables {
			if got := fingerprint(t, db, a.user, tb.name); got != "0 rows " {
				t.Errorf("%s: A still has %s", tb.name, got)
			}
		}
	})

	// After all of that, B's rows are exactly as they were.
	for _, tb := range perUserTables {
		if got := fingerprint(t, db, b.user, tb.name); got != before[tb.name] {
			t.Errorf("%s: B's rows changed: before %s, after %s", tb.name, before[tb.name], got)
		}
	}
}

// TestNoUserSeesNothing: a transaction that never set app.user_id (a
// forgotten WithUser) sees no per-user row and can write none.
func TestNoUserSeesNothing(t *testing.T) {
	db := storetest.NewDB(t)
	ctx := context.Background()
	seedReference(t, db)
	b := seedTenant(t, db, "bob")
	for _, tb := range perUserTables {
		table := pgx.Identifier{tb.name}.Sanitize()
		err := db.Tx(ctx, func(tx pgx.Tx) error {
			var n int
			if err := tx.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
				return err
			}
			if n != 0 {
				t.Errorf("%s: a transaction without a user sees %d rows", tb.name, n)
			}
			tag, err := tx.Exec(ctx, "DELETE FROM "+table)
			if err != nil {
				return err
			}
			if tag.RowsAffected() != 0 {
				t.Errorf("%s: a transaction without a user deleted %d rows", tb.name, tag.RowsAffected())
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("%s: %v", tb.name, err)
		}
		err = db.Tx(ctx, func(tx pgx.Tx) error {
			args := append([]any{b.user, uuid.New()}, tb.victimArgs(b)...)
			_, err := tx.Exec(ctx, tb.insert, args...)
			return err
		})
		if !isRLSViolation(err) {
			t.Errorf("%s: INSERT without a user: got %v, want a row-level security violation", tb.name, err)
		}
	}
	// The setting is transaction-local: once B's transaction has committed,
	// the same connection sees nothing again.
	conn, err := db.Pool().Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	var during, after int
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('app.user_id', $1, true)", b.user.String()); err != nil {
			return err
		}
		return tx.QueryRow(ctx, "SELECT count(*) FROM notifications").Scan(&during)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM notifications").Scan(&after); err != nil {
		t.Fatal(err)
	}
	if during != 1 || after != 0 {
		t.Errorf("B's notifications: %d inside B's transaction (want 1), %d after it on the same connection (want 0)", during, after)
	}
}

// TestAppRoleIsPowerless: row-level security means nothing to a superuser, a
// BYPASSRLS role or a table owner, so the application's role must be none
// of them.
func TestAppRoleIsPowerless(t *testing.T) {
	db := storetest.NewDB(t)
	ctx := context.Background()
	var role string
	var super, bypass bool
	err := db.Pool().QueryRow(ctx,
		`SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`).Scan(&role, &super, &bypass)
	if err != nil {
		t.Fatal(err)
	}
	if role != store.AppRole {
		t.Errorf("the pool works as %q, want %q", role, store.AppRole)
	}
	if super || bypass {
		t.Errorf("%s: rolsuper=%v rolbypassrls=%v, want both false", role, super, bypass)
	}
	rows, err := db.Pool().Query(ctx,
		`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user`)
	if err != nil {
		t.Fatal(err)
	}
	owned, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if len(owned) > 0 {
		t.Errorf("%s owns tables %v; row-level security would not bind it", role, owned)
	}
	// And it may not change the schema version behind the migrator's back.
	_, err = db.Pool().Exec(ctx, `DELETE FROM goose_db_version`)
	if !isPermissionDenied(err) {
		t.Errorf("DELETE FROM goose_db_version as %s: got %v, want permission denied", role, err)
	}
}

// TestEveryUserTableHasRLS guards the future: any table in public with a
// user_id column must have row-level security enabled and forced, a policy,
// and a place in perUserTables (so the adversarial test covers it), unless
// it is one of the deliberate global tables.
func TestEveryUserTableHasRLS(t *testing.T) {
	db := storetest.NewDB(t)
	ctx := context.Background()
	rows, err := db.Pool().Query(ctx, `
		SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
		       (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid)
		FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'user_id' AND NOT a.attisdropped
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
		ORDER BY c.relname`)
	if err != nil {
		t.Fatal(err)
	}
	type rel struct {
		name       string
		rls, force bool
		policies   int
	}
	rels, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (rel, error) {
		var x rel
		err := r.Scan(&x.name, &x.rls, &x.force, &x.policies)
		return x, err
	})
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, tb := range perUserTables {
		covered[tb.name] = true
	}
	seen := map[string]bool{}
	for _, r := range rels {
		seen[r.name] = true
		if _, ok := globalTablesWithUserID[r.name]; ok {
			continue
		}
		if !r.rls || !r.force {
			t.Errorf("table %s has user_id but row security enabled=%v forced=%v; both must be on", r.name, r.rls, r.force)
		}
		if r.policies == 0 {
			t.Errorf("table %s has row security but no policy", r.name)
		}
		if !covered[r.name] {
			t.Errorf("table %s has user_id but is not in perUserTables of rls_test.go; add it so the adversarial test covers it", r.name)
		}
	}
	for name := range covered {
		if !seen[name] {
			t.Errorf("perUserTables lists %s, which has no user_id column in the schema", name)
		}
	}
}
