package engine_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"brightrun/engine"
	"brightrun/engine/enginetest"
)

// BenchmarkUploadDataset measures a 256 MiB dataset's multipart upload to the
// local versitygw endpoint, row bookkeeping and enqueueing included.
func BenchmarkUploadDataset(b *testing.B) {
	e, _ := enginetest.NewJobEngine(b)
	ctx := context.Background()
	u, err := e.EnsureUser(ctx, "bench")
	if err != nil {
		b.Fatal(err)
	}
	s := e.Session(u)
	line := []byte(`{"messages":[{"role":"user","content":"How large should an emergency fund be?"},{"role":"assistant","content":"Three to six months of essential expenses is the usual range."}]}` + "\n")
	path := filepath.Join(b.TempDir(), "big.jsonl")
	data := bytes.Repeat(line, (256<<20)/len(line))
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.UploadDataset(ctx, path, engine.UploadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
