// Package storetest gives each test a fresh, migrated database and its own
// buckets on the one private PostgreSQL cluster and versitygw gateway of the
// test binary: the real servers the zero-config mode runs, never mocks.
//
// A package that uses it calls Main from its TestMain:
//
//	func TestMain(m *testing.M) { storetest.Main(m) }
package storetest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"brightrun/model"
	"brightrun/store"
	"brightrun/store/local"
)

const templateDB = "brightrun_template"

var (
	once     sync.Once
	services *local.Services
	startErr error
	counter  atomic.Int64
)

// Main runs the tests and then stops the shared servers and removes their files.
func Main(m *testing.M) {
	code := m.Run()
	if services != nil {
		services.Stop()
		_ = services.Layout.RemoveAll()
	}
	os.Exit(code)
}

// Services starts (once per test binary) and returns the shared servers.
func Services(t testing.TB) *local.Services {
	t.Helper()
	once.Do(func() { services, startErr = start() })
	if startErr != nil {
		t.Fatalf("start test servers: %v", startErr)
	}
	return services
}

func start() (*local.Services, error) {
	if os.Getenv("BRIGHTRUN_VERSITYGW") == "" {
		bin, err := versitygw()
		if err != nil {
			return nil, err
		}
		os.Setenv("BRIGHTRUN_VERSITYGW", bin)
	}
	dir, err := os.MkdirTemp("", "brightrun-test-")
	if err != nil {
		return nil, err
	}
	layout, err := local.NewLayout(dir)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := local.Start(ctx, layout, local.Options{})
	if err != nil {
		_ = layout.RemoveAll()
		return nil, err
	}
	if err := makeTemplate(ctx, s); err != nil {
		s.Stop()
		_ = layout.RemoveAll()
		return nil, err
	}
	return s, nil
}

func makeTemplate(ctx context.Context, s *local.Services) error {
	conn, err := pgx.Connect(ctx, local.DSN(s.Layout.RunDir, "postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+templateDB); err != nil {
		return fmt.Errorf("create template database: %w", err)
	}
	if _, err := store.Migrate(ctx, local.DSN(s.Layout.RunDir, templateDB), nil); err != nil {
		return fmt.Errorf("migrate template database: %w", err)
	}
	if _, err := store.MigrateRiver(ctx, local.DSN(s.Layout.RunDir, templateDB)); err != nil {
		return fmt.Errorf("migrate template database: %w", err)
	}
	return nil
}

// versitygw finds bin/versitygw at the module root, building it once if missing.
func versitygw() (string, error) {
	if p, err := local.FindVersitygw(); err == nil {
		return p, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("module root not found above %s", dir)
		}
		dir = parent
	}
	bin := filepath.Join(dir, "bin", "versitygw")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	cmd := exec.Command("go", "build", "-o", bin, "github.com/versity/versitygw/cmd/versitygw")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build versitygw: %v: %s", err, out)
	}
	return bin, nil
}

// NewDatabase creates a fresh migrated database for this test and returns
// its owner connection string. It is dropped when the test ends.
func NewDatabase(t testing.TB) string {
	t.Helper()
	s := Services(t)
	name := fmt.Sprintf("t_%d_%d", os.Getpid(), counter.Add(1))
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, local.DSN(s.Layout.RunDir, "postgres"))
	if err != nil {
		t.Fatalf("connect to test cluster: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, templateDB)); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, local.DSN(s.Layout.RunDir, "postgres"))
		if err != nil {
			return
		}
		defer conn.Close(ctx)
		_, _ = conn.Exec(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name))
	})
	return local.DSN(s.Layout.RunDir, name)
}

