package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// VisitorsConfig sizes the visitors benchmark: a landing page shared
// widely, opened by new visitors (no cookie: each view is counted) who
// load its QR, some of them leaving a lead.
type VisitorsConfig struct {
	URL      string // base URL of a running shequn
	Page     string // the landing page's path, /p/{workspace}/{slug}
	Clients  int
	Duration time.Duration
	// LeadEvery: every so many views a lead is submitted (0: none). All
	// come from this machine's address, so past the per-address limit
	// they are refused with 429, which is counted apart.
	LeadEvery int
	WAL       string
	Client    *http.Client
}

// VisitorsResult is what a visitors run measured.
type VisitorsResult struct {
	Views, Images, Leads, Limited, Failed int64
	ViewsPerSecond                        float64
	P50, P99                              time.Duration // per page view
	MaxWAL                                int64
}

// Visitors loads a landing page as new visitors would and reports views
// per second, latency and the WAL's largest size.
func Visitors(ctx context.Context, cfg VisitorsConfig, out io.Writer) (VisitorsResult, error) {
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	var r VisitorsResult
	if code, _, err := fetch(ctx, cfg.Client, cfg.URL+cfg.Page); err != nil || code != http.StatusOK {
		return r, fmt.Errorf("bench visitors: %s answers %d %v (is the page published?)", cfg.Page, code, err)
	}
	fmt.Fprintf(out, "loading %s%s with %d new visitors at a time for %v…\n", cfg.URL, cfg.Page, cfg.Clients, cfg.Duration)
	run, stop := context.WithTimeout(ctx, cfg.Duration)
	defer stop()
	walDone := make(chan int64, 1)
	go func() { walDone <- sampleWAL(run, cfg.WAL) }()
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	start := time.Now()
	for c := range cfg.Clients {
		wg.Go(func() {
			mine := visit(run, cfg, c, &r)
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	r.MaxWAL = <-walDone
	r.ViewsPerSecond = float64(r.Views) / time.Since(start).Seconds()
	r.P50, r.P99 = quantile(lat, 0.5), quantile(lat, 0.99)
	fmt.Fprintf(out, "views %d (%.0f/s), p50 %v, p99 %v; QR pictures %d; leads stored %d, refused by the per-address limit %d; failed %d\n",
		r.Views, r.ViewsPerSecond, r.P50.Round(time.Microsecond), r.P99.Round(time.Microsecond), r.Images, r.Leads, r.Limited, r.Failed)
	if cfg.WAL != "" {
		fmt.Fprintf(out, "largest WAL: %.1f MB\n", float64(r.MaxWAL)/(1<<20))
	}
	return r, nil
}

// visit is one client's loop: the page, its QR, now and then a lead.
func visit(ctx context.Context, cfg VisitorsConfig, c int, r *VisitorsResult) []time.Duration {
	var lat []time.Duration
	for n := 0; ctx.Err() == nil; n++ {
		t0 := time.Now()
		code, body, err := fetch(ctx, cfg.Client, cfg.URL+cfg.Page+fmt.Sprintf("?s=bench%d", c%4))
		if ctx.Err() != nil {
			break
		}
		if err != nil || code != http.StatusOK {
			atomic.AddInt64(&r.Failed, 1)
			continue
		}
		lat = append(lat, time.Since(t0))
		atomic.AddInt64(&r.Views, 1)
		if src := qrSrc(body); src != "" {
			if code, _, err := fetch(ctx, cfg.Client, cfg.URL+src); err == nil && code == http.StatusOK {
				atomic.AddInt64(&r.Images, 1)
			}
		}
		if cfg.LeadEvery > 0 && n%cfg.LeadEvery == 0 {
			lead(ctx, cfg, c, n, r)
		}
	}
	return lat
}

func lead(ctx context.Context, cfg VisitorsConfig, c, n int, r *VisitorsResult) {
	form := url.Values{"name": {"bench"}, "phone": {fmt.Sprintf("139%04d%04d", c%10000, n%10000)}, "city": {"上海"}, "consent": {"1"}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, cfg.URL+cfg.Page+"/lead", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := cfg.Client.Do(req)
	if err != nil {
		return
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusSeeOther:
		atomic.AddInt64(&r.Leads, 1)
	case http.StatusTooManyRequests:
		atomic.AddInt64(&r.Limited, 1)
	default:
		atomic.AddInt64(&r.Failed, 1)
	}
}

func fetch(ctx context.Context, client *http.Client, u string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	return resp.StatusCode, string(b), err
}

// qrSrc finds the page's QR picture (/j/…/qr/…).
func qrSrc(body string) string {
	i := strings.Index(body, `src="/j/`)
	if i < 0 {
		return ""
	}
	rest := body[i+5:]
	return rest[:strings.IndexByte(rest, '"')]
}
