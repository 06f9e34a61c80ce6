package model_test

import (
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"brightrun/model"
)

// wholeTitle is how a title was derived before: from copies of the whole
// first turn (words joined, then all of it as runes).
func wholeTitle(content string) string {
	line := strings.Join(strings.Fields(content), " ")
	if utf8.RuneCountInString(line) <= 80 {
		return line
	}
	r := []rune(line)
	return strings.TrimSpace(string(r[:79])) + "…"
}

func TestDisplayTitleReadsOnlyTheStart(t *testing.T) {
	for _, content := range []string{
		"", "   ", "one", "  two  words  ", "tab\tand\nnewline\u00a0nbsp\u2003em",
		strings.Repeat("x", 79), strings.Repeat("x", 80), strings.Repeat("x", 81),
		strings.Repeat("ab ", 26) + "cd", strings.Repeat("ab ", 27), strings.Repeat("ab ", 26) + "c  d",
		strings.Repeat("word ", 40), strings.Repeat("é", 200), strings.Repeat("日本 ", 50),
		strings.Repeat("a", 78) + "   b c", strings.Repeat("a", 79) + " b", "\xff\xfe bad bytes \xe2\x80",
	} {
		f := model.ConversationFile{Turns: []model.Turn{{Role: "user", Content: content}}}
		if got, want := f.DisplayTitle(), wholeTitle(content); got != want {
			t.Errorf("title of %q = %q, want %q", content, got, want)
		}
	}

	const n = 8 << 20
	f := model.ConversationFile{Turns: []model.Turn{{Role: "user", Content: strings.Repeat("x", n)}}}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got := f.DisplayTitle()
	runtime.ReadMemStats(&after)
	if want := strings.Repeat("x", 79) + "…"; got != want {
		t.Fatalf("title %q, want %q", got, want)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<16 {
		t.Fatalf("the title of an %d-byte turn allocated %d bytes", n, alloc)
	}
}
