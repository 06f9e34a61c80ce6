package engine

import (
	"context"
	"time"

	"brightrun/store"
)

// Status asks both servers how they are. It never fails: a server that does
// not answer is reported as not OK with the reason.
func (e *Engine) Status(ctx context.Context) Status {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	st := Status{Mode: e.cfg.Mode, DataDir: e.cfg.DataDir, Counts: map[string]int64{}}
	if v, err := e.db.Version(ctx); err != nil {
		st.Postgres.Error = err.Error()
	} else {
		st.Postgres = ServiceState{OK: true, Version: v}
	}
	st.S3.Endpoint = e.objects.Endpoint()
	st.S3.PortChangedFrom, st.S3.Note = e.s3PortChangedFrom, e.S3PortNotice()
	if err := e.objects.Ping(ctx); err != nil {
		st.S3.Error = err.Error()
	} else {
		st.S3.OK = true
	}
	return st
}

// ProbeStatus asks the servers of a shared installation (DATABASE_URL and
// S3) how they are without opening the engine, for `status` when opening
// failed: it shows which server is down, and why, instead of only failing.
func ProbeStatus(ctx context.Context, cfg Config) Status {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	st := Status{Mode: cfg.Mode, DataDir: cfg.DataDir, Counts: map[string]int64{}}
	if v, err := store.ServerVersion(ctx, cfg.DatabaseURL); err != nil {
		st.Postgres.Error = err.Error()
	} else {
		st.Postgres = ServiceState{OK: true, Version: v}
	}
	st.S3.Endpoint = cfg.S3.Endpoint
	objects, err := store.OpenObjects(ctx, cfg.S3)
	if err == nil {
		st.S3.Endpoint = objects.Endpoint()
		err = objects.Ping(ctx)
	}
	if err != nil {
		st.S3.Error = err.Error()
	} else {
		st.S3.OK = true
	}
	return st
}
