package datasets

import (
	"fmt"
	"strconv"
	"time"

	"charm.land/lipgloss/v2"

	"brightrun/model"
	"brightrun/ui/common"
)

// Bytes renders a size the way the engine's messages do ("12.3 MiB"), so
// the limit an error names and the size the table shows read alike.
func Bytes(n int64) string {
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

// Compact renders a count in at most six characters for narrow tables:
// 980, 12.4k, 13.3M.
func Compact(n int64) string {
	switch {
	case n < 10_000:
		return common.Thousands(n)
	case n < 1_000_000:
		return strconv.FormatFloat(float64(n)/1e3, 'f', 1, 64) + "k"
	case n < 1_000_000_000:
		return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + "M"
	default:
		return strconv.FormatFloat(float64(n)/1e9, 'f', 1, 64) + "G"
	}
}

// Left renders what an upload still needs: "3s", "1m 05s", "2h 03m".
func Left(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm %02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
	default:
		return fmt.Sprintf("%dh %02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
}

// edge renders a histogram edge in tokens: 256, 1K, 64K.
func edge(n int) string {
	if n >= 1024 && n%1024 == 0 {
		return strconv.Itoa(n/1024) + "K"
	}
	return strconv.Itoa(n)
}

// active reports whether a dataset is still moving on its own (its upload
// or its validation), which is what the screen polls for.
func active(d model.Dataset) bool {
	return d.Status == model.DatasetUploading || d.Status == model.DatasetValidating
}

// badgeText is a status with its mark, the spinner's frame for the two
// that are under way: "⠋ validating", "✓ ready", "✗ error".
func badgeText(st model.DatasetStatus, frame string) string {
	switch st {
	case model.DatasetReady:
		return "✓ ready"
	case model.DatasetError:
		return "✗ error"
	case model.DatasetUploading, model.DatasetValidating:
		return frame + " " + string(st)
	default:
		return string(st)
	}
}

// statusText is a dataset's badge text in the list. An upload URL still
// waiting for its file reads "awaiting", not "uploading": nothing is being
// sent, and it waits up to an hour where a client's upload would be
// expired within minutes.
func statusText(d model.Dataset, frame string) string {
	if d.Status == model.DatasetUploading && d.UploadVia == model.UploadViaURL {
		return frame + " awaiting"
	}
	return badgeText(d.Status, frame)
}

// badge is badgeText in the status's colour.
func (m *Model) badge(st model.DatasetStatus) string {
	return m.badgeStyle(st).Render(badgeText(st, m.spinner.View()))
}

func (m *Model) badgeStyle(st model.DatasetStatus) lipgloss.Style {
	t := m.common.Theme
	switch st {
	case model.DatasetReady:
		return t.DatasetReady
	case model.DatasetError:
		return t.DatasetFailed
	case model.DatasetUploading:
		return t.DatasetUploading
	default:
		return t.DatasetValidating
	}
}
