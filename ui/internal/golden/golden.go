// Package golden compares rendered views with files under testdata, so a
// change to a layout shows up as a readable diff in review. Run the tests
// with -update to rewrite the files after an intended change.
package golden

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata")

// Assert compares got with testdata/<name>.golden, or writes it with -update.
func Assert(t testing.TB, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: %v (run go test -update to create it)", path, err)
	}
	if string(want) != got {
		t.Errorf("%s differs (run go test -update if the change is intended):\n%s", path, diff(string(want), got))
	}
}

// AtSizes runs draw at the two terminal sizes the screens' golden files
// are drawn at, 80×24 and 120×40; name gives a file's name at that size,
// "list_80x24".
func AtSizes(draw func(w, h int, name func(what string) string)) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		w, h := size[0], size[1]
		draw(w, h, func(what string) string { return fmt.Sprintf("%s_%dx%d", what, w, h) })
	}
}

// diff shows the first few lines that differ, quoted so escape codes and
// trailing spaces are visible.
func diff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(wl), len(gl)) && shown < 5; i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			fmt.Fprintf(&b, "line %d:\n  want %q\n  got  %q\n", i+1, w, g)
			shown++
		}
	}
	if len(wl) != len(gl) {
		fmt.Fprintf(&b, "want %d lines, got %d\n", len(wl), len(gl))
	}
	return b.String()
}
