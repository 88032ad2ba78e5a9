package schedule

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shequn/shequn"
)

// Each preset's next five runs, in a zone without DST (Shanghai) and
// across New York's spring-forward (2026-03-08: 02:00 → 03:00) and
// fall-back (2026-11-01: 02:00 → 01:00).
func TestRepeatNextRuns(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	ny, _ := time.LoadLocation("America/New_York")
	at := func(loc *time.Location, s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		name   string
		repeat shequn.Repeat
		loc    *time.Location
		from   string
		want   []string // local wall times
	}{
		{"every day, Shanghai", shequn.Repeat{Every: shequn.EveryDay, At: "08:00"}, sh, "2026-03-06 09:00",
			[]string{"2026-03-07 08:00", "2026-03-08 08:00", "2026-03-09 08:00", "2026-03-10 08:00", "2026-03-11 08:00"}},
		{"weekdays, Shanghai (a Friday evening)", shequn.Repeat{Every: shequn.EveryWeekdays, At: "20:30"}, sh, "2026-03-06 21:00",
			[]string{"2026-03-09 20:30", "2026-03-10 20:30", "2026-03-11 20:30", "2026-03-12 20:30", "2026-03-13 20:30"}},
		{"Monday and Friday, Shanghai", shequn.Repeat{Every: shequn.EveryWeek, At: "19:00", Weekdays: []int{5, 1}}, sh, "2026-03-06 09:00",
			[]string{"2026-03-06 19:00", "2026-03-09 19:00", "2026-03-13 19:00", "2026-03-16 19:00", "2026-03-20 19:00"}},
		{"the 31st skips short months", shequn.Repeat{Every: shequn.EveryMonth, At: "10:00", Day: 31}, sh, "2026-01-01 00:00",
			[]string{"2026-01-31 10:00", "2026-03-31 10:00", "2026-05-31 10:00", "2026-07-31 10:00", "2026-08-31 10:00"}},
		{"once", shequn.Repeat{Every: shequn.EveryOnce, At: "19:30", Date: "2026-12-05"}, sh, "2026-11-30 00:00",
			[]string{"2026-12-05 19:30"}},
		{"every day at 02:30 across spring-forward, New York", shequn.Repeat{Every: shequn.EveryDay, At: "02:30"}, ny, "2026-03-06 12:00",
			[]string{"2026-03-07 02:30", "2026-03-08 03:00", "2026-03-09 02:30", "2026-03-10 02:30", "2026-03-11 02:30"}},
		{"every day at 01:30 across fall-back, New York: once", shequn.Repeat{Every: shequn.EveryDay, At: "01:30"}, ny, "2026-10-30 12:00",
			[]string{"2026-10-31 01:30", "2026-11-01 01:30", "2026-11-02 01:30", "2026-11-03 01:30", "2026-11-04 01:30"}},
		{"once, in a gap, New York", shequn.Repeat{Every: shequn.EveryOnce, At: "02:15", Date: "2026-03-08"}, ny, "2026-03-01 00:00",
			[]string{"2026-03-08 03:00"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expr, err := RepeatCron(c.repeat)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Next(expr, c.loc, at(c.loc, c.from), 5)
			if err != nil {
				t.Fatal(err)
			}
			var gs []string
			for _, g := range got {
				gs = append(gs, g.In(c.loc).Format("2006-01-02 15:04"))
			}
			if diff := cmp.Diff(c.want, gs); diff != "" {
				t.Fatalf("%s: next runs (-want +got):\n%s", expr, diff)
			}
			back, ok := RepeatOf(expr)
			if !ok || back.Every != c.repeat.Every || back.At != c.repeat.At {
				t.Fatalf("RepeatOf(%q) = %+v %v", expr, back, ok)
			}
		})
	}
	// The fall-back day's 01:30 happens twice; it fires at the first.
	got, _ := Next("30 1 * * *", ny, at(ny, "2026-10-31 12:00"), 1)
	if _, off := got[0].Zone(); off != -4*3600 {
		t.Fatalf("fall-back 01:30 fired at %v, want the first (EDT)", got[0])
	}
}

func TestRepeatErrorsNameTheField(t *testing.T) {
	cases := []struct {
		repeat shequn.Repeat
		field  string
	}{
		{shequn.Repeat{Every: shequn.EveryDay, At: "25:00"}, "at"},
		{shequn.Repeat{Every: shequn.EveryWeek, At: "08:00"}, "weekdays"},
		{shequn.Repeat{Every: shequn.EveryWeek, At: "08:00", Weekdays: []int{9}}, "weekdays"},
		{shequn.Repeat{Every: shequn.EveryMonth, At: "08:00", Day: 0}, "day"},
		{shequn.Repeat{Every: shequn.EveryOnce, At: "08:00", Date: "next friday"}, "date"},
		{shequn.Repeat{Every: "hourly", At: "08:00"}, "every"},
	}
	for _, c := range cases {
		_, err := RepeatCron(c.repeat)
		fe, ok := err.(*FieldError)
		if !ok || fe.Field != c.field {
			t.Errorf("%+v: error %v, want one naming %s", c.repeat, err, c.field)
		}
	}
	if _, ok := RepeatOf("*/5 8-18 * * *"); ok {
		t.Error("a cron a repeat cannot say was read as one")
	}
}
