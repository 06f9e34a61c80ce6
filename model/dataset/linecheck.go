package dataset

import (
	"strconv"
	"strings"
)

// role is a message's role, with sharegpt's names mapped onto chat's.
type role uint8

const (
	roleNone role = iota
	roleSystem
	roleUser
	roleAssistant
	roleTool
)

// chatRole maps a chat message's role.
func chatRole(s string) role {
	switch s {
	case "system":
		return roleSystem
	case "user":
		return roleUser
	case "assistant":
		return roleAssistant
	case "tool":
		return roleTool
	}
	return roleNone
}

// shareGPTRole maps a sharegpt turn's from: human (or user) is the user,
// gpt (or assistant) the assistant, system the system prompt, and tool or
// observation (LLaMA-Factory's name) a tool result.
func shareGPTRole(s string) role {
	switch s {
	case "human", "user":
		return roleUser
	case "gpt", "assistant":
		return roleAssistant
	case "system":
		return roleSystem
	case "tool", "observation":
		return roleTool
	}
	return roleNone
}

// allowedExtra are the keys a message (or a sharegpt turn) may hold
// besides its role and content.
func allowedExtra(name string) bool { return extraBit(name) != 0 }

// extraBit is an allowed extra key's bit in messageObject's mask of the
// keys met (role and content take the two lowest), 0 for any other key.
func extraBit(name string) uint8 {
	switch name {
	case "name":
		return 1 << 2
	case "weight":
		return 1 << 3
	case "tool_calls":
		return 1 << 4
	case "tool_call_id":
		return 1 << 5
	case "function_call":
		return 1 << 6
	}
	return 0
}

// listNames are the words of messages for the two list shapes.
type listNames struct {
	list, role, content, roles, assistant string
	mapRole                               func(string) role
}

var (
	chatNames     = listNames{"messages", "role", "content", "system, user, assistant, tool", "assistant", chatRole}
	shareGPTNames = listNames{"conversations", "from", "value", "human, user, gpt, assistant, system, tool, observation", "gpt", shareGPTRole}
)

// messageObject scans one message object (a sharegpt turn when conv).
func (c *lineChecker) messageObject(conv bool) (message, bool) {
	m := message{kind: kObject}
	names := &chatNames
	if conv {
		names = &shareGPTNames
	}
	if !c.enter() {
		return m, false
	}
	c.ws()
	if c.p < len(c.b) && c.b[c.p] == '}' {
		c.p++
		c.depth--
		return m, true
	}
	var seen uint8 // the allowed keys met, one bit each
	others := c.openKeys()
	for {
		start, end, esc, ok := c.name()
		if !ok {
			return m, false
		}
		c.ws()
		switch name := c.keyName(start, end, esc); {
		case name == names.role:
			if ok = c.seenKey(&seen, 1<<0, start); ok {
				m.role, ok = c.field()
			}
		case name == names.content:
			if ok = c.seenKey(&seen, 1<<1, start); ok {
				m.content, ok = c.field()
			}
		case name == "weight":
			if ok = c.seenKey(&seen, extraBit(name), start); ok {
				m.weight, ok = c.spanField()
			}
		default:
			if bit := extraBit(name); bit != 0 {
				ok = c.seenKey(&seen, bit, start) && c.value()
				break
			}
			if m.badKey.kind == kAbsent {
				m.badKey = field{kind: kString, esc: esc, start: int32(start), end: int32(end)}
			}
			ok = c.addKey(&others, name, start) && c.value()
		}
		if !ok {
			return m, false
		}
		if !c.next('}') {
			c.closeKeys(others)
			return m, c.err == ""
		}
	}
}

// text decodes a string field; without escapes it is a view of the line.
func (c *lineChecker) text(f field) string {
	if !f.esc {
		return bytesString(c.b[f.start:f.end])
	}
	n := len(c.scratch)
	c.scratch = appendUnescaped(c.scratch, c.b[f.start:f.end])
	return bytesString(c.scratch[n:])
}

// check applies the rules of the line's own shape to a parsed object and
// returns the first rule it breaks, with the message, or cValid. The order
// is fixed (the reference implementation in the tests follows it): the
// list, then each message in turn (not an object, an unexpected key, its
// role, its content, a system message after the first, its weight), then
// the assistant rules.
func (c *lineChecker) check(sh shapeID) (codeID, string) {
	switch sh {
	case sChat:
		return c.checkList(c.messages, c.msgs, &chatNames)
	case sShareGPT:
		return c.checkList(c.conversations, c.convs, &shareGPTNames)
	case sAlpaca:
		return c.checkAlpaca()
	}
	return cNoShape, ""
}

