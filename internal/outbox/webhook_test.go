package outbox_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/outbox"
)

func TestWebhookSender(t *testing.T) {
	var gotKey, gotBody, gotType string
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotKey, gotType = r.Header.Get("Idempotency-Key"), r.Header.Get("Content-Type")
		b, _ := io.ReadAll(r.Body)
		gotBody = string(b)
		w.WriteHeader(status)
	}))
	defer srv.Close()
	secretURL := srv.URL + "/hook?token=s3cret"
	s := &outbox.WebhookSender{PlatformName: "operators", URL: secretURL}
	it := shequn.NewOutboxItem(1, "alert:unanswered:7", shequn.PlatformOperators, 0, 0, shequn.ActNotify, shequn.OutboxPayload{Alert: &shequn.Alert{Kind: "unanswered", Key: "unanswered:7"}})
	if err := s.Send(context.Background(), it); err != nil {
		t.Fatal(err)
	}
	if gotKey != "alert:unanswered:7" || !strings.HasPrefix(gotBody, `{"id":0,"workspace_id":0,"kind":"unanswered"`) || gotType != "application/json" {
		t.Fatalf("received key %q body %q type %q", gotKey, gotBody, gotType)
	}
	status = http.StatusBadGateway
	err := s.Send(context.Background(), it)
	if err == nil || !strings.Contains(err.Error(), "502") {
		t.Fatalf("a 502 was not an error: %v", err)
	}
	srv.Close()
	err = s.Send(context.Background(), it)
	if err == nil || strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "/hook") {
		t.Fatalf("unreachable hook: error %v (must not show the URL)", err)
	}
}
