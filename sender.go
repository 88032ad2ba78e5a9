package shequn

import (
	"context"
	"net/http"
)

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

// Platform is a running connector: it receives the platform's events and
// performs outbox actions on it.
type Platform interface {
	Sender
	// Run receives events until ctx ends, handing them to sink.
	Run(ctx context.Context, sink Sink) error
}

// Sink takes what a connector receives.
type Sink interface {
	// Deliver ingests a batch of events; they are stored when it returns nil.
	Deliver(ctx context.Context, events []EventInput) error
	// SaveState records the connector's resume point (after Deliver).
	SaveState(ctx context.Context, state string) error
	// State is the resume point saved last ("" at first).
	State() string
}

// Tester is a Platform that can check its credentials and say who it is.
type Tester interface {
	Test(ctx context.Context) (string, error)
}

// Hooked is a Platform that receives events on an HTTP endpoint (a
// webhook): /hooks/{platform}/{connector id}. The handler checks the
// platform's own signature.
type Hooked interface {
	Hook() http.Handler
}
