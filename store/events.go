package store

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// EventsChannel is the Postgres channel the change triggers notify.
const EventsChannel = "brightrun_events"

// ListenEvents holds one connection of pool in LISTEN on EventsChannel
// until ctx ends or the connection fails, handing each payload to
// onPayload; listening is called once LISTEN is in force. The connection
// keeps LISTEN state, so it never goes back to the pool.
func ListenEvents(ctx context.Context, pool *pgxpool.Pool, listening func(), onPayload func(payload string)) error {
	pooled, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	conn := pooled.Hijack()
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+EventsChannel); err != nil {
		return err
	}
	listening()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		onPayload(n.Payload)
	}
}
