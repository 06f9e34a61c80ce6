package convfile

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"unicode/utf8"
)

// decoderTree is what decodeTree stands in for: a json.Decoder with
// UseNumber.
func decoderTree(t testing.TB, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decoder: %v", err)
	}
	return v
}

var treeCases = []string{
	`{}`, `[]`, `""`, `0`, `-1.5e+10`, `true`, `false`, `null`,
	` { "a" : [ 1 , 2.50 , -0 , 1E3 ] , "b" : { } , "c" : [ ] } `,
	"{\"turns\":[{\"role\":\"user\",\"content\":\"héllo wörld ☃ 😀\"}],\"n\":null}\n\t\r",
	`{"a":"x\"y\\z\/w\b\f\n\r\t","b":"\u00e9\u2603\ud83d\ude00","c":"\ud800 lone","d":"\udc00\ud800"}`,
	`{"k\u0065y":1,"key":2}`,
	`{"a":1,"a":[{"a":{"a":"last"}}]}`,
	`[[[[[[[[[[{"deep":[true,false,null]}]]]]]]]]]]`,
	`{"emotional_context":{"list":[],"obj":{},"num":1.0e-7,"big":123456789012345678901234567890}}`,
	`"only a string"`,
	`[1,"2",[3],{"4":4}]`,
}

// decodeTree gives what the Decoder gives, value for value: the same
// types (json.Number, non-nil empty slices), the same unescaping, the last
// of a repeated key.
func TestDecodeTreeMatchesDecoder(t *testing.T) {
	for _, c := range treeCases {
		data := []byte(c)
		if !json.Valid(data) {
			t.Fatalf("case is not valid JSON: %s", c)
		}
		want := decoderTree(t, data)
		if got := decodeTree(data, false); !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got  %#v\n want %#v", c, got, want)
		}
	}
}

// Unless shared, the strings of the tree do not share memory with data: a
// caller may reuse its buffer. Shared, they do, and are otherwise the same.
func TestDecodeTreeSharesStringsOnlyWhenAsked(t *testing.T) {
	data := []byte(`{"content":"abc","esc":"\u0061"}`)
	copied, shared := decodeTree(data, false), decodeTree(data, true)
	if !reflect.DeepEqual(copied, shared) {
		t.Fatalf("shared %#v, copied %#v", shared, copied)
	}
	copy(data[bytes.Index(data, []byte("abc")):], "xxx")
	if got := copied.(map[string]any)["content"]; got != "abc" {
		t.Errorf("copied content %q after data changed, want abc", got)
	}
	if got := shared.(map[string]any)["content"]; got != "xxx" {
		t.Errorf("shared content %q after data changed, want it to be data's bytes (xxx)", got)
	}
	if got := shared.(map[string]any)["esc"]; got != "a" {
		t.Errorf("shared escaped string %q, want a copy (a)", got)
	}
}

func FuzzDecodeTreeMatchesDecoder(f *testing.F) {
	for _, c := range treeCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) || !utf8.Valid(data) {
			return // ParseConversationFile rejects both before decoding
		}
		if got, want := decodeTree(data, false), decoderTree(t, data); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\n got  %#v\n want %#v", data, got, want)
		}
	})
}
