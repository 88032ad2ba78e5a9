package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shequn/shequn"
)

// LoadConfig drives a running shequn over HTTP, as connectors would.
type LoadConfig struct {
	URL      string // base URL of a running shequn
	Token    string // API token of the workspace to load
	Clients  int    // concurrent writers
	Readers  int    // concurrent readers of the API's read endpoints
	Duration time.Duration
	Batch    int    // events per POST
	Pool     int    // simulated events cycled through (each cycle gets new ids)
	WAL      string // when set, the SQLite WAL file whose size is sampled
	// Email and Password, when set, log a reader into the console, whose
	// pages are then read too.
	Email, Password string
	Seed            uint64
	Client          *http.Client
}

// LoadResult is what a load run measured.
type LoadResult struct {
	Acknowledged, Stored int64
	Batches, Failed      int64
	EventsPerSecond      float64
	P50, P99             time.Duration // per batch, acknowledged ones
	ReadP50, ReadP99     time.Duration
	Reads, ReadErrors    int64
	MaxWAL               int64
}

// Load posts batches of fresh events from cfg.Clients writers for
// cfg.Duration while cfg.Readers read, then checks that the workspace
// stored exactly the acknowledged events and prints the figures.
func Load(ctx context.Context, cfg LoadConfig, out io.Writer) (LoadResult, error) {
	if cfg.URL == "" || cfg.Token == "" {
		return LoadResult{}, shequn.Errorf(shequn.EINVALID, "--url and --token are required")
	}
	if cfg.Clients < 1 || cfg.Batch < 1 || cfg.Batch > 5000 || cfg.Duration <= 0 {
		return LoadResult{}, shequn.Errorf(shequn.EINVALID, "clients ≥ 1, batch 1..5000 and a positive duration are required")
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 2 * time.Minute}
	}
	if cfg.Pool <= 0 {
		cfg.Pool = 50_000
	}
	pool, err := Stream(cfg.Pool, cfg.Seed)
	if err != nil {
		return LoadResult{}, err
	}
	l := &loader{cfg: cfg, pool: inputs(pool), run: strconv.FormatInt(time.Now().UnixNano(), 36), paths: apiPaths}
	if cfg.Email != "" {
		if err := l.login(ctx); err != nil {
			return LoadResult{}, err
		}
		l.paths = append(slices.Clone(apiPaths), consolePaths...)
	}
	before, err := l.storedEvents(ctx)
	if err != nil {
		return LoadResult{}, err
	}
	fmt.Fprintf(out, "load: %d writers × %d events per batch, %d readers, %v against %s\n", cfg.Clients, cfg.Batch, cfg.Readers, cfg.Duration, cfg.URL)
	res := l.drive(ctx)
	after, err := l.storedEvents(context.WithoutCancel(ctx))
	if err != nil {
		return res, err
	}
	res.Stored = int64(after - before)
	report(out, res)
	if res.Stored != res.Acknowledged {
		return res, fmt.Errorf("stored %d events but %d were acknowledged", res.Stored, res.Acknowledged)
	}
	return res, nil
}

func report(out io.Writer, r LoadResult) {
	fmt.Fprintf(out, "writes: %d batches acknowledged, %d failed; batch latency p50 %v p99 %v\n", r.Batches, r.Failed, r.P50.Round(time.Millisecond), r.P99.Round(time.Millisecond))
	if r.Reads > 0 {
		fmt.Fprintf(out, "reads: %d (%d errors); latency p50 %v p99 %v\n", r.Reads, r.ReadErrors, r.ReadP50.Round(time.Millisecond), r.ReadP99.Round(time.Millisecond))
	}
	if r.MaxWAL > 0 {
		fmt.Fprintf(out, "wal: largest %.1f MB\n", float64(r.MaxWAL)/(1<<20))
	}
	fmt.Fprintf(out, "load: %d events acknowledged, %d stored, %.0f ev/s\n", r.Acknowledged, r.Stored, r.EventsPerSecond)
}

type loader struct {
	cfg     LoadConfig
	pool    []shequn.EventInput
	run     string
	paths   []string
	console *http.Client // with the session cookie
}

// inputs turns simulated events into API payloads.
func inputs(evs []shequn.Event) []shequn.EventInput {
	out := make([]shequn.EventInput, len(evs))
	for i, e := range evs {
		out[i] = shequn.EventInput{ID: e.SourceID, Platform: e.Platform, Community: e.Community, CommunityName: e.CommunityName,
			Actor: e.Actor, ActorName: e.ActorName, Kind: string(e.Kind), TS: e.TS.Format(time.RFC3339Nano), Text: e.Text,
			ReplyTo: e.ReplyTo, Target: e.Target, TargetName: e.TargetName, Inviter: e.Inviter, Source: e.Source}
	}
	return out
}

