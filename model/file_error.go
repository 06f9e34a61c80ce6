package model

import (
	"fmt"
	"strings"
)

// FileError is why a conversation file was rejected: the file, the JSON
// path of the fault ("$.turns[2].role"; empty when the file as a whole is
// at fault, e.g. too big or unreadable) and a one-line reason.
type FileError struct {
	File   string `json:"file"`
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Error renders `file.json: $.turns[2].role: roles must alternate …`.
func (e *FileError) Error() string {
	if e.Path == "" {
		return e.File + ": " + e.Reason
	}
	return e.File + ": " + e.Path + ": " + e.Reason
}

// FileTooBig is the rejection of a file over MaxConversationFileSize; the
// importer gives it from the file's size before reading a byte of it.
func FileTooBig(name string, size int64) *FileError {
	return &FileError{File: name, Reason: fmt.Sprintf("file is %s, over the %s limit",
		formatBytes(size), formatBytes(MaxConversationFileSize))}
}

// formatBytes renders a size for people, whole units without a decimal:
// 512 B, 1.5 KiB, 50 MiB.
func formatBytes(n int64) string {
	return strings.Replace(HumanBytes(n), ".0 ", " ", 1)
}

// HumanBytes renders a size in binary units with one decimal: 612 B,
// 1.2 KiB, 256.3 MiB.
func HumanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
