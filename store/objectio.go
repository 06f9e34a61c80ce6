package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// The helpers below take logical bucket names (BucketConversations, …) and
// apply the prefix themselves, so callers never build real bucket names.

// PutObject stores size bytes from body at key, replacing any object there.
// A replacement is atomic: readers see the old object or the new one, never
// a mix. Over plain HTTP (the local gateway) the SDK signs the payload, so
// body must be an io.ReadSeeker there (a *bytes.Reader or an *os.File).
func (o *Objects) PutObject(ctx context.Context, bucket, key string, body io.Reader, size int64, contentType string) error {
	in := &s3.PutObjectInput{
		Bucket:        aws.String(o.Bucket(bucket)),
		Key:           aws.String(key),
		Body:          body,
		ContentLength: aws.Int64(size),
	}
	if contentType != "" {
		in.ContentType = aws.String(contentType)
	}
	var opts []func(*s3.Options)
	if o.payloadSafeUnsigned() {
		opts = append(opts, unsignedPayload)
	}
	if _, err := o.client.PutObject(ctx, in, opts...); err != nil {
		return fmt.Errorf("put %s/%s: %w", bucket, key, describeS3Error(err))
	}
	return nil
}

// unsignedPayload skips hashing the whole body for the signature (SigV4
// signs the headers only, with UNSIGNED-PAYLOAD); hashing a 200 MB training
// file with SHA-256 first costs half a second. The server still verifies
// the CRC32 checksum the SDK sends.
func unsignedPayload(o *s3.Options) {
	o.APIOptions = append(o.APIOptions, v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware)
}

// payloadSafeUnsigned says whether bodies may go unsigned: over TLS (which
// protects them in transit) or to a gateway on this machine (the local
// zero-config one). Anything else keeps the signed payload.
func (o *Objects) payloadSafeUnsigned() bool {
	if o.cfg.Endpoint == "" {
		return true // AWS itself, over HTTPS
	}
	u, err := url.Parse(o.cfg.Endpoint)
	if err != nil {
		return false
	}
	if u.Scheme == "https" {
		return true
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// GetObject opens the object at key; the caller closes the body. It returns
// the object's size, and ErrNotFound when there is no such object.
func (o *Objects) GetObject(ctx context.Context, bucket, key string) (io.ReadCloser, int64, error) {
	out, err := o.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(o.Bucket(bucket)), Key: aws.String(key)})
	if err != nil {
		return nil, 0, fmt.Errorf("get %s/%s: %w", bucket, key, describeS3Error(err))
	}
	return out.Body, aws.ToInt64(out.ContentLength), nil
}

// ReadObject reads a whole object into memory; for objects known to be small
// enough (conversation files are at most 50 MiB).
func (o *Objects) ReadObject(ctx context.Context, bucket, key string) ([]byte, error) {
	body, size, err := o.GetObject(ctx, bucket, key)
	if err != nil {
		return nil, err
	}
	defer body.Close()
	var buf bytes.Buffer
	buf.Grow(int(max(size, 0)) + bytes.MinRead)
	if _, err := buf.ReadFrom(body); err != nil {
		return nil, fmt.Errorf("read %s/%s: %w", bucket, key, err)
	}
	return buf.Bytes(), nil
}

// HeadObject says whether an object exists at key and how big it is.
func (o *Objects) HeadObject(ctx context.Context, bucket, key string) (size int64, exists bool, err error) {
	out, err := o.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(o.Bucket(bucket)), Key: aws.String(key)})
	if err != nil {
		err = describeS3Error(err)
		if errors.Is(err, ErrNotFound) {
			return 0, false, nil
		}
		return 0, false, fmt.Errorf("head %s/%s: %w", bucket, key, err)
	}
	return aws.ToInt64(out.ContentLength), true, nil
}

// CopyObject copies an object within one bucket on the server, without the
// bytes passing through us.
func (o *Objects) CopyObject(ctx context.Context, bucket, fromKey, toKey string) error {
	b := o.Bucket(bucket)
	_, err := o.client.CopyObject(ctx, &s3.CopyObjectInput{
		Bucket:     aws.String(b),
		Key:        aws.String(toKey),
		CopySource: aws.String(b + "/" + fromKey),
	})
	if err != nil {
		return fmt.Errorf("copy %s/%s to %s: %w", bucket, fromKey, toKey, describeS3Error(err))
	}
	return nil
}

// DeleteObject removes the object at key. Deleting a missing object is not
// an error (S3 semantics), so clean-up code can call it unconditionally.
func (o *Objects) DeleteObject(ctx context.Context, bucket, key string) error {
	_, err := o.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(o.Bucket(bucket)), Key: aws.String(key)})
	if err != nil {
		err = describeS3Error(err)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		return fmt.Errorf("delete %s/%s: %w", bucket, key, err)
	}
	return nil
}

// describeS3Error maps "no such key" answers to ErrNotFound and shortens
// the SDK's long operation errors to the server's code and message.
func describeS3Error(err error) error {
	var nsk *types.NoSuchKey
	var nf *types.NotFound
	if errors.As(err, &nsk) || errors.As(err, &nf) {
		return ErrNotFound
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode() {
		case "NoSuchKey", "NotFound":
			return ErrNotFound
		}
	}
	return conciseS3Error(err)
}
