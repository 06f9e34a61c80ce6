package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// FileError is why a conversation file was rejected: the file, the JSON
// path of the fault ("$.turns[2].role"; empty when the file as a whole is
// at fault, e.g. too big or unreadable) and a one-line reason.
type FileError struct {
	File   string `json:"file"`
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Error renders `file.json: $.turns[2].role: roles must alternate …`.
func (e *FileError) Error() string {
	if e.Path == "" {
		return e.File + ": " + e.Reason
	}
	return e.File + ": " + e.Path + ": " + e.Reason
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// describeValue names a value's type, with the value itself when short.
func describeValue(v any) string {
	switch x := v.(type) {
	case json.Number:
		return "number " + x.String()
	case bool:
		return fmt.Sprintf("boolean %t", x)
	case string:
		if len(x) <= 40 {
			return fmt.Sprintf("string %q", x)
		}
	}
	return typeName(v)
}

// describeJSONError turns a decoder error into a reason with a line and
// column, which is what a person fixing the file needs.
func describeJSONError(data []byte, err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := lineCol(data, se.Offset)
		return fmt.Sprintf("%s (line %d, column %d)", se.Error(), line, col)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "unexpected end of file"
	}
	return err.Error()
}

// lineCol is the 1-based line and column of the byte a SyntaxError's
// offset follows (the decoder reports the offset after the bad byte).
func lineCol(data []byte, offset int64) (line, col int) {
	pos := min(max(offset-1, 0), int64(len(data)))
	before := data[:pos]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(pos) - bytes.LastIndexByte(before, '\n')
	return line, col
}

func firstInvalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(data)
}

// FileTooBig is the rejection of a file over MaxConversationFileSize; the
// importer gives it from the file's size before reading a byte of it.
func FileTooBig(name string, size int64) *FileError {
	return &FileError{File: name, Reason: fmt.Sprintf("file is %s, over the %s limit",
		formatBytes(size), formatBytes(MaxConversationFileSize))}
}

// formatBytes renders a size for people, whole units without a decimal:
// 512 B, 1.5 KiB, 50 MiB.
func formatBytes(n int64) string {
	return strings.Replace(HumanBytes(n), ".0 ", " ", 1)
}

// HumanBytes renders a size in binary units with one decimal: 612 B,
// 1.2 KiB, 256.3 MiB.
func HumanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
