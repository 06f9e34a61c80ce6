package numfield

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"brightrun/ui/internal/uitest"
)

func TestKeysAndPastesAreFiltered(t *testing.T) {
	for _, tc := range []struct {
		kind  Kind
		typed string
		paste string
		want  string
	}{
		{Whole, "13,2x68_5", "7a2", "13,268_572"},
		{Decimal, "5e-5q", ".0,1", "5e-5.01"},
	} {
		m := New(tc.kind, 12)
		m.Focus()
		for _, msg := range uitest.Type(tc.typed) {
			m, _ = m.Update(msg)
		}
		m, _ = m.Update(tea.PasteMsg{Content: tc.paste})
		if m.Value() != tc.want {
			t.Errorf("kind %d: %q, want %q", tc.kind, m.Value(), tc.want)
		}
	}
}

func TestParse(t *testing.T) {
	if n, err := ParseWhole(" 13_268,572 "); err != nil || n != 13268572 {
		t.Errorf("ParseWhole: %d %v", n, err)
	}
	if _, err := ParseWhole(""); err != ErrRequired {
		t.Errorf("blank: %v", err)
	}
	if _, err := ParseWhole("1e3"); err != ErrNotWhole {
		t.Errorf("1e3: %v", err)
	}
	if n, _ := ParseInt("99999999999"); n != 1<<31-1 {
		t.Errorf("ParseInt does not cap: %d", n)
	}
	if v, err := ParseFloat("5e-5"); err != nil || v != 5e-5 {
		t.Errorf("ParseFloat: %v %v", v, err)
	}
	if _, err := ParseFloat("1.2.3"); err != ErrNotFloat {
		t.Errorf("1.2.3: %v", err)
	}
	if p, err := ParseOptionalInt("  "); p != nil || err != nil {
		t.Errorf("optional blank: %v %v", p, err)
	}
	if p, err := ParseOptionalFloat("0.05"); p == nil || *p != 0.05 || err != nil {
		t.Errorf("optional 0.05: %v %v", p, err)
	}
}
