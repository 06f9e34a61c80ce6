package engine_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"brightrun/engine"
	"brightrun/engine/enginetest"
	"brightrun/model"
	"brightrun/store"
	"brightrun/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// newEngine is an engine over a fresh test database, for tests that do
// not look at the database itself.
func newEngine(t *testing.T) *engine.Engine {
	t.Helper()
	e, _ := enginetest.NewJobEngine(t)
	return e
}

func TestStatusReportsBothServers(t *testing.T) {
	e := newEngine(t)
	ctx := context.Background()
	u, err := e.EnsureUser(ctx, "ada")
	if err != nil {
		t.Fatal(err)
	}
	st := e.Session(u).Status(ctx)
	if !st.Postgres.OK || st.Postgres.Version == "" {
		t.Errorf("postgres: %+v", st.Postgres)
	}
	if !st.S3.OK || st.S3.Endpoint == "" {
		t.Errorf("s3: %+v", st.S3)
	}
	if st.User != "ada" || st.Mode != engine.ModeLocal {
		t.Errorf("user %q mode %q", st.User, st.Mode)
	}
	if _, ok := st.Counts["notifications"]; !ok {
		t.Errorf("counts lack notifications: %v", st.Counts)
	}
}

func TestSessionNotificationsAreTheOperatorsOwn(t *testing.T) {
	e := newEngine(t)
	ctx := context.Background()
	ada, _ := e.EnsureUser(ctx, "ada")
	bob, _ := e.EnsureUser(ctx, "bob")
	a, b := e.Session(ada), e.Session(bob)
	for _, title := range []string{"first", "second"} {
		if _, err := a.Notify(ctx, model.Notification{Type: "job_queued", Title: title, Message: "m"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Notify(ctx, model.Notification{Type: "job_queued", Title: "bob's", Message: "m"}); err != nil {
		t.Fatal(err)
	}
	list, err := a.Notifications(ctx, 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Title != "second" || list[0].Priority != model.PriorityLow {
		t.Fatalf("ada's notifications: %+v", list)
	}
	// Bob cannot mark Ada's notification read: to him it does not exist.
	if err := b.MarkNotificationRead(ctx, list[0].ID); !errors.Is(err, engine.ErrNotFound) {
		t.Fatalf("bob marking ada's notification: err = %v, want ErrNotFound", err)
	}
	if err := a.MarkNotificationRead(ctx, list[0].ID); err != nil {
		t.Fatal(err)
	}
	n, err := a.MarkAllNotificationsRead(ctx)
	if err != nil || n != 1 {
		t.Fatalf("mark all: n=%d err=%v, want 1", n, err)
	}
	bl, _ := b.Notifications(ctx, 50)
	if len(bl) != 1 || bl[0].Read {
		t.Fatalf("bob's notifications changed: %+v", bl)
	}
}

func TestCatalogOverrideFromDataDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, engine.CatalogFile), []byte(`{"gpus":[{"type":"L4","name":"NVIDIA L4","hourly_rate":0.8,"tokens_per_sec":600,"memory_gb":24}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	c, src, err := engine.LoadCatalog(dir)
	if err != nil {
		t.Fatal(err)
	}
	if src != filepath.Join(dir, engine.CatalogFile) || len(c.GPUs) != 1 || c.GPUs[0].Type != "L4" {
		t.Fatalf("catalog %+v from %s", c, src)
	}
	if err := os.WriteFile(filepath.Join(dir, engine.CatalogFile), []byte(`{"gpus":[{"type":"L4","hourly_rate":0}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := engine.LoadCatalog(dir); err == nil {
		t.Fatal("a broken override was accepted")
	}
}

func TestLoadConfig(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		name    string
		flag    string
		vars    map[string]string
		mode    string
		dataDir string
		s3      store.S3Config
		wantErr bool
	}{
		{name: "flag wins", flag: "/d/flag", vars: map[string]string{"BRIGHTRUN_DATA_DIR": "/d/env"}, mode: engine.ModeLocal, dataDir: "/d/flag"},
		{name: "env", vars: map[string]string{"BRIGHTRUN_DATA_DIR": "/d/env"}, mode: engine.ModeLocal, dataDir: "/d/env"},
		{name: "xdg", vars: map[string]string{"XDG_DATA_HOME": "/x"}, mode: engine.ModeLocal, dataDir: "/x/brightrun"},
		{name: "home", vars: map[string]string{"HOME": "/h"}, mode: engine.ModeLocal, dataDir: "/h/.local/share/brightrun"},
		{name: "shared", vars: map[string]string{"HOME": "/h", "DATABASE_URL": "postgres://x", "AWS_ENDPOINT_URL_S3": "http://minio:9000", "AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s"},
			mode: engine.ModeShared, dataDir: "/h/.local/share/brightrun",
			s3: store.S3Config{Endpoint: "http://minio:9000", Region: "eu-west-1", AccessKey: "k", SecretKey: "s", PathStyle: true}},
		{name: "aws virtual host", vars: map[string]string{"HOME": "/h", "DATABASE_URL": "postgres://x", "AWS_REGION": "us-east-2"},
			mode: engine.ModeShared, dataDir: "/h/.local/share/brightrun", s3: store.S3Config{Region: "us-east-2"}},
		{name: "path style flag", vars: map[string]string{"HOME": "/h", "DATABASE_URL": "postgres://x", "BRIGHTRUN_S3_PATH_STYLE": "maybe"}, wantErr: true},
		{name: "half keys", vars: map[string]string{"HOME": "/h", "DATABASE_URL": "postgres://x", "AWS_ACCESS_KEY_ID": "k"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := engine.LoadConfig(tt.flag, env(tt.vars))
			if tt.wantErr {
				if err == nil {
					t.Fatalf("no error for %v", tt.vars)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Mode != tt.mode || c.DataDir != tt.dataDir || c.S3 != tt.s3 {
				t.Fatalf("got %+v", c)
			}
		})
	}
}
