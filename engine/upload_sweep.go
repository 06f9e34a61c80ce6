package engine

import (
	"context"
	"fmt"
	"time"

	"brightrun/model"
	"brightrun/store"
)

// An uploading dataset waits until its deadline (upload_expires_at): a
// client upload's deadline moves ahead while its client sends, an upload
// URL's is the URL's expiry plus a grace. Past it, the sweep ends the row in
// error with a message saying what happened and removes whatever the upload
// left in storage. An upload-url dataset whose file did arrive but was never
// confirmed is validated instead: the file is there, only the confirm is
// missing.

// sweepExpiredUploads ends every user's uploads past their deadline and
// says how many it ended and how many it confirmed.
func (e *Engine) sweepExpiredUploads(ctx context.Context) (expired, confirmed int, err error) {
	users, err := e.db.UserIDs(ctx)
	if err != nil {
		return 0, 0, err
	}
	for _, u := range users {
		s := e.Session(model.User{ID: u})
		var list []store.ExpiredUpload
		err := e.db.WithUser(ctx, u, func(tx store.Tx) error {
			var err error
			list, err = store.ExpiredUploads(ctx, tx)
			return err
		})
		if err != nil {
			return expired, confirmed, err
		}
		for _, x := range list {
			ended, validated, err := s.expireUpload(ctx, x)
			if err != nil {
				return expired, confirmed, fmt.Errorf("dataset %s: %w", x.ID, err)
			}
			if ended {
				expired++
			}
			if validated {
				confirmed++
			}
		}
	}
	return expired, confirmed, nil
}

// expireUpload ends one upload past its deadline, or validates an
// upload-url dataset whose file arrived.
func (s *Session) expireUpload(ctx context.Context, x store.ExpiredUpload) (ended, validated bool, err error) {
	if x.Via == model.UploadViaURL {
		_, exists, err := s.e.objects.HeadObject(ctx, x.Bucket, x.StoragePath)
		if err != nil {
			return false, false, err
		}
		if exists {
			if _, err := s.ConfirmDataset(ctx, x.ID); err != nil {
				s.e.log.Warn("storage sweep: confirm an upload-url dataset whose file arrived", "dataset", x.ID, "err", err)
				return false, false, nil
			}
			s.e.log.Info("storage sweep: validating an upload-url dataset whose file arrived unconfirmed", "dataset", x.ID)
			return false, true, nil
		}
	}
	reason := expiryReason(x, s.e.cfg.Sweep.withDefaults().UploadTimeout)
	ok, err := asUser(ctx, s, func(tx store.Tx) (bool, error) { return store.ExpireDatasetUpload(ctx, tx, x.ID, reason) })
	if err != nil || !ok {
		return false, false, err // !ok: its client renewed or finished it meanwhile
	}
	if _, err := s.e.objects.AbortUploads(ctx, x.Bucket, x.StoragePath, time.Time{}); err != nil {
		return true, false, err
	}
	if err := s.e.objects.DeleteObject(ctx, x.Bucket, x.StoragePath); err != nil {
		return true, false, err
	}
	s.e.log.Info("storage sweep: ended an upload past its deadline", "dataset", x.ID, "via", x.Via, "deadline", x.ExpiresAt)
	return true, false, nil
}

// expiryReason is the error message an expired upload's dataset keeps.
func expiryReason(x store.ExpiredUpload, timeout time.Duration) string {
	at := x.ExpiresAt.UTC().Format(time.RFC3339)
	switch x.Via {
	case model.UploadViaURL:
		return fmt.Sprintf("upload expired: no file was PUT to the upload URL before it expired (%s); make a new one with `dataset upload-url`",
			x.ExpiresAt.Add(-model.UploadURLGrace).UTC().Format(time.RFC3339))
	case model.UploadViaClient:
		return fmt.Sprintf("upload expired: the client sending the file stopped (no sign of it for %s, deadline %s); nothing was kept, upload the file again", timeout, at)
	default:
		return fmt.Sprintf("upload expired: the file did not arrive by %s; nothing was kept, upload it again", at)
	}
}
