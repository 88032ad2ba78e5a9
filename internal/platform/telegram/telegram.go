package telegram

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/shequn/shequn"
)

// Config is a Telegram connector's settings; the bot token is its secret.
type Config struct {
	// Mode is "polling" (default) or "webhook".
	Mode string `json:"mode,omitempty"`
	// WebhookURL is where Telegram posts updates in webhook mode:
	// https://your-host/hooks/telegram/{connector id}.
	WebhookURL string `json:"webhook_url,omitempty"`
	// APIURL replaces https://api.telegram.org (a local Bot API server).
	APIURL string `json:"api_url,omitempty"`
}

var allowed = bot.AllowedUpdates{"message", "chat_member"}

// Adapter is a running Telegram connector.
type Adapter struct {
	bot    *bot.Bot
	cfg    Config
	self   int64
	secret string // the webhook's secret token, derived from the bot token
	log    *slog.Logger

	files *http.Client // downloads of pictures

	mu   sync.Mutex
	sink shequn.Sink // set while running in webhook mode
}

var (
	_ shequn.Platform = (*Adapter)(nil)
	_ shequn.Tester   = (*Adapter)(nil)
)

// New builds an adapter from a connector.
func New(c *shequn.Connector, token string, log *slog.Logger) (shequn.Platform, error) {
	var cfg Config
	if err := json.Unmarshal([]byte(c.Config), &cfg); err != nil {
		return nil, errors.New("telegram: config is not JSON")
	}
	if cfg.Mode == "" {
		cfg.Mode = "polling"
	}
	if cfg.Mode != "polling" && cfg.Mode != "webhook" {
		return nil, fmt.Errorf("telegram: mode %q: want polling or webhook", cfg.Mode)
	}
	id, _, ok := strings.Cut(token, ":")
	self, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil {
		return nil, errors.New("telegram: the token is not a bot token (id:secret)")
	}
	b, err := bot.New(token, cfg.options()...)
	if err != nil {
		return nil, fmt.Errorf("telegram: %w", err)
	}
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("shequn webhook"))
	return &Adapter{bot: b, cfg: cfg, self: self, secret: hex.EncodeToString(m.Sum(nil))[:48], log: log,
		files: &http.Client{Timeout: 30 * time.Second}}, nil
}

// Platform names the platform.
func (a *Adapter) Platform() string { return "telegram" }

// Test asks Telegram who the bot is.
func (a *Adapter) Test(ctx context.Context) (string, error) {
	me, err := a.bot.GetMe(ctx)
	if err != nil {
		return "", fmt.Errorf("telegram getMe: %w", err)
	}
	return "@" + me.Username, nil
}

// Run receives updates until ctx ends: by long polling from the stored
// offset, or by webhook (see Hook). An update is acknowledged to Telegram
// only after the pipeline stored it.
func (a *Adapter) Run(ctx context.Context, sink shequn.Sink) error {
	if a.cfg.Mode == "webhook" {
		return a.runWebhook(ctx, sink)
	}
	offset, _ := strconv.ParseInt(sink.State(), 10, 64)
	rctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	b, err := bot.New(a.bot.Token(), a.pollOptions(offset, func(hctx context.Context, _ *bot.Bot, u *models.Update) {
		if err := a.deliver(rctx, sink, u); err != nil {
			cancel(err)
		}
	}, func(err error) { cancel(err) })...)
	if err != nil {
		return fmt.Errorf("telegram: %w", err)
	}
	b.Start(rctx)
	if err := context.Cause(rctx); err != nil && ctx.Err() == nil {
		return err
	}
	return ctx.Err()
}

func (a *Adapter) pollOptions(offset int64, handle bot.HandlerFunc, fail bot.ErrorsHandler) []bot.Option {
	return append(a.cfg.options(), bot.WithNotAsyncHandlers(), bot.WithInitialOffset(offset), bot.WithAllowedUpdates(allowed),
		bot.WithDefaultHandler(handle), bot.WithErrorsHandler(fail))
}

