package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go/logging"
)

// The buckets Brightrun keeps its objects in (names before any prefix).
const (
	BucketConversations  = "conversation-files"
	BucketTrainingFiles  = "training-files"
	BucketDatasets       = "lora-datasets"
	BucketModelArtifacts = "model-artifacts"
)

// Buckets lists every bucket the application needs.
var Buckets = []string{BucketConversations, BucketTrainingFiles, BucketDatasets, BucketModelArtifacts}

// S3Config says how to reach object storage. Empty keys mean the standard
// AWS credential chain (environment, shared config, instance role).
type S3Config struct {
	Endpoint  string
	Region    string
	AccessKey string
	SecretKey string
	PathStyle bool
	// BucketPrefix is put before every bucket name, so several installations
	// (or tests) can share one S3 account.
	BucketPrefix string
}

// Objects is the object store.
type Objects struct {
	client *s3.Client
	cfg    S3Config
}

// OpenObjects builds an S3 client. It does not contact the server.
func OpenObjects(ctx context.Context, c S3Config) (*Objects, error) {
	// The SDK's own warnings go to the process's log, never to stderr (its
	// default), where they would break the one-line error contract.
	opts := []func(*awsconfig.LoadOptions) error{awsconfig.WithLogger(logging.LoggerFunc(func(c logging.Classification, format string, v ...any) {
		slog.Default().Info(fmt.Sprintf(format, v...), "from", "aws-sdk", "class", string(c))
	}))}
	if c.Region != "" {
		opts = append(opts, awsconfig.WithRegion(c.Region))
	}
	if c.AccessKey != "" {
		opts = append(opts, awsconfig.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(c.AccessKey, c.SecretKey, "")))
	}
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("S3 configuration: %w", err)
	}
	if awsCfg.Region == "" {
		awsCfg.Region = "us-east-1"
	}
	client := s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		if c.Endpoint != "" {
			o.BaseEndpoint = aws.String(c.Endpoint)
		}
		o.UsePathStyle = c.PathStyle
		o.HTTPClient = &http.Client{Timeout: 0, Transport: http.DefaultTransport}
	})
	return &Objects{client: client, cfg: c}, nil
}

// Client is the S3 client, for uploads and presigning in later use cases.
func (o *Objects) Client() *s3.Client { return o.client }

// Endpoint is where the objects live, for status displays.
func (o *Objects) Endpoint() string {
	if o.cfg.Endpoint != "" {
		return o.cfg.Endpoint
	}
	return "aws s3 (" + o.client.Options().Region + ")"
}

// Bucket maps a logical bucket name to the real one.
func (o *Objects) Bucket(name string) string { return o.cfg.BucketPrefix + name }

// EnsureBuckets creates any missing bucket; existing ones are left alone.
func (o *Objects) EnsureBuckets(ctx context.Context) error {
	for _, name := range Buckets {
		b := o.Bucket(name)
		_, err := o.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(b)})
		if err == nil {
			continue
		}
		_, err = o.client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)})
		var owned *types.BucketAlreadyOwnedByYou
		var exists *types.BucketAlreadyExists
		if err != nil && !errors.As(err, &owned) && !errors.As(err, &exists) {
			return fmt.Errorf("create bucket %s at %s: %w", b, o.Endpoint(), err)
		}
		if err == nil {
			o.abortIncompleteUploads(ctx, b)
		}
	}
	return nil
}

// abortIncompleteUploads gives a bucket we created a lifecycle rule that
// aborts multipart uploads left incomplete for a day: on AWS their parts
// are billed until then. Stores without lifecycle support (the local
// gateway answers NotImplemented) rely on the storage sweep alone, so a
// refusal is noted at debug level and never fails the bucket's creation.
func (o *Objects) abortIncompleteUploads(ctx context.Context, bucket string) {
	_, err := o.client.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{
		Bucket: aws.String(bucket),
		LifecycleConfiguration: &types.BucketLifecycleConfiguration{Rules: []types.LifecycleRule{{
			ID:                             aws.String("brightrun-abort-incomplete-multipart-uploads"),
			Status:                         types.ExpirationStatusEnabled,
			Filter:                         &types.LifecycleRuleFilter{Prefix: aws.String("")},
			AbortIncompleteMultipartUpload: &types.AbortIncompleteMultipartUpload{DaysAfterInitiation: aws.Int32(1)},
		}}},
	})
	if err != nil {
		slog.Debug("bucket lifecycle rule not set (the store may not support it)", "bucket", bucket, "err", describeS3Error(err))
	}
}

// Ping checks that the store answers and our keys are accepted.
func (o *Objects) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err := o.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(o.Bucket(BucketConversations))})
	if err != nil {
		return fmt.Errorf("S3 at %s: %w", o.Endpoint(), conciseS3Error(err))
	}
	return nil
}
