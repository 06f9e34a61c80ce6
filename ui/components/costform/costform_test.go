package costform

import (
	"errors"
	"reflect"
	"testing"

	tea "charm.land/bubbletea/v2"

	"brightrun/model"
	"brightrun/ui/components/numfield"
	"brightrun/ui/components/selector"
	"brightrun/ui/theme"
)

func TestHintsAndColumns(t *testing.T) {
	cat := model.Catalog{GPUs: []model.GPU{{Type: "A100", HourlyRate: 2.49, TokensPerSec: 3300}}}
	for _, tc := range []struct{ name, got, want string }{
		{"gpu", GPUHint(cat, "A100"), "$2.49/h · 3,300 tok/s"},
		{"unknown gpu", GPUHint(cat, "T4"), ""},
		{"one gpu", CountHint(cat, "A100", 1), ""},
		{"two gpus", CountHint(cat, "A100", 2), "$4.98/h for all"},
		{"header", Header(10, "ab", "cd"), "ab      cd"},
		{"header too narrow", Header(3, "ab", "cd"), "ab"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
	for _, tc := range []struct {
		w, left, right int
		stacked        bool
	}{
		{60, 60, 60, true},
		{72, 36, 34, false},
		{120, 72, 46, false},
	} {
		l, r, s := Columns(tc.w)
		if l != tc.left || r != tc.right || s != tc.stacked {
			t.Errorf("Columns(%d) = %d, %d, %v; want %d, %d, %v", tc.w, l, r, s, tc.left, tc.right, tc.stacked)
		}
	}
}

func TestFileErrors(t *testing.T) {
	byJSON := map[string]int{"batch_size": 1, "rank": 2}
	ve := &model.ValidationError{Errors: []model.FieldError{
		{Field: "batch_size", Value: "99", Message: "is out of range: must be between 1 and 64"},
		{Field: "dataset", Message: "is empty"},
	}}
	got := map[int]string{}
	other := FileErrors(ve, byJSON, func(f int, msg string) { got[f] = msg })
	if want := map[int]string{1: "must be between 1 and 64"}; !reflect.DeepEqual(got, want) {
		t.Errorf("filed %v, want %v", got, want)
	}
	if want := []string{ve.Errors[1].Error()}; !reflect.DeepEqual(other, want) {
		t.Errorf("other %q, want %q", other, want)
	}
	if other := FileErrors(errors.New("catalog gone"), byJSON, func(int, string) { t.Error("filed a plain error") }); !reflect.DeepEqual(other, []string{"catalog gone"}) {
		t.Errorf("plain error: other %q", other)
	}
	if other := FileErrors(nil, byJSON, func(int, string) { t.Error("filed nil") }); other != nil {
		t.Errorf("nil: other %q", other)
	}
}

func TestIndent(t *testing.T) {
	if got := Indent("short", 80); got != LabelWidth {
		t.Errorf("short message indent %d, want %d", got, LabelWidth)
	}
	long := "a message far too long to sit under the values of a narrow form"
	if got := Indent(long, 40); got != 4 {
		t.Errorf("long message indent %d, want 4", got)
	}
	if got := SharedIndent(map[int]string{1: "short", 2: long}, 40); got != 4 {
		t.Errorf("shared indent %d, want 4", got)
	}
}

// TestRowsFocus: the cursor is on one row at a time, a selector or a
// number input.
func TestRowsFocus(t *testing.T) {
	th := theme.New(true)
	a, b := selector.New(th, []string{"x", "y"}, true), selector.New(th, []string{"z"}, true)
	inputs := []numfield.Model{{}, {}, numfield.New(numfield.Whole, 8), numfield.New(numfield.Decimal, 8)}
	r := Rows[int]{Selectors: map[int]*selector.Model{0: &a, 1: &b}, Inputs: inputs}
	focused := func() []bool {
		return []bool{a.Focused(), b.Focused(), inputs[2].Focused(), inputs[3].Focused()}
	}
	for f := range 4 {
		r.Focus(f)
		want := make([]bool, 4)
		want[f] = true
		if got := focused(); !reflect.DeepEqual(got, want) {
			t.Errorf("Focus(%d): focused %v", f, got)
		}
	}
	r.Blur()
	if got := focused(); !reflect.DeepEqual(got, make([]bool, 4)) {
		t.Errorf("Blur: focused %v", got)
	}
}

// TestRowsNavigate: Next and Prev move round the rows, wrapping at both
// ends; Done leaves the form blurred; any other key is not Navigate's.
func TestRowsNavigate(t *testing.T) {
	th := theme.New(true)
	a := selector.New(th, []string{"x", "y"}, true)
	inputs := []numfield.Model{{}, numfield.New(numfield.Whole, 8), numfield.New(numfield.Decimal, 8)}
	r := Rows[int]{Selectors: map[int]*selector.Model{0: &a}, Inputs: inputs}
	nav := DefaultKeys()
	tab, backtab := tea.KeyPressMsg{Code: tea.KeyTab}, tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	focus, editing := 0, true
	for _, step := range []struct {
		k    tea.KeyPressMsg
		want int
	}{{tab, 1}, {tab, 2}, {tab, 0}, {backtab, 2}, {backtab, 1}} {
		if _, ok := r.Navigate(step.k, nav, &focus, &editing); !ok || focus != step.want || inputs[1].Focused() != (step.want == 1) {
			t.Fatalf("%s: handled %v, focus %d, want %d", step.k, ok, focus, step.want)
		}
	}
	if _, ok := r.Navigate(tea.KeyPressMsg{Code: 'x', Text: "x"}, nav, &focus, &editing); ok || focus != 1 || !editing {
		t.Errorf("x: handled %v, focus %d, editing %v", ok, focus, editing)
	}
	if _, ok := r.Navigate(tea.KeyPressMsg{Code: tea.KeyEscape}, nav, &focus, &editing); !ok || editing || inputs[1].Focused() || a.Focused() {
		t.Errorf("esc: handled %v, editing %v, still focused", ok, editing)
	}
}

// TestProblemsKeepTheFirst: a row keeps the first message it is given.
func TestProblemsKeepTheFirst(t *testing.T) {
	p := Problems[int]{}
	p.Set(1, "not a number")
	p.Set(1, "out of range")
	p.Set(2, "too big")
	if want := (Problems[int]{1: "not a number", 2: "too big"}); !reflect.DeepEqual(p, want) {
		t.Errorf("got %v, want %v", p, want)
	}
}

// TestRowsUpdateSelector: a selector row takes the key and says whether
// its value moved; a number input's row is left to the screen.
func TestRowsUpdateSelector(t *testing.T) {
	a := selector.New(theme.New(true), []string{"x", "y"}, false)
	a.Focus()
	r := Rows[int]{Selectors: map[int]*selector.Model{0: &a}, Inputs: []numfield.Model{{}, numfield.New(numfield.Whole, 8)}}
	right, left := tea.KeyPressMsg{Code: tea.KeyRight}, tea.KeyPressMsg{Code: tea.KeyLeft}
	for _, tc := range []struct {
		name         string
		row          int
		k            tea.KeyPressMsg
		sel, changed bool
		value        string
	}{
		{"right on the selector", 0, right, true, true, "y"},
		{"right at its end", 0, right, true, false, "y"},
		{"left back", 0, left, true, true, "x"},
		{"the number input", 1, right, false, false, "x"},
	} {
		sel, changed := r.UpdateSelector(tc.row, tc.k)
		if sel != tc.sel || changed != tc.changed || a.Value() != tc.value {
			t.Errorf("%s: selector %v changed %v value %q, want %v %v %q", tc.name, sel, changed, a.Value(), tc.sel, tc.changed, tc.value)
		}
	}
}
