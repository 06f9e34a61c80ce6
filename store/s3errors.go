package store

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/aws/smithy-go"
)

// conciseS3Error renders an SDK error as one short line: the operation and
// the server's code and message ("S3 PutObject: InvalidRequest: …"), or the
// operation and the network cause, without the request and host IDs, retry
// counts and transport wrapping the SDK puts around them. Context errors
// and ErrNotFound pass through as they are, so errors.Is still sees them.
func conciseS3Error(err error) error {
	if err == nil || errors.Is(err, ErrNotFound) {
		return err
	}
	op := "S3"
	var oe *smithy.OperationError
	if errors.As(err, &oe) {
		op = "S3 " + oe.Operation()
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		msg := apiErr.ErrorMessage()
		if msg == "" {
			return fmt.Errorf("%s: %s", op, apiErr.ErrorCode())
		}
		return fmt.Errorf("%s: %s: %s", op, apiErr.ErrorCode(), msg)
	}
	for _, target := range []error{context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, target) {
			return fmt.Errorf("%s: %w", op, target)
		}
	}
	var ne *net.OpError
	if errors.As(err, &ne) {
		return fmt.Errorf("%s: %w", op, ne)
	}
	return err
}
