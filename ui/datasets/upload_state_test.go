package datasets

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/ui/internal/uitest"
)

// An upload URL still waiting for its file and a file being sent read
// differently in the list and in the detail's facts.
func TestUploadingRowsSayHowTheyWait(t *testing.T) {
	b := uitest.NewBackend(t)
	f := b.DatasetFixture()
	urlEnd := uitest.Now.Add(52*time.Minute + model.UploadURLGrace)
	clientEnd := uitest.Now.Add(10 * time.Minute)
	f.Lock()
	f.Items = append([]model.Dataset{
		{ID: uuid.New(), Name: "from-elsewhere", Status: model.DatasetUploading, UploadVia: model.UploadViaURL,
			UploadExpiresAt: &urlEnd, CreatedAt: uitest.Now, UpdatedAt: uitest.Now},
		{ID: uuid.New(), Name: "sending", Status: model.DatasetUploading, UploadVia: model.UploadViaClient,
			UploadExpiresAt: &clientEnd, CreatedAt: uitest.Now, UpdatedAt: uitest.Now.Add(-10 * time.Second)},
	}, f.Items...)
	f.Unlock()
	m := newLoaded(t, b, 120, 40)
	v := ansi.Strip(m.View())
	var urlLine, clientLine string
	for _, l := range strings.Split(v, "\n") {
		switch {
		case strings.Contains(l, "from-elsewhere"):
			urlLine = l
		case strings.Contains(l, "sending"):
			clientLine = l
		}
	}
	if !strings.Contains(urlLine, "awaiting") || !strings.Contains(clientLine, "uploading") {
		t.Fatalf("list rows:\n%s\n%s", urlLine, clientLine)
	}
	openByName(t, m, "from-elsewhere")
	if v := ansi.Strip(m.View()); !strings.Contains(v, "awaiting file (URL expires in 52m)") {
		t.Fatalf("detail does not say the URL is awaiting its file:\n%s", v)
	}
}
