package tokens

import (
	"bufio"
	"os"
	"path/filepath"
	"testing"
)

// FuzzCountMatchesLibrary is the differential proof of the fast path: on
// any string (unicode, whitespace runs, digits, apostrophes, emoji, invalid
// UTF-8) the pieces equal the library matcher's and the count equals the
// length of the library's Encode. Plain `go test` runs the seeds: the table
// of counter_test.go and every line of the dataset validator's corpus.
func FuzzCountMatchesLibrary(f *testing.F) {
	for _, tt := range countCases {
		f.Add(tt.in)
	}
	for _, s := range []string{"'S'T'RE'VE'M'LL'D", "''s", "'", " '", "\r\n\r\n \r\n", "\t\n\v\f\r \u0085\u00a0",
		"a\u200bb", "x\u180ey", "12\u0663\u0664", "🎉\n\n\n🎉", " !\r\r", "  !", "\u00a0\u00a0a", "日本語のテキスト。"} {
		f.Add(s)
	}
	files, _ := filepath.Glob(filepath.Join("..", "dataset", "testdata", "corpus", "*"))
	for _, name := range files {
		file, err := os.Open(name)
		if err != nil {
			f.Fatal(err)
		}
		sc := bufio.NewScanner(file)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			f.Add(sc.Text())
		}
		file.Close()
	}
	c, err := NewCounter()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		comparePieces(t, s)
		if got, want := c.Count(s), libraryCount(t, s); got != want {
			t.Fatalf("Count(%q) = %d, library %d", s, got, want)
		}
	})
}
