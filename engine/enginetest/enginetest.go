// Package enginetest holds the helpers that tests of engine and of
// engine/worker share: an engine over a fresh test database, datasets in a
// given state, a running worker, and waits on jobs and datasets.
package enginetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/store"
	"brightrun/store/storetest"
)

// FastSim is a WorkerOptions.SimSpeed that plays a simulated job in well
// under a second.
const FastSim = 1e7

// NewJobEngine is an engine over a fresh test database and bucket set; it
// also hands back the database, so tests can look at River's table and
// shape datasets directly.
func NewJobEngine(t testing.TB) (*engine.Engine, *store.DB) {
	t.Helper()
	db := storetest.NewDB(t)
	return Over(t, db), db
}

// Over is a local engine over db with a bucket set of its own. A second
// engine over a test's database is what another process would be: its
// own listener, its own subscriptions.
func Over(t testing.TB, db *store.DB) *engine.Engine {
	t.Helper()
	return New(t, engine.Config{Mode: engine.ModeLocal, DataDir: t.TempDir()}, db, storetest.NewObjects(t))
}

// New is engine.New with the built-in model catalog.
func New(t testing.TB, cfg engine.Config, db *store.DB, objects *store.Objects) *engine.Engine {
	t.Helper()
	catalog, _, err := engine.LoadCatalog("")
	if err != nil {
		t.Fatal(err)
	}
	return engine.New(cfg, db, objects, catalog, nil)
}

// WorkerAndScreen is two local engines over the database at dsn, each with
// its own pool and LISTEN connection, as the worker inside `brightrun
// services` and a TUI (or `brightrun serve`) are two processes; db is the
// worker's pool. Both close when the test ends.
func WorkerAndScreen(t testing.TB, dsn string) (worker *engine.Engine, db *store.DB, screen *engine.Engine) {
	t.Helper()
	objects := storetest.NewObjects(t)
	cfg := engine.Config{Mode: engine.ModeLocal, DataDir: t.TempDir()}
	db = storetest.Open(t, dsn)
	worker = New(t, cfg, db, objects)
	t.Cleanup(worker.Close)
	screen = New(t, cfg, storetest.Open(t, dsn), objects)
	t.Cleanup(screen.Close)
	return worker, db, screen
}

// StartWorker starts a worker on e, stopped when the test ends.
func StartWorker(t testing.TB, e *engine.Engine, o engine.WorkerOptions) *engine.Worker {
	t.Helper()
	w, err := e.StartWorker(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Stop(10 * time.Second) })
	return w
}

// WaitJob watches a job until it ends, and returns it with every status
// it was seen in.
func WaitJob(t testing.TB, s *engine.Session, id uuid.UUID, limit time.Duration) (model.Job, []model.JobStatus) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	var seen []model.JobStatus
	j, err := s.WatchJob(ctx, id, func(j model.Job) error {
		if len(seen) == 0 || seen[len(seen)-1] != j.Status {
			seen = append(seen, j.Status)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("watch job: %v (status %s, stage %s; seen %v)", err, j.Status, j.CurrentStage, seen)
	}
	return j, seen
}

// WaitStatus waits until a job is in one of the statuses.
func WaitStatus(t testing.TB, s *engine.Session, id uuid.UUID, want ...model.JobStatus) model.Job {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	errFound := errors.New("found")
	var got model.Job
	_, err := s.WatchJob(ctx, id, func(j model.Job) error {
		got = j
		for _, st := range want {
			if j.Status == st {
				return errFound
			}
		}
		return nil
	})
	if !errors.Is(err, errFound) {
		t.Fatalf("job never reached %v: %v (status %s)", want, err, got.Status)
	}
	return got
}

// ChatFile writes n valid chat examples (and bad lines where asked) to a
// file, and returns its path.
func ChatFile(t testing.TB, n int, bad ...string) string {
	t.Helper()
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `{"messages":[{"role":"system","content":"You are a careful financial coach."},{"role":"user","content":"Question %d: how big should my emergency fund be?"},{"role":"assistant","content":"Aim for three to six months of essential expenses; answer %d."}]}`+"\n", i, i)
	}
	for _, l := range bad {
		b.WriteString(l + "\n")
	}
	p := filepath.Join(t.TempDir(), "data.jsonl")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// PutFile uploads the file at path to a presigned upload URL as a machine
// without Brightrun's keys would, and returns its size.
func PutFile(t testing.TB, url, path string) int64 {
	t.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPut, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PUT to presigned URL: %s", resp.Status)
	}
	return int64(len(body))
}

// WaitDataset waits until the dataset's validation ends.
func WaitDataset(t testing.TB, s *engine.Session, d model.Dataset) model.Dataset {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d, err := s.WaitForDataset(ctx, d.ID)
	if err != nil {
		t.Fatalf("wait for dataset: %v (status %s)", err, d.Status)
	}
	return d
}

// Operator is an engine over a fresh test database (as NewJobEngine) with
// one operator, name, signed in: where most job tests start.
func Operator(t testing.TB, name string) (*engine.Engine, *store.DB, model.User, *engine.Session) {
	t.Helper()
	e, db := NewJobEngine(t)
	u, err := e.EnsureUser(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return e, db, u, e.Session(u)
}

// ReadyJob queues a job of the session's operator on a fresh
// training-ready dataset "cash" of pairs pairs, written straight into the
// table; req says the rest (its DatasetID is set here).
func ReadyJob(t testing.TB, db *store.DB, s *engine.Session, pairs int, req engine.JobRequest) model.Job {
	t.Helper()
	d := storetest.DatasetRow(t, db, s.User().ID, "cash", model.DatasetReady, true, pairs)
	req.DatasetID = d.ID
	job, err := s.CreateJob(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return job
}

// MatchesRecord reports whether b are the bytes an artifact file's record
// describes: its size and its SHA-256.
func MatchesRecord(f model.ArtifactFile, b []byte) bool {
	d := model.NewFileDigest()
	d.Write(b)
	return d.File(f.Name) == f
}

// Main runs a package's tests with the test servers (storetest.Main), for
// packages that reach the store only through this one (the UI's).
func Main(m *testing.M) { storetest.Main(m) }

// Fixture is one operator's session on a real engine over a fresh test
// database, seeded with the demo data, with the few ways to shape rows
// that tests need and the engine does not offer.
type Fixture struct {
	Session *engine.Session
	User    model.User
	db      *store.DB
}

// NewDemoFixture opens the fixture for the operator name and seeds the demo.
func NewDemoFixture(t testing.TB, name string) Fixture {
	t.Helper()
	_, db, u, s := Operator(t, name)
	if _, err := s.SeedDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	return Fixture{Session: s, User: u, db: db}
}

// SetConversationIdentities gives the conversations the ids and import
// times of rows (matched by conversation_id).
func (f Fixture) SetConversationIdentities(t testing.TB, rows []model.Conversation) {
	storetest.SetConversationIdentities(t, f.db, f.User.ID, rows)
}

// ReadyDataset is a ready, training-ready chat dataset of pairs pairs,
// without a file.
func (f Fixture) ReadyDataset(t testing.TB, name string, pairs int) model.Dataset {
	return storetest.DatasetRow(t, f.db, f.User.ID, name, model.DatasetReady, true, pairs)
}

// SetJobStatus puts a job in status, created age ago.
func (f Fixture) SetJobStatus(t testing.TB, id uuid.UUID, status model.JobStatus, age time.Duration) {
	storetest.SetJobStatus(t, f.db, f.User.ID, id, status, age)
}
