package model

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheckLength(t *testing.T) {
	cases := []struct {
		name, s string
		max     int
		wantErr string
	}{
		{"at the limit", strings.Repeat("a", 200), 200, ""},
		{"one over", strings.Repeat("a", 201), 200, "dataset name is 201 characters long: at most 200"},
		{"characters, not bytes", strings.Repeat("é", 200), 200, ""},
		{"description", strings.Repeat("x", 2001), MaxDescriptionLen, "dataset name is 2001 characters long: at most 2000"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := CheckLength("dataset name", c.s, c.max)
			if c.wantErr == "" && err != nil || c.wantErr != "" && (err == nil || err.Error() != c.wantErr) {
				t.Fatalf("err %v, want %q", err, c.wantErr)
			}
		})
	}
	if err := CheckNameAndDescription("job", "j", strings.Repeat("d", 2001)); err == nil || !strings.Contains(err.Error(), "job description is 2001 characters") {
		t.Fatalf("description over the limit: %v", err)
	}
}

func TestClipNameFitsTheLimit(t *testing.T) {
	long := strings.Repeat("名", 300)
	got := ClipName(long)
	if n := utf8.RuneCountInString(got); n != MaxNameLen || CheckLength("n", got, MaxNameLen) != nil {
		t.Fatalf("clipped to %d characters", n)
	}
	if ClipName("short") != "short" {
		t.Fatal("a short name changed")
	}
}
