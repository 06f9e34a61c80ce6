package dataset

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// The reference implementation of a line's rules: encoding/json decodes
// the line into a tree (members in order), a key given twice in any of its
// objects makes the line invalid_json, and the rules of docs/formats.md#datasets-and-validation are
// applied to it in lineChecker's order, plainly. The fuzz tests hold the
// fast path to it.

type refNode struct {
	kind    kind
	str     string
	elems   []refNode
	members []refMember
}

type refMember struct {
	key string
	val refNode
}

// get returns the value of the last member named key.
func (n refNode) get(key string) (refNode, bool) {
	for i := len(n.members) - 1; i >= 0; i-- {
		if n.members[i].key == key {
			return n.members[i].val, true
		}
	}
	return refNode{}, false
}

func refDecode(d *json.Decoder) (refNode, error) {
	tok, err := d.Token()
	if err != nil {
		return refNode{}, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			n := refNode{kind: kArray}
			for d.More() {
				e, err := refDecode(d)
				if err != nil {
					return n, err
				}
				n.elems = append(n.elems, e)
			}
			_, err := d.Token()
			return n, err
		}
		n := refNode{kind: kObject}
		for d.More() {
			k, err := d.Token()
			if err != nil {
				return n, err
			}
			v, err := refDecode(d)
			if err != nil {
				return n, err
			}
			n.members = append(n.members, refMember{k.(string), v})
		}
		_, err := d.Token()
		return n, err
	case string:
		return refNode{kind: kString, str: t}, nil
	case json.Number:
		return refNode{kind: kNumber, str: string(t)}, nil
	case bool:
		return refNode{kind: kBool}, nil
	}
	return refNode{kind: kNull}, nil
}

// refRepeatedKey reports whether any object in n holds a key twice.
func refRepeatedKey(n refNode) bool {
	seen := map[string]bool{}
	for _, m := range n.members {
		if seen[m.key] || refRepeatedKey(m.val) {
			return true
		}
		seen[m.key] = true
	}
	for _, e := range n.elems {
		if refRepeatedKey(e) {
			return true
		}
	}
	return false
}

// refContent is a message of a valid line as the rules see it.
type refContent struct {
	role       role
	text       string
	zeroWeight bool // an assistant message of weight 0
}

// refLine returns a trimmed, non-blank line's shape (of its own keys),
// the code of the first rule it breaks under that shape, and for a valid
// line its contents.
func refLine(t testing.TB, line []byte) (shapeID, codeID, []refContent) {
	switch {
	case len(line) > MaxLineBytes:
		return sNone, cLineTooLong, nil
	case !utf8.Valid(line):
		return sNone, cInvalidUTF8, nil
	case !json.Valid(line):
		return sNone, cInvalidJSON, nil
	}
	d := json.NewDecoder(bytes.NewReader(line))
	d.UseNumber()
	top, err := refDecode(d)
	if err != nil {
		t.Fatalf("reference decode of valid JSON %q: %v", line, err)
	}
	if refRepeatedKey(top) {
		return sNone, cInvalidJSON, nil
	}
	if top.kind != kObject {
		return sNone, cNotObject, nil
	}
	_, hasMessages := top.get("messages")
	_, hasConversations := top.get("conversations")
	_, hasInstruction := top.get("instruction")
	_, hasOutput := top.get("output")
	sh := shapeOfKeys(hasMessages, hasConversations, hasInstruction, hasOutput)
	var code codeID
	var contents []refContent
	switch sh {
	case sChat:
		code, contents = refList(top, "messages", "role", "content", chatRole)
	case sShareGPT:
		code, contents = refList(top, "conversations", "from", "value", shareGPTRole)
	case sAlpaca:
		code, contents = refAlpaca(top)
	default:
		code = cNoShape
	}
	return sh, code, contents
}

