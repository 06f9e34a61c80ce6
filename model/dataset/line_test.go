package dataset

import (
	"fmt"
	"strings"
	"testing"
)

const (
	okUser = `{"role":"user","content":"Hi"}`
	okBot  = `{"role":"assistant","content":"Hello"}`
)

// lineCases are the rules of docs/formats.md#datasets-and-validation, at least one line per code,
// with the line's own shape, its code and its message.
var lineCases = []struct {
	name  string
	line  string
	shape Shape
	code  Code // "" for a valid line
	msg   string
}{
	{"valid chat", `{"messages":[` + okUser + `,` + okBot + `]}`, ShapeChat, "", ""},
	{"valid with system and extras", `{"messages":[{"role":"system","content":"Be brief"},{"role":"user","content":"Hi","name":"ann"},{"role":"assistant","content":"Yo","weight":1}],"metadata":{"format":"brightrun-lora-v4"}}`, ShapeChat, "", ""},
	{"valid tool turn", `{"messages":[` + okUser + `,{"role":"assistant","content":"calling","tool_calls":[{"id":"1"}]},{"role":"tool","content":"42","tool_call_id":"1"},` + okBot + `]}`, ShapeChat, "", ""},
	{"valid escaped", `{"mess\u0061ges":[{"role":"us\u0065r","content":"\ud83d\ude00 \"q\""},` + okBot + `]}`, ShapeChat, "", ""},
	{"valid sharegpt", `{"conversations":[{"from":"human","value":"Hi"},{"from":"gpt","value":"Hello"}]}`, ShapeShareGPT, "", ""},
	{"valid alpaca", `{"instruction":"Add","input":"","output":"2"}`, ShapeAlpaca, "", ""},

	{"invalid json", `{"messages":[`, ShapeUnknown, InvalidJSON, "invalid JSON at column 14: unexpected end of line, want a value"},
	{"trailing comma", `{"messages":[],}`, ShapeUnknown, InvalidJSON, `invalid JSON at column 16: unexpected '}', want a string key or '}'`},
	{"trailing data", `{} {}`, ShapeUnknown, InvalidJSON, `invalid JSON at column 4: unexpected '{' after the JSON value`},
	{"control character", "{\"a\":\"x\ty\"}", ShapeUnknown, InvalidJSON, `invalid JSON at column 8: control character '\t' in string`},
	{"bad escape", `{"a":"\x"}`, ShapeUnknown, InvalidJSON, `invalid JSON at column 8: invalid escape 'x' in string`},
	{"too deep", strings.Repeat("[", 10001) + strings.Repeat("]", 10001), ShapeUnknown, InvalidJSON, "invalid JSON at column 10001: nested deeper than 10000 levels"},
	{"not object array", `[1,2]`, ShapeUnknown, NotObject, "line is a list, not a JSON object"},
	{"not object string", ` "hi" `, ShapeUnknown, NotObject, "line is a string, not a JSON object"},
	{"deep but valid", strings.Repeat("[", 10000) + strings.Repeat("]", 10000), ShapeUnknown, NotObject, "line is a list, not a JSON object"},
	{"invalid utf8", "{\"messages\":\"\xff\"}", ShapeUnknown, InvalidUTF8, "line is not valid UTF-8: byte 0xff at column 14"},
	{"too long", `{"a":"` + strings.Repeat("x", MaxLineBytes) + `"}`, ShapeUnknown, LineTooLong, "line is 1048584 bytes, over the limit of 1 MiB (1048576 bytes)"},

	{"messages not a list", `{"messages":{"role":"user"}}`, ShapeChat, MissingMessages, "messages is an object, not a list"},
	{"messages null", `{"messages":null}`, ShapeChat, MissingMessages, "messages is null, not a list"},
	{"messages repeated", `{"messages":[` + okUser + `,` + okBot + `],"messages":"x"}`, ShapeUnknown, InvalidJSON, `$: duplicate key "messages" at column 85`},
	{"role repeated", `{"messages":[{"role":"user","role":"assistant","content":"Hi"},` + okBot + `]}`, ShapeUnknown, InvalidJSON, `$.messages[0]: duplicate key "role" at column 29`},
	{"role repeated escaped", `{"messages":[` + okUser + `,{"role":"assistant","content":"a","r\u006fle":"user"}]}`, ShapeUnknown, InvalidJSON, `$.messages[1]: duplicate key "role" at column 79`},
	{"content repeated", `{"messages":[` + okUser + `,{"role":"assistant","content":"a","content":""}]}`, ShapeUnknown, InvalidJSON, `$.messages[1]: duplicate key "content" at column 79`},
	{"weight repeated", `{"messages":[` + okUser + `,{"role":"assistant","content":"a","weight":0,"weight":1}]}`, ShapeUnknown, InvalidJSON, `$.messages[1]: duplicate key "weight" at column 90`},
	{"unknown key repeated", `{"messages":[{"role":"user","content":"Hi","mood":1,"mood":2},` + okBot + `]}`, ShapeUnknown, InvalidJSON, `$.messages[0]: duplicate key "mood" at column 53`},
	{"tool call repeated", `{"messages":[` + okUser + `,{"role":"assistant","content":"a","tool_calls":[{"id":"1","function":{"name":"f","name":"g"}}]}]}`, ShapeUnknown, InvalidJSON, `$.messages[1].tool_calls[0].function: duplicate key "name" at column 126`},
	{"metadata repeated", `{"messages":[` + okUser + `,` + okBot + `],"metadata":{},"metadata":{}}`, ShapeUnknown, InvalidJSON, `$: duplicate key "metadata" at column 99`},
	{"metadata key repeated", `{"metadata":{"tags":[{"a":1},{"b":1,"b":2}]},"messages":[` + okUser + `,` + okBot + `]}`, ShapeUnknown, InvalidJSON, `$.metadata.tags[1]: duplicate key "b" at column 37`},
	{"odd names in the path", `{"a b":{"\u00e9":[0,{"x":1,"x\u0000":2,"x":3}]}}`, ShapeUnknown, InvalidJSON, `$["a b"]["é"][1]: duplicate key "x" at column 40`},
	{"many keys repeated", `{"k":{` + manyKeys(40) + `,"k7":0}}`, ShapeUnknown, InvalidJSON, `$.k: duplicate key "k7" at column 317`},
	{"many keys, none repeated", `{"k":{` + manyKeys(40) + `},"l":{` + manyKeys(40) + `},"instruction":"a","output":"b"}`, ShapeAlpaca, "", ""},
	{"from repeated", `{"conversations":[{"from":"human","value":"Hi","from":"gpt"}]}`, ShapeUnknown, InvalidJSON, `$.conversations[0]: duplicate key "from" at column 48`},
	{"output repeated", `{"instruction":"Add","output":"2","output":"3"}`, ShapeUnknown, InvalidJSON, `$: duplicate key "output" at column 35`},
	{"repeated before a syntax error", `{"a":1,"a":2,}`, ShapeUnknown, InvalidJSON, `$: duplicate key "a" at column 8`},
	{"syntax error before a repeat", `{"a":1 "a":2}`, ShapeUnknown, InvalidJSON, `invalid JSON at column 8: unexpected '"', want ',' or '}'`},
	{"repeated with invalid utf8 later", "{\"a\":1,\"a\":\"\xff\"}", ShapeUnknown, InvalidUTF8, "line is not valid UTF-8: byte 0xff at column 13"},
	{"same key in other objects", `{"messages":[{"role":"user","content":"Hi","name":"a"},{"role":"assistant","content":"Yo","name":"a"}],"name":{"name":{"name":1}}}`, ShapeChat, "", ""},
	{"empty messages", `{"messages":[]}`, ShapeChat, EmptyMessages, "messages is empty"},
	{"message not object", `{"messages":["hi",` + okBot + `]}`, ShapeChat, MessageNotObject, "messages[0] is a string, not an object"},
	{"missing role", `{"messages":[{"content":"Hi"},` + okBot + `]}`, ShapeChat, MissingRole, "messages[0] has no role"},
	{"unknown role", `{"messages":[` + okUser + `,` + okBot + `,{"role":"robot","content":"x"}]}`, ShapeChat, UnknownRole, `messages[2].role "robot" is not one of system, user, assistant, tool`},
	{"role not a string", `{"messages":[{"role":1,"content":"Hi"},` + okBot + `]}`, ShapeChat, UnknownRole, "messages[0].role is a number, not a string"},
	{"role case matters", `{"messages":[{"role":"User","content":"Hi"},` + okBot + `]}`, ShapeChat, UnknownRole, `messages[0].role "User" is not one of system, user, assistant, tool`},
	{"missing content", `{"messages":[{"role":"user"},` + okBot + `]}`, ShapeChat, MissingContent, "messages[0] has no content"},
	{"empty content", `{"messages":[` + okUser + `,{"role":"assistant","content":""}]}`, ShapeChat, EmptyContent, "messages[1].content is empty"},
	{"whitespace content", `{"messages":[{"role":"user","content":" \n\t\u00a0"},` + okBot + `]}`, ShapeChat, EmptyContent, "messages[0].content is only whitespace"},
	{"content not a string", `{"messages":[{"role":"user","content":[{"type":"text"}]},` + okBot + `]}`, ShapeChat, EmptyContent, "messages[0].content is a list, not a string"},
	{"content null", `{"messages":[` + okUser + `,{"role":"assistant","content":null,"tool_calls":[]}]}`, ShapeChat, EmptyContent, "messages[1].content is null, not a string"},
	{"unexpected key", `{"messages":[{"role":"user","content":"Hi","mood":"ok","x":1},` + okBot + `]}`, ShapeChat, UnexpectedKey, `messages[0] has unexpected key "mood" (allowed: role, content, name, weight, tool_calls, tool_call_id, function_call)`},
	{"unexpected key first", `{"messages":[{"role":"robot","extra":1},` + okBot + `]}`, ShapeChat, UnexpectedKey, `messages[0] has unexpected key "extra" (allowed: role, content, name, weight, tool_calls, tool_call_id, function_call)`},
	{"no assistant", `{"messages":[` + okUser + `]}`, ShapeChat, NoAssistantMessage, "no message in messages is from the assistant"},
	{"last not assistant", `{"messages":[` + okUser + `,` + okBot + `,` + okUser + `]}`, ShapeChat, LastNotAssistant, `the last message, messages[2], has role "user", not the assistant`},
	{"misplaced system", `{"messages":[` + okUser + `,{"role":"system","content":"x"},` + okBot + `]}`, ShapeChat, MisplacedSystem, "messages[1] is a system message; only the first message may be one"},
	{"no shape", `{"prompt":"a","completion":"b"}`, ShapeUnknown, "", ""},

	{"sharegpt missing", `{"conversations":5}`, ShapeShareGPT, MissingMessages, "conversations is a number, not a list"},
	{"sharegpt empty", `{"conversations":[]}`, ShapeShareGPT, EmptyMessages, "conversations is empty"},
	{"sharegpt bad from", `{"conversations":[{"from":"bot","value":"x"}]}`, ShapeShareGPT, UnknownRole, `conversations[0].from "bot" is not one of human, user, gpt, assistant, system, tool, observation`},
	{"sharegpt no from", `{"conversations":[{"value":"x"}]}`, ShapeShareGPT, MissingRole, "conversations[0] has no from"},
	{"sharegpt no value", `{"conversations":[{"from":"human"}]}`, ShapeShareGPT, MissingContent, "conversations[0] has no value"},
	{"sharegpt chat keys", `{"conversations":[{"role":"user","content":"x"}]}`, ShapeShareGPT, UnexpectedKey, `conversations[0] has unexpected key "role" (allowed: from, value, name, weight, tool_calls, tool_call_id, function_call)`},
	{"sharegpt last human", `{"conversations":[{"from":"gpt","value":"x"},{"from":"human","value":"y"}]}`, ShapeShareGPT, LastNotAssistant, `the last message, conversations[1], has from "human", not the gpt`},
	{"sharegpt no gpt", `{"conversations":[{"from":"human","value":"y"}]}`, ShapeShareGPT, NoAssistantMessage, "no message in conversations is from the gpt"},
	{"assistant weight 0 is valid", `{"messages":[` + okUser + `,{"role":"assistant","content":"Yo","weight":0}]}`, ShapeChat, "", ""},
	{"weight on the user", `{"messages":[{"role":"user","content":"Hi","weight":1},` + okBot + `]}`, ShapeChat, BadWeight, "messages[0] has a weight but is not the assistant's; only the assistant's messages take one"},
	{"weight not 0 or 1", `{"messages":[` + okUser + `,{"role":"assistant","content":"Yo","weight":0.5}]}`, ShapeChat, BadWeight, "messages[1].weight is 0.5, not 0 or 1"},
	{"weight a string", `{"messages":[` + okUser + `,{"role":"assistant","content":"Yo","weight":"1"}]}`, ShapeChat, BadWeight, `messages[1].weight is the string "1", not 0 or 1`},
	{"weight a list", `{"messages":[` + okUser + `,{"role":"assistant","content":"Yo","weight":[1]}]}`, ShapeChat, BadWeight, "messages[1].weight is a list, not 0 or 1"},
	{"sharegpt weight on human", `{"conversations":[{"from":"human","value":"y","weight":0},{"from":"gpt","value":"x"}]}`, ShapeShareGPT, BadWeight, "conversations[0] has a weight but is not the gpt's; only the gpt's messages take one"},
	{"sharegpt system later", `{"conversations":[{"from":"human","value":"y"},{"from":"system","value":"s"},{"from":"gpt","value":"x"}]}`, ShapeShareGPT, MisplacedSystem, "conversations[1] is a system message; only the first message may be one"},

	{"alpaca no output", `{"instruction":"Add"}`, ShapeAlpaca, MissingContent, "output is missing"},
	{"alpaca no instruction", `{"input":"x","output":"2"}`, ShapeAlpaca, MissingContent, "instruction is missing"},
	{"alpaca empty output", `{"instruction":"Add","output":"  "}`, ShapeAlpaca, EmptyContent, "output is only whitespace"},
	{"alpaca input not string", `{"instruction":"Add","input":3,"output":"2"}`, ShapeAlpaca, EmptyContent, "input is a number, not a string"},
	{"alpaca instruction null", `{"instruction":null,"output":"2"}`, ShapeAlpaca, EmptyContent, "instruction is null, not a string"},
}

