package main_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"brightrun/store"
	"brightrun/store/local"
)

// dataDirObjects opens the object store of a data dir whose services run,
// as the tests' own view of what is left in the buckets. The attachment is
// closed at once: the services stay up on their idle timer.
func dataDirObjects(t *testing.T, d string) *store.Objects {
	t.Helper()
	l, err := local.NewLayout(d)
	if err != nil {
		t.Fatal(err)
	}
	a, err := local.Dial(l)
	if err != nil {
		t.Fatalf("the services of %s do not run: %v", d, err)
	}
	info := a.Info
	a.Close()
	o, err := store.OpenObjects(context.Background(), store.S3Config{
		Endpoint: info.S3Endpoint, Region: info.S3Region, AccessKey: info.AccessKey, SecretKey: info.SecretKey, PathStyle: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// bucketKeys lists every object key in a bucket.
func bucketKeys(t *testing.T, o *store.Objects, bucket string) []string {
	t.Helper()
	var keys []string
	p := s3.NewListObjectsV2Paginator(o.Client(), &s3.ListObjectsV2Input{Bucket: aws.String(o.Bucket(bucket))})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatalf("list %s: %v", bucket, err)
		}
		for _, obj := range page.Contents {
			keys = append(keys, aws.ToString(obj.Key))
		}
	}
	return keys
}

// bigChat writes a valid chat JSONL file of about mb megabytes, big enough
// that its upload is a multipart upload with parts in flight for a while.
func bigChat(t *testing.T, mb int) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "big.jsonl")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	pad := strings.Repeat("a steady emergency fund ", 40)
	for n, i := 0, 0; n < mb<<20; i++ {
		k, _ := fmt.Fprintf(w, `{"messages":[{"role":"user","content":"Question %d?"},{"role":"assistant","content":"%s"}]}`+"\n", i, pad)
		n += k
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// An upload interrupted with ctrl+c while its multipart upload is in
// flight exits non-zero and leaves nothing in the bucket: no object and
// no parts of an unfinished multipart upload.
func TestE2EInterruptedUploadLeavesNothing(t *testing.T) {
	d := dataDir(t)
	if r := run(t, nil, "status", "--data-dir", d); r.code != 0 {
		t.Fatalf("status: %d %s", r.code, r.stderr)
	}
	o := dataDirObjects(t, d)
	big := bigChat(t, 300)

	cmd := exec.Command(brightrunBinary(t), "dataset", "upload", big, "--name", "interrupted", "--data-dir", d)
	cmd.Env = append(os.Environ(), "BRIGHTRUN_SERVICES_IDLE=20s", "DATABASE_URL=", "BRIGHTRUN_VERSITYGW=")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Interrupt once the multipart upload exists on the server.
	deadline := time.Now().Add(60 * time.Second)
	for {
		ups, err := o.ListUploads(context.Background(), store.BucketDatasets, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(ups) > 0 {
			break
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("no multipart upload appeared within a minute; stderr: %s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if err == nil {
		t.Fatalf("interrupted upload exited 0; stderr: %s", stderr.String())
	}
	if !strings.Contains(stderr.String(), "nothing was kept") {
		t.Fatalf("stderr does not say the upload was dropped: %q", stderr.String())
	}
	if keys := bucketKeys(t, o, store.BucketDatasets); len(keys) != 0 {
		t.Fatalf("objects left in %s: %v", store.BucketDatasets, keys)
	}
	ups, err := o.ListUploads(context.Background(), store.BucketDatasets, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(ups) != 0 {
		t.Fatalf("multipart uploads left in %s: %+v", store.BucketDatasets, ups)
	}
	r := run(t, nil, "dataset", "list", "--json", "--data-dir", d)
	if !strings.Contains(r.stdout, `"total": 0`) {
		t.Fatalf("a row was left: %s", r.stdout)
	}
}
