package main_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
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

	cmd := binaryCmd(t, nil, "dataset", "upload", big, "--name", "interrupted", "--data-dir", d)
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

// putObject stores a small object straight into a bucket, as a process
// killed before committing its row would have left it.
func putObject(t *testing.T, o *store.Objects, bucket, key string) {
	t.Helper()
	if err := o.PutObject(context.Background(), bucket, key, strings.NewReader("{}\n"), 3, ""); err != nil {
		t.Fatal(err)
	}
}

func startMultipart(t *testing.T, o *store.Objects, bucket, key string) {
	t.Helper()
	if _, err := o.Client().CreateMultipartUpload(context.Background(), &s3.CreateMultipartUploadInput{
		Bucket: aws.String(o.Bucket(bucket)), Key: aws.String(key),
	}); err != nil {
		t.Fatal(err)
	}
}

func uploadKeys(t *testing.T, o *store.Objects, bucket string) []string {
	t.Helper()
	ups, err := o.ListUploads(context.Background(), bucket, "")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, u := range ups {
		keys = append(keys, u.Key)
	}
	return keys
}

func eventually(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, within)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// The worker's sweep removes orphan objects and multipart uploads older
// than the safe age in every bucket, and keeps young ones and the objects
// rows refer to; the services sweep again when they start. Each sweep
// logs what it removed.
func TestE2EStorageSweepRemovesOnlyOldOrphans(t *testing.T) {
	d := dataDir(t)
	env := []string{"BRIGHTRUN_SWEEP_AGE=6s", "BRIGHTRUN_SWEEP_INTERVAL=1s"}
	r := run(t, env, "dataset", "upload", writeChat(t, 15), "--name", "kept", "--json", "--data-dir", d)
	if r.code != 0 {
		t.Fatalf("upload: exit %d %s %s", r.code, r.stdout, r.stderr)
	}
	var ds struct {
		ID          string `json:"id"`
		StoragePath string `json:"storage_path"`
	}
	decode(t, r, &ds)
	o := dataDirObjects(t, d)
	// The demo seed's conversation files are referenced by their rows.
	seeded := bucketKeys(t, o, store.BucketConversations)
	if len(seeded) == 0 {
		t.Fatal("no seeded conversation files")
	}

	putObject(t, o, store.BucketDatasets, "gone/orphan.jsonl")
	putObject(t, o, store.BucketTrainingFiles, "gone/training.jsonl")
	putObject(t, o, store.BucketModelArtifacts, "gone/adapter_model.safetensors")
	startMultipart(t, o, store.BucketDatasets, "gone/parts.jsonl")
	time.Sleep(3 * time.Second)
	putObject(t, o, store.BucketDatasets, "young/orphan.jsonl")
	startMultipart(t, o, store.BucketDatasets, "young/parts.jsonl")

	eventually(t, "old orphans swept", 20*time.Second, func() bool {
		return !slices.Contains(bucketKeys(t, o, store.BucketDatasets), "gone/orphan.jsonl") &&
			len(bucketKeys(t, o, store.BucketTrainingFiles)) == 0 && len(bucketKeys(t, o, store.BucketModelArtifacts)) == 0 &&
			!slices.Contains(uploadKeys(t, o, store.BucketDatasets), "gone/parts.jsonl")
	})
	if got, want := bucketKeys(t, o, store.BucketDatasets), []string{ds.StoragePath, "young/orphan.jsonl"}; !sameKeys(got, want) {
		t.Fatalf("%s holds %v, want %v", store.BucketDatasets, got, want)
	}
	if got := uploadKeys(t, o, store.BucketDatasets); !sameKeys(got, []string{"young/parts.jsonl"}) {
		t.Fatalf("multipart uploads left: %v, want the young one", got)
	}
	if r := run(t, nil, "dataset", "show", ds.ID, "--json", "--data-dir", d); r.code != 0 || !strings.Contains(r.stdout, `"status": "ready"`) {
		t.Fatalf("the referenced dataset: %d %s %s", r.code, r.stdout, r.stderr)
	}
	log, err := os.ReadFile(filepath.Join(d, "logs", "services.log"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(log), "deleted an object no row refers to") || !strings.Contains(string(log), "key=gone/orphan.jsonl") ||
		!strings.Contains(string(log), "aborted a stale multipart upload") {
		t.Fatalf("the sweep was not logged:\n%s", log)
	}

	// At the services' start: the young leftovers are old by now, and the
	// interval is an hour, so only the start's sweep can remove them.
	if r := run(t, nil, "services", "stop", "--data-dir", d); r.code != 0 {
		t.Fatalf("services stop: %d %s", r.code, r.stderr)
	}
	time.Sleep(3 * time.Second)
	if r := run(t, []string{"BRIGHTRUN_SWEEP_AGE=6s"}, "status", "--data-dir", d); r.code != 0 {
		t.Fatalf("status: %d %s", r.code, r.stderr)
	}
	o = dataDirObjects(t, d)
	eventually(t, "young leftovers swept at the services' start", 20*time.Second, func() bool {
		return sameKeys(bucketKeys(t, o, store.BucketDatasets), []string{ds.StoragePath}) && len(uploadKeys(t, o, store.BucketDatasets)) == 0
	})
	if got := bucketKeys(t, o, store.BucketConversations); !sameKeys(got, seeded) {
		t.Fatalf("referenced conversation files were swept: %d left of %d", len(got), len(seeded))
	}
}

func sameKeys(got, want []string) bool {
	got, want = slices.Clone(got), slices.Clone(want)
	slices.Sort(got)
	slices.Sort(want)
	return slices.Equal(got, want)
}

// A row left uploading by a client killed with -9 ends in error once its
// deadline passes without a sign of the client, and its parts are
// removed; an upload-url row still within its hour keeps waiting, and the
// list says which is which.
func TestE2EDeadUploadExpiresUploadURLWaits(t *testing.T) {
	d := dataDir(t)
	env := []string{"BRIGHTRUN_UPLOAD_TIMEOUT=3s", "BRIGHTRUN_SWEEP_INTERVAL=1s"}
	r := run(t, env, "dataset", "upload-url", "--name", "waiting", "--json", "--data-dir", d)
	if r.code != 0 {
		t.Fatalf("upload-url: %d %s", r.code, r.stderr)
	}
	var ticket struct {
		Dataset struct {
			ID string `json:"id"`
		} `json:"dataset"`
	}
	decode(t, r, &ticket)
	o := dataDirObjects(t, d)

	cmd := binaryCmd(t, env, "dataset", "upload", bigChat(t, 300), "--name", "killed", "--data-dir", d)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the upload's multipart upload started", time.Minute, func() bool {
		return len(uploadKeys(t, o, store.BucketDatasets)) > 0
	})
	r = run(t, nil, "dataset", "list", "--data-dir", d)
	if !strings.Contains(r.stdout, "uploading (client seen") || !strings.Contains(r.stdout, "awaiting file (URL expires in 1h") &&
		!strings.Contains(r.stdout, "awaiting file (URL expires in 59m") {
		t.Fatalf("the list does not tell the uploads apart:\n%s", r.stdout)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	type row struct {
		ID           string `json:"id"`
		Name         string `json:"name"`
		Status       string `json:"status"`
		ErrorMessage string `json:"error_message"`
	}
	rows := map[string]row{}
	eventually(t, "the killed upload expired", 30*time.Second, func() bool {
		r := run(t, nil, "dataset", "list", "--json", "--data-dir", d)
		var page struct {
			Datasets []row `json:"datasets"`
		}
		decode(t, r, &page)
		for _, x := range page.Datasets {
			rows[x.Name] = x
		}
		return rows["killed"].Status == "error"
	})
	if msg := rows["killed"].ErrorMessage; !strings.Contains(msg, "upload expired") || !strings.Contains(msg, "client") {
		t.Fatalf("expired row's message: %q", msg)
	}
	if w := rows["waiting"]; w.Status != "uploading" || w.ID != ticket.Dataset.ID {
		t.Fatalf("the upload-url row: %+v", w)
	}
	if keys := bucketKeys(t, o, store.BucketDatasets); len(keys) != 0 {
		t.Fatalf("objects left: %v", keys)
	}
	if keys := uploadKeys(t, o, store.BucketDatasets); len(keys) != 0 {
		t.Fatalf("multipart uploads left: %v", keys)
	}
	r = run(t, nil, "dataset", "show", rows["waiting"].ID, "--data-dir", d)
	if !strings.Contains(r.stdout, "awaiting file (URL expires in") {
		t.Fatalf("show of the upload-url row:\n%s", r.stdout)
	}
}
