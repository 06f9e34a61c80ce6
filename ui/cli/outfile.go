package cli

import (
	"fmt"
	"io"
)

// stdoutPath is the --out value that means standard output, as for curl -o.
const stdoutPath = "-"

// writeOut sends an export where --out says: "-" streams it to stdout
// (and nothing else goes there, so it can be piped); any other path is
// written by the engine's WriteLocalFile (through toFile), which follows
// symbolic links and never replaces a FIFO or a device, and the path and
// size are reported.
func writeOut(env Env, out string, toFile func(path string) (int64, error), toStdout func(w io.Writer) (int64, error)) error {
	if out == stdoutPath {
		_, err := toStdout(env.Stdout)
		return err
	}
	n, err := toFile(out)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote %s (%d bytes)\n", out, n)
	return nil
}
