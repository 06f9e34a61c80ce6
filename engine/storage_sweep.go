package engine

import (
	"context"
	"errors"
	"time"

	"brightrun/store"
)

// Interrupted work can leave bytes in object storage that no row claims: a
// process killed between storing an object and committing its row, or the
// parts of a multipart upload nobody completed (on AWS, parts are billed).
// A storage sweep, run by the services when they start and by every worker
// at its interval, aborts multipart uploads and deletes unreferenced
// objects older than the safe age, and ends uploads past their deadline
// (upload_sweep.go). What it removed is logged as "storage sweep".

// SweepReport counts what one sweep removed.
type SweepReport struct {
	AbortedUploads int   // multipart uploads older than the safe age
	Orphans        int   // objects no row refers to, older than the safe age
	OrphanBytes    int64 // their size
	ExpiredUploads int   // uploading datasets ended past their deadline
	Confirmed      int   // upload-url datasets whose file came but was not confirmed
}

// SweepStorage runs one whole sweep now.
func (e *Engine) SweepStorage(ctx context.Context) (SweepReport, error) {
	var rep SweepReport
	var errs []error
	var err error
	rep.ExpiredUploads, rep.Confirmed, err = e.sweepExpiredUploads(ctx)
	errs = append(errs, err)
	cutoff := time.Now().Add(-e.cfg.Sweep.withDefaults().SafeAge)
	rep.AbortedUploads, err = e.sweepStaleMultipart(ctx, cutoff)
	errs = append(errs, err)
	rep.Orphans, rep.OrphanBytes, err = e.sweepOrphans(ctx, cutoff)
	errs = append(errs, err)
	e.log.Info("storage sweep", "aborted_uploads", rep.AbortedUploads, "orphans", rep.Orphans, "orphan_bytes", rep.OrphanBytes,
		"expired_uploads", rep.ExpiredUploads, "confirmed_uploads", rep.Confirmed, "safe_age", e.cfg.Sweep.withDefaults().SafeAge)
	return rep, errors.Join(errs...)
}

// sweepStaleMultipart aborts the multipart uploads started before cutoff.
func (e *Engine) sweepStaleMultipart(ctx context.Context, cutoff time.Time) (int, error) {
	n := 0
	for _, b := range store.Buckets {
		ups, err := e.objects.ListUploads(ctx, b, "")
		if err != nil {
			return n, err
		}
		for _, u := range store.StaleUploads(ups, cutoff) {
			if err := e.objects.AbortUpload(ctx, b, u); err != nil {
				return n, err
			}
			e.log.Info("storage sweep: aborted a stale multipart upload", "bucket", b, "key", u.Key, "initiated", u.Initiated)
			n++
		}
	}
	return n, nil
}

// sweepOrphans deletes the objects written before cutoff that no row
// refers to. The buckets are listed before the references are read, so a
// row committed meanwhile is seen.
func (e *Engine) sweepOrphans(ctx context.Context, cutoff time.Time) (int, int64, error) {
	old := map[string][]store.StoredObject{}
	for _, b := range store.Buckets {
		objs, err := e.objects.ListObjectsBefore(ctx, b, cutoff)
		if err != nil {
			return 0, 0, err
		}
		old[b] = objs
	}
	users, err := e.db.UserIDs(ctx)
	if err != nil {
		return 0, 0, err
	}
	if len(users) == 0 {
		// A database without users next to buckets with objects is more
		// likely the wrong database than a store of orphans.
		return 0, 0, nil
	}
	refs, err := e.db.ObjectReferences(ctx, users)
	if err != nil {
		return 0, 0, err
	}
	n, size := 0, int64(0)
	for _, b := range store.Buckets {
		for _, obj := range store.Orphans(old[b], refs[b], cutoff) {
			if err := e.objects.DeleteObject(ctx, b, obj.Key); err != nil {
				return n, size, err
			}
			e.log.Info("storage sweep: deleted an object no row refers to", "bucket", b, "key", obj.Key, "size", obj.Size,
				"last_modified", obj.LastModified)
			n++
			size += obj.Size
		}
	}
	return n, size, nil
}