// NewDB gives the test a fresh migrated database, connected as the
// application role.
func NewDB(t testing.TB) *store.DB {
	t.Helper()
	dsn := NewDatabase(t)
	db, err := store.OpenDB(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(db.Close)
	return db
}

// S3Config returns the gateway's configuration with a bucket prefix of the
// test's own, so tests never see each other's objects.
func S3Config(t testing.TB) store.S3Config {
	t.Helper()
	s := Services(t)
	return store.S3Config{
		Endpoint:     s.Info.S3Endpoint,
		Region:       s.Info.S3Region,
		AccessKey:    s.Info.AccessKey,
		SecretKey:    s.Info.SecretKey,
		PathStyle:    true,
		BucketPrefix: fmt.Sprintf("t%d-%d-", os.Getpid()%100000, counter.Add(1)),
	}
}

// NewObjects gives the test its own buckets on the gateway.
func NewObjects(t testing.TB) *store.Objects {
	t.Helper()
	ctx := context.Background()
	o, err := store.OpenObjects(ctx, S3Config(t))
	if err != nil {
		t.Fatalf("open objects: %v", err)
	}
	if err := o.EnsureBuckets(ctx); err != nil {
		t.Fatalf("create test buckets: %v", err)
	}
	return o
}

// Private starts servers of this test's own (postgres and gateway in a
// new data dir), for tests that restart or break them, and returns them
// with the owner connection string of a migrated database. They stop when
// the test ends.
func Private(t testing.TB) (*local.Services, string) {
	t.Helper()
	Services(t) // sets BRIGHTRUN_VERSITYGW
	dir, err := os.MkdirTemp("", "brightrun-private-")
	if err != nil {
		t.Fatal(err)
	}
	layout, err := local.NewLayout(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := local.Start(ctx, layout, local.Options{})
	if err != nil {
		_ = layout.RemoveAll()
		t.Fatalf("start private servers: %v", err)
	}
	t.Cleanup(func() {
		s.Stop()
		_ = layout.RemoveAll()
	})
	dsn := s.Info.PostgresDSN()
	if _, err := store.Migrate(ctx, dsn, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := store.MigrateRiver(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	return s, dsn
}

// Open connects a pool of its own to dsn (as another process would have
// one), closed when the test ends.
func Open(t testing.TB, dsn string) *store.DB {
	t.Helper()
	db, err := store.OpenDB(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}

// PointFlush is what a worker's first attempt at a job writes for one
// training step: a point (loss 2/step) and the job's progress, as benchmarks
// of the path from a worker's write to a screen need it.
func PointFlush(userID, jobID uuid.UUID, step int) store.RunFlush {
	loss := 2.0 / float64(step)
	return store.RunFlush{UserID: userID, JobID: jobID, Attempt: 1,
		Points: []model.MetricPoint{{Step: step, TrainLoss: &loss}},
		Progress: store.JobProgress{Status: model.JobRunning, Stage: model.StageTraining, Step: step,
			Metrics: map[string]float64{"train_loss": loss}}}
}

// SeedConversations inserts n conversations straight into the table: i
// picks the tier, persona, quality and title so filters have something to
// tell apart: every tenth title says "Budget talk". It takes seconds for
// 100,000, where the import path would take minutes, and analyzed.
func SeedConversations(t testing.TB, db *store.DB, user uuid.UUID, n int) {
	t.Helper()
	ctx := context.Background()
	err := db.UpsertReference(ctx,
		[]model.Persona{{Key: "p0", Name: "Persona 0"}, {Key: "p1", Name: "Persona 1"}, {Key: "p2", Name: "Persona 2"}},
		[]model.EmotionalArc{{Key: "a1", Name: "Arc", Tier: "template"}, {Key: "a2", Name: "Edge", Tier: "edge_case"}},
		[]model.Topic{{Key: "t1", Name: "Topic"}, {Key: "t-unused", Name: "Unused"}})
	if err != nil {
		t.Fatal(err)
	}
	err = db.WithUser(ctx, user, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			INSERT INTO conversations (user_id, conversation_id, title, persona, emotional_arc, training_topic, tier,
				enrichment_status, quality_score, turn_count, pair_count, raw_storage_path, enriched_storage_path, created_at)
			SELECT app_current_user_id(), 'conv-' || lpad(i::text, 6, '0'),
				CASE WHEN i % 10 = 0 THEN 'Budget talk ' || i ELSE 'Chat ' || i END,
				'p' || (i % 3), CASE WHEN i % 4 = 0 THEN 'a2' ELSE 'a1' END, 't1',
				CASE WHEN i % 4 = 0 THEN 'edge_case' ELSE 'template' END,
				CASE WHEN i % 5 = 0 THEN 'not_enriched' ELSE 'completed' END,
				CASE WHEN i % 5 = 0 THEN NULL ELSE (i % 11)::numeric END,
				2 + i % 7, CASE WHEN i % 5 = 0 THEN 0 ELSE 1 + i % 3 END, 'r',
				CASE WHEN i % 5 = 0 THEN NULL ELSE 'e' END,
				timestamptz '2025-01-01' + i * interval '1 minute'
			FROM generate_series(1, $1) AS i`, n)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// As autovacuum would after a big import (the application role does
	// not own the table, so the owner analyzes).
	owner, err := pgx.Connect(ctx, db.OwnerDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(ctx)
	if _, err := owner.Exec(ctx, "ANALYZE conversations"); err != nil {
		t.Fatal(err)
	}
}

// AddUser adds an operator, failing the test if it cannot.
func AddUser(t testing.TB, db *store.DB, name string) model.User {
	t.Helper()
	u, err := db.AddUser(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// NewDBWithUser gives the test a fresh database (NewDB) with one operator
// in it: where most store tests start.
func NewDBWithUser(t testing.TB, name string) (*store.DB, model.User) {
	t.Helper()
	db := NewDB(t)
	return db, AddUser(t, db, name)
}

// NewDBWithUsers gives the test a fresh database (NewDB) with two
// operators in it, for tests of what one may see of the other's rows.
func NewDBWithUsers(t testing.TB, first, second string) (*store.DB, model.User, model.User) {
	t.Helper()
	db, u := NewDBWithUser(t, first)
	return db, u, AddUser(t, db, second)
}
