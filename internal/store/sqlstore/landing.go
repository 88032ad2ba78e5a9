package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/shequn/shequn"
)

// Landing pages, their leads and the growth counters.

func scanLandingPage(r interface{ Scan(...any) error }) (*shequn.LandingPage, error) {
	var p shequn.LandingPage
	var published int
	var blocks string
	var created, updated int64
	if err := r.Scan(&p.ID, &p.WorkspaceID, &p.Slug, &p.Title, &p.Lang, &p.State, &published, &blocks, &created, &updated); err != nil {
		return nil, err
	}
	p.Published, p.CreatedAt, p.UpdatedAt = published != 0, msTime(created), msTime(updated)
	if err := json.Unmarshal([]byte(blocks), &p.Blocks); err != nil {
		return nil, fmt.Errorf("landing page %d blocks: %w", p.ID, err)
	}
	return &p, nil
}

func blocksJSON(bs []shequn.Block) string {
	if bs == nil {
		bs = []shequn.Block{}
	}
	b, _ := json.Marshal(bs)
	return string(b)
}

func pageSlugTaken(err error, slug, what string) error {
	if isUniqueViolation(err) {
		e := shequn.Errorf(shequn.ECONFLICT, "slug %q is taken by another landing page", slug)
		e.Field = "slug"
		return e
	}
	return fmt.Errorf("%s: %w", what, err)
}

// CreateLandingPage stores a new page (ECONFLICT when its slug is taken).
func (db *DB) CreateLandingPage(ctx context.Context, p *shequn.LandingPage) error {
	now := db.stamp()
	err := db.write.QueryRowContext(ctx, db.q.get("insert-landing-page"), p.WorkspaceID, p.Slug, p.Title, p.Lang, p.State,
		boolInt(p.Published), blocksJSON(p.Blocks), now, now).Scan(&p.ID)
	if err != nil {
		return pageSlugTaken(err, p.Slug, "create landing page")
	}
	p.CreatedAt, p.UpdatedAt = msTime(now), msTime(now)
	return nil
}

// UpdateLandingPage replaces a page's settings and blocks.
func (db *DB) UpdateLandingPage(ctx context.Context, p *shequn.LandingPage) error {
	now := db.stamp()
	res, err := db.write.ExecContext(ctx, db.q.get("update-landing-page"), p.Slug, p.Title, p.Lang, p.State, boolInt(p.Published),
		blocksJSON(p.Blocks), now, p.WorkspaceID, p.ID)
	if err != nil {
		return pageSlugTaken(err, p.Slug, "update landing page")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return shequn.Errorf(shequn.ENOTFOUND, "landing page %d not found", p.ID)
	}
	p.UpdatedAt = msTime(now)
	return nil
}

// DeleteLandingPage removes a page and its leads.
func (db *DB) DeleteLandingPage(ctx context.Context, ws, id int64) error {
	return db.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q.get("delete-landing-page"), ws, id)
		if err != nil {
			return fmt.Errorf("delete landing page: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return shequn.Errorf(shequn.ENOTFOUND, "landing page %d not found", id)
		}
		if _, err := tx.ExecContext(ctx, db.q.get("delete-page-leads"), ws, id); err != nil {
			return fmt.Errorf("delete landing page leads: %w", err)
		}
		if _, err := tx.ExecContext(ctx, db.q.get("delete-page-images"), ws, id); err != nil {
			return fmt.Errorf("delete landing page images: %w", err)
		}
		return nil
	})
}

