package shequn_test

import (
	"testing"
	"time"

	"github.com/shequn/shequn"
)

func TestPeriodDays(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	for day := time.Date(2024, 12, 20, 12, 0, 0, 0, loc); day.Year() < 2027; day = day.AddDate(0, 0, 1) {
		d, w, m := shequn.Periods(day, loc)
		for _, p := range []string{w, m} {
			r, ok := shequn.PeriodDays(p)
			if !ok || d[1:] < r.From || d[1:] > r.To {
				t.Fatalf("%s of %s: %+v %v", p, d, r, ok)
			}
		}
	}
	for _, tc := range []struct {
		period   string
		from, to string
	}{
		{"W2026-01", "2025-12-29", "2026-01-04"},
		{"W2020-53", "2020-12-28", "2021-01-03"},
		{"M2024-02", "2024-02-01", "2024-02-29"},
		{"M2026-12", "2026-12-01", "2026-12-31"},
	} {
		if r, ok := shequn.PeriodDays(tc.period); !ok || r.From != tc.from || r.To != tc.to {
			t.Errorf("%s: %+v %v, want %s..%s", tc.period, r, ok, tc.from, tc.to)
		}
	}
	for _, bad := range []string{"", "D2026-01-01", "W2026-54", "W2021-53", "W2026-1", "M2026-13", "Mxx", "W2026-01x"} {
		if r, ok := shequn.PeriodDays(bad); ok {
			t.Errorf("%q: %+v, want not a period", bad, r)
		}
	}
}
