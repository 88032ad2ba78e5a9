package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shequn/shequn"
)

// CreateWorkspace inserts w and sets its ID and CreatedAt.
func (db *DB) CreateWorkspace(ctx context.Context, w *shequn.Workspace) error {
	if w.TimeZone == "" {
		w.TimeZone = "UTC"
	}
	w.CreatedAt = msTime(db.stamp())
	return db.withTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, db.q.get("create-workspace"), w.Slug, w.Name, w.TimeZone, w.CreatedAt.UnixMilli()).Scan(&w.ID)
		if isUniqueViolation(err) {
			return shequn.Errorf(shequn.ECONFLICT, "workspace %q already exists", w.Slug)
		} else if err != nil {
			return fmt.Errorf("create workspace %s: %w", w.Slug, err)
		}
		// the row a fold and the batches lock (pointsfold.go)
		if _, err := tx.ExecContext(ctx, db.q.get("create-points-fold"), w.ID); err != nil {
			return fmt.Errorf("create workspace %s: %w", w.Slug, err)
		}
		return nil
	})
}

func scanWorkspace(row interface{ Scan(...any) error }) (*shequn.Workspace, error) {
	var w shequn.Workspace
	var created int64
	if err := row.Scan(&w.ID, &w.Slug, &w.Name, &w.TimeZone, &created); err != nil {
		return nil, err
	}
	w.CreatedAt = msTime(created)
	return &w, nil
}

// FindWorkspaceByID returns the workspace or ENOTFOUND.
func (db *DB) FindWorkspaceByID(ctx context.Context, id int64) (*shequn.Workspace, error) {
	w, err := scanWorkspace(db.read.QueryRowContext(ctx, db.q.get("find-workspace-by-id"), id))
	return w, notFound(err, "workspace %d", id)
}

// FindWorkspaceBySlug returns the workspace or ENOTFOUND.
func (db *DB) FindWorkspaceBySlug(ctx context.Context, slug string) (*shequn.Workspace, error) {
	w, err := scanWorkspace(db.read.QueryRowContext(ctx, db.q.get("find-workspace-by-slug"), slug))
	return w, notFound(err, "workspace %q", slug)
}