// FindLandingPages lists ws's pages, oldest first.
func (db *DB) FindLandingPages(ctx context.Context, ws int64) ([]*shequn.LandingPage, error) {
	var out []*shequn.LandingPage
	err := db.eachRow(ctx, db.q.get("find-landing-pages"), []any{ws}, func(r *sql.Rows) error {
		p, err := scanLandingPage(r)
		out = append(out, p)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find landing pages: %w", err)
	}
	return out, nil
}

// FindLandingPage returns one of ws's pages.
func (db *DB) FindLandingPage(ctx context.Context, ws, id int64) (*shequn.LandingPage, error) {
	p, err := scanLandingPage(db.read.QueryRowContext(ctx, db.q.get("find-landing-page"), ws, id))
	return p, notFound(err, "landing page %d", id)
}

// FindLandingPageBySlug returns ws's page of that slug.
func (db *DB) FindLandingPageBySlug(ctx context.Context, ws int64, slug string) (*shequn.LandingPage, error) {
	p, err := scanLandingPage(db.read.QueryRowContext(ctx, db.q.get("find-landing-page-by-slug"), ws, slug))
	return p, notFound(err, "landing page %q", shequn.Clip(slug, 60))
}

// AddLead stores a lead, or, when its phone was already left on the page,
// counts a repeat: l then holds the first lead's id and created time, and
// the answer is true.
func (db *DB) AddLead(ctx context.Context, l *shequn.Lead) (bool, error) {
	now := db.stamp()
	var created int64
	err := db.write.QueryRowContext(ctx, db.q.get("insert-lead"), l.WorkspaceID, l.PageID, l.Name, l.Phone, l.City, l.Note, l.Source,
		l.ConsentText, l.ConsentVersion, l.ConsentAt.UnixMilli(), l.IP, now, now).Scan(&l.ID, &l.Repeats, &created)
	if err != nil {
		return false, fmt.Errorf("add lead: %w", err)
	}
	l.Status, l.CreatedAt, l.UpdatedAt = "new", msTime(created), msTime(now)
	return l.Repeats > 0, nil
}

func scanLead(r interface{ Scan(...any) error }) (*shequn.Lead, error) {
	var l shequn.Lead
	var consent, created, updated int64
	if err := r.Scan(&l.ID, &l.WorkspaceID, &l.PageID, &l.Name, &l.Phone, &l.City, &l.Note, &l.Source, &l.Status, &l.Repeats,
		&l.ConsentText, &l.ConsentVersion, &consent, &l.IP, &created, &updated); err != nil {
		return nil, err
	}
	l.ConsentAt, l.CreatedAt, l.UpdatedAt = msTime(consent), msTime(created), msTime(updated)
	return &l, nil
}

// FindLeads lists leads, newest first: of one page (0: all) and status
// ("": any).
func (db *DB) FindLeads(ctx context.Context, ws, page int64, status string, limit, offset int) ([]*shequn.Lead, error) {
	var out []*shequn.Lead
	err := db.eachRow(ctx, db.q.get("find-leads"), []any{ws, page, page, status, status, limit, offset}, func(r *sql.Rows) error {
		l, err := scanLead(r)
		out = append(out, l)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find leads: %w", err)
	}
	return out, nil
}

// FindLead returns one lead.
func (db *DB) FindLead(ctx context.Context, ws, id int64) (*shequn.Lead, error) {
	l, err := scanLead(db.read.QueryRowContext(ctx, db.q.get("find-lead"), ws, id))
	return l, notFound(err, "lead %d", id)
}

// SetLeadStatus moves a lead to status.
func (db *DB) SetLeadStatus(ctx context.Context, ws, id int64, status string) error {
	res, err := db.write.ExecContext(ctx, db.q.get("set-lead-status"), status, db.stamp(), ws, id)
	if err != nil {
		return fmt.Errorf("set lead status: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return shequn.Errorf(shequn.ENOTFOUND, "lead %d not found", id)
	}
	return nil
}

// DeleteLead erases a lead.
func (db *DB) DeleteLead(ctx context.Context, ws, id int64) error {
	res, err := db.write.ExecContext(ctx, db.q.get("delete-lead"), ws, id)
	if err != nil {
		return fmt.Errorf("delete lead: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return shequn.Errorf(shequn.ENOTFOUND, "lead %d not found", id)
	}
	return nil
}

// CountGrowth adds views and QR showings to a page's or code's day and
// source.
func (db *DB) CountGrowth(ctx context.Context, ws int64, kind string, ref int64, day, source string, views, shown int) error {
	if _, err := db.write.ExecContext(ctx, db.q.get("count-growth"), ws, kind, ref, day, source, views, shown); err != nil {
		return fmt.Errorf("count growth: %w", err)
	}
	return nil
}

// GrowthCount is a page's or code's views and showings from one source.
type GrowthCount struct {
	Kind         string
	Ref          int64
	Source       string
	Views, Shown int
}

// GrowthCounts sums the counters over the days from..to (YYYY-MM-DD).
func (db *DB) GrowthCounts(ctx context.Context, ws int64, from, to string) ([]GrowthCount, error) {
	var out []GrowthCount
	err := db.eachRow(ctx, db.q.get("growth-counts"), []any{ws, from, to}, func(r *sql.Rows) error {
		var g GrowthCount
		err := r.Scan(&g.Kind, &g.Ref, &g.Source, &g.Views, &g.Shown)
		out = append(out, g)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("growth counts: %w", err)
	}
	return out, nil
}

// LeadCount is a page's leads from one source.
type LeadCount struct {
	Page   int64
	Source string
	Leads  int
}

// LeadCounts counts the leads since a time per page and source.
func (db *DB) LeadCounts(ctx context.Context, ws int64, since time.Time) ([]LeadCount, error) {
	var out []LeadCount
	err := db.eachRow(ctx, db.q.get("lead-counts"), []any{ws, since.UnixMilli()}, func(r *sql.Rows) error {
		var c LeadCount
		err := r.Scan(&c.Page, &c.Source, &c.Leads)
		out = append(out, c)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("lead counts: %w", err)
	}
	return out, nil
}

// AddPageImage keeps a picture of a page (once per content: the same
// picture again answers its first id).
func (db *DB) AddPageImage(ctx context.Context, ws, page int64, typ string, image []byte) (int64, error) {
	sum := sha256.Sum256(image)
	var id int64
	err := db.write.QueryRowContext(ctx, db.q.get("insert-page-image"), ws, page, hex.EncodeToString(sum[:]), typ, image, db.stamp()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("add page image: %w", err)
	}
	return id, nil
}

// PageImage returns a page's picture and its type.
func (db *DB) PageImage(ctx context.Context, ws, page, id int64) (string, []byte, error) {
	var typ string
	var img []byte
	err := db.read.QueryRowContext(ctx, db.q.get("page-image"), ws, page, id).Scan(&typ, &img)
	return typ, img, notFound(err, "picture %d", id)
}

// PrunePageImages removes a page's pictures that are not in keep.
func (db *DB) PrunePageImages(ctx context.Context, ws, page int64, keep map[int64]bool) error {
	var drop []int64
	err := db.eachRow(ctx, db.q.get("page-image-ids"), []any{ws, page}, func(r *sql.Rows) error {
		var id int64
		if err := r.Scan(&id); err != nil {
			return err
		}
		if !keep[id] {
			drop = append(drop, id)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("page images: %w", err)
	}
	for _, id := range drop {
		if _, err := db.write.ExecContext(ctx, db.q.get("delete-page-image"), ws, page, id); err != nil {
			return fmt.Errorf("delete page image: %w", err)
		}
	}
	return nil
}
