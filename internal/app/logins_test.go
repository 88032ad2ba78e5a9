package app

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

type fixedClock struct{ t *time.Time }

func (c fixedClock) Now() time.Time { return *c.t }

func newLoginApp(t *testing.T) (*App, *time.Time) {
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "shequn.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a := New(db, nil)
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	a.SetClock(fixedClock{&now})
	if _, err := a.EnsureWorkspace(context.Background(), "w", "w", "UTC"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateOperator(context.Background(), "w", "ops@example.com", "Ops", "correct horse", shequn.RoleOwner); err != nil {
		t.Fatal(err)
	}
	return a, &now
}

// An unknown e-mail costs one password comparison, like a wrong password,
// so the answer's time does not tell whether an operator exists.
func TestUnknownEmailComparesAPassword(t *testing.T) {
	a, _ := newLoginApp(t)
	ctx := context.Background()
	for _, email := range []string{"ops@example.com", "nobody@example.com"} {
		before := a.logins.checked.Load()
		if _, _, err := a.Login(ctx, email, "wrong password", "192.0.2.1"); shequn.ErrorCode(err) != shequn.EUNAUTHORIZED {
			t.Fatalf("%s: %v", email, err)
		}
		if n := a.logins.checked.Load() - before; n != 1 {
			t.Fatalf("%s: %d password comparisons, want 1", email, n)
		}
	}
}

// Five wrong passwords for an account, then every attempt waits (even the
// right password), doubling with each further failure; a success after the
// wait clears the count. Twenty failures from one address limit it for
// every account.
func TestLoginLimits(t *testing.T) {
	a, now := newLoginApp(t)
	ctx := context.Background()
	for i := range loginFreeAccount {
		if _, _, err := a.Login(ctx, "ops@example.com", "wrong", "192.0.2.1"); shequn.ErrorCode(err) != shequn.EUNAUTHORIZED {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	_, _, err := a.Login(ctx, "ops@example.com", "correct horse", "192.0.2.9")
	if shequn.ErrorCode(err) != shequn.ETOOMANY || shequn.ErrorRetryAfter(err) != loginFirstWait {
		t.Fatalf("after %d failures: %v (retry after %v)", loginFreeAccount, err, shequn.ErrorRetryAfter(err))
	}
	*now = now.Add(loginFirstWait)
	if _, _, err := a.Login(ctx, "ops@example.com", "wrong", "192.0.2.1"); shequn.ErrorCode(err) != shequn.EUNAUTHORIZED {
		t.Fatalf("after the wait: %v", err)
	}
	if _, _, err := a.Login(ctx, "ops@example.com", "correct horse", "192.0.2.1"); shequn.ErrorRetryAfter(err) != 2*loginFirstWait {
		t.Fatalf("a further failure should double the wait: %v", err)
	}
	*now = now.Add(2 * loginFirstWait)
	if _, _, err := a.Login(ctx, "ops@example.com", "correct horse", "192.0.2.1"); err != nil {
		t.Fatalf("right password after the wait: %v", err)
	}
	if _, _, err := a.Login(ctx, "ops@example.com", "wrong", "192.0.2.1"); shequn.ErrorCode(err) != shequn.EUNAUTHORIZED {
		t.Fatalf("a success clears the account's count: %v", err)
	}
	// One address trying many accounts.
	*now = now.Add(time.Hour + time.Minute)
	for i := range loginFreeIP {
		a.Login(ctx, "guess"+string(rune('a'+i))+"@example.com", "x", "198.51.100.4")
	}
	if _, _, err := a.Login(ctx, "ops@example.com", "correct horse", "198.51.100.4"); shequn.ErrorCode(err) != shequn.ETOOMANY {
		t.Fatalf("address after %d failures: %v", loginFreeIP, err)
	}
	if _, _, err := a.Login(ctx, "ops@example.com", "correct horse", "198.51.100.5"); err != nil {
		t.Fatalf("another address is not limited: %v", err)
	}
}

func TestLoginBackoffIsCapped(t *testing.T) {
	for over, want := range map[int]time.Duration{0: 30 * time.Second, 1: time.Minute, 4: 8 * time.Minute, 5: loginMaxWait, 500: loginMaxWait} {
		if got := backoff(over); got != want {
			t.Errorf("backoff(%d) = %v, want %v", over, got, want)
		}
	}
}
