package shequn

import (
	"math"
	"testing"
	"time"
)

func TestConcentrate(t *testing.T) {
	cases := []struct {
		name   string
		counts []int
		want   Concentration
	}{
		{"nobody", nil, Concentration{}},
		{"one voice", []int{10, 0}, Concentration{Posters: 1, TopShare: 1, AbsenceFactor: 1, Gini: 0, TopPoster: 1}},
		{"equal", []int{5, 5, 5, 5, 5}, Concentration{Posters: 5, TopShare: 0.2, AbsenceFactor: 3, Gini: 0, TopPoster: 0.2}},
		// 10 posters: the top 2 wrote 60+20 of 100; half is reached by the first.
		{"skewed", []int{60, 20, 5, 5, 2, 2, 2, 2, 1, 1}, Concentration{Posters: 10, TopShare: 0.8, AbsenceFactor: 1, Gini: 0.688, TopPoster: 0.6}},
		// 6 posters: the top 20% is 2 posters (rounded up); Gini by the mean
		// absolute difference: 32 / (2 × 36 × 10/6).
		{"round up", []int{3, 3, 1, 1, 1, 1}, Concentration{Posters: 6, TopShare: 0.6, AbsenceFactor: 2, Gini: 0.266667, TopPoster: 0.3}},
	}
	for _, c := range cases {
		got := Concentrate(c.counts)
		near := func(a, b float64) bool { return math.Abs(a-b) < 1e-6 }
		if got.Posters != c.want.Posters || got.AbsenceFactor != c.want.AbsenceFactor || !near(got.TopShare, c.want.TopShare) ||
			!near(got.Gini, c.want.Gini) || !near(got.TopPoster, c.want.TopPoster) {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestPercentiles(t *testing.T) {
	got := Percentiles([]float64{0.5, 0.1, 0.9, 0.5})
	want := []float64{50, 0, 100, 50} // ties share the mean of their ranks
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-9 {
			t.Fatalf("Percentiles = %v, want %v", got, want)
		}
	}
	if one := Percentiles([]float64{3}); one[0] != 50 {
		t.Errorf("a single group scores %v, want 50", one[0])
	}
}

func TestCumulate(t *testing.T) {
	rows := []ParetoRow{{ID: 1, Messages: 10}, {ID: 2, Messages: 70}, {ID: 3, Messages: 20}}
	total, for80 := Cumulate(rows)
	if total != 100 || for80 != 2 || rows[0].ID != 2 || rows[2].Cumulative != 1 || rows[1].Share != 0.2 {
		t.Errorf("Cumulate: total %d, for80 %d, rows %+v", total, for80, rows)
	}
}

func TestParseWeek(t *testing.T) {
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	for week, monday := range map[string]string{"2026-W01": "2025-12-29", "2026-W47": "2026-11-16", "2026-W53": "2026-12-28", "2020-W53": "2020-12-28"} {
		got, err := ParseWeek(week, shanghai)
		if err != nil || got.Format(time.DateOnly) != monday || got.Location() != shanghai || WeekOf(got) != week {
			t.Errorf("ParseWeek(%s) = %v, %v; want %s", week, got, err, monday)
		}
	}
	for _, bad := range []string{"", "2026-47", "2026-W00", "2026-W54", "2025-W53", "abcd-Wxx", "2026-W4", "12026-W47"} {
		if _, err := ParseWeek(bad, time.UTC); ErrorCode(err) != EINVALID {
			t.Errorf("ParseWeek(%q): %v, want EINVALID", bad, err)
		}
	}
}

func TestMedian(t *testing.T) {
	if Median(nil) != 0 || Median([]int64{3, 1, 2}) != 2 || Median([]int64{4, 1, 3, 2}) != 2.5 {
		t.Error("Median")
	}
}

func TestLifecycleHold(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	steps := []struct {
		at       time.Duration
		measured string
		shown    string
	}{
		{0, LifecycleMature, LifecycleMature},             // the first measure shows at once
		{day, LifecycleDeclining, LifecycleMature},        // a new stage waits
		{2 * day, LifecycleMature, LifecycleMature},       // back: the wait starts over
		{3 * day, LifecycleDeclining, LifecycleMature},    // new again
		{5 * day, LifecycleDeclining, LifecycleMature},    // held two days
		{6 * day, LifecycleDeclining, LifecycleDeclining}, // held three: shown
		{6*day + time.Hour, LifecycleDormant, LifecycleDeclining},
		{9*day + time.Hour, LifecycleDormant, LifecycleDormant},
	}
	var s LifecycleState
	for _, st := range steps {
		s = s.Next(st.measured, t0.Add(st.at))
		if s.Stage != st.shown {
			t.Fatalf("at +%v measured %s: shown %s, want %s (%+v)", st.at, st.measured, s.Stage, st.shown, s)
		}
	}
	if !s.Since.Equal(t0.Add(9*day+time.Hour)) || s.Pending != "" {
		t.Errorf("final state %+v", s)
	}
}
