package local

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
)

// The gateway keeps one port per data dir across restarts: presigned URLs
// name host and port, and an upload or download URL handed out before an
// idle stop or a crash must still work after the next start, for its hour.

// loadPort reads the port saved for the data dir; 0 when none was saved.
func loadPort(path string) (int, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read the S3 port file: %w", err)
	}
	port, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || port < 1 || port > 65535 {
		// A damaged file is not worth failing the start for: a new port is
		// chosen and saved over it, as at the first start.
		return 0, nil
	}
	return port, nil
}

// savePort records the port the gateway took, atomically.
func savePort(path string, port int) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(strconv.Itoa(port)+"\n"), 0o600); err != nil {
		return fmt.Errorf("write the S3 port file: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write the S3 port file: %w", err)
	}
	return nil
}

// startOnSavedPort starts the gateway on the port saved in portFile, or, when
// there is none or it is taken, on a free port that it then saves. It returns
// the saved port it could not reuse (0 when it reused it or had none).
func (g *gateway) startOnSavedPort(ctx context.Context, portFile string, logf *os.File) (changedFrom int, err error) {
	saved, err := loadPort(portFile)
	if err != nil {
		return 0, err
	}
	if saved != 0 {
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(saved))
		err := g.start(ctx, addr, logf)
		if err == nil {
			return 0, nil
		}
		if ctx.Err() != nil {
			return 0, err
		}
		fmt.Fprintf(logf, "S3 gateway: the saved port %d cannot be used (%v); choosing another\n", saved, err)
	}
	if err := g.start(ctx, "", logf); err != nil {
		return 0, err
	}
	_, p, _ := net.SplitHostPort(g.addr)
	port, _ := strconv.Atoi(p)
	if err := savePort(portFile, port); err != nil {
		return 0, err
	}
	return saved, nil
}