func (c *lineChecker) checkList(f field, msgs []message, n *listNames) (codeID, string) {
	switch {
	case f.kind == kAbsent:
		return cMissingMessages, n.list + " is missing"
	case f.kind != kArray:
		return cMissingMessages, n.list + " is " + f.kind.String() + ", not a list"
	case len(msgs) == 0:
		return cEmptyMessages, n.list + " is empty"
	}
	hasAssistant := false
	var last role
	for i, m := range msgs {
		// at names the message; built only for an error, so a valid line
		// allocates nothing.
		at := func() string { return n.list + "[" + strconv.Itoa(i) + "]" }
		if m.kind != kObject {
			return cMessageNotObject, at() + " is " + m.kind.String() + ", not an object"
		}
		if m.badKey.kind != kAbsent {
			return cUnexpectedKey, at() + " has unexpected key " + quoteValue(c.text(m.badKey)) +
				" (allowed: " + n.role + ", " + n.content + ", name, weight, tool_calls, tool_call_id, function_call)"
		}
		switch m.role.kind {
		case kAbsent:
			return cMissingRole, at() + " has no " + n.role
		case kString:
		default:
			return cUnknownRole, at() + "." + n.role + " is " + m.role.kind.String() + ", not a string"
		}
		name := c.text(m.role)
		r := n.mapRole(name)
		if r == roleNone {
			return cUnknownRole, at() + "." + n.role + " " + quoteValue(name) + " is not one of " + n.roles
		}
		switch c.contentCode(m.content) {
		case cMissingContent:
			return cMissingContent, at() + " has no " + n.content
		case cEmptyContent:
			return cEmptyContent, at() + "." + n.content + " " + c.emptyReason(m.content)
		}
		if r == roleSystem && i > 0 {
			return cMisplacedSystem, at() + " is a system message; only the first message may be one"
		}
		if m.weight.kind != kAbsent {
			if r != roleAssistant {
				return cBadWeight, at() + " has a weight but is not the " + n.assistant + "'s; only the " + n.assistant + "'s messages take one"
			}
			if _, ok := c.binaryWeight(m.weight); !ok {
				return cBadWeight, at() + ".weight is " + c.rawValue(m.weight) + ", not 0 or 1"
			}
		}
		hasAssistant = hasAssistant || r == roleAssistant
		last = r
	}
	if !hasAssistant {
		return cNoAssistantMessage, "no message in " + n.list + " is from the " + n.assistant
	}
	if last != roleAssistant {
		i := len(msgs) - 1
		return cLastNotAssistant, "the last message, " + n.list + "[" + strconv.Itoa(i) + "], has " + n.role + " " +
			quoteValue(c.text(msgs[i].role)) + ", not the " + n.assistant
	}
	return cValid, ""
}

// contentCode checks a required text: present, a string, not blank.
func (c *lineChecker) contentCode(f field) codeID {
	switch f.kind {
	case kAbsent:
		return cMissingContent
	case kString:
	default:
		return cEmptyContent
	}
	// Most texts start with a printable ASCII character: not blank,
	// without decoding. (Raw contents hold no control characters.)
	if f.end > f.start {
		if b := c.b[f.start]; b < 0x80 && b != ' ' && b != '\\' {
			return cValid
		}
	}
	if strings.TrimSpace(c.text(f)) == "" {
		return cEmptyContent
	}
	return cValid
}

// emptyReason says why contentCode found a text empty.
func (c *lineChecker) emptyReason(f field) string {
	switch {
	case f.kind != kString:
		return "is " + f.kind.String() + ", not a string"
	case c.text(f) == "":
		return "is empty"
	}
	return "is only whitespace"
}

// checkContent is contentCode with the message, for alpaca's fields.
func (c *lineChecker) checkContent(f field, name string) (codeID, string) {
	switch code := c.contentCode(f); code {
	case cMissingContent:
		return code, name + " is missing"
	case cEmptyContent:
		return code, name + " " + c.emptyReason(f)
	}
	return cValid, ""
}

// checkAlpaca applies the rules to instruction, input and output: the
// instruction and output are the user's and the assistant's content, the
// input is optional and may be empty but must be a string.
func (c *lineChecker) checkAlpaca() (codeID, string) {
	if code, msg := c.checkContent(c.instruction, "instruction"); code != cValid {
		return code, msg
	}
	if k := c.input.kind; k != kAbsent && k != kString {
		return cEmptyContent, "input is " + k.String() + ", not a string"
	}
	return c.checkContent(c.output, "output")
}

// eachContent calls f with the role and text of each message of a valid
// line of shape sh, in order. An alpaca line is the instruction and input
// as the user, the output as the assistant.
func (c *lineChecker) eachContent(sh shapeID, f func(r role, text string)) {
	switch sh {
	case sChat, sShareGPT:
		msgs, mapRole := c.msgs, chatRole
		if sh == sShareGPT {
			msgs, mapRole = c.convs, shareGPTRole
		}
		for _, m := range msgs {
			f(mapRole(c.text(m.role)), c.text(m.content))
		}
	case sAlpaca:
		f(roleUser, c.text(c.instruction))
		if c.input.kind == kString && c.input.end > c.input.start {
			f(roleUser, c.text(c.input))
		}
		f(roleAssistant, c.text(c.output))
	}
}

// messageCount is the number of messages of a valid line.
func (c *lineChecker) messageCount(sh shapeID) int {
	switch sh {
	case sChat:
		return len(c.msgs)
	case sShareGPT:
		return len(c.convs)
	}
	return 2
}

// quoteValue quotes a value from the line for a message, cut at 40 runes.
func quoteValue(s string) string {
	n := 0
	for i := range s {
		if n == 40 {
			return strconv.Quote(s[:i]) + "…"
		}
		n++
	}
	return strconv.Quote(s)
}
