package model

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCleanOutputLine(t *testing.T) {
	long := strings.Repeat("é", MaxOutputLineLen) // 2 bytes each
	tests := []struct {
		name, in, want string
	}{
		{"plain", "loading shards", "loading shards"},
		{"invalid utf-8", "bad \xff byte", "bad \uFFFD byte"},
		{"nul", "a\x00b", "a\uFFFDb"},
		{"carriage return at end", "done\r", "done"},
		{"progress bar redrawn", " 10%|#   |\r 50%|#####|\r100%|##########|", "100%|##########|"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := CleanOutputLine(tc.in); got != tc.want {
				t.Errorf("CleanOutputLine(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
	got := CleanOutputLine(long)
	if !utf8.ValidString(got) || len(got) > MaxOutputLineLen+len("…") || !strings.HasSuffix(got, "…") {
		t.Errorf("long line: %d bytes, valid %v, ends %q", len(got), utf8.ValidString(got), got[len(got)-4:])
	}
}
