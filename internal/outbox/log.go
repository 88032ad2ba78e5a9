package outbox

import (
	"context"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// LogSender is the "log" connector: it records what would be sent, so a
// workspace without a platform connector still sees its outbox drained and
// the console shows what shequn would have done.
type LogSender struct {
	DB           *sqlstore.DB
	PlatformName string
}

var (
	_ shequn.Sender  = (*LogSender)(nil)
	_ shequn.Deduper = (*LogSender)(nil)
)

// Platform names the platform whose rows it drains.
func (s *LogSender) Platform() string { return s.PlatformName }

// Send records the action.
func (s *LogSender) Send(ctx context.Context, it *shequn.OutboxItem) error {
	return s.DB.LogConnector(ctx, it)
}

// Performed reports whether the key was recorded.
func (s *LogSender) Performed(ctx context.Context, it *shequn.OutboxItem) (bool, error) {
	return s.DB.ConnectorLogged(ctx, it.WorkspaceID, it.IdempotencyKey)
}
