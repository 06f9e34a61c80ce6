package local_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"brightrun/store/local"
)

// inProcess is a Spawner that runs the services in a goroutine, as the
// background process would. It counts how many times it was asked.
type inProcess struct {
	mu     sync.Mutex
	spawns int
	idle   time.Duration
	done   chan struct{}
}

func (p *inProcess) spawn(ctx context.Context, l local.Layout) (<-chan error, error) {
	p.mu.Lock()
	p.spawns++
	p.mu.Unlock()
	exited := make(chan error, 1)
	go func() {
		s, err := local.Start(context.Background(), l, local.Options{})
		if err != nil {
			local.WriteFailure(l, err)
			exited <- err
			return
		}
		err = local.Serve(context.Background(), s, local.ServeOptions{Idle: p.idle, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		exited <- err
		close(p.done)
	}()
	return exited, nil
}

func needBinaries(t *testing.T) {
	t.Helper()
	if _, err := local.PostgresBinDir(); err != nil {
		t.Fatal(err)
	}
	if _, err := local.FindVersitygw(); err != nil {
		root, _ := filepath.Abs("../../bin/versitygw")
		if _, err := os.Stat(root); err != nil {
			t.Fatalf("versitygw: run make build first: %v", err)
		}
		t.Setenv("BRIGHTRUN_VERSITYGW", root)
	}
}

func newLayout(t *testing.T) local.Layout {
	t.Helper()
	l, err := local.NewLayout(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.RemoveAll() })
	return l
}

func TestConcurrentAttachSharesOneServer(t *testing.T) {
	needBinaries(t)
	l := newLayout(t)
	p := &inProcess{idle: time.Minute, done: make(chan struct{})}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	const n = 4
	var wg sync.WaitGroup
	atts := make([]*local.Attachment, n)
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			atts[i], errs[i] = local.Attach(ctx, l, p.spawn)
		}(i)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("attach %d: %v", i, err)
		}
	}
	if p.spawns != 1 {
		t.Fatalf("services were started %d times, want 1", p.spawns)
	}
	for _, a := range atts[1:] {
		if a.Info.PID != atts[0].Info.PID || a.Info.S3Endpoint != atts[0].Info.S3Endpoint {
			t.Fatalf("attachments disagree: %+v vs %+v", a.Info, atts[0].Info)
		}
	}
	info, err := atts[0].Refresh()
	if err != nil {
		t.Fatal(err)
	}
	if info.Clients != n {
		t.Fatalf("services count %d clients, want %d", info.Clients, n)
	}

	conn, err := pgx.Connect(ctx, atts[0].Info.PostgresDSN())
	if err != nil {
		t.Fatalf("connect over the unix socket: %v", err)
	}
	var tcp string
	if err := conn.QueryRow(ctx, "SHOW listen_addresses").Scan(&tcp); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	if tcp != "" {
		t.Fatalf("postgres listens on %q, want no TCP", tcp)
	}
	st, err := os.Stat(l.CredentialsFile())
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("credentials file mode: %v %v", st.Mode(), err)
	}

	for _, a := range atts {
		a.Close()
	}
	stopped, err := local.StopServices(ctx, l)
	if err != nil || !stopped {
		t.Fatalf("stop: %v %v", stopped, err)
	}
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		t.Fatal("services did not stop")
	}
	if _, err := local.Dial(l); err == nil {
		t.Fatal("control socket still answers after stop")
	}
}

func TestIdleShutdownAfterLastDetach(t *testing.T) {
	needBinaries(t)
	l := newLayout(t)
	p := &inProcess{idle: 300 * time.Millisecond, done: make(chan struct{})}
	ctx := context.Background()
	a, err := local.Attach(ctx, l, p.spawn)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(600 * time.Millisecond)
	probe, err := local.Dial(l)
	if err != nil {
		t.Fatalf("services stopped while a process was attached: %v", err)
	}
	probe.Close()
	a.Close()
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		t.Fatal("services still running after the last process detached")
	}
	// A second start reuses the cluster made by the first (no second initdb).
	p2 := &inProcess{idle: time.Minute, done: make(chan struct{})}
	a2, err := local.Attach(ctx, l, p2.spawn)
	if err != nil {
		t.Fatalf("restart: %v", err)
	}
	a2.Close()
	if _, err := local.StopServices(ctx, l); err != nil {
		t.Fatal(err)
	}
	<-p2.done
}

func TestMissingInitdbSaysWhatToInstall(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	orig := local.PostgresSearchDirs
	local.PostgresSearchDirs = filepath.Join(t.TempDir(), "*", "bin")
	defer func() { local.PostgresSearchDirs = orig }()
	_, err := local.PostgresBinDir()
	if !errors.Is(err, local.ErrNoPostgres) {
		t.Fatalf("err = %v, want ErrNoPostgres", err)
	}
	if want := "apt-get install -y postgresql"; !contains(err.Error(), want) {
		t.Fatalf("message %q does not say %q", err, want)
	}
}

func TestUnwritableDataDir(t *testing.T) {
	if os.Geteuid() == 0 {
		// root writes anywhere; use a path under a regular file instead.
		f := filepath.Join(t.TempDir(), "file")
		os.WriteFile(f, nil, 0o600)
		l, _ := local.NewLayout(filepath.Join(f, "data"))
		_, err := local.Start(context.Background(), l, local.Options{})
		if err == nil || !contains(err.Error(), "cannot be created") {
			t.Fatalf("err = %v", err)
		}
		return
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o500)
	defer os.Chmod(dir, 0o700)
	l, _ := local.NewLayout(filepath.Join(dir, "data"))
	_, err := local.Start(context.Background(), l, local.Options{})
	if err == nil {
		t.Fatal("start in an unwritable dir succeeded")
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
