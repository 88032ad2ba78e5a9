package sqlstore

import (
	"testing"

	"github.com/shequn/shequn"
)

func TestOutsideReach(t *testing.T) {
	row := func(m, p int64) shequn.LeaderboardRow { return shequn.LeaderboardRow{MemberID: m, Points: p} }
	tests := []struct {
		name  string
		top   []shequn.LeaderboardRow
		live  map[int64]int64
		limit int
		want  int64
	}{
		{"top not full: anyone may enter", []shequn.LeaderboardRow{row(1, 50)}, nil, 3, 0},
		{"no live points: the last kept place", []shequn.LeaderboardRow{row(1, 50), row(2, 40), row(3, 30)}, nil, 3, 0},
		// totals 50, 40+20=60, 30: the third best is 30, the last kept 30
		{"a top member climbs", []shequn.LeaderboardRow{row(1, 50), row(2, 40), row(3, 30)}, map[int64]int64{2: 20}, 3, 0},
		// totals 55, 45, 35: an outsider (kept at most 30) needs 5 to tie
		{"everyone in the top chatted", []shequn.LeaderboardRow{row(1, 50), row(2, 40), row(3, 30)}, map[int64]int64{1: 5, 2: 5, 3: 5}, 3, 5},
		{"one place", []shequn.LeaderboardRow{row(1, 50)}, map[int64]int64{1: 7, 9: 3}, 1, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := outsideReach(tt.top, tt.live, tt.limit); got != tt.want {
				t.Fatalf("outsideReach = %d, want %d", got, tt.want)
			}
		})
	}
}
