package local

import (
	"context"
	"io"
	"log/slog"
	"time"
)

// InProcess is a Spawner that runs the services inside this process instead
// of a background one: for tests and benchmarks, which have no brightrun
// binary to start. The services still serve the control socket, so other
// processes can attach to them.
func InProcess(idle time.Duration, log *slog.Logger) Spawner {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return func(ctx context.Context, l Layout) (<-chan error, error) {
		exited := make(chan error, 1)
		go func() {
			s, err := Start(context.Background(), l, Options{})
			if err != nil {
				WriteFailure(l, err)
				exited <- err
				return
			}
			exited <- Serve(context.Background(), s, ServeOptions{Idle: idle, Log: log})
		}()
		return exited, nil
	}
}
