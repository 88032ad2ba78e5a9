package matrix

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/shequn/shequn"
)

// Config is a Matrix connector's settings; the access token is its secret.
type Config struct {
	Homeserver string `json:"homeserver"`
	UserID     string `json:"user_id"`
	// AutoJoin makes the bot accept invitations to rooms (default true).
	AutoJoin *bool `json:"auto_join,omitempty"`
}

// Adapter is a running Matrix connector.
type Adapter struct {
	cli   *mautrix.Client
	cfg   Config
	rooms *rooms
	log   *slog.Logger
}

var (
	_ shequn.Platform = (*Adapter)(nil)
	_ shequn.Tester   = (*Adapter)(nil)
)

// New builds an adapter from a connector.
func New(c *shequn.Connector, token string, log *slog.Logger) (shequn.Platform, error) {
	var cfg Config
	if err := json.Unmarshal([]byte(c.Config), &cfg); err != nil || cfg.Homeserver == "" || cfg.UserID == "" {
		return nil, errors.New("matrix: config needs homeserver and user_id")
	}
	cli, err := mautrix.NewClient(cfg.Homeserver, id.UserID(cfg.UserID), token)
	if err != nil {
		return nil, fmt.Errorf("matrix: %w", err)
	}
	cli.Client = &http.Client{Timeout: 90 * time.Second}
	return &Adapter{cli: cli, cfg: cfg, rooms: newRooms(cfg.UserID), log: log}, nil
}

// Platform names the platform.
func (a *Adapter) Platform() string { return "matrix" }

// Test checks the token and returns the bot's user id.
func (a *Adapter) Test(ctx context.Context) (string, error) {
	who, err := a.cli.Whoami(ctx)
	if err != nil {
		return "", fmt.Errorf("matrix whoami: %w", err)
	}
	return who.UserID.String(), nil
}

// Run syncs until ctx ends, delivering each sync's events and then saving
// its next_batch token, so a restart resumes where it stopped.
func (a *Adapter) Run(ctx context.Context, sink shequn.Sink) error {
	since := sink.State()
	for ctx.Err() == nil {
		resp, err := a.cli.FullSyncRequest(ctx, mautrix.ReqSync{Timeout: 20000, Since: since})
		if err != nil {
			return fmt.Errorf("matrix sync: %w", err)
		}
		var events []shequn.EventInput
		for room, jr := range resp.Rooms.Join {
			events = append(events, a.rooms.mapEvents(room.String(), jr.State.Events)...)
			events = append(events, a.rooms.mapEvents(room.String(), jr.Timeline.Events)...)
		}
		for room, lr := range resp.Rooms.Leave {
			events = append(events, a.rooms.mapEvents(room.String(), lr.Timeline.Events)...)
		}
		a.readPictures(ctx, events)
		if err := sink.Deliver(ctx, events); err != nil {
			return err
		}
		if err := sink.SaveState(ctx, resp.NextBatch); err != nil {
			return err
		}
		since = resp.NextBatch
		a.acceptInvites(ctx, resp)
	}
	return ctx.Err()
}

func (a *Adapter) acceptInvites(ctx context.Context, resp *mautrix.RespSync) {
	if a.cfg.AutoJoin != nil && !*a.cfg.AutoJoin {
		return
	}
	for room := range resp.Rooms.Invite {
		if _, err := a.cli.JoinRoomByID(ctx, room); err != nil {
			a.log.Warn("matrix: cannot join", "room", room, "err", err)
		}
	}
}

// Send performs an outbox row. Messages carry the row's key as their
// transaction id: the homeserver answers a repeat with the first event.
func (a *Adapter) Send(ctx context.Context, it *shequn.OutboxItem) error {
	p, err := it.DecodePayload()
	if err != nil {
		return err
	}
	room := id.RoomID(it.CommunityRef)
	if room == "" {
		return fmt.Errorf("matrix %s: no room for community %d", it.Action, it.CommunityID)
	}
	switch it.Action {
	case shequn.ActSend, shequn.ActReply:
		content := map[string]any{"msgtype": "m.text", "body": p.Text}
		if p.ReplyTo != "" {
			content["m.relates_to"] = map[string]any{"m.in_reply_to": map[string]any{"event_id": p.ReplyTo}}
		}
		_, err = a.cli.SendMessageEvent(ctx, room, event.EventMessage, content, mautrix.ReqSendEvent{TransactionID: txnID(it.IdempotencyKey)})
	case shequn.ActDelete:
		_, err = a.cli.RedactEvent(ctx, room, id.EventID(p.MessageID), mautrix.ReqRedact{Reason: p.Reason, TxnID: txnID(it.IdempotencyKey)})
	case shequn.ActKick:
		_, err = a.cli.KickUser(ctx, room, &mautrix.ReqKickUser{UserID: id.UserID(it.MemberRef), Reason: p.Reason})
	case shequn.ActBan:
		_, err = a.cli.BanUser(ctx, room, &mautrix.ReqBanUser{UserID: id.UserID(it.MemberRef), Reason: p.Reason})
	case shequn.ActUnban:
		_, err = a.cli.UnbanUser(ctx, room, &mautrix.ReqUnbanUser{UserID: id.UserID(it.MemberRef), Reason: p.Reason})
	default:
		return fmt.Errorf("matrix: action %q is not supported", it.Action)
	}
	if err != nil {
		return fmt.Errorf("matrix %s: %w", it.Action, err)
	}
	return nil
}

// txnID makes an outbox key safe for a URL path segment, one to one.
func txnID(key string) string { return "shequn." + base64.RawURLEncoding.EncodeToString([]byte(key)) }

// readPictures downloads the pictures of new messages and attaches them to
// their events (moderation looks for QR codes in them).
func (a *Adapter) readPictures(ctx context.Context, events []shequn.EventInput) {
	for i := range events {
		mxc, ok := a.rooms.images[events[i].ID]
		if !ok {
			continue
		}
		delete(a.rooms.images, events[i].ID)
		uri, err := id.ParseContentURI(mxc)
		if err != nil {
			continue
		}
		data, err := a.cli.DownloadBytes(ctx, uri)
		if err != nil {
			a.log.Warn("matrix: cannot download a picture", "event", events[i].ID, "err", err)
			continue
		}
		if len(data) > shequn.MaxAttachmentBytes {
			data = nil // too big to check: its kind and size are kept
		}
		events[i].Attachments = append(events[i].Attachments, shequn.Attachment{Kind: shequn.AttachImage,
			MIME: http.DetectContentType(data), Size: int64(len(data)), URL: mxc, Data: data})
	}
}
