package app

import (
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Login throttling. Failures are counted per account (e-mail) and per
// client address; past a free allowance every further failure doubles the
// wait before the next attempt is even checked, up to loginMaxWait. A
// success clears the account's count (not the address's).
const (
	loginFreeAccount = 5  // failures per account before waits begin
	loginFreeIP      = 20 // failures per address before waits begin
	loginFirstWait   = 30 * time.Second
	loginMaxWait     = 15 * time.Minute
	loginForget      = time.Hour // a count with no failure for this long is dropped
	loginTracked     = 100_000   // bound on remembered keys
)

type loginRecord struct {
	failures int
	last     time.Time
	until    time.Time // no attempt is checked before this
}

// loginLimiter remembers recent failures. It also bounds how many password
// hashes are checked at once, so that a flood of logins cannot take the
// CPU from ingest.
type loginLimiter struct {
	mu      sync.Mutex
	records map[string]*loginRecord
	hashing chan struct{}
	checked atomic.Int64 // password hashes compared (known and unknown e-mails alike)
}

func newLoginLimiter() *loginLimiter {
	return &loginLimiter{records: map[string]*loginRecord{}, hashing: make(chan struct{}, 1)}
}

func accountKey(email string) string { return "a:" + strings.ToLower(strings.TrimSpace(email)) }
func addressKey(ip string) string    { return "i:" + ip }

// wait returns how long the caller must wait before an attempt for these
// keys is checked (0: go ahead).
func (l *loginLimiter) wait(now time.Time, keys ...string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var d time.Duration
	for _, k := range keys {
		if r := l.records[k]; r != nil && r.until.After(now) {
			d = max(d, r.until.Sub(now))
		}
	}
	return d
}

// failed records a failure for each key.
func (l *loginLimiter) failed(now time.Time, account, address string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.records) >= loginTracked {
		l.sweep(now)
	}
	for k, free := range map[string]int{account: loginFreeAccount, address: loginFreeIP} {
		if k == "" {
			continue
		}
		r := l.records[k]
		if r == nil || now.Sub(r.last) > loginForget {
			r = &loginRecord{}
			l.records[k] = r
		}
		r.failures++
		r.last = now
		if over := r.failures - free; over >= 0 {
			r.until = now.Add(backoff(over))
		}
	}
}

// succeeded clears an account's failures.
func (l *loginLimiter) succeeded(account string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.records, account)
}

func (l *loginLimiter) sweep(now time.Time) {
	for k, r := range l.records {
		if now.Sub(r.last) > loginForget && !r.until.After(now) {
			delete(l.records, k)
		}
	}
	if len(l.records) >= loginTracked { // a flood of distinct keys: start over
		clear(l.records)
	}
}

// backoff is loginFirstWait doubled per failure beyond the allowance.
func backoff(over int) time.Duration {
	d := loginFirstWait
	for range min(over, 10) {
		d *= 2
	}
	return min(d, loginMaxWait)
}
