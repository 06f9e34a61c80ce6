package store

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"

	"github.com/aws/smithy-go"
)

func TestConciseS3Error(t *testing.T) {
	api := &smithy.GenericAPIError{Code: "InvalidRequest", Message: "size does not match"}
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	wrap := func(op string, err error) error {
		// What the SDK builds: an operation error around a response error
		// that names the request and host IDs.
		return &smithy.OperationError{ServiceID: "S3", OperationName: op,
			Err: fmt.Errorf("https response error StatusCode: 400, RequestID: R1, HostID: H1, %w", err)}
	}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"api error", wrap("PutObject", api), "S3 PutObject: InvalidRequest: size does not match"},
		{"inside the transfer manager", fmt.Errorf("upload multipart failed, upload id: 7, cause: %w", wrap("CompleteMultipartUpload", api)),
			"S3 CompleteMultipartUpload: InvalidRequest: size does not match"},
		{"code only", wrap("HeadBucket", &smithy.GenericAPIError{Code: "Forbidden"}), "S3 HeadBucket: Forbidden"},
		{"network", wrap("HeadBucket", fmt.Errorf("exceeded maximum number of attempts, 3, request send failed, %w", dial)),
			"S3 HeadBucket: dial tcp: connection refused"},
		{"cancelled", wrap("UploadPart", context.Canceled), "S3 UploadPart: context canceled"},
		{"plain", errors.New("something else"), "something else"},
	}
	for _, tt := range tests {
		got := conciseS3Error(tt.err)
		if got.Error() != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	if !errors.Is(conciseS3Error(wrap("UploadPart", context.Canceled)), context.Canceled) {
		t.Error("a cancelled operation no longer reads as context.Canceled")
	}
}
