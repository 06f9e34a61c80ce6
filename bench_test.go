package main_test

import (
	"context"
	"os"
	"testing"
	"time"

	"brightrun/engine"
	"brightrun/store/local"
	"brightrun/ui/app"
)

// openToReadyModel is what `brightrun` does before the first frame: open the
// engine (attaching to, or starting, the local services; migrating; creating
// buckets), ensure the operator, and build the TUI model.
func openToReadyModel(b *testing.B, dataDir string) *engine.Engine {
	ctx := context.Background()
	cfg, err := engine.LoadConfig(dataDir, func(k string) string {
		if k == "DATABASE_URL" {
			return ""
		}
		return os.Getenv(k)
	})
	if err != nil {
		b.Fatal(err)
	}
	e, err := engine.Open(ctx, cfg, engine.Options{Spawn: local.InProcess(time.Hour, nil)})
	if err != nil {
		b.Fatal(err)
	}
	u, err := e.EnsureUser(ctx, "bench")
	if err != nil {
		b.Fatal(err)
	}
	m := app.New(e.Session(u), app.Options{DataDir: dataDir})
	if m == nil {
		b.Fatal("no model")
	}
	return e
}

func stopServices(b *testing.B, dir string) {
	l, err := local.NewLayout(dir)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := local.StopServices(ctx, l); err != nil {
		b.Fatal(err)
	}
	_ = l.RemoveAll()
}

func benchVersitygw(b *testing.B) {
	if os.Getenv("BRIGHTRUN_VERSITYGW") == "" {
		if p, err := os.Getwd(); err == nil {
			os.Setenv("BRIGHTRUN_VERSITYGW", p+"/bin/versitygw")
		}
	}
}

// BenchmarkColdStart: a new data dir, so initdb, postgres, the gateway,
// every migration and the buckets, up to a ready TUI model.
func BenchmarkColdStart(b *testing.B) {
	benchVersitygw(b)
	for i := 0; i < b.N; i++ {
		dir, err := os.MkdirTemp("", "brightrun-bench-cold-")
		if err != nil {
			b.Fatal(err)
		}
		e := openToReadyModel(b, dir)
		b.StopTimer()
		e.Close()
		stopServices(b, dir)
		b.StartTimer()
	}
}

// BenchmarkWarmStart: the services already run; attach, check migrations and
// buckets, ensure the user, build the TUI model.
func BenchmarkWarmStart(b *testing.B) {
	benchVersitygw(b)
	dir, err := os.MkdirTemp("", "brightrun-bench-warm-")
	if err != nil {
		b.Fatal(err)
	}
	openToReadyModel(b, dir).Close()
	defer stopServices(b, dir)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		openToReadyModel(b, dir).Close()
	}
}
