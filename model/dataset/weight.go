package dataset

import (
	"strconv"
	"strings"
)

// A message's weight says whether training learns from it: only the
// assistant's messages take one, and it is 0 (left out of the loss, still
// counted in tokens) or 1. Other values are bad_weight: trainers read them
// differently, so no guess is made.

// spanField scans any value at c.p like field, keeping the raw span of a
// value that is not a string too (a weight's number is read later).
func (c *lineChecker) spanField() (field, bool) {
	start := c.p
	f, ok := c.field()
	if ok && f.kind != kString {
		f.start, f.end = int32(start), int32(c.p)
	}
	return f, ok
}

// binaryWeight reads a weight: whether it is 0 (rather than 1), and
// whether it is one of the two at all.
func (c *lineChecker) binaryWeight(f field) (zero, ok bool) {
	if f.kind != kNumber {
		return false, false
	}
	v, err := strconv.ParseFloat(bytesString(c.b[f.start:f.end]), 64)
	if err != nil || (v != 0 && v != 1) {
		return false, false
	}
	return v == 0, true
}

// rawValue quotes a weight as the line gives it, for a message.
func (c *lineChecker) rawValue(f field) string {
	if f.kind == kString {
		return "the string " + quoteValue(c.text(f))
	}
	raw := string(c.b[f.start:f.end])
	if len(raw) > 40 || strings.ContainsAny(raw, "{[") {
		return f.kind.String()
	}
	return raw
}

// zeroWeights counts the assistant messages of a valid line whose weight
// is 0: they are kept out of training.
func (c *lineChecker) zeroWeights(sh shapeID) int {
	msgs := c.listOf(sh)
	n := 0
	for _, m := range msgs {
		if zero, _ := c.binaryWeight(m.weight); zero {
			n++
		}
	}
	return n
}

// listOf is the message list of a line of shape sh (nil for alpaca).
func (c *lineChecker) listOf(sh shapeID) []message {
	switch sh {
	case sChat:
		return c.msgs
	case sShareGPT:
		return c.convs
	}
	return nil
}

// sameRoleRun finds the first two messages in a row from the user, or from
// the assistant, in a valid line: system messages are passed over (they
// neither count nor break a run), any other role breaks it. It returns the
// index of the second message and the role, or 0 when there is none.
func (c *lineChecker) sameRoleRun(sh shapeID) (int, role) {
	mapRole := chatRole
	if sh == sShareGPT {
		mapRole = shareGPTRole
	}
	prev := roleNone
	for i, m := range c.listOf(sh) {
		r := mapRole(c.text(m.role))
		switch {
		case r == roleSystem:
			continue
		case r == prev && (r == roleUser || r == roleAssistant):
			return i, r
		}
		prev = r
	}
	return 0, roleNone
}
