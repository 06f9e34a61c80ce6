package store

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Large files go up as multipart uploads, several parts in flight, so a
// 500 MiB dataset neither sits in memory nor crawls; a failed or cancelled
// upload aborts the multipart upload so no parts linger on the server. The
// abort runs on a fresh context: the caller's is usually the one that was
// cancelled (ctrl+c), and an abort sent on it never leaves the process.

// CleanupTimeout bounds clean-up after a failed or cancelled operation
// (aborting a multipart upload, deleting an object no row points at). It
// runs on a fresh context so a cancelled caller still cleans up.
const CleanupTimeout = 30 * time.Second

// CleanupContext is a fresh context for clean-up, bounded by CleanupTimeout
// and keeping ctx's values but not its cancellation.
func CleanupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), CleanupTimeout)
}

// UploadPartSize is the multipart part size.
const UploadPartSize = 16 << 20

// StreamPartSize is the part size of an upload of unknown length.
const StreamPartSize = 8 << 20

// progressListener forwards the transfer manager's byte counts.
type progressListener struct{ fn func(sent, total int64) }

func (p progressListener) OnObjectBytesTransferred(_ context.Context, e *transfermanager.ObjectBytesTransferredEvent) {
	p.fn(e.BytesTransferred, e.TotalBytes)
}

// Upload streams body (size bytes; -1 when unknown, the parts then read
// from body as they come) to bucket/key (logical bucket name), reporting
// progress as bytes are sent.
func (o *Objects) Upload(ctx context.Context, bucket, key string, body io.Reader, size int64, progress func(sent, total int64)) error {
	var length *int64
	partSize, concurrency := int64(UploadPartSize), 4
	if size >= 0 {
		length = aws.Int64(size)
	} else {
		// Each part in flight is a buffer of a stream's bytes: fewer and
		// smaller ones keep a stream's memory small (8 MiB parts still
		// reach 78 GiB within S3's 10,000).
		partSize, concurrency = StreamPartSize, 2
	}
	tm := transfermanager.New(o.client, func(opt *transfermanager.Options) {
		opt.PartSizeBytes = partSize
		opt.Concurrency = concurrency
		opt.FailTimeout = CleanupTimeout
		if progress != nil {
			opt.ObjectProgressListeners.Register(progressListener{fn: progress})
		}
	})
	_, err := tm.UploadObject(ctx, &transfermanager.UploadObjectInput{
		Bucket:        aws.String(o.Bucket(bucket)),
		Key:           aws.String(key),
		Body:          body,
		ContentLength: length,
		ContentType:   aws.String("application/jsonl"),
	})
	if err != nil {
		// The transfer manager aborts its own upload, but an abort that
		// failed (or a part that landed after it) would leave parts behind:
		// make sure none is left for this key.
		cctx, cancel := CleanupContext(ctx)
		defer cancel()
		if _, aerr := o.AbortUploads(cctx, bucket, key, time.Time{}); aerr != nil {
			return fmt.Errorf("upload %s/%s: %w (and aborting it failed: %v)", bucket, key, conciseS3Error(err), aerr)
		}
		return fmt.Errorf("upload %s/%s: %w", bucket, key, conciseS3Error(err))
	}
	return nil
}

// AbortUploads aborts the multipart uploads in progress for key that were
// started before the cutoff (the zero time: all of them), and says how many
// it aborted.
func (o *Objects) AbortUploads(ctx context.Context, bucket, key string, before time.Time) (int, error) {
	ups, err := o.ListUploads(ctx, bucket, key)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, u := range ups {
		if u.Key != key || (!before.IsZero() && !u.Initiated.Before(before)) {
			continue
		}
		if err := o.AbortUpload(ctx, bucket, u); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// PresignPut makes a URL anyone holding it can PUT one object to, for expiry.
func (o *Objects) PresignPut(ctx context.Context, bucket, key string, expiry time.Duration) (string, error) {
	ps := s3.NewPresignClient(o.client)
	req, err := ps.PresignPutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(o.Bucket(bucket)),
		Key:    aws.String(key),
	}, s3.WithPresignExpires(expiry))
	if err != nil {
		return "", fmt.Errorf("presign upload of %s/%s: %w", bucket, key, err)
	}
	return req.URL, nil
}

// Copy copies an object server-side (no download and re-upload).
func (o *Objects) Copy(ctx context.Context, srcBucket, srcKey, dstBucket, dstKey string) (int64, error) {
	src := url.PathEscape(o.Bucket(srcBucket)) + "/" + escapeKey(srcKey)
	_, err := o.client.CopyObject(ctx, &s3.CopyObjectInput{
		Bucket:     aws.String(o.Bucket(dstBucket)),
		Key:        aws.String(dstKey),
		CopySource: aws.String(src),
	})
	if err != nil {
		return 0, fmt.Errorf("copy %s/%s to %s/%s: %w", srcBucket, srcKey, dstBucket, dstKey, describeS3Error(err))
	}
	head, err := o.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(o.Bucket(dstBucket)), Key: aws.String(dstKey)})
	if err != nil {
		return 0, fmt.Errorf("copy %s/%s: %w", dstBucket, dstKey, err)
	}
	return aws.ToInt64(head.ContentLength), nil
}

// escapeKey escapes each path segment of a key for a CopySource header.
func escapeKey(key string) string {
	out := make([]byte, 0, len(key))
	seg := []byte{}
	flush := func() {
		out = append(out, url.PathEscape(string(seg))...)
		seg = seg[:0]
	}
	for i := 0; i < len(key); i++ {
		if key[i] == '/' {
			flush()
			out = append(out, '/')
			continue
		}
		seg = append(seg, key[i])
	}
	flush()
	return string(out)
}
