package engine

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"brightrun/model"
)

// Big files are imported within importBytesInFlight: two 40 MB files never
// run together, nor beside more than 10 MB of others, while small files
// still fill every worker. The sources fail to read (a rejection, so no
// server is needed) after noting how many bytes were in flight.
func TestImportSourcesBoundsBytesInFlight(t *testing.T) {
	var inFlight, peak, smallAtOnce atomic.Int64
	allSmall := make(chan struct{})
	var closeOnce sync.Once
	source := func(name string, size int64, small bool) importSource {
		return importSource{name: name, size: size, read: func() ([]byte, error) {
			now := inFlight.Add(size)
			for p := peak.Load(); now > p && !peak.CompareAndSwap(p, now); p = peak.Load() {
			}
			if small {
				// The first importWorkers small files wait for each other:
				// they only all arrive if they run at once.
				if smallAtOnce.Add(1) == importWorkers {
					closeOnce.Do(func() { close(allSmall) })
				}
				select {
				case <-allSmall:
				case <-time.After(10 * time.Second):
				}
			} else {
				time.Sleep(20 * time.Millisecond) // room for others to overlap
			}
			inFlight.Add(-size)
			return nil, &model.FileError{File: name, Reason: "read"}
		}}
	}
	var sources []importSource
	for i := range importWorkers {
		sources = append(sources, source(fmt.Sprintf("small-%d", i), 4<<10, true))
	}
	for i := range 3 {
		sources = append(sources, source(fmt.Sprintf("big-%d", i), 40<<20, false))
		sources = append(sources, source(fmt.Sprintf("mid-%d", i), 8<<20, false))
	}
	sources = append(sources, source("huge", model.MaxConversationFileSize, false), source("unknown", 0, false))

	res, err := (&Session{}).importSources(context.Background(), sources, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rejected) != len(sources) {
		t.Fatalf("%d rejections, want %d", len(res.Rejected), len(sources))
	}
	for i, r := range res.Rejected {
		if r.File != sources[i].name {
			t.Fatalf("rejection %d is %s, want %s", i, r.File, sources[i].name)
		}
	}
	if p := peak.Load(); p > importBytesInFlight {
		t.Errorf("%d bytes in flight at once, over the budget of %d", p, importBytesInFlight)
	}
	select {
	case <-allSmall:
	default:
		t.Errorf("only %d of %d small files ran at once", smallAtOnce.Load(), importWorkers)
	}
}
