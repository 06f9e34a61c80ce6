package convfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// How the codec names what it found where it wanted something else, and
// where a file stopped being JSON or UTF-8, for model.FileError's reason.

// typeName is a decoded JSON value's type as the format spells it.
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
