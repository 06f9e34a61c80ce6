package model

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Names and descriptions are shown in tables, titles and terminals; a
// megabyte name would swamp every list that shows it. They are counted in
// characters (runes), not bytes, so a name in any script gets the same room.
const (
	MaxNameLen        = 200
	MaxDescriptionLen = 2000
)

// CheckLength refuses a text longer than max characters, naming the field,
// the limit and the length: "dataset name is 201 characters long: at most
// 200".
func CheckLength(field, s string, max int) error {
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Errorf("%s is %d characters long: at most %d", field, n, max)
	}
	return nil
}

// CheckNameAndDescription checks what an operator gives a new dataset,
// training file or job: what is the name of the thing ("dataset").
func CheckNameAndDescription(what, name, description string) error {
	if err := CheckLength(what+" name", name, MaxNameLen); err != nil {
		return err
	}
	return CheckLength(what+" description", description, MaxDescriptionLen)
}

// ClipName cuts a name Brightrun makes up itself (from a file name, or a
// dataset's name and a preset) to MaxNameLen characters, so a default never
// fails the check an operator's own name must pass.
func ClipName(name string) string {
	if utf8.RuneCountInString(name) <= MaxNameLen {
		return name
	}
	r := []rune(name)
	return strings.TrimSpace(string(r[:MaxNameLen-1])) + "…"
}
