package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/shequn/shequn"
)

// ReportSettings returns where ws's weekly report goes (no group, in
// Chinese, until set).
func (db *DB) ReportSettings(ctx context.Context, ws int64) (shequn.ReportSettings, error) {
	s := shequn.ReportSettings{Lang: "zh"}
	err := db.read.QueryRowContext(ctx, db.q.get("report-settings"), ws).Scan(&s.CommunityID, &s.Lang)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("report settings: %w", err)
	}
	return s, nil
}

// SaveReportSettings stores where ws's weekly report goes.
func (db *DB) SaveReportSettings(ctx context.Context, ws int64, s shequn.ReportSettings) error {
	if _, err := db.write.ExecContext(ctx, db.q.get("save-report-settings"), ws, s.CommunityID, s.Lang); err != nil {
		return fmt.Errorf("save report settings: %w", err)
	}
	return nil
}

// AddWeeklyReport keeps a report made, once per week, and queues its
// notices in the same transaction; it reports whether the week was new
// (a report already made is left as it was, and nothing is queued).
func (db *DB) AddWeeklyReport(ctx context.Context, ws int64, rep *shequn.WeeklyReport, notices []*shequn.OutboxItem) (bool, error) {
	body, err := json.Marshal(rep)
	if err != nil {
		return false, fmt.Errorf("weekly report: %w", err)
	}
	fresh := false
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q.get("add-weekly-report"), ws, rep.Week, rep.MadeAt.UnixMilli(), string(body))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		fresh = true
		return insertOutbox(ctx, tx, db, notices)
	})
	if err != nil {
		return false, fmt.Errorf("weekly report %s: %w", rep.Week, err)
	}
	return fresh, nil
}

// WeeklyReport returns the report kept for a week, ENOTFOUND when none
// was made.
func (db *DB) WeeklyReport(ctx context.Context, ws int64, week string) (*shequn.WeeklyReport, error) {
	var body string
	if err := db.read.QueryRowContext(ctx, db.q.get("weekly-report"), ws, week).Scan(&body); err != nil {
		return nil, notFound(err, "weekly report %s", week)
	}
	var rep shequn.WeeklyReport
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		return nil, fmt.Errorf("weekly report %s: %w", week, err)
	}
	return &rep, nil
}

// WeeklyReportWeeks returns the weeks of the latest reports kept.
func (db *DB) WeeklyReportWeeks(ctx context.Context, ws int64, limit int) ([]string, error) {
	var out []string
	err := db.eachRow(ctx, db.q.get("weekly-report-weeks"), []any{ws, limit}, func(rs *sql.Rows) error {
		var w string
		if err := rs.Scan(&w); err != nil {
			return err
		}
		out = append(out, w)
		return nil
	})
	return out, err
}
