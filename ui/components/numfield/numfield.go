// Package numfield is a text input for numbers: a textinput that refuses
// letters as they are typed or pasted, and the parsers that read what it
// holds. Forms that price a training run (the Estimate calculator, the
// Configure screen) use it for counts, sizes and rates, so a typo never
// reaches the arithmetic and every field reads numbers the same way.
package numfield

import (
	"errors"
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
func (k Kind) Filter(s string) string {
	var b strings.Builder
	for _, r := range s {
		if k.Allowed(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Update hands keys and pastes to the input after filtering them: a key
// whose text the kind refuses is ignored whole, a paste loses the
// characters it refuses. Everything else (cursor keys, backspace, blinks)
// passes unchanged.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if msg.Text != "" && m.Kind.Filter(msg.Text) != msg.Text {
			return m, nil
		}
	case tea.PasteMsg:
		msg.Content = m.Kind.Filter(msg.Content)
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
