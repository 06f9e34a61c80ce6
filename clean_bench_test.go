package main_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkDatasetClean500MiB measures `brightrun dataset clean ID
// --no-wait` on a 100 MiB and a 500 MiB dataset with a bad line in every
// thousand: the
// source streamed from storage through the validator into a new object,
// through the binary. It reports the command's peak RSS (start-up
// included, measured as TestE2EImportOneLongStringInBoundedMemory does),
// which stays flat whatever the file's size (the two sizes show it): the
// validator's chunks and the upload's parts.
//
//	go test -run '^$' -bench BenchmarkDatasetClean500MiB -benchtime 1x .
func BenchmarkDatasetClean500MiB(b *testing.B) {
	for _, mib := range []int{100, 500} {
		b.Run(fmt.Sprintf("%dMiB", mib), func(b *testing.B) { benchClean(b, mib<<20) })
	}
}

func benchClean(b *testing.B, want int) {
	d := dataDir(b)
	path := filepath.Join(b.TempDir(), "big.jsonl")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	size := 0
	for i := 0; size < want-1<<10; i++ {
		line := fmt.Sprintf(`{"messages":[{"role":"user","content":"How much should I keep in cash, case %d?"},{"role":"assistant","content":"Three to six months of essential costs, and more when your income varies (%d)."}]}`+"\n", i, i)
		if i%1000 == 999 {
			line = `{"messages":[{"role":"user","content":"hi","weight":1},{"role":"assistant","content":"yo"}]}` + "\n"
		}
		n, _ := w.WriteString(line)
		size += n
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	// Cleaning needs the source validated: the upload waits for it.
	r := run(b, nil, "dataset", "upload", path, "--name", "big", "--json", "--data-dir", d)
	var src datasetRow
	decode(b, r, &src)
	b.SetBytes(int64(size))
	var peak int64
	start := time.Now()
	for b.Loop() {
		peak = peakRSS(b, brightrunBinary(b), "dataset", "clean", src.ID, "--no-wait", "--data-dir", d)
	}
	b.ReportMetric(float64(peak>>20), "MiB-peak-rss")
	b.ReportMetric(time.Since(start).Seconds()/float64(b.N), "s/clean")
}
