package dataset

import (
	"encoding/binary"
	"strconv"
	"unicode/utf8"
)

// scanner is a validating JSON scanner over one line. It accepts exactly
// what encoding/json accepts (FuzzValidateLine holds it to json.Valid),
// nesting limit included, but allocates nothing and lets lineChecker pick
// out the few values it needs on the same single pass, in which it also
// checks the UTF-8 of strings (see badUTF8).
type scanner struct {
	b     []byte
	p     int
	depth int
	err   string // the first syntax error, "" while there is none
	errAt int    // byte offset of err
	// badUTF8 is set when a string holds invalid UTF-8; JSON outside
	// strings is ASCII, so a line that scans without error is valid UTF-8
	// unless this is set.
	badUTF8 bool
	keyTracker
}

// maxDepth is encoding/json's nesting limit: 10000 nested arrays or
// objects are valid JSON, 10001 are not.
const maxDepth = 10000

// kind is the type of a JSON value; kAbsent is a key that is not there.
type kind uint8

const (
	kAbsent kind = iota
	kString
	kNumber
	kBool
	kNull
	kObject
	kArray
)

var kindNames = [...]string{kAbsent: "nothing", kString: "a string", kNumber: "a number", kBool: "a boolean",
	kNull: "null", kObject: "an object", kArray: "a list"}

func (k kind) String() string { return kindNames[k] }

// kindOf tells the kind of the value starting with byte c; kAbsent when no
// value can start with it.
func kindOf(c byte) kind {
	switch {
	case c == '"':
		return kString
	case c == '{':
		return kObject
	case c == '[':
		return kArray
	case c == '-' || c >= '0' && c <= '9':
		return kNumber
	case c == 't' || c == 'f':
		return kBool
	case c == 'n':
		return kNull
	}
	return kAbsent
}

// fail records the first syntax error and returns false.
func (s *scanner) fail(msg string) bool {
	if s.err == "" {
		s.err, s.errAt = msg, s.p
	}
	return false
}

// failUnexpected reports the byte at s.p, or the end of the line.
func (s *scanner) failUnexpected(want string) bool {
	if s.p >= len(s.b) {
		return s.fail("unexpected end of line, want " + want)
	}
	return s.fail("unexpected " + quoteByte(s.b[s.p]) + ", want " + want)
}

func quoteByte(c byte) string {
	if c < 0x80 {
		return strconv.QuoteRune(rune(c))
	}
	return "byte 0x" + strconv.FormatUint(uint64(c), 16)
}

func (s *scanner) ws() {
	for s.p < len(s.b) {
		switch s.b[s.p] {
		case ' ', '\t', '\n', '\r':
			s.p++
		default:
			return
		}
	}
}

// expect consumes byte c after optional whitespace.
func (s *scanner) expect(c byte, want string) bool {
	s.ws()
	if s.p < len(s.b) && s.b[s.p] == c {
		s.p++
		return true
	}
	return s.failUnexpected(want)
}

// value scans any JSON value at s.p (whitespace already skipped).
func (s *scanner) value() bool {
	if s.p >= len(s.b) {
		return s.failUnexpected("a value")
	}
	switch kindOf(s.b[s.p]) {
	case kString:
		_, _, _, ok := s.str()
		return ok
	case kObject:
		return s.object()
	case kArray:
		return s.array()
	case kNumber:
		return s.number()
	case kBool:
		if s.b[s.p] == 't' {
			return s.literal("true")
		}
		return s.literal("false")
	case kNull:
		return s.literal("null")
	}
	return s.failUnexpected("a value")
}

// enter counts one level of nesting and consumes the opening bracket.
func (s *scanner) enter() bool {
	s.depth++
	if s.depth > maxDepth {
		return s.fail("nested deeper than 10000 levels")
	}
	s.p++
	return true
}

// object scans an object whose members nobody needs but for their keys,
// which must differ.
func (s *scanner) object() bool {
	if !s.enter() {
		return false
	}
	s.ws()
	if s.p < len(s.b) && s.b[s.p] == '}' {
		s.p++
		s.depth--
		return true
	}
	keys := s.openKeys()
	for {
		start, end, esc, ok := s.name()
		if !ok || !s.addKey(&keys, s.keyString(start, end, esc), start) {
			return false
		}
		s.ws()
		if !s.value() {
			return false
		}
		if !s.next('}') {
			s.closeKeys(keys)
			return s.err == ""
		}
	}
}

