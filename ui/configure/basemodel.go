package configure

import (
	"github.com/charmbracelet/x/ansi"

	"brightrun/model"
)

// modelLabelWidth bounds a model's label in the selector, which pads to
// its widest option: ids run past 40 characters, the form column at
// 80 columns has room for about 24.
const modelLabelWidth = 22

// modelLabels are the catalog's models as the Model row offers them: by
// name, cut to modelLabelWidth.
func modelLabels(c model.ModelCatalog) []string {
	labels := make([]string, len(c.Models))
	for i, bm := range c.Models {
		labels[i] = ansi.Truncate(bm.Name, modelLabelWidth, "…")
	}
	return labels
}

// currentModel is the model chosen in the Model row.
func (m *Model) currentModel() model.BaseModel {
	if i := m.baseModel.Index(); i >= 0 && i < len(m.models.Models) {
		return m.models.Models[i]
	}
	return m.models.Default()
}

// setModel chooses the model with id, or the catalog's default when id is
// "" or no longer in the catalog (a clone of a job whose model was
// removed since).
func (m *Model) setModel(id string) {
	bm, err := m.models.Lookup(id)
	if err != nil {
		bm = m.models.Default()
	}
	for i, c := range m.models.Models {
		if c.ID == bm.ID {
			m.baseModel.SetIndex(i)
			return
		}
	}
}
