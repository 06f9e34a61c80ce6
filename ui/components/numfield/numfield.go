// Package numfield is a text input for numbers: a textinput that refuses
// letters as they are typed or pasted, and the parsers that read what it
// holds. Forms that price a training run (the Estimate calculator, the
// Configure screen) use it for counts, sizes and rates, so a typo never
// reaches the arithmetic and every field reads numbers the same way.
package numfield

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// Kind says which characters a field takes.
type Kind int

// The kinds of number.
const (
	// Whole takes digits and the separators people write in large counts
	// (13_268_572, 13,268,572).
	Whole Kind = iota
	// Decimal takes digits, a point and an exponent (0.05, 5e-5).
	Decimal
)

// Model is a number input: the textinput bubble, embedded so a form sets
// its placeholder, value, width and styles as it would on any input, with
// an Update that filters keystrokes by Kind.
type Model struct {
	textinput.Model
	Kind Kind
	// List lets the field hold a comma-separated list of numbers
	// (`1e-4, 2e-4`): commas and spaces are taken too (AllowLists).
	List bool
}

// listChars is how many characters a list field takes.
const listChars = 64

// AllowLists lets the field hold a comma-separated list of numbers.
func (m *Model) AllowLists() {
	m.List = true
	m.CharLimit = listChars
}

// allowed reports whether the field takes every character of s.
func (m Model) allowed(s string) bool {
	for _, r := range s {
		if !m.Kind.Allowed(r) && !(m.List && (r == ',' || r == ' ')) {
			return false
		}
	}
	return true
}

// filter drops from s every character the field does not take.
func (m Model) filter(s string) string {
	var b strings.Builder
	for _, r := range s {
		if m.allowed(string(r)) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// New builds an empty, unprompted field of kind, width cells wide (longer
// values scroll), taking at most 16 characters.
func New(kind Kind, width int) Model {
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = 16
	in.SetWidth(width)
	return Model{Model: in, Kind: kind}
}

// Allowed reports whether a field of kind takes r.
func (k Kind) Allowed(r rune) bool {
	if r >= '0' && r <= '9' {
		return true
	}
	if k == Decimal {
		return strings.ContainsRune(".eE-+", r)
	}
	return r == '_' || r == ','
}

// Filter drops from s every character a field of kind does not take.
func (k Kind) Filter(s string) string { return Model{Kind: k}.filter(s) }

// Update hands keys and pastes to the input after filtering them: a key
// whose text the kind refuses is ignored whole, a paste loses the
// characters it refuses. Everything else (cursor keys, backspace, blinks)
// passes unchanged.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if msg.Text != "" && !m.allowed(msg.Text) {
			return m, nil
		}
	case tea.PasteMsg:
		msg.Content = m.filter(msg.Content)
		var cmd tea.Cmd
		m.Model, cmd = m.Model.Update(msg)
		return m, cmd
	}
	var cmd tea.Cmd
	m.Model, cmd = m.Model.Update(msg)
	return m, cmd
}

// The parse errors, worded to follow a field's label ("Batch size is
// required").
var (
	ErrRequired = errors.New("is required")
	ErrNotWhole = errors.New("is not a whole number")
	ErrNotFloat = errors.New("is not a number")
)

// maxInt is where whole numbers are capped when read into an int: far out
// of every range, so the model's validation reports them.
const maxInt = 1<<31 - 1

// ParseWhole reads a whole number written with optional _ or , separators.
func ParseWhole(s string) (int64, error) {
	s = strings.NewReplacer("_", "", ",", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return 0, ErrRequired
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, ErrNotWhole
	}
	return n, nil
}

// ParseInt reads a required whole number into an int, capped at 2³¹−1.
func ParseInt(s string) (int, error) {
	n, err := ParseWhole(s)
	if err != nil {
		return 0, err
	}
	return int(min(n, maxInt)), nil
}

// ParseFloat reads a required decimal number.
func ParseFloat(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, ErrRequired
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, ErrNotFloat
	}
	return v, nil
}

// ParseOptionalInt reads an override: blank means "not given" (nil).
func ParseOptionalInt(s string) (*int, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	v, err := ParseInt(s)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// ParseOptionalFloat reads a decimal override: blank means "not given".
func ParseOptionalFloat(s string) (*float64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	v, err := ParseFloat(s)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// ParseList reads a list field: items separated by commas, each read by
// parse. An item that does not parse is named by its place ("item 2 is
// not a number"); a single item reads as parse alone words it.
func ParseList[T any](s string, parse func(string) (T, error)) ([]T, error) {
	items := strings.Split(s, ",")
	out := make([]T, 0, len(items))
	for i, item := range items {
		v, err := parse(item)
		if err != nil && len(items) > 1 {
			return nil, fmt.Errorf("item %d %w", i+1, err)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
