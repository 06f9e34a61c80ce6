package engine

import (
	"context"
	"time"
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
