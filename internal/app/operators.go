package app

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/shequn/shequn"
)

// canEdit is the operators' edit rule (Operator.CanEdit); nil is an API token.
func canEdit(op *shequn.Operator) error {
	if op != nil && !op.CanEdit() {
		return shequn.Errorf(shequn.EFORBIDDEN, "viewers cannot change settings")
	}
	return nil
}

// operatorID is the operator's id for logs; 0 for an API token.
func operatorID(op *shequn.Operator) int64 {
	if op == nil {
		return 0
	}
	return op.ID
}

// SetLanguage stores the console language an operator chose.
func (a *App) SetLanguage(ctx context.Context, op *shequn.Operator, lang string) error {
	if lang != "en" && lang != "zh" {
		return shequn.Invalid("language", "language %q: want en or zh", lang)
	}
	return a.db.UpdateOperatorLang(ctx, op.ID, lang)
}

// CreateOperator adds a console user to workspace slug.
func (a *App) CreateOperator(ctx context.Context, slug, email, name, password string, role shequn.Role) (*shequn.Operator, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	switch {
	case !strings.Contains(email, "@") || len(email) > 254:
		return nil, shequn.Invalid("email", "email %q: not an email address", email)
	case len(password) < 8:
		return nil, shequn.Invalid("password", "password: at least 8 characters")
	case utf8.RuneCountInString(name) > 100 || !utf8.ValidString(name):
		return nil, shequn.Invalid("name", "name: at most 100 characters")
	case len(password) > 72:
		return nil, shequn.Invalid("password", "password: at most 72 bytes")
	case !role.Valid():
		return nil, shequn.Invalid("role", "role %q: want owner, admin, operator or viewer", role)
	}
	ws, err := a.db.FindWorkspaceBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return nil, err
	}
	o := &shequn.Operator{WorkspaceID: ws.ID, Email: email, Name: name, Role: role, PasswordHash: string(hash)}
	if err := a.db.CreateOperator(ctx, o); err != nil {
		return nil, err
	}
	a.Log.Info("operator created", "workspace", slug, "email", email, "role", role)
	return o, nil
}

// absentHash is compared when no operator has the e-mail, so that an
// unknown address takes as long as a wrong password (bcrypt, DefaultCost).
const absentHash = "$2a$10$AxRxpIvsbn6dearo/8PcmepqmhJcL5dvLJsos4d0Rdli5OlsFFNGK"

// Login checks credentials and opens a session; it returns the cookie
// secret. addr is the client's address. Repeated failures for an account
// or from an address make further attempts wait (ETOOMANY with RetryAfter);
// an unknown e-mail costs the same as a wrong password.
func (a *App) Login(ctx context.Context, email, password, addr string) (string, *shequn.Operator, error) {
	now := a.Clock.Now()
	email = strings.ToLower(strings.TrimSpace(email))
	account, address := accountKey(email), ""
	if addr != "" {
		address = addressKey(addr)
	}
	if d := a.logins.wait(now, account, address); d > 0 {
		return "", nil, &shequn.Error{Code: shequn.ETOOMANY, Index: -1, RetryAfter: d,
			Message: fmt.Sprintf("too many failed logins: try again in %d seconds", int(d.Round(time.Second).Seconds()))}
	}
	o, err := a.db.FindOperatorByEmail(ctx, email)
	hash := absentHash
	switch {
	case err == nil:
		hash = o.PasswordHash
	case shequn.ErrorCode(err) != shequn.ENOTFOUND:
		return "", nil, err
	}
	ok, err := a.checkPassword(ctx, hash, password)
	if err != nil {
		return "", nil, err
	}
	if o == nil || !ok {
		a.logins.failed(now, account, address)
		return "", nil, shequn.Errorf(shequn.EUNAUTHORIZED, "wrong email or password")
	}
	a.logins.succeeded(account)
	secret := randomToken()
	s := &shequn.Session{Hash: hashSecret(secret), OperatorID: o.ID, ExpiresAt: now.Add(SessionTTL)}
	if err := a.db.CreateSession(ctx, s); err != nil {
		return "", nil, err
	}
	return secret, o, nil
}

// checkPassword compares under the limiter's semaphore: one bcrypt at a
// time, so that a login flood queues instead of taking every core.
func (a *App) checkPassword(ctx context.Context, hash, password string) (bool, error) {
	select {
	case a.logins.hashing <- struct{}{}:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	defer func() { <-a.logins.hashing }()
	a.logins.checked.Add(1)
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil, nil
}

// Session returns the operator and workspace of a session cookie.
func (a *App) Session(ctx context.Context, secret string) (*shequn.Operator, *shequn.Workspace, error) {
	if secret == "" {
		return nil, nil, shequn.Errorf(shequn.EUNAUTHORIZED, "not logged in")
	}
	s, err := a.db.FindSession(ctx, hashSecret(secret), a.Clock.Now())
	if shequn.ErrorCode(err) == shequn.ENOTFOUND {
		return nil, nil, shequn.Errorf(shequn.EUNAUTHORIZED, "session expired")
	} else if err != nil {
		return nil, nil, err
	}
	o, err := a.db.FindOperatorByID(ctx, s.OperatorID)
	if err != nil {
		return nil, nil, err
	}
	ws, err := a.db.FindWorkspaceByID(ctx, o.WorkspaceID)
	return o, ws, err
}

// Logout ends a session.
func (a *App) Logout(ctx context.Context, secret string) error {
	return a.db.DeleteSession(ctx, hashSecret(secret))
}
