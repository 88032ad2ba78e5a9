// Package cli implements the shequn command line: serve, migrate, token,
// user, simulate, bench and version.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/secret"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

const usage = `shequn (社群) — operations platform for chat communities

Usage:
  shequn serve    [--data DIR | --db URL] [--addr HOST:PORT] [--demo]
  shequn migrate  [--data DIR | --db URL]
  shequn backup --to FILE [--data DIR]
  shequn restore --from FILE [--data DIR] [--replace]
  shequn token create --name NAME [--workspace SLUG] [--data DIR | --db URL]
  shequn user create --email EMAIL [--password-stdin] [--role ROLE] [--workspace SLUG] [--data DIR | --db URL]
  shequn simulate [--communities N] [--members M] [--days D] [--seed S] [--workspace SLUG] [--data DIR | --db URL]
  shequn tiers recompute [--workspace SLUG]
  shequn analytics rebuild [--workspace SLUG]
  shequn analytics summary [--workspace SLUG] [--from DAY] [--to DAY] [--community ID] [--platform P]
  shequn report weekly [--workspace SLUG] [--week 2026-W47] [--format json|html|text] [--lang zh|en]
  shequn outbox drain [--platform P] [--rate R] [--lease D]
  shequn moderation check --text T [--joined 30m]
  shequn moderation eval --spam FILE --ham FILE [--train-spam FILE --train-ham FILE] [--folds K]
  shequn bench ingest [--events N] [--batch B]
  shequn bench moderation [--messages N] [--keywords K] [--regexes R]
  shequn bench analytics [--members N] [--communities C] [--events E] [--days D] [--queries Q] [--db postgres://…]
  shequn bench leaderboard [--members N] [--communities C] [--entries E] [--queries Q]
  shequn bench schedule [--communities N]
  shequn bench load --url URL --token T [--clients 8] [--duration 1m] [--wal FILE]
  shequn bench wal [--duration 3m] [--limit-mb 256]
  shequn import --format irc|telegram-json [--workspace SLUG] [--channel NAME] FILE…
  shequn questions eval --dir DIR
  shequn version

Environment: SHEQUN_DATA, SHEQUN_DB and SHEQUN_ADDR give defaults for
--data, --db and --addr; SHEQUN_PASSWORD for user create.
`

// Env carries the process environment into a command (tests set it).
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
}

// Run executes args (without the program name) and returns the exit code.
func Run(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return 2
	}
	cmds := map[string]func(context.Context, []string, Env) error{
		"serve": serve, "migrate": migrate, "token": token, "user": user,
		"simulate": simulate, "bench": runBench, "version": version, "moderation": moderationCmd, "tiers": tiersCmd, "outbox": outboxCmd,
		"import": importCmd, "questions": questionsCmd, "backup": backupCmd, "restore": restoreCmd,
		"analytics": analyticsCmd,
		"report":    reportCmd,
	}
	cmd, ok := cmds[args[0]]
	if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(env.Stdout, usage)
		return 0
	}
	if !ok {
		fmt.Fprintf(env.Stderr, "shequn: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err := cmd(ctx, args[1:], env); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(env.Stderr, "shequn %s: %s\n", args[0], message(err))
		return 1
	}
	return 0
}

func message(err error) string {
	if shequn.ErrorCode(err) == shequn.EINTERNAL {
		return err.Error()
	}
	return shequn.ErrorMessage(err)
}

// storeFlags are the flags every command that opens the store shares.
type storeFlags struct {
	data, db string
	env      func(string) string
}

func (s *storeFlags) register(fs *flag.FlagSet, env Env) {
	s.env = env.Getenv
	fs.StringVar(&s.data, "data", or(env.Getenv("SHEQUN_DATA"), "./shequn-data"), "data directory of the embedded SQLite database")
	fs.StringVar(&s.db, "db", env.Getenv("SHEQUN_DB"), "PostgreSQL URL (postgres://…); overrides --data")
}

// open opens the store and the app, ensuring the default workspace. The
// caller closes the store.
func (s *storeFlags) open(ctx context.Context, log *slog.Logger) (*app.App, *sqlstore.DB, error) {
	dsn := s.db
	if dsn == "" {
		dsn = filepath.Join(s.data, "shequn.db")
	}
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	a := app.New(db, log)
	if a.Secrets, err = secret.Load(s.env("SHEQUN_SECRET_KEY"), s.data); err != nil {
		db.Close()
		return nil, nil, shequn.Errorf(shequn.EINVALID, "%v", err)
	}
	if _, err := a.EnsureWorkspace(ctx, "default", "Default", "Asia/Shanghai"); err != nil {
		db.Close()
		return nil, nil, err
	}
	return a, db, nil
}

