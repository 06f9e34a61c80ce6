package datasets

import (
	"strconv"

	"charm.land/lipgloss/v2"

	"brightrun/model"
)

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

// trainingText is the list's Training cell: ✓ for a training-ready
// dataset, and for a ready one that is not, why ("✗ 3 errors"; only the
// mark when narrow); a dash while validation has not ended.
func trainingText(d model.Dataset, wide bool) string {
	switch {
	case d.TrainingReady:
		return "✓"
	case d.Status != model.DatasetReady:
		return "—"
	case !wide:
		return "✗"
	}
	return "✗ " + d.NotTrainingReadyWhy()
}

// readyText is a ready dataset's status in words, "ready · not
// training-ready: 3 errors" when it cannot be trained on.
func readyText(d model.Dataset) string {
	if why := d.NotTrainingReadyWhy(); why != "" {
		return "ready · not training-ready: " + why
	}
	return "ready · training-ready"
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
