package printout

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestPrintsAfterItsLineIsDrawn: the text is printed only once the
// printout's own line has been drawn for a tick (out of the alternate
// screen), and enter ends it.
func TestPrintsAfterItsLineIsDrawn(t *testing.T) {
	var m Model
	text := "curl -T FILE.jsonl 'https://s3.example.com/" + strings.Repeat("x", 300) + "'"
	handled, cmd := m.Update(Show(text)())
	if !handled || cmd == nil || !m.Active() {
		t.Fatalf("Show: handled %v, active %v", handled, m.Active())
	}
	seq := m.seq
	// Not drawn yet: it waits.
	if _, cmd := m.Update(tickMsg{seq: seq}); cmd == nil || m.printed {
		t.Fatal("printed before the line was drawn")
	}
	if v := m.View(); v.AltScreen || v.Content != Back {
		t.Errorf("view %+v", v)
	}
	m.Update(tickMsg{seq: seq})
	if m.printed {
		t.Fatal("printed on the tick of the first drawing")
	}
	_, cmd = m.Update(tickMsg{seq: seq})
	if !m.printed || cmd == nil {
		t.Fatal("not printed a tick after the line was drawn")
	}
	if got := cmd(); !strings.Contains(strings.ToLower(fmtMsg(got)), "https://s3.example.com/") {
		t.Errorf("printed %v", got)
	}
	if handled, _ := m.Update(tea.KeyPressMsg{Code: 'x', Text: "x"}); !handled || !m.Active() {
		t.Error("x ended the printout or went through")
	}
	if _, _ = m.Update(tea.KeyPressMsg{Code: tea.KeyEnter}); m.Active() {
		t.Error("enter did not end the printout")
	}
	if handled, _ := m.Update(tea.KeyPressMsg{Code: 'x', Text: "x"}); handled {
		t.Error("a key after the printout was taken")
	}
}

func fmtMsg(m tea.Msg) string { return fmt.Sprint(m) }
