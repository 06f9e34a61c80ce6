package model

import "encoding/json"

// decodeTree builds, from valid UTF-8 that json.Valid has accepted, the
// value a json.Decoder with UseNumber decodes: map[string]any (the last of a
// repeated key wins), []any (never nil), string, json.Number, bool, nil.
// It reads data in place: a Decoder first copies the whole file into a
// buffer that doubles as it grows (about three times the file's size, for
// a 40 MB file), and each string is then copied once more.
func decodeTree(data []byte) any {
	r := treeReader{b: data}
	r.ws()
	return r.value()
}

type treeReader struct {
	b []byte
	p int
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
// UTF-8, checked before); one with escapes goes through encoding/json, so
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
		return string(r.b[start+1 : r.p-1])
	}
	var s string
	_ = json.Unmarshal(r.b[start:r.p], &s) // valid: json.Valid read it
	return s
}
