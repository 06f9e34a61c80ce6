package printout

import (
	"bytes"
	"strings"
	"testing"
)

// TestRunPrintsUnwrapped: the text goes out whole, each line as long as it
// is, with CR LF ends, and Run returns at enter (CR in a raw terminal, LF
// in a cooked one), leaving what follows unread.
func TestRunPrintsUnwrapped(t *testing.T) {
	url := "https://s3.example.com/bucket/" + strings.Repeat("x", 300) + "?X-Amz-Signature=abc"
	curl := "curl --fail -T FILE.jsonl '" + url + "'"
	for _, enter := range []string{"\r", "\n"} {
		var out bytes.Buffer
		in := strings.NewReader("ab" + enter + "rest")
		c := &command{text: url + "\n" + curl + "\n"}
		c.SetStdin(in)
		c.SetStdout(&out)
		if err := c.Run(); err != nil {
			t.Fatal(err)
		}
		want := "\r\n" + url + "\r\n" + curl + "\r\n\r\n" + back + "\r\n"
		if out.String() != want {
			t.Errorf("wrote %q, want %q", out.String(), want)
		}
		if in.Len() != len("rest") {
			t.Errorf("enter %q: %d bytes left unread, want 4", enter, in.Len())
		}
	}
}

func TestRunWithoutTerminal(t *testing.T) {
	if err := (&command{text: "x"}).Run(); err == nil {
		t.Error("ran with no input and output")
	}
}
