package dataset

import "unicode/utf8"

// field is a value lineChecker keeps: its kind and, for a string, the raw
// span of its contents in the line. It is 12 bytes, so that a line of a
// million tiny messages stays within tens of megabytes.
type field struct {
	start, end int32
	kind       kind
	esc        bool // the raw contents hold escapes
}

// message is one element of messages (or conversations).
type message struct {
	kind          kind  // kObject, or what the element is instead
	role, content field // role/from and content/value
	badKey        field // the first key not allowed, kAbsent if none
	weight        field // its span, whatever its kind; kAbsent if none
}

// lineChecker validates one line at a time, keeping its buffers between
// lines so that a valid line costs no allocation. One per worker.
type lineChecker struct {
	scanner
	code codeID
	// The top-level values a shape needs. A key given twice makes the line
	// invalid_json (dupkeys.go), so each is the line's only one.
	messages, conversations       field
	instruction, input, output    field
	msgs, convs                   []message
	scratch                       []byte // decoded escaped strings of this line
	errPath, errValue, errDetails string // what check() found, for the message
}

// Capacities of lineChecker's buffers kept from one line to the next.
const (
	keepMessages = 1 << 12
	keepScratch  = 1 << 20
)

// trimLine drops the \n, and the \r of a \r\n, that end a line.
func trimLine(line []byte) []byte {
	if n := len(line); n > 0 && line[n-1] == '\n' {
		line = line[:n-1]
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line
}

// isBlank reports a line of nothing but spaces, tabs and \r.
func isBlank(line []byte) bool {
	for _, c := range line {
		if c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}

// parse scans a (trimmed, non-blank) line, leaving c.code at cValid when
// it is a JSON object (with its shape's values kept), else at the code of
// the first problem: too long, invalid UTF-8, invalid JSON, not an object.
func (c *lineChecker) parse(line []byte) {
	// Buffers a huge line grew are dropped rather than kept by every
	// worker for the rest of the run.
	if cap(c.msgs) > keepMessages || cap(c.convs) > keepMessages || cap(c.scratch) > keepScratch {
		c.msgs, c.convs, c.scratch = nil, nil, nil
	}
	if cap(c.keys) > keepMessages || cap(c.keyBuf) > keepScratch {
		c.keys, c.keyBuf = nil, nil
	}
	c.resetKeys()
	keys := c.keyTracker
	*c = lineChecker{msgs: c.msgs[:0], convs: c.convs[:0], scratch: c.scratch[:0]}
	c.keyTracker = keys
	c.b = line
	if len(line) > MaxLineBytes {
		c.code = cLineTooLong
		return
	}
	c.ws()
	isObject := c.p < len(line) && line[c.p] == '{'
	if isObject {
		c.topObject()
	} else {
		c.value()
	}
	if c.err == "" {
		c.ws()
		if c.p < len(line) {
			c.fail("unexpected " + quoteByte(line[c.p]) + " after the JSON value")
		}
	}
	switch {
	case c.badUTF8 || c.err != "" && !utf8.Valid(line):
		c.code = cInvalidUTF8
	case c.err != "":
		c.code = cInvalidJSON
	case !isObject:
		c.code = cNotObject
	}
}

// shape is the shape the parsed line's keys show.
func (c *lineChecker) shape() shapeID {
	return shapeOfKeys(c.messages.kind != kAbsent, c.conversations.kind != kAbsent,
		c.instruction.kind != kAbsent, c.output.kind != kAbsent)
}

// topObject scans the line's object, keeping the values shapes need.
func (c *lineChecker) topObject() {
	if !c.enter() {
		return
	}
	c.ws()
	if c.p < len(c.b) && c.b[c.p] == '}' {
		c.p++
		c.depth--
		return
	}
	var seen uint8 // the shape keys met, one bit each
	others := c.openKeys()
	for {
		start, end, esc, ok := c.name()
		if !ok {
			return
		}
		c.ws()
		switch name := c.keyName(start, end, esc); name {
		case "messages":
			if ok = c.seenKey(&seen, 1<<0, start); ok {
				c.messages, ok = c.messageList(&c.msgs, false)
			}
		case "conversations":
			if ok = c.seenKey(&seen, 1<<1, start); ok {
				c.conversations, ok = c.messageList(&c.convs, true)
			}
		case "instruction":
			if ok = c.seenKey(&seen, 1<<2, start); ok {
				c.instruction, ok = c.field()
			}
		case "input":
			if ok = c.seenKey(&seen, 1<<3, start); ok {
				c.input, ok = c.field()
			}
		case "output":
			if ok = c.seenKey(&seen, 1<<4, start); ok {
				c.output, ok = c.field()
			}
		default:
			ok = c.addKey(&others, name, start) && c.value()
		}
		if !ok {
			return
		}
		if !c.next('}') {
			c.closeKeys(others)
			return
		}
	}
}

// keyName returns a key's decoded name; without escapes it is a view of
// the line, compared and dropped at once.
func (c *lineChecker) keyName(start, end int, esc bool) string {
	if !esc {
		return bytesString(c.b[start:end])
	}
	n := len(c.scratch)
	c.scratch = appendUnescaped(c.scratch, c.b[start:end])
	return string(c.scratch[n:])
}

// field scans a value, keeping its kind and a string's span.
func (c *lineChecker) field() (field, bool) {
	if c.p >= len(c.b) {
		return field{}, c.failUnexpected("a value")
	}
	k := kindOf(c.b[c.p])
	if k == kString {
		start, end, esc, ok := c.str()
		return field{kind: kString, esc: esc, start: int32(start), end: int32(end)}, ok
	}
	return field{kind: k}, c.value()
}

// messageList scans the value of messages (conversations when conv),
// keeping each element in *list when it is a list.
func (c *lineChecker) messageList(list *[]message, conv bool) (field, bool) {
	if c.p >= len(c.b) || c.b[c.p] != '[' {
		return c.field()
	}
	*list = (*list)[:0]
	if !c.enter() {
		return field{}, false
	}
	c.ws()
	if c.p < len(c.b) && c.b[c.p] == ']' {
		c.p++
		c.depth--
		return field{kind: kArray}, true
	}
	for {
		c.ws()
		var m message
		var ok bool
		if c.p < len(c.b) && c.b[c.p] == '{' {
			m, ok = c.messageObject(conv)
		} else {
			var f field
			f, ok = c.field()
			m.kind = f.kind
		}
		if !ok {
			return field{}, false
		}
		*list = append(*list, m)
		if !c.next(']') {
			return field{kind: kArray}, c.err == ""
		}
	}
}
