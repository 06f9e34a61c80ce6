package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// PendingUpload is a multipart upload the server holds parts of, not yet
// completed or aborted.
type PendingUpload struct {
	Key       string
	UploadID  string
	Initiated time.Time
}

// ListUploads lists the multipart uploads in progress in bucket whose keys
// start with prefix ("" for all of them).
func (o *Objects) ListUploads(ctx context.Context, bucket, prefix string) ([]PendingUpload, error) {
	in := &s3.ListMultipartUploadsInput{Bucket: aws.String(o.Bucket(bucket))}
	if prefix != "" {
		in.Prefix = aws.String(prefix)
	}
	var out []PendingUpload
	for {
		page, err := o.client.ListMultipartUploads(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list multipart uploads in %s: %w", bucket, describeS3Error(err))
		}
		for _, u := range page.Uploads {
			out = append(out, PendingUpload{Key: aws.ToString(u.Key), UploadID: aws.ToString(u.UploadId), Initiated: aws.ToTime(u.Initiated)})
		}
		if !aws.ToBool(page.IsTruncated) {
			return out, nil
		}
		next, nextID := aws.ToString(page.NextKeyMarker), aws.ToString(page.NextUploadIdMarker)
		if next == "" && nextID == "" {
			return out, nil
		}
		in.KeyMarker, in.UploadIdMarker = aws.String(next), aws.String(nextID)
	}
}

// AbortUpload aborts one multipart upload, dropping its parts. An upload
// that is already gone (completed or aborted meanwhile) is not an error.
func (o *Objects) AbortUpload(ctx context.Context, bucket string, u PendingUpload) error {
	_, err := o.client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{
		Bucket: aws.String(o.Bucket(bucket)), Key: aws.String(u.Key), UploadId: aws.String(u.UploadID),
	})
	if err != nil {
		var gone *types.NoSuchUpload
		var apiErr smithy.APIError
		if errors.As(err, &gone) || (errors.As(err, &apiErr) && apiErr.ErrorCode() == "NoSuchUpload") {
			return nil
		}
		if err = describeS3Error(err); errors.Is(err, ErrNotFound) {
			return nil
		}
		return fmt.Errorf("abort multipart upload of %s/%s: %w", bucket, u.Key, err)
	}
	return nil
}
