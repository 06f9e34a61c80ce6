package datasets

import (
	"encoding/json"
	"strings"
)

// turn is one message of a sample example, whatever its shape called it.
type turn struct {
	role, text string
}

// sampleTurns reads a sample line of any accepted shape into its messages:
// chat's role/content, sharegpt's from/value, alpaca's instruction (with its
// input) and output. A line of none of them comes back as its raw JSON, so
// a sample is never lost to a shape this screen does not know.
func sampleTurns(raw json.RawMessage) []turn {
	var line map[string]json.RawMessage
	if json.Unmarshal(raw, &line) != nil {
		return []turn{{role: "line", text: string(raw)}}
	}
	if list, ok := line["messages"]; ok {
		if ts := listTurns(list, "role", "content"); ts != nil {
			return ts
		}
	}
	if list, ok := line["conversations"]; ok {
		if ts := listTurns(list, "from", "value"); ts != nil {
			return ts
		}
	}
	if _, ok := line["instruction"]; ok {
		instr, input, output := str(line["instruction"]), str(line["input"]), str(line["output"])
		if input != "" {
			instr += "\n" + input
		}
		return []turn{{role: "instruction", text: instr}, {role: "output", text: output}}
	}
	return []turn{{role: "line", text: string(raw)}}
}

func listTurns(raw json.RawMessage, roleKey, textKey string) []turn {
	var msgs []map[string]json.RawMessage
	if json.Unmarshal(raw, &msgs) != nil {
		return nil
	}
	out := make([]turn, 0, len(msgs))
	for _, m := range msgs {
		out = append(out, turn{role: str(m[roleKey]), text: str(m[textKey])})
	}
	return out
}

// str is a JSON string's value, or the raw JSON of anything else.
func str(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// assistantRole reports whether a role is the model's side of a sample.
func assistantRole(role string) bool {
	switch strings.ToLower(role) {
	case "assistant", "gpt", "output", "model":
		return true
	}
	return false
}
