package model

import (
	"encoding/json"
	"strconv"
)

// DuplicateKey finds the first object in data (valid JSON, as the decoder
// has already accepted it) that holds a key twice, and returns that
// object's JSON path and the key. encoding/json keeps the last value of a
// repeated key without a word, so a file whose second "role" silently
// replaced its first would be imported as something its author did not
// write; it is refused instead, like an unknown key. Keys are compared
// after unescaping ("a" and "\u0061" are one key), as the decoder does.
// Paths are built only for the containers walked into, so a file of long
// strings costs no more than one pass over its bytes.
func DuplicateKey(data []byte) (path, key string, found bool) {
	w := dupWalker{b: data}
	w.ws()
	return w.value("$")
}

type dupWalker struct {
	b []byte
	p int
}

func (w *dupWalker) ws() {
	for w.p < len(w.b) {
		switch w.b[w.p] {
		case ' ', '\t', '\n', '\r':
			w.p++
		default:
			return
		}
	}
}

// value walks the value at w.p (whitespace skipped), whose path is path.
func (w *dupWalker) value(path string) (string, string, bool) {
	if w.p >= len(w.b) {
		return "", "", false
	}
	switch w.b[w.p] {
	case '{':
		return w.object(path)
	case '[':
		return w.array(path)
	case '"':
		w.skipStr() // a value: read past it, copy nothing
	default: // number, true, false, null
		for w.p < len(w.b) {
			switch w.b[w.p] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return "", "", false
			}
			w.p++
		}
	}
	return "", "", false
}

func (w *dupWalker) object(path string) (string, string, bool) {
	w.p++ // '{'
	var seen map[string]struct{}
	for {
		w.ws()
		if w.p >= len(w.b) || w.b[w.p] == '}' {
			w.p++
			return "", "", false
		}
		if w.b[w.p] == ',' {
			w.p++
			continue
		}
		k := w.key()
		if seen == nil {
			seen = make(map[string]struct{}, 8)
		}
		if _, dup := seen[k]; dup {
			return path, k, true
		}
		seen[k] = struct{}{}
		w.ws()
		w.p++ // ':'
		w.ws()
		if p, k2, dup := w.value(childKey(path, k, w.peekContainer())); dup {
			return p, k2, true
		}
	}
}

func (w *dupWalker) array(path string) (string, string, bool) {
	w.p++ // '['
	for i := 0; ; {
		w.ws()
		if w.p >= len(w.b) || w.b[w.p] == ']' {
			w.p++
			return "", "", false
		}
		if w.b[w.p] == ',' {
			w.p++
			i++
			continue
		}
		child := ""
		if w.peekContainer() {
			child = path + "[" + strconv.Itoa(i) + "]"
		}
		if p, k, dup := w.value(child); dup {
			return p, k, true
		}
	}
}

// peekContainer reports whether the value at w.p is an object or array:
// only those need a path.
func (w *dupWalker) peekContainer() bool {
	return w.p < len(w.b) && (w.b[w.p] == '{' || w.b[w.p] == '[')
}

func childKey(path, key string, container bool) string {
	if !container {
		return ""
	}
	return path + "." + key
}

// skipStr consumes a string at w.p and reports whether it holds escapes.
func (w *dupWalker) skipStr() (escaped bool) {
	w.p++ // '"'
	for w.p < len(w.b) {
		switch w.b[w.p] {
		case '\\':
			escaped = true
			w.p += 2
			continue
		case '"':
			w.p++
			return escaped
		}
		w.p++
	}
	return escaped
}

// key consumes an object key at w.p and returns it unescaped.
func (w *dupWalker) key() string {
	start := w.p
	if !w.skipStr() {
		return string(w.b[start+1 : w.p-1])
	}
	var s string
	_ = json.Unmarshal(w.b[start:w.p], &s) // valid: the decoder read it
	return s
}
