package outbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/shequn/shequn"
)

// WebhookSender posts outbox rows of one platform (the operators' alert
// notices) as JSON to a URL, with the row's key in an Idempotency-Key
// header for the receiver to drop repeats. The URL is a secret (it often
// carries a token): it never appears in errors or logs.
type WebhookSender struct {
	PlatformName string
	URL          string
	Client       *http.Client
}

// webhookBody is what the webhook receives: the alert itself for an alert
// notice, else the notice's payload.
func webhookBody(it *shequn.OutboxItem) ([]byte, error) {
	p, err := it.DecodePayload()
	if err != nil {
		return nil, err
	}
	if p.Alert != nil {
		return json.Marshal(p.Alert)
	}
	return json.Marshal(p)
}

// Platform names the drained platform.
func (s *WebhookSender) Platform() string { return s.PlatformName }

// Send posts the row's payload.
func (s *WebhookSender) Send(ctx context.Context, it *shequn.OutboxItem) error {
	client := s.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	body, err := webhookBody(it)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(body))
	if err != nil {
		return errors.New("webhook: bad URL")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", it.IdempotencyKey)
	req.Header.Set("User-Agent", "shequn/"+shequn.Version)
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // drop the URL
		}
		return fmt.Errorf("webhook: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("webhook: HTTP %d", resp.StatusCode)
	}
	return nil
}