// FindWorkspaces lists every workspace.
func (db *DB) FindWorkspaces(ctx context.Context) ([]*shequn.Workspace, error) {
	rows, err := db.read.QueryContext(ctx, db.q.get("find-workspaces"))
	if err != nil {
		return nil, fmt.Errorf("find workspaces: %w", err)
	}
	defer rows.Close()
	var out []*shequn.Workspace
	for rows.Next() {
		w, err := scanWorkspace(rows)
		if err != nil {
			return nil, fmt.Errorf("scan workspace: %w", err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// CreateOperator inserts o (PasswordHash already set).
func (db *DB) CreateOperator(ctx context.Context, o *shequn.Operator) error {
	o.Email = strings.ToLower(strings.TrimSpace(o.Email))
	o.CreatedAt = msTime(db.stamp())
	err := db.write.QueryRowContext(ctx, db.q.get("create-operator"), o.WorkspaceID, o.Email, o.Name, string(o.Role),
		o.Lang, o.PasswordHash, o.CreatedAt.UnixMilli()).Scan(&o.ID)
	if isUniqueViolation(err) {
		return shequn.Errorf(shequn.ECONFLICT, "operator %q already exists", o.Email)
	} else if err != nil {
		return fmt.Errorf("create operator: %w", err)
	}
	return nil
}

func scanOperator(row interface{ Scan(...any) error }) (*shequn.Operator, error) {
	var o shequn.Operator
	var role string
	var created int64
	if err := row.Scan(&o.ID, &o.WorkspaceID, &o.Email, &o.Name, &role, &o.Lang, &o.PasswordHash, &created); err != nil {
		return nil, err
	}
	o.Role, o.CreatedAt = shequn.Role(role), msTime(created)
	return &o, nil
}

// FindOperatorByEmail returns the operator or ENOTFOUND.
func (db *DB) FindOperatorByEmail(ctx context.Context, email string) (*shequn.Operator, error) {
	o, err := scanOperator(db.read.QueryRowContext(ctx, db.q.get("find-operator-by-email"), strings.ToLower(strings.TrimSpace(email))))
	return o, notFound(err, "operator %q", email)
}

// FindOperatorByID returns the operator or ENOTFOUND.
func (db *DB) FindOperatorByID(ctx context.Context, id int64) (*shequn.Operator, error) {
	o, err := scanOperator(db.read.QueryRowContext(ctx, db.q.get("find-operator-by-id"), id))
	return o, notFound(err, "operator %d", id)
}

// UpdateOperatorLang stores the operator's console language.
func (db *DB) UpdateOperatorLang(ctx context.Context, id int64, lang string) error {
	if _, err := db.write.ExecContext(ctx, db.q.get("update-operator-lang"), lang, id); err != nil {
		return fmt.Errorf("update operator %d lang: %w", id, err)
	}
	return nil
}

// CreateSession stores a session.
func (db *DB) CreateSession(ctx context.Context, s *shequn.Session) error {
	if _, err := db.write.ExecContext(ctx, db.q.get("create-session"), s.Hash, s.OperatorID, s.ExpiresAt.UnixMilli()); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// FindSession returns an unexpired session or ENOTFOUND.
func (db *DB) FindSession(ctx context.Context, hash string, now time.Time) (*shequn.Session, error) {
	var s shequn.Session
	var exp int64
	err := db.read.QueryRowContext(ctx, db.q.get("find-session"), hash, now.UnixMilli()).Scan(&s.Hash, &s.OperatorID, &exp)
	s.ExpiresAt = msTime(exp)
	return &s, notFound(err, "session")
}

// DeleteSession removes a session and any expired ones.
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	if _, err := db.write.ExecContext(ctx, db.q.get("delete-session"), hash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	if _, err := db.write.ExecContext(ctx, db.q.get("delete-expired-sessions"), db.stamp()); err != nil {
		return fmt.Errorf("delete expired sessions: %w", err)
	}
	return nil
}

// CreateToken stores t (Hash already set).
func (db *DB) CreateToken(ctx context.Context, t *shequn.APIToken) error {
	t.CreatedAt = msTime(db.stamp())
	if err := db.write.QueryRowContext(ctx, db.q.get("create-token"), t.WorkspaceID, t.Name, t.Hash, t.CreatedAt.UnixMilli()).Scan(&t.ID); err != nil {
		return fmt.Errorf("create token: %w", err)
	}
	return nil
}

func scanToken(row interface{ Scan(...any) error }) (*shequn.APIToken, error) {
	var t shequn.APIToken
	var created int64
	var used sql.NullInt64
	if err := row.Scan(&t.ID, &t.WorkspaceID, &t.Name, &t.Hash, &created, &used); err != nil {
		return nil, err
	}
	t.CreatedAt, t.LastUsedAt = msTime(created), msTimePtr(used)
	return &t, nil
}

// FindTokenByHash returns the token or ENOTFOUND.
func (db *DB) FindTokenByHash(ctx context.Context, hash string) (*shequn.APIToken, error) {
	t, err := scanToken(db.read.QueryRowContext(ctx, db.q.get("find-token-by-hash"), hash))
	return t, notFound(err, "token")
}

// notFound maps sql.ErrNoRows to ENOTFOUND and wraps other errors.
func notFound(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	what := fmt.Sprintf(format, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return shequn.Errorf(shequn.ENOTFOUND, "%s not found", what)
	}
	return fmt.Errorf("find %s: %w", what, err)
}

// FindOperators lists a workspace's operators (without their password
// hashes).
func (db *DB) FindOperators(ctx context.Context, ws int64) ([]*shequn.Operator, error) {
	var out []*shequn.Operator
	err := db.eachRow(ctx, db.q.get("find-operators"), []any{ws}, func(r *sql.Rows) error {
		o, err := scanOperator(r)
		if err == nil {
			o.PasswordHash = ""
			out = append(out, o)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find operators: %w", err)
	}
	return out, nil
}

// FindTokens lists a workspace's API tokens (without their hashes).
func (db *DB) FindTokens(ctx context.Context, ws int64) ([]*shequn.APIToken, error) {
	var out []*shequn.APIToken
	err := db.eachRow(ctx, db.q.get("find-tokens"), []any{ws}, func(r *sql.Rows) error {
		t, err := scanToken(r)
		if err == nil {
			t.Hash = ""
			out = append(out, t)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find tokens: %w", err)
	}
	return out, nil
}

// DeleteToken revokes a workspace's API token.
func (db *DB) DeleteToken(ctx context.Context, ws, id int64) error {
	res, err := db.write.ExecContext(ctx, db.q.get("delete-token"), ws, id)
	if err != nil {
		return fmt.Errorf("delete token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return shequn.Errorf(shequn.ENOTFOUND, "token %d: not found", id)
	}
	return nil
}
