package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/google/uuid"

	"brightrun/store"
	"brightrun/store/storetest"
)

func TestOrphansKeepsReferencedAndYoungObjects(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	cutoff := now.Add(-24 * time.Hour)
	old, young := now.Add(-25*time.Hour), now.Add(-time.Hour)
	refs := store.NewObjectRefs()
	refs.AddKey("u/d1/chat.jsonl")
	refs.AddPrefix("u/job/artifact/")
	objs := []store.StoredObject{
		{Key: "u/d1/chat.jsonl", LastModified: old},                          // referenced by key
		{Key: "u/job/artifact/adapter_model.safetensors", LastModified: old}, // under a referenced prefix
		{Key: "u/job/other/adapter_model.safetensors", LastModified: old},    // another artifact's dir: orphan
		{Key: "u/d2/chat.jsonl", LastModified: old},                          // orphan
		{Key: "u/d3/chat.jsonl", LastModified: young},                        // orphan, but its row may be about to commit
		{Key: "u/d4/chat.jsonl", LastModified: cutoff},                       // exactly the safe age: kept
	}
	var got []string
	for _, o := range store.Orphans(objs, refs, cutoff) {
		got = append(got, o.Key)
	}
	want := []string{"u/job/other/adapter_model.safetensors", "u/d2/chat.jsonl"}
	if !slices.Equal(got, want) {
		t.Fatalf("orphans = %v, want %v", got, want)
	}
	if o := store.Orphans(objs, nil, cutoff); o != nil {
		t.Fatalf("a bucket without references must never be swept, got %v", o)
	}
}

func TestStaleUploadsOnlyOlderThanTheCutoff(t *testing.T) {
	cutoff := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	ups := []store.PendingUpload{
		{Key: "a", UploadID: "1", Initiated: cutoff.Add(-time.Second)},
		{Key: "b", UploadID: "2", Initiated: cutoff},
		{Key: "c", UploadID: "3", Initiated: cutoff.Add(time.Hour)},
	}
	got := store.StaleUploads(ups, cutoff)
	if len(got) != 1 || got[0].Key != "a" {
		t.Fatalf("stale uploads = %+v, want only a", got)
	}
}

// The gateway holds and aborts multipart uploads; AbortUploads aborts only
// those of its key started before the cutoff.
func TestAbortUploadsOfOneKey(t *testing.T) {
	o := storetest.NewObjects(t)
	ctx := context.Background()
	start := func(key string) {
		t.Helper()
		if _, err := o.Client().CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{
			Bucket: aws.String(o.Bucket(store.BucketDatasets)), Key: aws.String(key),
		}); err != nil {
			t.Fatal(err)
		}
	}
	start("u/d1/a.jsonl")
	start("u/d1/a.jsonl.other")
	n, err := o.AbortUploads(ctx, store.BucketDatasets, "u/d1/a.jsonl", time.Now().Add(-time.Hour))
	if err != nil || n != 0 {
		t.Fatalf("abort of uploads older than an hour: %d, %v; want none", n, err)
	}
	n, err = o.AbortUploads(ctx, store.BucketDatasets, "u/d1/a.jsonl", time.Time{})
	if err != nil || n != 1 {
		t.Fatalf("abort: %d, %v; want 1", n, err)
	}
	ups, err := o.ListUploads(ctx, store.BucketDatasets, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(ups) != 1 || ups[0].Key != "u/d1/a.jsonl.other" {
		t.Fatalf("uploads left: %+v, want only the other key's", ups)
	}
}

// Buckets Brightrun creates get the abort-incomplete-uploads rule where the
// store supports lifecycle rules; where it does not, creation still works.
func TestEnsureBucketsSetsTheAbortRuleWhereSupported(t *testing.T) {
	o := storetest.NewObjects(t)
	out, err := o.Client().GetBucketLifecycleConfiguration(context.Background(), &s3.GetBucketLifecycleConfigurationInput{
		Bucket: aws.String(o.Bucket(store.BucketDatasets)),
	})
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) && (apiErr.ErrorCode() == "NotImplemented" || apiErr.ErrorCode() == "NoSuchLifecycleConfiguration") {
		t.Logf("the store keeps no lifecycle rules (%s); the sweep alone cleans up", apiErr.ErrorCode())
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Rules) != 1 || out.Rules[0].AbortIncompleteMultipartUpload == nil || aws.ToInt32(out.Rules[0].AbortIncompleteMultipartUpload.DaysAfterInitiation) != 1 {
		t.Fatalf("lifecycle rules: %+v", out.Rules)
	}
}

// References are read across every user, each through row-level security.
func TestObjectReferencesSeesEveryUsersRows(t *testing.T) {
	db := storetest.NewDB(t)
	ctx := context.Background()
	var users []uuid.UUID
	for _, name := range []string{"ann", "bob"} {
		u, err := db.AddUser(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		users = append(users, u.ID)
		err = db.WithUser(ctx, u.ID, func(tx store.Tx) error {
			_, err := store.InsertDataset(ctx, tx, u.ID, store.NewDataset{ID: uuid.New(), Name: "d", Bucket: store.BucketDatasets,
				StoragePath: name + "/chat.jsonl", FileName: "chat.jsonl"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	refs, err := db.ObjectReferences(ctx, users)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"ann/chat.jsonl", "bob/chat.jsonl"} {
		if !refs[store.BucketDatasets].Has(key) {
			t.Errorf("%s is not seen as referenced", key)
		}
	}
	if refs[store.BucketDatasets].Has("carl/chat.jsonl") {
		t.Error("an unreferenced key is seen as referenced")
	}
	for _, b := range store.Buckets {
		if refs[b] == nil {
			t.Errorf("bucket %s has no reference set", b)
		}
	}
}