// drive runs the writers and readers for the configured duration. A batch
// in flight when the time is up is waited for, so that what was stored
// and what was acknowledged can be compared.
func (l *loader) drive(ctx context.Context) LoadResult {
	stop, cancel := context.WithTimeout(ctx, l.cfg.Duration)
	defer cancel()
	var res LoadResult
	var mu sync.Mutex
	var lat, reads []time.Duration
	var wg sync.WaitGroup
	start := time.Now()
	for c := range l.cfg.Clients {
		wg.Go(func() {
			mine, acked, failed := l.write(ctx, stop, c)
			mu.Lock()
			lat = append(lat, mine...)
			res.Acknowledged += acked
			res.Failed += failed
			mu.Unlock()
		})
	}
	var readErrs atomic.Int64
	for r := range l.cfg.Readers {
		wg.Go(func() {
			mine := l.read(stop, r, &readErrs)
			mu.Lock()
			reads = append(reads, mine...)
			mu.Unlock()
		})
	}
	walDone := make(chan int64)
	go func() { walDone <- sampleWAL(stop, l.cfg.WAL) }()
	wg.Wait()
	took := time.Since(start)
	res.MaxWAL = <-walDone
	res.Batches = int64(len(lat))
	res.EventsPerSecond = float64(res.Acknowledged) / took.Seconds()
	res.P50, res.P99 = quantile(lat, 0.5), quantile(lat, 0.99)
	res.Reads, res.ReadErrors = int64(len(reads)), readErrs.Load()
	res.ReadP50, res.ReadP99 = quantile(reads, 0.5), quantile(reads, 0.99)
	return res
}

// write posts batches until stop ends; each cycle through the pool gives
// the events new ids, so every event sent is new.
func (l *loader) write(ctx, stop context.Context, client int) (lat []time.Duration, acked, failed int64) {
	n := len(l.pool)
	pos := client * n / max(1, l.cfg.Clients)
	cycle := 0
	batch := make([]shequn.EventInput, 0, l.cfg.Batch)
	for stop.Err() == nil && ctx.Err() == nil {
		batch = batch[:0]
		for len(batch) < l.cfg.Batch {
			e := l.pool[pos]
			e.ID = fmt.Sprintf("%s-%d-%d-%s", l.run, client, cycle, e.ID)
			if e.ReplyTo != "" {
				e.ReplyTo = fmt.Sprintf("%s-%d-%d-%s", l.run, client, cycle, e.ReplyTo)
			}
			batch = append(batch, e)
			if pos++; pos == n {
				pos, cycle = 0, cycle+1
			}
		}
		t := time.Now()
		accepted, err := l.post(ctx, batch)
		if err != nil {
			if ctx.Err() == nil {
				failed++
			}
			continue
		}
		lat = append(lat, time.Since(t))
		acked += int64(accepted)
	}
	return lat, acked, failed
}

func (l *loader) post(ctx context.Context, batch []shequn.EventInput) (int, error) {
	body, err := json.Marshal(map[string]any{"events": batch})
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.cfg.URL+"/api/v1/events", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+l.cfg.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := l.cfg.Client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var r shequn.IngestResult
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return 0, fmt.Errorf("post events: %s: %s", resp.Status, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return 0, fmt.Errorf("post events: %w", err)
	}
	return r.Accepted, nil
}

// apiPaths and consolePaths are what dashboards and operators read.
var (
	apiPaths = []string{
		"/api/v1/stats/overview", "/api/v1/stats/daily?days=90", "/api/v1/communities?limit=50",
		"/api/v1/members?limit=50", "/api/v1/members?limit=50&q=a", "/api/v1/moderation/cases?limit=50",
	}
	consolePaths = []string{"/", "/members", "/communities", "/moderation", "/members?q=a"}
)

// login opens a console session for the readers.
func (l *loader) login(ctx context.Context) error {
	jar, _ := cookiejar.New(nil)
	l.console = &http.Client{Jar: jar, Timeout: l.cfg.Client.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := url.Values{"email": {l.cfg.Email}, "password": {l.cfg.Password}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.cfg.URL+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", l.cfg.URL)
	resp, err := l.console.Do(req)
	if err != nil {
		return fmt.Errorf("console login: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("console login: %s", resp.Status)
	}
	return nil
}

func (l *loader) read(ctx context.Context, r int, errs *atomic.Int64) []time.Duration {
	var lat []time.Duration
	for i := r; ctx.Err() == nil; i++ {
		t := time.Now()
		if err := l.get(ctx, l.paths[i%len(l.paths)], nil); err != nil {
			if ctx.Err() == nil {
				errs.Add(1)
			}
			continue
		}
		lat = append(lat, time.Since(t))
	}
	return lat
}

func (l *loader) get(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, l.cfg.URL+path, nil)
	if err != nil {
		return err
	}
	client := l.cfg.Client
	if strings.HasPrefix(path, "/api/") {
		req.Header.Set("Authorization", "Bearer "+l.cfg.Token)
	} else {
		client = l.console
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("GET %s: %s: %s", path, resp.Status, b)
	}
	if v == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

func (l *loader) storedEvents(ctx context.Context) (int, error) {
	var o shequn.Overview
	if err := l.get(ctx, "/api/v1/stats/overview?days=1", &o); err != nil {
		return 0, err
	}
	return o.Events, nil
}

// sampleWAL returns the largest size the file reached until ctx ended.
func sampleWAL(ctx context.Context, path string) int64 {
	if path == "" {
		return 0
	}
	var largest int64
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		if fi, err := os.Stat(path); err == nil {
			largest = max(largest, fi.Size())
		}
		select {
		case <-ctx.Done():
			return largest
		case <-t.C:
		}
	}
}

func quantile(d []time.Duration, q float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}
