package common

import "testing"

// TestFit: nothing is drawn before the shell gives an area; then the view
// is cut to its width and height.
func TestFit(t *testing.T) {
	view := func() string { return "abcdef\nghijkl\nmnopqr" }
	if got := (Common{}).Fit(view); got != "" {
		t.Errorf("no area: %q", got)
	}
	if got := (Common{Width: 4, Height: 2}).Fit(view); got != "abcd\nghij" {
		t.Errorf("4×2: %q", got)
	}
	if got := (Common{Width: 10, Height: 5}).Fit(view); got != "abcdef\nghijkl\nmnopqr" {
		t.Errorf("10×5: %q", got)
	}
}
