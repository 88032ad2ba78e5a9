package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/shequn/shequn"
)

// Overview returns the workspace's totals and the figures of window.
func (db *DB) Overview(ctx context.Context, ws int64, w shequn.DayRange) (shequn.Overview, error) {
	var o shequn.Overview
	if err := db.read.QueryRowContext(ctx, db.q.get("overview-counts"), ws, ws, ws, ws).Scan(&o.Communities, &o.Members, &o.Events, &o.Messages); err != nil {
		return o, fmt.Errorf("overview: %w", err)
	}
	if err := db.read.QueryRowContext(ctx, db.q.get("overview-window"), ws, w.From, w.To).Scan(&o.Messages30d, &o.Joins30d, &o.Leaves30d); err != nil {
		return o, fmt.Errorf("overview window: %w", err)
	}
	active, args, err := db.windowQuery(ctx, ws, w, "active-members-window", "count-member-activity")
	if err != nil {
		return o, err
	}
	if err := db.read.QueryRowContext(ctx, db.q.get(active), args...).Scan(&o.ActiveMembers); err != nil {
		return o, fmt.Errorf("overview active: %w", err)
	}
	return o, nil
}

// WorkspaceDays returns one row per day of w that has activity.
func (db *DB) WorkspaceDays(ctx context.Context, ws int64, w shequn.DayRange) ([]shequn.DayStats, error) {
	byDay := map[string]*shequn.DayStats{}
	var out []shequn.DayStats
	err := db.eachRow(ctx, db.q.get("workspace-days"), []any{ws, w.From, w.To}, func(r *sql.Rows) error {
		var d shequn.DayStats
		if err := r.Scan(&d.Day, &d.Messages, &d.Joins, &d.Leaves); err != nil {
			return err
		}
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("workspace days: %w", err)
	}
	for i := range out {
		byDay[out[i].Day] = &out[i]
	}
	// closed days as kept; from the first day not kept on, counted here
	kept := map[string]int{}
	err = db.eachRow(ctx, db.q.get("workspace-kept-actives"), []any{ws, w.From, w.To}, func(r *sql.Rows) error {
		var day string
		var n int
		err := r.Scan(&day, &n)
		kept[day] = n
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("workspace active days: %w", err)
	}
	live := ""
	for i := range out {
		if n, ok := kept[out[i].Day]; ok && live == "" {
			out[i].ActiveMembers = n
		} else if live == "" {
			live = out[i].Day
		}
	}
	if live == "" {
		return out, nil
	}
	err = db.eachRow(ctx, db.q.get("workspace-active-days"), []any{ws, live, w.To}, func(r *sql.Rows) error {
		var day string
		var n int
		if err := r.Scan(&day, &n); err != nil {
			return err
		}
		if d := byDay[day]; d != nil {
			d.ActiveMembers = n
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("workspace active days: %w", err)
	}
	return out, nil
}

// CommunityDays returns a community's daily rollups in w.
func (db *DB) CommunityDays(ctx context.Context, ws, id int64, w shequn.DayRange) ([]shequn.DayStats, error) {
	var out []shequn.DayStats
	err := db.eachRow(ctx, db.q.get("community-days"), []any{ws, id, w.From, w.To}, func(r *sql.Rows) error {
		var d shequn.DayStats
		if err := r.Scan(&d.Day, &d.Messages, &d.ActiveMembers, &d.Joins, &d.Leaves); err != nil {
			return err
		}
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("community %d days: %w", id, err)
	}
	return out, nil
}
