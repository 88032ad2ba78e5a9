package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/shequn/shequn"
)

// IngestTx is one pipeline batch: every write of the batch commits together
// or not at all. Business rules (what a join does to a membership, what
// counts as active) live in internal/pipeline; this type only writes.
type IngestTx struct {
	db    *DB
	tx    *sql.Tx
	WS    int64
	stmts *txStmts // prepared for this transaction, by text
}

// EventRow is one event as stored.
type EventRow struct {
	Platform, SourceID  string
	CommunityID         int64
	MemberID            int64
	Kind                string
	TS                  int64
	Text, ReplyTo       string
	TargetID, InviterID sql.NullInt64
	Attachments         string // JSON, without the bytes; "" for none
}

// MembershipChange sets a membership's status as of At (ms). It is ignored
// when the stored status is newer.
type MembershipChange struct {
	CommunityID, MemberID int64
	Status                string
	At                    int64
	InvitedBy             sql.NullInt64
	Source                string
	EventID               int64 // the event that made the change
}

// MemberDay adds activity of a member in a community on a day.
type MemberDay struct {
	CommunityID, MemberID int64
	Day                   string
	Messages, Reactions   int
	EventIDs              string // the events' ids, space-separated
	Points                int64  // earned by chatting
	// Replies are messages answering another message, Chars the
	// characters written, Questions and Answers those the question
	// tracker saw.
	Replies, Chars, Questions, Answers int
}

// CommunityDay adds to a community's daily rollup.
type CommunityDay struct {
	CommunityID                                int64
	Day                                        string
	Messages, Reactions, Active, Joins, Leaves int
	LastTS                                     int64
	FirstID, LastID                            int64 // range of the day's event ids
}

// BeginIngest starts a batch in workspace ws.
func (db *DB) BeginIngest(ctx context.Context, ws int64) (*IngestTx, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin ingest: %w", err)
	}
	return &IngestTx{db: db, tx: tx, WS: ws, stmts: newTxStmts(db, tx)}, nil
}

// Commit makes the batch durable.
func (t *IngestTx) Commit() error {
	if err := t.tx.Commit(); err != nil {
		return fmt.Errorf("commit ingest: %w", err)
	}
	t.db.prepareWanted(context.Background())
	t.db.analyzeGrown(context.Background())
	return nil
}

// Rollback discards the batch; it is safe after Commit.
func (t *IngestTx) Rollback() { t.tx.Rollback() }

// Now is the store's clock in ms.
func (t *IngestTx) Now() int64 { return t.db.stamp() }

// stmt returns the named n-row statement, prepared once per transaction.
// (The SQLite writer is one connection held by the transaction, so it
// cannot prepare outside it.)
func (t *IngestTx) stmt(ctx context.Context, name string, rows int) (*sql.Stmt, error) {
	st, err := t.stmts.prepare(ctx, t.db.q.rows(name, rows))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return st, nil
}

// UpsertCommunity returns the id and current name of the community with the
// given platform and external id, creating it when new.
func (t *IngestTx) UpsertCommunity(ctx context.Context, platform, ext, name string) (int64, string, error) {
	st, err := t.stmt(ctx, "upsert-community", 1)
	if err != nil {
		return 0, "", err
	}
	var id int64
	var stored string
	if err := st.QueryRowContext(ctx, t.WS, platform, ext, name, t.Now()).Scan(&id, &stored); err != nil {
		return 0, "", fmt.Errorf("upsert community %s:%s: %w", platform, ext, err)
	}
	return id, stored, nil
}

// IdentityRef names one platform account.
type IdentityRef struct {
	Platform, ExternalID, Name string
	At                         int64 // when first seen (ms)
}

// Resolved is the member behind an identity.
type Resolved struct {
	MemberID int64
	Name     string
}