// array scans an array whose elements nobody needs.
func (s *scanner) array() bool {
	if !s.enter() {
		return false
	}
	s.ws()
	if s.p < len(s.b) && s.b[s.p] == ']' {
		s.p++
		s.depth--
		return true
	}
	for {
		s.ws()
		if !s.value() {
			return false
		}
		if !s.next(']') {
			return s.err == ""
		}
	}
}

// name scans `"name":` and returns the raw span of the name.
func (s *scanner) name() (start, end int, esc, ok bool) {
	s.ws()
	if s.p >= len(s.b) || s.b[s.p] != '"' {
		return 0, 0, false, s.failUnexpected("a string key or '}'")
	}
	if start, end, esc, ok = s.str(); !ok {
		return
	}
	return start, end, esc, s.expect(':', "':'")
}

// next consumes the ',' between members or elements and returns true, or
// the closing bracket and returns false (with s.err set on anything else).
func (s *scanner) next(closing byte) bool {
	s.ws()
	if s.p < len(s.b) {
		switch s.b[s.p] {
		case ',':
			s.p++
			return true
		case closing:
			s.p++
			s.depth--
			return false
		}
	}
	if closing == '}' {
		return s.failUnexpected("',' or '}'")
	}
	return s.failUnexpected("',' or ']'")
}

// strSafe marks the ASCII bytes a string holds as they are: not '"', not
// '\\', not a control character.
var strSafe = func() (t [0x80]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// str scans a string at s.p (which holds '"') and returns the span of its
// raw contents and whether they hold escapes.
func (s *scanner) str() (start, end int, esc, ok bool) {
	b := s.b
	i := s.p + 1
	start = i
scan:
	for {
		// Eight bytes at a time while none is '"', '\\', below 0x20 or
		// above 0x7f.
		for i+8 <= len(b) {
			w := binary.LittleEndian.Uint64(b[i:])
			const ones, highs = 0x0101010101010101, 0x8080808080808080
			quote, slash := w^(ones*'"'), w^(ones*'\\')
			special := ((quote - ones) &^ quote) | ((slash - ones) &^ slash) | (w - ones*0x20)
			if (special&^w|w)&highs != 0 {
				break
			}
			i += 8
		}
		for i < len(b) {
			if c := b[i]; c < utf8.RuneSelf {
				if !strSafe[c] {
					break
				}
				i++
				continue
			}
			r, n := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && n == 1 {
				s.badUTF8 = true
			}
			i += n
			continue scan // back to eight at a time
		}
		if i >= len(b) {
			s.p = i
			return 0, 0, false, s.fail("unterminated string")
		}
		switch b[i] {
		case '"':
			s.p = i + 1
			return start, i, esc, true
		case '\\':
			esc = true
			if i+1 >= len(b) {
				s.p = i + 1
				return 0, 0, false, s.fail("unterminated string")
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				for k := i + 2; k < i+6; k++ {
					if k >= len(b) || !isHex(b[k]) {
						s.p = k
						return 0, 0, false, s.fail(`invalid \u escape in string`)
					}
				}
				i += 6
			default:
				s.p = i + 1
				return 0, 0, false, s.fail("invalid escape " + quoteByte(b[i+1]) + " in string")
			}
		default:
			s.p = i
			return 0, 0, false, s.fail("control character " + quoteByte(b[i]) + " in string")
		}
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// number scans -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *scanner) number() bool {
	b := s.b
	if b[s.p] == '-' {
		s.p++
	}
	switch {
	case s.p < len(b) && b[s.p] == '0':
		s.p++
	case s.p < len(b) && b[s.p] >= '1' && b[s.p] <= '9':
		s.digits()
	default:
		return s.failUnexpected("a digit")
	}
	if s.p < len(b) && b[s.p] == '.' {
		s.p++
		if s.p >= len(b) || b[s.p] < '0' || b[s.p] > '9' {
			return s.failUnexpected("a digit after '.'")
		}
		s.digits()
	}
	if s.p < len(b) && (b[s.p] == 'e' || b[s.p] == 'E') {
		s.p++
		if s.p < len(b) && (b[s.p] == '+' || b[s.p] == '-') {
			s.p++
		}
		if s.p >= len(b) || b[s.p] < '0' || b[s.p] > '9' {
			return s.failUnexpected("a digit in the exponent")
		}
		s.digits()
	}
	return true
}

func (s *scanner) digits() {
	for s.p < len(s.b) && s.b[s.p] >= '0' && s.b[s.p] <= '9' {
		s.p++
	}
}

func (s *scanner) literal(lit string) bool {
	for i := 0; i < len(lit); i++ {
		if s.p >= len(s.b) || s.b[s.p] != lit[i] {
			return s.failUnexpected("'" + lit + "'")
		}
		s.p++
	}
	return true
}
