package shequn

import "context"

// Sender performs outbox actions on one platform (a connector).
type Sender interface {
	// Platform names the platform whose outbox rows the sender drains.
	Platform() string
	// Send performs the action. The item's IdempotencyKey must be passed to
	// the platform where it has such a notion (a Matrix transaction id, …).
	Send(ctx context.Context, item *OutboxItem) error
}

// Deduper is a Sender that can tell whether an action with this key was
// already performed; the outbox asks before retrying a row whose first
// attempt may have happened just before a crash.
type Deduper interface {
	Performed(ctx context.Context, item *OutboxItem) (bool, error)
}
