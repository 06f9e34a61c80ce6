// Package printout shows text outside the full-screen frame, for what a
// person copies by selecting it: a presigned URL, the curl line that uses
// it. The frame is cut to the terminal's width, so a long URL in it is cut
// into rows, and a selection across rows copies the breaks too. Here the
// program hands the terminal back, the text is written as plain lines that
// the terminal wraps itself (a selection of a wrapped line copies it
// whole), and enter returns to the frame. Locally and over SSH alike: the
// text goes to the program's own output.
package printout

import (
	"errors"
	"io"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// DoneMsg says the printout was closed; Err is why it failed, if it did.
type DoneMsg struct{ Err error }

// Show writes text (its lines as they are, however long) and waits for
// enter before the frame comes back.
func Show(text string) tea.Cmd {
	return tea.Exec(&command{text: text}, func(err error) tea.Msg { return DoneMsg{Err: err} })
}

// back is the last line, under the text.
const back = "enter returns to brightrun"

// command is the printout as tea.Exec runs it, on the program's input and
// output.
type command struct {
	text string
	in   io.Reader
	out  io.Writer
}

func (c *command) SetStdin(r io.Reader)  { c.in = r }
func (c *command) SetStdout(w io.Writer) { c.out = w }
func (c *command) SetStderr(io.Writer)   {}

// Run writes the text and reads up to enter. Lines end in CR LF: over SSH
// the client's terminal is raw and would not return the carriage for a
// bare LF. Blank lines around the text keep a selection from taking in the
// prompt or what the terminal showed before.
func (c *command) Run() error {
	if c.out == nil || c.in == nil {
		return errors.New("printout: the program has no terminal to print on")
	}
	lines := strings.Split(strings.TrimRight(c.text, "\n"), "\n")
	body := "\r\n" + strings.Join(lines, "\r\n") + "\r\n\r\n" + back + "\r\n"
	if _, err := io.WriteString(c.out, body); err != nil {
		return err
	}
	var b [1]byte
	for {
		n, err := c.in.Read(b[:])
		if n == 1 && (b[0] == '\r' || b[0] == '\n') {
			return nil
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
