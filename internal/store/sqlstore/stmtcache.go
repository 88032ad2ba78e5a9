package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// Parsing a 400-row INSERT costs about as much as running it, so SQLite's
// writer keeps its statements prepared across transactions. The writer is
// one connection that lives as long as the store, so a statement prepared
// on the pool is prepared on that connection, and a transaction reuses it
// through Tx.StmtContext. A statement cannot be prepared on the pool while
// a transaction holds the connection, so one first seen inside a
// transaction is prepared there and cached once the transaction is over.
const maxCachedStmts = 512

type stmtCache struct {
	mu     sync.Mutex
	ready  map[string]*sql.Stmt // prepared on the writer pool
	wanted map[string]bool      // seen in a transaction, to prepare after it
}

func newStmtCache() *stmtCache {
	return &stmtCache{ready: map[string]*sql.Stmt{}, wanted: map[string]bool{}}
}

// txStmts are the statements of one transaction, by query text.
type txStmts struct {
	db    *DB
	tx    *sql.Tx
	local map[string]*sql.Stmt
}

func newTxStmts(db *DB, tx *sql.Tx) *txStmts {
	return &txStmts{db: db, tx: tx, local: map[string]*sql.Stmt{}}
}

// prepare returns query prepared for this transaction.
func (s *txStmts) prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := s.local[query]; ok {
		return st, nil
	}
	if c := s.db.stmts; c != nil {
		c.mu.Lock()
		ready, ok := c.ready[query]
		if !ok && len(c.ready)+len(c.wanted) < maxCachedStmts {
			c.wanted[query] = true
		}
		c.mu.Unlock()
		if ok {
			st := s.tx.StmtContext(ctx, ready)
			s.local[query] = st
			return st, nil
		}
	}
	st, err := s.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	s.local[query] = st
	return st, nil
}

// prepareWanted prepares on the writer pool the statements transactions
// asked for; it runs when no transaction of the caller holds the writer.
func (db *DB) prepareWanted(ctx context.Context) {
	c := db.stmts
	if c == nil {
		return
	}
	c.mu.Lock()
	var todo []string
	for q := range c.wanted {
		todo = append(todo, q)
	}
	clear(c.wanted)
	c.mu.Unlock()
	for _, q := range todo {
		st, err := db.write.PrepareContext(ctx, q)
		if err != nil {
			continue // prepared per transaction, as before
		}
		c.mu.Lock()
		if _, dup := c.ready[q]; dup {
			st.Close()
		} else {
			c.ready[q] = st
		}
		c.mu.Unlock()
	}
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.ready {
		st.Close()
	}
	clear(c.ready)
}