// manyKeys is n members "k0":0,"k1":0,… of an object, past smallObject.
func manyKeys(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"k%d":0`, i)
	}
	return b.String()
}

func TestLineRules(t *testing.T) {
	var c lineChecker
	for _, tt := range lineCases {
		t.Run(tt.name, func(t *testing.T) {
			line := []byte(tt.line)
			if got := DetectShape(line); got != tt.shape {
				t.Errorf("DetectShape = %s, want %s", got, tt.shape)
			}
			sh, code, _ := fastLine(&c, line)
			var msg string
			if code != cValid && code != cNoShape {
				if code.shapeless() {
					msg = c.parseMessage()
				} else {
					c.parse(line)
					_, msg = c.check(sh)
				}
			}
			if got := codeNames[code]; got != tt.code || msg != tt.msg {
				t.Errorf("code %q message %q\nwant %q message %q", got, msg, tt.code, tt.msg)
			}
			if len(line) <= 4096 {
				compareLine(t, &c, line)
			}
		})
	}
}

// TestLineAllocs holds a valid line, and one whose objects hold more keys
// than smallObject, to no allocation once the checker's buffers have grown:
// tracking keys for duplicates must not cost one per line.
func TestLineAllocs(t *testing.T) {
	var c lineChecker
	for _, line := range []string{
		`{"messages":[{"role":"system","content":"Be brief"},{"role":"user","content":"Hi","name":"ann"},{"role":"assistant","content":"Yo","weight":1,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]}],"metadata":{"format":"brightrun-lora-v4","pair_id":"p1"},"id":7}`,
		`{"conversations":[{"from":"human","value":"Hi"},{"from":"gpt","value":"Hello"}],"source":{"a":{"b":[{"c":1,"d":2}]}}}`,
		`{"instruction":"Add","input":"","output":"2","meta":{` + manyKeys(40) + `,"inner":{` + manyKeys(20) + `}}}`,
	} {
		b := []byte(line)
		allocs := testing.AllocsPerRun(50, func() {
			c.parse(b)
			if code, msg := c.check(c.shape()); c.code != cValid || code != cValid {
				t.Fatalf("line %s: code %s %s", line, codeLabel(max(c.code, code)), msg)
			}
		})
		if allocs != 0 {
			t.Errorf("line %.40s…: %v allocations per line, want 0", line, allocs)
		}
	}
}

// TestResolve covers the codes that depend on the dataset's shape.
func TestResolve(t *testing.T) {
	tests := []struct {
		line    shapeID
		code    codeID
		dataset shapeID
		want    codeID
	}{
		{sNone, cInvalidJSON, sChat, cInvalidJSON},
		{sNone, cNoShape, sChat, cMissingMessages},
		{sNone, cNoShape, sShareGPT, cMissingMessages},
		{sNone, cNoShape, sAlpaca, cMissingContent},
		{sNone, cNoShape, sNone, cMissingMessages},
		{sShareGPT, cValid, sChat, cShapeMismatch},
		{sShareGPT, cEmptyMessages, sChat, cShapeMismatch},
		{sChat, cEmptyMessages, sChat, cEmptyMessages},
		{sAlpaca, cValid, sAlpaca, cValid},
	}
	for _, tt := range tests {
		if got := resolve(tt.line, tt.code, tt.dataset); got != tt.want {
			t.Errorf("resolve(%s, %s, %s) = %s, want %s", shapeNames[tt.line], codeLabel(tt.code), shapeNames[tt.dataset], codeLabel(got), codeLabel(tt.want))
		}
	}
}

// TestScannerMatchesEncodingJSON holds the scanner to json.Valid on the
// corners of the grammar.
func TestScannerMatchesEncodingJSON(t *testing.T) {
	var c lineChecker
	for _, s := range []string{
		`{}`, ` { } `, `{"a":1}`, `{"a":-0}`, `{"a":-}`, `{"a":01}`, `{"a":1.}`, `{"a":.5}`, `{"a":1e}`, `{"a":1E+5}`,
		`{"a":1e-05}`, `{"a":-1.5e3}`, `{"a":tru}`, `{"a":true}`, `{"a":nul}`, `{"a":falsey}`, `{"a":"\u12"}`, `{"a":"\u12G4"}`,
		`{"a":"\ud800"}`, `{"a":"\udc00\ud800"}`, `{"a":"\/\b\f\n\r\t\\\""}`, `{"a" 1}`, `{"a":1 "b":2}`, `{,}`, `{"a":[1,]}`,
		`{"a":[,1]}`, `{"a":[1 2]}`, `{"a":{"b":{"c":[[]]}}}`, `{'a':1}`, `{"a":1}}`, `{"a":"x`, `{"a":"x\`, "{\"a\":\"\x7f\"}",
		"{\"a\":1}\r", "\t{}\t", `{"a":NaN}`, `{"a":Infinity}`, `{"a":+1}`, `{"a":0x10}`, `{"a":"` + strings.Repeat(`\\`, 9) + `"}`,
		`{"abcdefgh":"ijklmnop\"qrstuvwx"}`, `{"a":"12345678\u0041bcdefgh"}`, strings.Repeat(`{"a":`, 10000) + `1` + strings.Repeat(`}`, 10000),
		strings.Repeat(`{"a":`, 10001) + `1` + strings.Repeat(`}`, 10001), `{"a":[` + strings.Repeat(`[`, 9999) + strings.Repeat(`]`, 9999) + `]}`,
	} {
		compareLine(t, &c, []byte(s))
	}
}

// TestStringScanOffsets puts escapes, multi-byte runes, invalid UTF-8 and
// string ends at every offset of the scanner's eight-byte steps.
func TestStringScanOffsets(t *testing.T) {
	var c lineChecker
	for _, mid := range []string{`\"`, `\\`, `\u00e9`, `\ud83d\ude00`, "é", "東", "😊", "\xff", "\xc0\x80", "\xed\xa0\x80",
		"\xe2\x82", "\xf4\x90\x80\x80", "\x7f", "\x1f", `"`, `\`, "\u00a0", ""} {
		for off := range 17 {
			for _, tail := range []string{"", "abcdefgh", "ü"} {
				content := strings.Repeat("x", off) + mid + tail
				compareLine(t, &c, []byte(`{"messages":[{"role":"user","content":"`+content+`"},{"role":"assistant","content":"ok"}]}`))
				compareLine(t, &c, []byte(`{"k`+content+`":1}`))
			}
		}
	}
}
