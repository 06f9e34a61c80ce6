package engine

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"brightrun/store"
)

// Event says that a row of one of the operator's tables changed. It carries
// no data: a screen that cares reads the row again.
type Event struct {
	Table string    `json:"table"`
	ID    uuid.UUID `json:"id"`
	Op    string    `json:"op"` // INSERT, UPDATE or DELETE, or OpResync
}

// OpResync is the Op of the event sent to every subscriber after the
// listener reconnected (Postgres restarted, the network dropped): changes
// made meanwhile were never pushed, so every screen reloads everything.
const OpResync = "RESYNC"

// OnTable reports whether a screen showing table should reload.
func (e Event) OnTable(table string) bool { return e.Op == OpResync || e.Table == table }

// OnRow reports whether a screen showing one row of table should reload it.
func (e Event) OnRow(table string, id uuid.UUID) bool {
	return e.Op == OpResync || (e.Table == table && e.ID == id)
}

type wireEvent struct {
	Event
	UserID uuid.UUID `json:"user_id"`
}

// hub listens on one connection per process and fans events out to the
// subscribed sessions, each seeing only its own user's events.
type hub struct {
	pool *pgxpool.Pool
	log  func(msg string, args ...any)

	mu   sync.Mutex
	subs map[*subscription]struct{}
	stop context.CancelFunc
	// events counts what was received, before it is handed on (see
	// liveReads).
	events *atomic.Uint64
	// listening is closed once LISTEN is first in force: from then on no
	// change is missed (a reconnection sends OpResync).
	listening chan struct{}
}

type subscription struct {
	user uuid.UUID
	ch   chan Event
}

// subscriberBuffer is how many events a slow screen may fall behind before
// further ones are dropped; screens reload on any event, so a drop loses
// nothing that the next event does not bring back.
const subscriberBuffer = 256

// subscribeWait bounds how long Subscribe waits for LISTEN: with the
// database unreachable the listener keeps retrying, and a screen must still
// open (it reads again on the OpResync that follows the connection).
var subscribeWait = 5 * time.Second

// Subscribe delivers the operator's change events until cancel is called.
// It returns once LISTEN is in force (or after subscribeWait when the
// database cannot be reached), so a change made after it returns is never
// missed: callers subscribe, then read, then wait for events.
func (s *Session) Subscribe() (events <-chan Event, cancel func()) {
	h := s.e.eventHub()
	sub := &subscription{user: s.user.ID, ch: make(chan Event, subscriberBuffer)}
	h.mu.Lock()
	h.subs[sub] = struct{}{}
	h.mu.Unlock()
	h.waitListening(subscribeWait)
	var once sync.Once
	return sub.ch, func() {
		once.Do(func() {
			h.mu.Lock()
			delete(h.subs, sub)
			h.mu.Unlock()
		})
	}
}

func (e *Engine) eventHub() *hub {
	e.hubOnce.Do(func() {
		ctx, cancel := context.WithCancel(context.Background())
		e.hub = &hub{pool: e.db.Pool(), log: e.log.Warn, subs: map[*subscription]struct{}{}, stop: cancel, events: &e.events,
			listening: make(chan struct{})}
		go e.hub.listen(ctx)
	})
	return e.hub
}

// listen holds a LISTEN connection, reconnecting with backoff when Postgres
// restarts, for as long as the engine is open.
func (h *hub) listen(ctx context.Context) {
	backoff := 100 * time.Millisecond
	reconnect := false
	for ctx.Err() == nil {
		err := h.listenOnce(ctx, func() {
			backoff = 100 * time.Millisecond
			if reconnect {
				h.log("event listener reconnected; every screen reloads")
				h.resync()
			} else {
				close(h.listening)
			}
			reconnect = true
		})
		if ctx.Err() != nil {
			return
		}
		h.log("event listener lost its connection; reconnecting", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

// listenOnce listens on one connection until it fails; listening is
// called once LISTEN is in force.
func (h *hub) listenOnce(ctx context.Context, listening func()) error {
	return store.ListenEvents(ctx, h.pool, listening, func(payload string) {
		var ev wireEvent
		if json.Unmarshal([]byte(payload), &ev) == nil {
			h.dispatch(ev)
		}
	})
}

func (h *hub) dispatch(ev wireEvent) {
	h.events.Add(1)
	h.mu.Lock()
	defer h.mu.Unlock()
	for sub := range h.subs {
		// An event with no user (the worker registry's) is everyone's.
		if sub.user != ev.UserID && ev.UserID != uuid.Nil {
			continue
		}
		select {
		case sub.ch <- ev.Event:
		default:
		}
	}
}

// waitListening waits until LISTEN is in force, so that a row read after it
// returns cannot change unannounced, for at most limit (the database may be
// unreachable: the caller's own safety reads cover that).
func (h *hub) waitListening(limit time.Duration) {
	t := time.NewTimer(limit)
	defer t.Stop()
	select {
	case <-h.listening:
	case <-t.C:
	}
}

// resync tells every subscriber that events may have been missed.
func (h *hub) resync() {
	h.events.Add(1)
	h.mu.Lock()
	defer h.mu.Unlock()
	for sub := range h.subs {
		select {
		case sub.ch <- Event{Op: OpResync}:
		default:
		}
	}
}

func (h *hub) close() {
	if h != nil {
		h.stop()
	}
}
