package convfile

import (
	"encoding/json"
	"unsafe"
)

// decodeTree builds, from valid UTF-8 that json.Valid has accepted, the
// value a json.Decoder with UseNumber decodes: map[string]any (the last of a
// repeated key wins), []any (never nil), string, json.Number, bool, nil.
// It reads data in place: a Decoder first copies the whole file into a
// buffer that doubles as it grows (about three times the file's size, for
// a 40 MB file), and each string is then copied once more. shared: a
// string without escapes is data's own bytes rather than a copy, so data
// must not change while the tree's strings are in use.
func decodeTree(data []byte, shared bool) any {
	r := treeReader{b: data, shared: shared}
	r.ws()
	return r.value()
}

type treeReader struct {
	b      []byte
	p      int
	shared bool
}

func (r *treeReader) ws() {
	for r.p < len(r.b) {
		switch r.b[r.p] {
		case ' ', '\t', '\n', '\r':
			r.p++
		default:
			return
		}
	}
}

// value reads the value at r.p; whitespace before it is already skipped.
func (r *treeReader) value() any {
	switch r.b[r.p] {
	case '{':
		return r.object()
	case '[':
		return r.array()
	case '"':
		return r.str()
	case 't':
		r.p += len("true")
		return true
	case 'f':
		r.p += len("false")
		return false
	case 'n':
		r.p += len("null")
		return nil
	}
	start := r.p
	for r.p < len(r.b) {
		switch r.b[r.p] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return json.Number(r.b[start:r.p])
		}
		r.p++
	}
	return json.Number(r.b[start:r.p])
}

func (r *treeReader) object() map[string]any {
	m := map[string]any{}
	r.p++ // '{'
	for {
		r.ws()
		switch r.b[r.p] {
		case '}':
			r.p++
			return m
		case ',':
			r.p++
			continue
		}
		k := r.str()
		r.ws()
		r.p++ // ':'
		r.ws()
		m[k] = r.value()
	}
}

func (r *treeReader) array() []any {
	v := make([]any, 0)
	r.p++ // '['
	for {
		r.ws()
		switch r.b[r.p] {
		case ']':
			r.p++
			return v
		case ',':
			r.p++
			continue
		}
		v = append(v, r.value())
	}
}

// str reads the string at r.p. One without escapes is its bytes (valid
// UTF-8, checked before), copied unless shared; one with escapes goes through encoding/json, so
// that \u escapes, surrogate pairs and lone surrogates come out as the
// decoder makes them.
func (r *treeReader) str() string {
	start := r.p
	escaped := false
	for r.p++; r.b[r.p] != '"'; r.p++ {
		if r.b[r.p] == '\\' {
			escaped = true
			r.p++
		}
	}
	r.p++
	if !escaped {
		raw := r.b[start+1 : r.p-1]
		if r.shared && len(raw) > 0 {
			return unsafe.String(&raw[0], len(raw))
		}
		return string(raw)
	}
	var s string
	_ = json.Unmarshal(r.b[start:r.p], &s) // valid: json.Valid read it
	return s
}
