package sqlstore

import (
	"bufio"
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

//go:embed queries/*.sql
var queryFS embed.FS

// queries holds the named SQL statements, rebound for the dialect.
type queries struct {
	dialect Dialect
	byName  map[string]string // ?-form, as written
	multi   sync.Map          // "name/n" → n-row form, rebound
}

// loadQueries reads every "-- name: x" section of queries/*.sql. A name
// defined twice is an error.
func loadQueries(d Dialect) (*queries, error) {
	q := &queries{dialect: d, byName: map[string]string{}}
	files, err := fs.Glob(queryFS, "queries/*.sql")
	if err != nil {
		return nil, fmt.Errorf("list queries: %w", err)
	}
	for _, f := range files {
		data, err := queryFS.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", f, err)
		}
		if err := q.parse(f, string(data)); err != nil {
			return nil, err
		}
	}
	return q, nil
}

func (q *queries) parse(file, text string) error {
	var name string
	var body strings.Builder
	flush := func() error {
		if name == "" {
			return nil
		}
		if _, dup := q.byName[name]; dup {
			return fmt.Errorf("%s: query %q defined twice", file, name)
		}
		q.byName[name] = strings.TrimSpace(body.String())
		body.Reset()
		return nil
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "-- name:"); ok {
			if err := flush(); err != nil {
				return err
			}
			name = strings.TrimSpace(rest)
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(line), "--") {
			continue
		}
		body.WriteString(line)
		body.WriteByte('\n')
	}
	return flush()
}

// get returns the named query; an unknown name is a programming error that
// check() at start-up would have caught, so it panics.
func (q *queries) get(name string) string {
	return q.rows(name, 1)
}

// rows returns the named INSERT with its VALUES tuple repeated n times.
func (q *queries) rows(name string, n int) string {
	key := name + "/" + strconv.Itoa(n)
	if s, ok := q.multi.Load(key); ok {
		return s.(string)
	}
	s, ok := q.byName[name]
	if !ok {
		panic("sqlstore: unknown query " + name)
	}
	s = rebind(q.dialect, expandValues(s, n))
	q.multi.Store(key, s)
	return s
}

// in returns the named query with its "IN (?)" list holding n parameters,
// rebound for the dialect.
func (q *queries) in(name string, n int) string {
	s, ok := q.byName[name]
	if !ok {
		panic("sqlstore: unknown query " + name)
	}
	s = strings.Replace(s, "IN (?)", "IN ("+strings.TrimSuffix(strings.Repeat("?,", n), ",")+")", 1)
	return rebind(q.dialect, s)
}

// check prepares every query once so that a broken one fails at start.
func (q *queries) check(ctx context.Context, db *sql.DB) error {
	for name := range q.byName {
		st, err := db.PrepareContext(ctx, q.get(name))
		if err != nil {
			return fmt.Errorf("query %s: %w", name, err)
		}
		st.Close()
	}
	return nil
}

// indexedBy is SQLite's "INDEXED BY index" after a table: a read names the
// index it was written for, so that the planner cannot fall back to a scan
// (and fails loudly if the index is gone). PostgreSQL has no such clause:
// rebind removes it.
var indexedBy = regexp.MustCompile(`\s+INDEXED BY \w+`)

// rebind turns ? placeholders into $1, $2… for PostgreSQL, skipping quoted
// text, and removes SQLite's INDEXED BY clauses.
func rebind(d Dialect, s string) string {
	if d == Postgres && strings.Contains(s, "INDEXED BY") {
		s = indexedBy.ReplaceAllString(s, "")
	}
	if d != Postgres || !strings.Contains(s, "?") {
		return s
	}
	var b strings.Builder
	n, quoted := 0, false
	for _, c := range s {
		switch {
		case c == '\'':
			quoted = !quoted
		case c == '?' && !quoted:
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// expandValues repeats the first parenthesised tuple after VALUES n times,
// turning a one-row INSERT into an n-row one. It works on the ?-form.
func expandValues(s string, n int) string {
	i := strings.Index(strings.ToUpper(s), "VALUES")
	if i < 0 || n <= 1 {
		return s
	}
	open := strings.IndexByte(s[i:], '(') + i
	depth, end := 0, -1
	for j := open; j < len(s); j++ {
		if s[j] == '(' {
			depth++
		} else if s[j] == ')' {
			depth--
			if depth == 0 {
				end = j
				break
			}
		}
	}
	tuple := s[open : end+1]
	var b strings.Builder
	b.WriteString(s[:open])
	for k := range n {
		if k > 0 {
			b.WriteByte(',')
		}
		b.WriteString(tuple)
	}
	b.WriteString(s[end+1:])
	return b.String()
}
