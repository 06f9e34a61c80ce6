package engine_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"brightrun/engine"
	"brightrun/model"
)

// TestCloneNameFitsTheLimit: the default name of a clone of a job whose
// name is at the limit is still a name a job may have.
func TestCloneNameFitsTheLimit(t *testing.T) {
	got := engine.CloneName(strings.Repeat("j", model.MaxNameLen))
	if err := model.CheckLength("job name", got, model.MaxNameLen); err != nil || !strings.HasSuffix(got, " · clone") {
		t.Fatalf("%q (%d characters): %v", got, utf8.RuneCountInString(got), err)
	}
	if got := engine.CloneName("run"); got != "run · clone" {
		t.Fatalf("short name: %q", got)
	}
	if got := engine.CloneName("run · clone"); got != "run · clone" {
		t.Fatalf("a clone's clone: %q", got)
	}
}
