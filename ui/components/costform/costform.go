// Package costform holds what the two forms that price a training run,
// Configure and Estimate, have in common: the run's selectors (preset, GPU
// type, GPU count), the layout of form beside result, the rows with their
// hints and problems, the GPU's price notes, and where a validation error
// lands. Each screen keeps its own fields and what it does with them.
package costform

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"

	"brightrun/model"
	"brightrun/ui/components/estimatepanel"
	"brightrun/ui/components/selector"
	"brightrun/ui/format"
	"brightrun/ui/theme"
)

// Layout constants: the label column of the form, and the width from which
// form and result sit side by side instead of stacked.
const (
	LabelWidth   = 17 // cursor bar (2) + the longest label and a gap
	TwoColumnMin = 72
)

// RunSelectors builds the preset (on the default), GPU type and GPU count
// selectors over the catalog.
func RunSelectors(th *theme.Theme, catalog model.Catalog, presets []model.Preset) (preset, gpu, count selector.Model) {
	keys := make([]string, len(presets))
	for i, p := range presets {
		keys[i] = p.Key
	}
	preset = selector.New(th, keys, true)
	preset.SetValue(model.DefaultPreset)
	gpu = selector.New(th, catalog.Types(), true)
	counts := make([]string, model.MaxGPUCount-model.MinGPUCount+1)
	for i := range counts {
		counts[i] = strconv.Itoa(model.MinGPUCount + i)
	}
	count = selector.New(th, counts, false)
	return preset, gpu, count
}

// GPUCount is the count a count selector built by RunSelectors shows.
func GPUCount(count selector.Model) int { return model.MinGPUCount + count.Index() }

// GPUHint is what one GPU of the type costs and does: "$2.49/h · 3,300
// tok/s"; empty for a type the catalog does not know.
func GPUHint(catalog model.Catalog, gpuType string) string {
	g, err := catalog.Lookup(gpuType)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%s/h · %s tok/s", format.Money(g.HourlyRate), format.Thousands(int64(g.TokensPerSec)))
}

// CountHint is what count GPUs of the type cost together: "$4.98/h for
// all"; empty for one GPU or an unknown type.
func CountHint(catalog model.Catalog, gpuType string, count int) string {
	g, err := catalog.Lookup(gpuType)
	if err != nil || count <= 1 {
		return ""
	}
	return fmt.Sprintf("%s/h for all", format.Money(g.HourlyRate*float64(count)))
}

// Problems are a form's messages by row; a row keeps the first one it gets,
// the cause nearest the input.
type Problems[F comparable] map[F]string

// Set gives row f the message msg unless it has one already.
func (p Problems[F]) Set(f F, msg string) {
	if _, ok := p[f]; !ok {
		p[f] = msg
	}
}

// FileErrors files a pricing error under the rows that caused it: each
// field of a *model.ValidationError that has a row goes to set, with only
// the rule (the value is on screen beside it); what belongs to no row is
// returned, to be said elsewhere.
func FileErrors[F comparable](err error, byJSON map[string]F, set func(F, string)) []string {
	var other []string
	var ve *model.ValidationError
	switch {
	case errors.As(err, &ve):
		for _, fe := range ve.Errors {
			if f, ok := byJSON[fe.Field]; ok {
				set(f, strings.TrimPrefix(fe.Message, "is out of range: "))
				continue
			}
			other = append(other, fe.Error())
		}
	case err != nil:
		other = append(other, err.Error())
	}
	return other
}

// Columns splits the width into the form's and the result's, or gives both
// the whole width when they stack.
func Columns(w int) (leftW, rightW int, stacked bool) {
	if w < TwoColumnMin {
		return w, w, true
	}
	rightW = max(34, min(46, w/3+8))
	return w - rightW - 2, rightW, false
}

// Header puts left and right on one line of width w, or only left where
// both do not fit.
func Header(w int, left, right string) string {
	gap := w - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return left
	}
	return left + strings.Repeat(" ", gap) + right
}

// EditState is the header's right side for a form: how to start editing,
// or that it is being edited.
func EditState(t *theme.Theme, editing bool) string {
	if editing {
		return t.Accent.Render("● editing") + t.Muted.Render(" · esc when done")
	}
	return t.Muted.Render("enter to edit")
}

// Result is the estimate panel for a valid form, or what stands in its way:
// the count of marked rows and the problems that belong to none.
func Result(t *theme.Theme, w int, valid bool, marked int, other []string, r model.Estimate) string {
	if !valid {
		return estimatepanel.Blocked(t, w, marked, other)
	}
	return estimatepanel.Result(t, w, r, fmt.Sprintf("%s · %d × %s", r.Preset, r.GPUConfig.Count, r.GPUConfig.Type))
}