// FindIdentities looks refs up and returns those that exist, by ref index.
func (t *IngestTx) FindIdentities(ctx context.Context, refs []IdentityRef) (map[int]Resolved, error) {
	out := map[int]Resolved{}
	byPlatform := map[string][]int{}
	for i, r := range refs {
		byPlatform[r.Platform] = append(byPlatform[r.Platform], i)
	}
	const chunk = 500
	for platform, idx := range byPlatform {
		for start := 0; start < len(idx); start += chunk {
			part := idx[start:min(start+chunk, len(idx))]
			pos := make(map[string]int, len(part))
			args := []any{t.WS, platform}
			for _, i := range part {
				pos[refs[i].ExternalID] = i
				args = append(args, refs[i].ExternalID)
			}
			st, err := t.stmtIn(ctx, "find-identities-in", len(part))
			if err != nil {
				return nil, err
			}
			if err := eachRows(ctx, st, args, func(rs *sql.Rows) error {
				var ext string
				var r Resolved
				if err := rs.Scan(&ext, &r.MemberID, &r.Name); err != nil {
					return err
				}
				out[pos[ext]] = r
				return nil
			}); err != nil {
				return nil, fmt.Errorf("find identities: %w", err)
			}
		}
	}
	return out, nil
}

// CreateMembers creates one member with one identity per ref and returns
// the new member ids in ref order.
func (t *IngestTx) CreateMembers(ctx context.Context, refs []IdentityRef) ([]int64, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	if _, err := t.tx.ExecContext(ctx, t.db.q.get("add-workspace-members"), t.WS, len(refs)); err != nil {
		return nil, fmt.Errorf("count members: %w", err)
	}
	ids := make([]int64, len(refs))
	if t.db.Dialect == SQLite {
		if err := t.numberMembers(ctx, refs, ids); err != nil {
			return nil, err
		}
		return ids, t.insertIdentities(ctx, refs, ids)
	}
	pos := make(map[string]int, len(refs))
	for i, r := range refs {
		pos[r.Platform+":"+r.ExternalID] = i
	}
	const chunk = 500
	for start := 0; start < len(refs); start += chunk {
		part := refs[start:min(start+chunk, len(refs))]
		args := make([]any, 0, len(part)*4)
		for _, r := range part {
			args = append(args, t.WS, r.Name, r.Platform+":"+r.ExternalID, r.At)
		}
		err := t.queryEach(ctx, "insert-members", len(part), args, func(rs *sql.Rows) error {
			var id int64
			var origin string
			if err := rs.Scan(&id, &origin); err != nil {
				return err
			}
			ids[pos[origin]] = id
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("insert members: %w", err)
		}
	}
	t.db.grown.add("identities", len(refs))
	return ids, t.insertIdentities(ctx, refs, ids)
}

// numberMembers creates the members with ids it picks itself (SQLite's one
// writer: max(id)+1… are free), without RETURNING.
func (t *IngestTx) numberMembers(ctx context.Context, refs []IdentityRef, ids []int64) error {
	var next int64
	if err := t.tx.QueryRowContext(ctx, t.db.q.get("max-member-id")).Scan(&next); err != nil {
		return fmt.Errorf("insert members: %w", err)
	}
	for i := range refs {
		next++
		ids[i] = next
	}
	idx := make([]int, len(refs))
	for i := range idx {
		idx[i] = i
	}
	return execRows(ctx, t, "insert-members-numbered", idx, 500, func(a []any, i int) []any {
		r := refs[i]
		return append(a, ids[i], t.WS, r.Name, r.Platform+":"+r.ExternalID, r.At)
	})
}

// insertIdentities links each ref to its member.
func (t *IngestTx) insertIdentities(ctx context.Context, refs []IdentityRef, ids []int64) error {
	type row struct {
		r  IdentityRef
		id int64
	}
	rows := make([]row, len(refs))
	for i, r := range refs {
		rows[i] = row{r, ids[i]}
	}
	return execRows(ctx, t, "insert-identities", rows, 500, func(a []any, x row) []any {
		return append(a, t.WS, x.id, x.r.Platform, x.r.ExternalID, x.r.Name, x.r.At)
	})
}

// RenameMember records a new display name for an identity and its member.
func (t *IngestTx) RenameMember(ctx context.Context, memberID int64, platform, ext, name string) error {
	if _, err := t.tx.ExecContext(ctx, t.db.q.get("rename-identity"), name, t.WS, platform, ext); err != nil {
		return fmt.Errorf("rename identity: %w", err)
	}
	if _, err := t.tx.ExecContext(ctx, t.db.q.get("rename-member"), name, t.WS, memberID); err != nil {
		return fmt.Errorf("rename member: %w", err)
	}
	return nil
}

// eventChunk bounds rows per statement (SQLite allows 32766 parameters).
const eventChunk = 400

// InsertEvents stores rows that are not stored yet and returns, per row,
// the new event's id, or 0 when it was already stored. Rows must have
// distinct (platform, source id).
func (t *IngestTx) InsertEvents(ctx context.Context, rows []EventRow) ([]int64, error) {
	if t.db.Dialect == SQLite {
		return t.insertNumbered(ctx, rows)
	}
	return t.insertReturning(ctx, rows)
}

// insertReturning lets the database number the rows and says which it
// stored (PostgreSQL: several writers may insert at once).
func (t *IngestTx) insertReturning(ctx context.Context, rows []EventRow) ([]int64, error) {
	inserted := make([]int64, len(rows))
	index := make(map[[2]string]int, len(rows))
	for i, r := range rows {
		index[[2]string{r.Platform, r.SourceID}] = i
	}
	args := make([]any, 0, eventChunk*12)
	for start := 0; start < len(rows); start += eventChunk {
		chunk := rows[start:min(start+eventChunk, len(rows))]
		args = args[:0]
		for _, r := range chunk {
			args = append(args, t.WS, r.Platform, r.SourceID, r.CommunityID, r.MemberID, r.Kind, r.TS, r.Text, r.ReplyTo, r.TargetID, r.InviterID, r.Attachments)
		}
		if err := t.queryEach(ctx, "insert-events", len(chunk), args, func(rs *sql.Rows) error {
			var k [2]string
			var id int64
			if err := rs.Scan(&id, &k[0], &k[1]); err != nil {
				return err
			}
			inserted[index[k]] = id
			return nil
		}); err != nil {
			return nil, fmt.Errorf("insert events: %w", err)
		}
	}
	return inserted, nil
}

// insertNumbered numbers the rows itself (SQLite: this transaction is the
// only writer, so max(id)+1… are free) and inserts them without RETURNING,
// which costs more than the insert; a chunk that stored fewer rows than it
// had (duplicates) is looked up by id.
func (t *IngestTx) insertNumbered(ctx context.Context, rows []EventRow) ([]int64, error) {
	var next int64
	if err := t.tx.QueryRowContext(ctx, t.db.q.get("max-event-id")).Scan(&next); err != nil {
		return nil, fmt.Errorf("insert events: %w", err)
	}
	inserted := make([]int64, len(rows))
	args := make([]any, 0, eventChunk*13)
	for start := 0; start < len(rows); start += eventChunk {
		chunk := rows[start:min(start+eventChunk, len(rows))]
		args = args[:0]
		for i, r := range chunk {
			next++
			inserted[start+i] = next
			args = append(args, next, t.WS, r.Platform, r.SourceID, r.CommunityID, r.MemberID, r.Kind, r.TS, r.Text, r.ReplyTo, r.TargetID, r.InviterID, r.Attachments)
		}
		st, err := t.stmt(ctx, "insert-events-numbered", len(chunk))
		if err != nil {
			return nil, err
		}
		res, err := st.ExecContext(ctx, args...)
		if err != nil {
			return nil, fmt.Errorf("insert events: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || int(n) != len(chunk) {
			if err := t.keepPresent(ctx, inserted[start:start+len(chunk)]); err != nil {
				return nil, err
			}
		}
	}
	return inserted, nil
}

// keepPresent zeroes the ids that were not stored (their rows were
// duplicates).
func (t *IngestTx) keepPresent(ctx context.Context, ids []int64) error {
	st, err := t.stmtIn(ctx, "present-events-in", len(ids))
	if err != nil {
		return err
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	present := make(map[int64]bool, len(ids))
	if err := eachRows(ctx, st, args, func(rs *sql.Rows) error {
		var id int64
		err := rs.Scan(&id)
		present[id] = true
		return err
	}); err != nil {
		return fmt.Errorf("insert events: %w", err)
	}
	for i, id := range ids {
		if !present[id] {
			ids[i] = 0
		}
	}
	return nil
}

// stmtIn returns the named query with its "IN (?)" list holding n
// parameters, prepared once per transaction.
func (t *IngestTx) stmtIn(ctx context.Context, name string, n int) (*sql.Stmt, error) {
	st, err := t.stmts.prepare(ctx, t.db.q.in(name, n))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return st, nil
}

func eachRows(ctx context.Context, st *sql.Stmt, args []any, fn func(*sql.Rows) error) error {
	rs, err := st.QueryContext(ctx, args...)
	return each(rs, err, fn)
}

// each calls fn for every row of a query's result and closes it.
func each(rs *sql.Rows, err error, fn func(*sql.Rows) error) error {
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		if err := fn(rs); err != nil {
			return err
		}
	}
	return rs.Err()
}

// queryEach runs an n-row statement and calls fn for every returned row.
func (t *IngestTx) queryEach(ctx context.Context, name string, n int, args []any, fn func(*sql.Rows) error) error {
	st, err := t.stmt(ctx, name, n)
	if err != nil {
		return err
	}
	return eachRows(ctx, st, args, fn)
}

// execRows runs a multi-row statement over items in chunks.
func execRows[T any](ctx context.Context, t *IngestTx, name string, items []T, chunk int, add func([]any, T) []any) error {
	return inChunks(items, chunk, add, func(n int, args []any) error {
		st, err := t.stmt(ctx, name, n)
		if err != nil {
			return err
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	})
}

// queryRows runs a multi-row statement that returns rows over items in
// chunks, calling scan for every row.
func queryRows[T any](ctx context.Context, t *IngestTx, name string, items []T, chunk int, add func([]any, T) []any, scan func(*sql.Rows) error) error {
	return inChunks(items, chunk, add, func(n int, args []any) error {
		if err := t.queryEach(ctx, name, n, args, scan); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	})
}

// txRows runs a multi-row statement over items in chunks in tx (outside
// the ingest, whose statements are prepared once: execRows).
func txRows[T any](ctx context.Context, db *DB, tx *sql.Tx, name string, items []T, chunk int, add func([]any, T) []any) error {
	return inChunks(items, chunk, add, func(n int, args []any) error {
		if _, err := tx.ExecContext(ctx, db.q.rows(name, n), args...); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	})
}

// inChunks calls run with each chunk's row count and arguments.
func inChunks[T any](items []T, chunk int, add func([]any, T) []any, run func(n int, args []any) error) error {
	args := make([]any, 0, chunk*12)
	for start := 0; start < len(items); start += chunk {
		part := items[start:min(start+chunk, len(items))]
		args = args[:0]
		for _, it := range part {
			args = add(args, it)
		}
		if err := run(len(part), args); err != nil {
			return err
		}
	}
	return nil
}

// EnsureMemberships creates an active membership (source unknown) for each
// (community, member) pair that has none.
func (t *IngestTx) EnsureMemberships(ctx context.Context, pairs [][2]int64) error {
	added := map[int64]int64{}
	err := queryRows(ctx, t, "ensure-memberships", pairs, 500, func(a []any, p [2]int64) []any {
		return append(a, t.WS, p[0], p[1])
	}, func(rs *sql.Rows) error {
		var c int64
		err := rs.Scan(&c)
		added[c]++
		return err
	})
	if err != nil {
		return err
	}
	t.db.grown.add("memberships", len(pairs))
	return t.addCommunityMembers(ctx, added)
}

// ChangeMemberships applies status changes in order. Changes of different
// memberships go out many to a statement; a membership changed several
// times in the batch gets its later changes in later statements (rounds),
// so each is applied after the one before, as PostgreSQL requires. Each
// group's count of active members follows the changes that were applied.
func (t *IngestTx) ChangeMemberships(ctx context.Context, cs []MembershipChange) error {
	var rounds [][]MembershipChange
	seen := map[[2]int64]int{}
	for _, c := range cs {
		k := [2]int64{c.CommunityID, c.MemberID}
		r := seen[k]
		seen[k] = r + 1
		if r == len(rounds) {
			rounds = append(rounds, nil)
		}
		rounds[r] = append(rounds[r], c)
	}
	status, err := t.membershipStatuses(ctx, cs)
	if err != nil {
		return err
	}
	t.db.grown.add("memberships", len(cs))
	deltas := map[int64]int64{}
	for _, round := range rounds {
		err := queryRows(ctx, t, "change-membership", round, 500, func(a []any, c MembershipChange) []any {
			var joined, left sql.NullInt64
			if c.Status == "active" {
				joined = sql.NullInt64{Int64: c.At, Valid: true}
			} else {
				left = sql.NullInt64{Int64: c.At, Valid: true}
			}
			return append(a, t.WS, c.CommunityID, c.MemberID, c.Status, joined, left, c.InvitedBy, c.Source, c.At, strconv.FormatInt(c.EventID, 10))
		}, func(rs *sql.Rows) error {
			var k [2]int64
			var now string
			if err := rs.Scan(&k[0], &k[1], &now); err != nil {
				return err
			}
			was := status[k] == shequn.StatusActive
			if is := now == shequn.StatusActive; is != was {
				deltas[k[0]] += map[bool]int64{true: 1, false: -1}[is]
			}
			status[k] = now
			return nil
		})
		if err != nil {
			return fmt.Errorf("change memberships: %w", err)
		}
	}
	return t.addCommunityMembers(ctx, deltas)
}

// membershipStatuses returns the stored status of the memberships cs
// change (none: not stored yet).
func (t *IngestTx) membershipStatuses(ctx context.Context, cs []MembershipChange) (map[[2]int64]string, error) {
	out := make(map[[2]int64]string, len(cs))
	var members []int64
	seen := map[int64]bool{}
	for _, c := range cs {
		if !seen[c.MemberID] {
			seen[c.MemberID] = true
			members = append(members, c.MemberID)
		}
	}
	err := t.db.eachIn(ctx, t.tx, "membership-statuses-in", []any{t.WS}, members, func(rs *sql.Rows) error {
		var k [2]int64
		var st string
		err := rs.Scan(&k[0], &k[1], &st)
		out[k] = st
		return err
	})
	return out, err
}

// addCommunityMembers adds to groups' counts of active members.
func (t *IngestTx) addCommunityMembers(ctx context.Context, deltas map[int64]int64) error {
	rows := make([][2]int64, 0, len(deltas))
	for c, n := range deltas {
		if n != 0 {
			rows = append(rows, [2]int64{c, n})
		}
	}
	return execRows(ctx, t, "add-community-members", rows, 500, func(a []any, r [2]int64) []any {
		return append(a, t.WS, r[0], r[1])
	})
}

// AddMemberDays adds activity and returns, per item, whether the member was
// not yet active in that community on that day.
func (t *IngestTx) AddMemberDays(ctx context.Context, items []MemberDay) ([]bool, error) {
	type key struct {
		c, m int64
		d    string
	}
	index := make(map[key]int, len(items))
	for i, it := range items {
		index[key{it.CommunityID, it.MemberID, it.Day}] = i
	}
	first := make([]bool, len(items))
	const chunk = 1000
	args := make([]any, 0, chunk*12)
	for start := 0; start < len(items); start += chunk {
		part := items[start:min(start+chunk, len(items))]
		args = args[:0]
		for _, it := range part {
			args = append(args, t.WS, it.CommunityID, it.Day, it.MemberID, it.Messages, it.Reactions, it.EventIDs, it.Points,
				it.Replies, it.Chars, it.Questions, it.Answers)
		}
		err := t.queryEach(ctx, "add-member-days", len(part), args, func(rs *sql.Rows) error {
			var k key
			var total int
			if err := rs.Scan(&k.c, &k.d, &k.m, &total); err != nil {
				return err
			}
			i := index[k]
			first[i] = total == items[i].Messages+items[i].Reactions
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("add member days: %w", err)
		}
	}
	return first, nil
}

// AddKnownMemberDays adds activity to rows the caller knows exist.
func (t *IngestTx) AddKnownMemberDays(ctx context.Context, items []MemberDay) error {
	return execRows(ctx, t, "add-member-days-known", items, 1000, func(a []any, it MemberDay) []any {
		return append(a, t.WS, it.CommunityID, it.Day, it.MemberID, it.Messages, it.Reactions, it.EventIDs, it.Points,
			it.Replies, it.Chars, it.Questions, it.Answers)
	})
}

// AddWorkspaceTotals adds a batch's stored events and messages to the
// workspace's totals.
func (t *IngestTx) AddWorkspaceTotals(ctx context.Context, events, messages int) error {
	if events == 0 {
		return nil
	}
	if _, err := t.tx.ExecContext(ctx, t.db.q.get("add-workspace-totals"), t.WS, events, messages); err != nil {
		return fmt.Errorf("workspace totals: %w", err)
	}
	return nil
}

// AddCommunityDays adds to the daily rollups.
func (t *IngestTx) AddCommunityDays(ctx context.Context, items []CommunityDay) error {
	return execRows(ctx, t, "add-community-days", items, 500, func(a []any, d CommunityDay) []any {
		return append(a, t.WS, d.CommunityID, d.Day, d.Messages, d.Reactions, d.Active, d.Joins, d.Leaves, d.LastTS, d.FirstID, d.LastID)
	})
}