// options are every bot's: no getMe at start, a long-poll client, the API URL.
func (cfg Config) options() []bot.Option {
	opts := []bot.Option{bot.WithSkipGetMe(), bot.WithHTTPClient(30*time.Second, &http.Client{Timeout: 40 * time.Second})}
	if cfg.APIURL != "" {
		opts = append(opts, bot.WithServerURL(strings.TrimRight(cfg.APIURL, "/")))
	}
	return opts
}

// deliver stores an update's events, then its id as the resume point.
func (a *Adapter) deliver(ctx context.Context, sink shequn.Sink, u *models.Update) error {
	events := mapUpdate(u, a.self)
	if u.Message != nil && len(u.Message.Photo) > 0 && len(events) == 1 {
		events[0].Attachments = []shequn.Attachment{a.fetchPhoto(ctx, u.Message.Photo)}
	}
	if err := sink.Deliver(ctx, events); err != nil {
		return err
	}
	return sink.SaveState(ctx, strconv.FormatInt(u.ID, 10))
}

// fetchPhoto downloads the largest size of a message's picture that fits
// shequn.MaxAttachmentBytes (getFile, then the file link), so that
// moderation can look for a QR code in it. A failure is logged, without
// the token, and the picture is attached without its bytes.
func (a *Adapter) fetchPhoto(ctx context.Context, sizes []models.PhotoSize) shequn.Attachment {
	best := sizes[0]
	for _, s := range sizes[1:] {
		if s.FileSize <= shequn.MaxAttachmentBytes && s.Width*s.Height > best.Width*best.Height {
			best = s
		}
	}
	att := shequn.Attachment{Kind: shequn.AttachImage, Size: int64(best.FileSize)}
	data, err := a.download(ctx, best.FileID)
	if err != nil {
		a.log.Warn("telegram: cannot fetch a picture", "err", err)
		return att
	}
	att.Data, att.Size, att.MIME = data, int64(len(data)), http.DetectContentType(data)
	return att
}

func (a *Adapter) download(ctx context.Context, fileID string) ([]byte, error) {
	f, err := a.bot.GetFile(ctx, &bot.GetFileParams{FileID: fileID})
	if err != nil {
		return nil, fmt.Errorf("getFile: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.bot.FileDownloadLink(f), nil)
	if err != nil {
		return nil, errors.New("file link: bad URL")
	}
	resp, err := a.files.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the link holds the token
		}
		return nil, fmt.Errorf("file download: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("file download: HTTP %d", resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, shequn.MaxAttachmentBytes+1))
	if err != nil {
		return nil, fmt.Errorf("file download: %w", err)
	}
	if len(data) > shequn.MaxAttachmentBytes {
		return nil, errors.New("file download: larger than the attachment limit")
	}
	return data, nil
}

func (a *Adapter) runWebhook(ctx context.Context, sink shequn.Sink) error {
	if a.cfg.WebhookURL == "" {
		return errors.New("telegram: webhook mode needs webhook_url")
	}
	if _, err := a.bot.SetWebhook(ctx, &bot.SetWebhookParams{URL: a.cfg.WebhookURL, SecretToken: a.secret, AllowedUpdates: allowed}); err != nil {
		return fmt.Errorf("telegram setWebhook: %w", err)
	}
	a.mu.Lock()
	a.sink = sink
	a.mu.Unlock()
	<-ctx.Done()
	a.mu.Lock()
	a.sink = nil
	a.mu.Unlock()
	return ctx.Err()
}

// Hook is the webhook endpoint: an update without the right secret token
// header is refused (401) and nothing is stored; a stored update answers
// 200, a failure 500 so that Telegram delivers it again.
func (a *Adapter) Hook() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if subtle.ConstantTimeCompare([]byte(got), []byte(a.secret)) != 1 {
			http.Error(w, "bad secret token", http.StatusUnauthorized)
			return
		}
		a.mu.Lock()
		sink := a.sink
		a.mu.Unlock()
		if sink == nil {
			http.Error(w, "connector not running", http.StatusServiceUnavailable)
			return
		}
		var u models.Update
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&u); err != nil {
			http.Error(w, "not an update", http.StatusBadRequest)
			return
		}
		if err := a.deliver(r.Context(), sink, &u); err != nil {
			http.Error(w, "not stored", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

// WebhookSecret is the secret token Telegram sends with webhook updates.
func (a *Adapter) WebhookSecret() string { return a.secret }
