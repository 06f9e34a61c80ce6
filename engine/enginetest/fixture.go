package enginetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/store"
	"brightrun/store/storetest"
)

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