func refList(top refNode, list, roleKey, contentKey string, mapRole func(string) role) (codeID, []refContent) {
	msgs, _ := top.get(list)
	switch {
	case msgs.kind != kArray:
		return cMissingMessages, nil
	case len(msgs.elems) == 0:
		return cEmptyMessages, nil
	}
	var out []refContent
	for i, m := range msgs.elems {
		if m.kind != kObject {
			return cMessageNotObject, nil
		}
		for _, mem := range m.members {
			if mem.key != roleKey && mem.key != contentKey && !allowedExtra(mem.key) {
				return cUnexpectedKey, nil
			}
		}
		r, ok := m.get(roleKey)
		if !ok {
			return cMissingRole, nil
		}
		if r.kind != kString || mapRole(r.str) == roleNone {
			return cUnknownRole, nil
		}
		c, ok := m.get(contentKey)
		if code := refContent2(c, ok); code != cValid {
			return code, nil
		}
		if mapRole(r.str) == roleSystem && i > 0 {
			return cMisplacedSystem, nil
		}
		zero := false
		if w, ok := m.get("weight"); ok {
			if mapRole(r.str) != roleAssistant || w.kind != kNumber {
				return cBadWeight, nil
			}
			v, err := strconv.ParseFloat(w.str, 64)
			if err != nil || (v != 0 && v != 1) {
				return cBadWeight, nil
			}
			zero = v == 0
		}
		out = append(out, refContent{mapRole(r.str), c.str, zero})
	}
	hasAssistant := false
	for _, c := range out {
		hasAssistant = hasAssistant || c.role == roleAssistant
	}
	if !hasAssistant {
		return cNoAssistantMessage, nil
	}
	if out[len(out)-1].role != roleAssistant {
		return cLastNotAssistant, nil
	}
	return cValid, out
}

func refContent2(c refNode, present bool) codeID {
	switch {
	case !present:
		return cMissingContent
	case c.kind != kString || strings.TrimSpace(c.str) == "":
		return cEmptyContent
	}
	return cValid
}

func refAlpaca(top refNode) (codeID, []refContent) {
	ins, ok := top.get("instruction")
	if code := refContent2(ins, ok); code != cValid {
		return code, nil
	}
	out := []refContent{{role: roleUser, text: ins.str}}
	if in, ok := top.get("input"); ok {
		if in.kind != kString {
			return cEmptyContent, nil
		}
		if in.str != "" {
			out = append(out, refContent{role: roleUser, text: in.str})
		}
	}
	o, ok := top.get("output")
	if code := refContent2(o, ok); code != cValid {
		return code, nil
	}
	return cValid, append(out, refContent{role: roleAssistant, text: o.str})
}

// fastLine runs the fast path on a trimmed, non-blank line, returning what
// refLine returns.
func fastLine(c *lineChecker, line []byte) (shapeID, codeID, []refContent) {
	c.parse(line)
	if c.code != cValid {
		return sNone, c.code, nil
	}
	sh := c.shape()
	code, msg := c.check(sh)
	if code != cValid {
		if code != cNoShape && msg == "" {
			panic("error without a message")
		}
		return sh, code, nil
	}
	var out []refContent
	c.eachContent(sh, func(r role, text string) { out = append(out, refContent{role: r, text: strings.Clone(text)}) })
	for i, m := range c.listOf(sh) {
		out[i].zeroWeight, _ = c.binaryWeight(m.weight)
	}
	return sh, code, out
}

// compareLine fails t when the fast path and the reference disagree.
func compareLine(t *testing.T, c *lineChecker, line []byte) {
	t.Helper()
	wantShape, wantCode, wantContents := refLine(t, line)
	gotShape, gotCode, gotContents := fastLine(c, line)
	if gotShape != wantShape || gotCode != wantCode {
		t.Fatalf("line %q:\n fast: shape %s code %s\n  ref: shape %s code %s",
			line, shapeNames[gotShape], codeLabel(gotCode), shapeNames[wantShape], codeLabel(wantCode))
	}
	if len(gotContents) != len(wantContents) {
		t.Fatalf("line %q: contents %+v, reference %+v", line, gotContents, wantContents)
	}
	for i := range gotContents {
		if gotContents[i] != wantContents[i] {
			t.Fatalf("line %q: content %d is %+v, reference %+v", line, i, gotContents[i], wantContents[i])
		}
	}
}

func codeLabel(c codeID) string {
	switch c {
	case cValid:
		return "(valid)"
	case cNoShape:
		return "(no shape)"
	}
	return string(codeNames[c])
}