// withStore parses args with fs plus the store flags, opens the store and
// runs fn with the app, closing the store after.
func withStore(ctx context.Context, fs *flag.FlagSet, args []string, env Env, fn func(*app.App, *sqlstore.DB) error) error {
	var sf storeFlags
	sf.register(fs, env)
	if err := parse(fs, args); err != nil {
		return err
	}
	a, db, err := sf.open(ctx, quietLog(env))
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(a, db)
}

func newFlags(name string, env Env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return shequn.Errorf(shequn.EINVALID, "%v", err)
	}
	if fs.NArg() > 0 {
		return shequn.Errorf(shequn.EINVALID, "unexpected argument %q", fs.Arg(0))
	}
	return nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func quietLog(env Env) *slog.Logger {
	return slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

func version(_ context.Context, args []string, env Env) error {
	fmt.Fprintf(env.Stdout, "shequn %s\n", shequn.Version)
	return nil
}

func migrate(ctx context.Context, args []string, env Env) error {
	return withStore(ctx, newFlags("migrate", env), args, env, func(_ *app.App, db *sqlstore.DB) error {
		v, err := db.SchemaVersion(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "schema at version %d (%s)\n", v, db.Dialect)
		return nil
	})
}

func token(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || args[0] != "create" {
		return shequn.Errorf(shequn.EINVALID, "usage: shequn token create --name NAME [--workspace SLUG]")
	}
	fs := newFlags("token create", env)
	name := fs.String("name", "", "a name to recognise the token by")
	slug := fs.String("workspace", "", "workspace slug (needed when the store has several)")
	return withStore(ctx, fs, args[1:], env, func(a *app.App, _ *sqlstore.DB) error {
		ws, err := pickWorkspace(ctx, a, *slug)
		if err != nil {
			return err
		}
		secret, _, err := a.CreateToken(ctx, ws, *name)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, secret)
		fmt.Fprintln(env.Stderr, "Store this token now: it is shown only once.")
		return nil
	})
}

func user(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || args[0] != "create" {
		return shequn.Errorf(shequn.EINVALID, "usage: shequn user create --email EMAIL [--password-stdin] [--role ROLE] [--workspace SLUG]")
	}
	fs := newFlags("user create", env)
	email := fs.String("email", "", "login email")
	name := fs.String("name", "", "display name")
	role := fs.String("role", "owner", "owner, admin, operator or viewer")
	slug := fs.String("workspace", "", "workspace slug (needed when the store has several)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input (else SHEQUN_PASSWORD)")
	return withStore(ctx, fs, args[1:], env, func(a *app.App, _ *sqlstore.DB) error {
		ws, err := pickWorkspace(ctx, a, *slug)
		if err != nil {
			return err
		}
		return createUser(ctx, a, env, ws, *email, *name, *role, *fromStdin)
	})
}

func createUser(ctx context.Context, a *app.App, env Env, slug, email, name, role string, fromStdin bool) error {
	password := env.Getenv("SHEQUN_PASSWORD")
	if fromStdin {
		b, err := io.ReadAll(io.LimitReader(env.Stdin, 1024))
		if err != nil {
			return fmt.Errorf("read password: %w", err)
		}
		password = strings.TrimRight(string(b), "\r\n")
	}
	if password == "" {
		return shequn.Errorf(shequn.EINVALID, "password: give it on standard input with --password-stdin or in SHEQUN_PASSWORD")
	}
	o, err := a.CreateOperator(ctx, slug, email, name, password, shequn.Role(role))
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "created %s operator %s in workspace %s\n", o.Role, o.Email, slug)
	return nil
}

// pickWorkspace is the workspace a command acts on: the one named, or the
// store's only one. With several and none named it refuses, listing them
// (so that an operator is never added to an empty workspace by mistake).
func pickWorkspace(ctx context.Context, a *app.App, slug string) (string, error) {
	if slug != "" {
		if _, err := a.FindWorkspace(ctx, slug); err != nil {
			return "", err
		}
		return slug, nil
	}
	wss, err := a.Workspaces(ctx)
	if err != nil {
		return "", err
	}
	if len(wss) == 1 {
		return wss[0].Slug, nil
	}
	var slugs []string
	for _, w := range wss {
		slugs = append(slugs, w.Slug)
	}
	return "", shequn.Errorf(shequn.EINVALID, "this store has %d workspaces (%s): name one with --workspace", len(wss), strings.Join(slugs, ", "))
}
