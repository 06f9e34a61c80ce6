package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// What a storage sweep may remove, and what it must keep. An object is
// referenced when a row names it: every bucket Brightrun writes, and the
// columns that hold its keys, are listed in objectReferences below, and a
// new bucket or key column must be added there, or the sweep would take its
// objects for orphans. Nothing younger than the sweep's safe age is ever
// removed: its row may be about to commit.

// StoredObject is an object as a bucket listing shows it.
type StoredObject struct {
	Key          string
	Size         int64
	LastModified time.Time
}

// ListObjectsBefore lists the objects of bucket last written before cutoff.
func (o *Objects) ListObjectsBefore(ctx context.Context, bucket string, cutoff time.Time) ([]StoredObject, error) {
	var out []StoredObject
	p := s3.NewListObjectsV2Paginator(o.client, &s3.ListObjectsV2Input{Bucket: aws.String(o.Bucket(bucket))})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list objects in %s: %w", bucket, describeS3Error(err))
		}
		for _, obj := range page.Contents {
			s := StoredObject{Key: aws.ToString(obj.Key), Size: aws.ToInt64(obj.Size), LastModified: aws.ToTime(obj.LastModified)}
			if s.LastModified.Before(cutoff) {
				out = append(out, s)
			}
		}
	}
	return out, nil
}

// ObjectRefs are the keys rows refer to in one bucket: whole keys, and key
// prefixes (an adapter's files live under its artifact's storage path).
type ObjectRefs struct {
	keys     map[string]struct{}
	prefixes []string
}

// NewObjectRefs is an empty set of references.
func NewObjectRefs() *ObjectRefs { return &ObjectRefs{keys: map[string]struct{}{}} }

// AddKey records a row naming key.
func (r *ObjectRefs) AddKey(key string) { r.keys[key] = struct{}{} }

// AddPrefix records a row naming every key under prefix.
func (r *ObjectRefs) AddPrefix(prefix string) { r.prefixes = append(r.prefixes, prefix) }

// Has reports whether a row refers to key.
func (r *ObjectRefs) Has(key string) bool {
	if _, ok := r.keys[key]; ok {
		return true
	}
	for _, p := range r.prefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// Orphans picks the objects a sweep may delete: written before cutoff and
// referred to by no row. Without references (nil) it picks nothing, so a
// bucket nobody described is never swept.
func Orphans(objects []StoredObject, refs *ObjectRefs, cutoff time.Time) []StoredObject {
	if refs == nil {
		return nil
	}
	var out []StoredObject
	for _, obj := range objects {
		if obj.LastModified.Before(cutoff) && !refs.Has(obj.Key) {
			out = append(out, obj)
		}
	}
	return out
}

// StaleUploads picks the multipart uploads started before cutoff.
func StaleUploads(ups []PendingUpload, cutoff time.Time) []PendingUpload {
	var out []PendingUpload
	for _, u := range ups {
		if u.Initiated.Before(cutoff) {
			out = append(out, u)
		}
	}
	return out
}

// objectReferences names, per table, the bucket and key of every object a
// row refers to; prefix rows refer to every key under the path. Deleted
// (soft-deleted) rows count too: their objects are removed with them.
const objectReferences = `
	SELECT storage_bucket, storage_path, false FROM datasets WHERE storage_path <> ''
	UNION ALL SELECT storage_bucket, json_storage_path, false FROM training_files WHERE json_storage_path <> ''
	UNION ALL SELECT storage_bucket, jsonl_storage_path, false FROM training_files WHERE jsonl_storage_path <> ''
	UNION ALL SELECT storage_bucket, storage_path, true FROM model_artifacts
	UNION ALL SELECT '` + BucketConversations + `', raw_storage_path, false FROM conversations WHERE raw_storage_path <> ''
	UNION ALL SELECT '` + BucketConversations + `', enriched_storage_path, false FROM conversations
		WHERE coalesce(enriched_storage_path, '') <> ''`

// ObjectReferences reads, for every bucket, the keys any user's rows refer
// to. Row-level security shows one user's rows at a time, so it visits each
// user in turn.
func (db *DB) ObjectReferences(ctx context.Context, users []uuid.UUID) (map[string]*ObjectRefs, error) {
	refs := map[string]*ObjectRefs{}
	for _, b := range Buckets {
		refs[b] = NewObjectRefs()
	}
	for _, u := range users {
		err := db.WithUser(ctx, u, func(tx pgx.Tx) error {
			rows, err := tx.Query(ctx, objectReferences)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var bucket, path string
				var prefix bool
				if err := rows.Scan(&bucket, &path, &prefix); err != nil {
					return err
				}
				r, ok := refs[bucket]
				if !ok {
					r = NewObjectRefs()
					refs[bucket] = r
				}
				if prefix {
					r.AddPrefix(path)
				} else {
					r.AddKey(path)
				}
			}
			return rows.Err()
		})
		if err != nil {
			return nil, fmt.Errorf("read the objects rows refer to (user %s): %w", u, err)
		}
	}
	return refs, nil
}
