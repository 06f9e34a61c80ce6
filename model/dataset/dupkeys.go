package dataset

import (
	"strconv"
	"strings"
)

// A key given twice in one object makes a line invalid_json: parsers
// disagree on which value counts (encoding/json keeps the last, others the
// first or refuse), so the line is not one unambiguous JSON object, and the
// trainer could read another example than the one validated. It is decided
// while scanning, before the line's shape, in every object at any depth.
//
// The objects whose keys the rules know (the line, a message) track them
// in a bitmask; every other key is kept in keyTracker, a stack shared by
// the open objects that allocates nothing once its buffers have grown.

// smallObject is the number of keys an object's keys are compared one by
// one; past it they move to a set, so that a line of 100,000 keys costs no
// 10^10 comparisons.
const smallObject = 16

// keepSetKeys is the most keys a set keeps its buckets for, to the next
// line; a larger one is dropped when its object ends.
const keepSetKeys = 1 << 10

// keyTracker holds the keys of the open objects that are not in a bitmask.
// The strings are views of the line or of keyBuf, valid while the line is
// scanned.
type keyTracker struct {
	keys   []string              // of the open small objects, innermost last
	sets   []map[string]struct{} // of the open large objects, innermost last
	nSets  int                   // sets in use
	keyBuf []byte                // the tracked keys that held escapes, decoded
	dup    bool                  // err is a duplicate key, at errAt
}

// keyScope is one open object's part of the tracker.
type keyScope struct {
	mark int // its first key in keys
	set  int // its set, -1 while it is small
}

// resetKeys readies the tracker for a new line, keeping its buffers.
func (t *keyTracker) resetKeys() {
	for _, m := range t.sets[:t.nSets] { // objects an error left open
		clear(m)
	}
	*t = keyTracker{keys: t.keys[:0], sets: t.sets, keyBuf: t.keyBuf[:0]}
}

func (s *scanner) openKeys() keyScope {
	return keyScope{mark: len(s.keys), set: -1}
}

// closeKeys drops an object's keys when it ends.
func (s *scanner) closeKeys(o keyScope) {
	if o.set >= 0 {
		if m := s.sets[o.set]; len(m) > keepSetKeys {
			s.sets[o.set] = nil
		} else {
			clear(m)
		}
		s.nSets--
	}
	s.keys = s.keys[:o.mark]
}

// keyString is a scanned key's name: a view of the line, or of keyBuf when
// it holds escapes ("a" and "\u0061" are one key).
func (s *scanner) keyString(start, end int, esc bool) string {
	if !esc {
		return bytesString(s.b[start:end])
	}
	n := len(s.keyBuf)
	s.keyBuf = appendUnescaped(s.keyBuf, s.b[start:end])
	return bytesString(s.keyBuf[n:])
}

// addKey records key k, whose contents start at byte start, in object o;
// it fails when o already holds it.
func (s *scanner) addKey(o *keyScope, k string, start int) bool {
	if o.set >= 0 {
		m := s.sets[o.set]
		if _, dup := m[k]; dup {
			return s.failDuplicate(start)
		}
		m[k] = struct{}{}
		return true
	}
	for _, old := range s.keys[o.mark:] {
		if old == k {
			return s.failDuplicate(start)
		}
	}
	s.keys = append(s.keys, k)
	if len(s.keys)-o.mark > smallObject {
		o.set = s.nSets
		s.nSets++
		if o.set == len(s.sets) {
			s.sets = append(s.sets, nil)
		}
		if s.sets[o.set] == nil {
			s.sets[o.set] = make(map[string]struct{}, 4*smallObject)
		}
		m := s.sets[o.set]
		for _, old := range s.keys[o.mark:] {
			m[old] = struct{}{}
		}
		s.keys = s.keys[:o.mark]
	}
	return true
}

// seenKey records a known key as bit of *seen; it fails when the object
// already holds it.
func (s *scanner) seenKey(seen *uint8, bit uint8, start int) bool {
	if *seen&bit != 0 {
		return s.failDuplicate(start)
	}
	*seen |= bit
	return true
}

// failDuplicate records a repeated key, whose contents start at byte
// start, as the line's error.
func (s *scanner) failDuplicate(start int) bool {
	if s.err == "" {
		s.err, s.errAt, s.dup = "duplicate key", start-1, true
	}
	return false
}

// duplicateMessage names the repeated key found at errAt and the JSON path
// of its object, e.g. `$.messages[0]: duplicate key "role" at column 40`.
// The line is valid JSON up to errAt, so a plain walk finds the path; it
// runs only for such a line.
func (s *scanner) duplicateMessage() string {
	type frame struct {
		obj     bool
		wantKey bool
		key     string
		index   int
	}
	var stack []frame
	w := scanner{b: s.b}
	for w.ws(); w.p < s.errAt; w.ws() {
		top := len(stack) - 1
		switch c := w.b[w.p]; c {
		case '{', '[':
			stack = append(stack, frame{obj: c == '{', wantKey: c == '{'})
			w.p++
		case '}', ']':
			stack = stack[:top]
			w.p++
		case ',':
			if stack[top].obj {
				stack[top].wantKey = true
			} else {
				stack[top].index++
			}
			w.p++
		case ':':
			w.p++
		case '"':
			start, end, esc, _ := w.str()
			if stack[top].obj && stack[top].wantKey {
				stack[top].key = strings.Clone(w.keyString(start, end, esc))
				stack[top].wantKey = false
			}
		default: // a number or a literal
			for w.p < len(w.b) && !strings.ContainsRune(",}] \t\r\n", rune(w.b[w.p])) {
				w.p++
			}
		}
	}
	k0, k1, esc, _ := w.str()
	var b strings.Builder
	b.WriteString("$")
	for _, f := range stack[:len(stack)-1] {
		if f.obj {
			writePathKey(&b, f.key)
		} else {
			b.WriteString("[" + strconv.Itoa(f.index) + "]")
		}
	}
	return b.String() + ": duplicate key " + quoteValue(w.keyString(k0, k1, esc)) + " at column " + strconv.Itoa(s.errAt+1)
}

// writePathKey appends a member to a JSON path: .name for a plain name,
// ["name"] for any other.
func writePathKey(b *strings.Builder, key string) {
	plain := key != ""
	for i, r := range key {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			plain = false
			break
		}
	}
	if plain {
		b.WriteString("." + key)
		return
	}
	b.WriteString("[" + quoteValue(key) + "]")
}
