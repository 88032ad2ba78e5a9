package schedule

import (
	"testing"
	"time"

	"github.com/shequn/shequn"
)

func zone(t *testing.T, name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestTimesAcrossZones(t *testing.T) {
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		name, expr, zone, from, to string
		want                       []string // UTC
	}{
		{"DST-free Shanghai, daily 08:00", "0 8 * * *", "Asia/Shanghai", "2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z",
			[]string{"2026-03-07T00:00:00Z", "2026-03-08T00:00:00Z", "2026-03-09T00:00:00Z"}},
		{"New York spring forward: 02:30 does not exist, fires at the jump", "30 2 * * *", "America/New_York", "2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z",
			[]string{"2026-03-07T07:30:00Z", "2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"}},
		{"New York fall back: 01:30 happens twice, fires once", "30 1 * * *", "America/New_York", "2026-10-31T00:00:00Z", "2026-11-03T00:00:00Z",
			[]string{"2026-10-31T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"}},
		{"Berlin weekdays 09:00 across the March change", "0 9 * * 1-5", "Europe/Berlin", "2026-03-27T00:00:00Z", "2026-03-31T00:00:00Z",
			[]string{"2026-03-27T08:00:00Z", "2026-03-30T07:00:00Z"}},
		{"Kolkata half-hour offset, twice a day", "0 9,21 * * *", "Asia/Kolkata", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z",
			[]string{"2026-01-01T03:30:00Z", "2026-01-01T15:30:00Z"}},
		{"Sydney (southern DST ends in April)", "0 7 * * *", "Australia/Sydney", "2026-04-03T00:00:00Z", "2026-04-06T00:00:00Z",
			[]string{"2026-04-03T20:00:00Z", "2026-04-04T21:00:00Z", "2026-04-05T21:00:00Z"}},
		{"day of month or weekday (cron OR rule)", "0 12 1 * 0", "UTC", "2026-03-01T00:00:00Z", "2026-03-09T00:00:00Z",
			[]string{"2026-03-01T12:00:00Z", "2026-03-08T12:00:00Z"}},
		{"@weekly descriptor", "@weekly", "UTC", "2026-03-01T00:00:00Z", "2026-03-16T00:00:00Z",
			[]string{"2026-03-01T00:00:00Z", "2026-03-08T00:00:00Z", "2026-03-15T00:00:00Z"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := Parse(c.expr)
			if err != nil {
				t.Fatal(err)
			}
			got := s.Times(utc(c.from), utc(c.to), zone(t, c.zone))
			if len(got) != len(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			for i := range got {
				if !got[i].Equal(utc(c.want[i])) {
					t.Errorf("fire %d at %s, want %s", i, got[i].UTC().Format(time.RFC3339), c.want[i])
				}
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	for _, expr := range []string{"", "61 * * * *", "* * *", "@every 5m", "CRON_TZ=Asia/Tokyo 0 8 * * *", "0 8 * * mon-xyz"} {
		if _, err := Parse(expr); err == nil {
			t.Errorf("Parse(%q) accepted", expr)
		}
	}
}

func TestQuietHours(t *testing.T) {
	sh := zone(t, "Asia/Shanghai")
	ny := zone(t, "America/New_York")
	at := func(loc *time.Location, s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	night := shequn.QuietHours{Start: "22:00", End: "08:00"}
	lunch := shequn.QuietHours{Start: "12:00", End: "13:30"}
	cases := []struct {
		name string
		q    shequn.QuietHours
		loc  *time.Location
		in   string
		want string
	}{
		{"outside", night, sh, "2026-03-01 09:00", "2026-03-01 09:00"},
		{"late evening waits for tomorrow 08:00", night, sh, "2026-03-01 23:15", "2026-03-02 08:00"},
		{"early morning waits for 08:00", night, sh, "2026-03-02 06:59", "2026-03-02 08:00"},
		{"at the end it goes", night, sh, "2026-03-02 08:00", "2026-03-02 08:00"},
		{"daytime window", lunch, sh, "2026-03-02 12:45", "2026-03-02 13:30"},
		{"none", shequn.QuietHours{}, sh, "2026-03-02 03:00", "2026-03-02 03:00"},
		{"over the New York spring change", shequn.QuietHours{Start: "01:00", End: "02:30"}, ny, "2026-03-08 01:30", "2026-03-08 03:00"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Defer(c.q, at(c.loc, c.in), c.loc)
			if want := at(c.loc, c.want); !got.Equal(want) {
				t.Errorf("Defer(%s) = %s, want %s", c.in, got.In(c.loc), want)
			}
		})
	}
	if err := ValidateQuiet(shequn.QuietHours{Start: "25:00", End: "08:00"}); err == nil {
		t.Error("25:00 accepted")
	}
}

func BenchmarkPlanDay(b *testing.B) {
	cs := make([]*shequn.Community, 1000)
	zones := []string{"", "Asia/Shanghai", "America/New_York", "Europe/Berlin"}
	for i := range cs {
		cs[i] = &shequn.Community{ID: int64(i + 1), Name: "群", Kind: shequn.KindCustomer, TimeZone: zones[i%4]}
	}
	a := &shequn.Automation{ID: 1, Kind: shequn.AutomationSOP, QuietHours: shequn.QuietHours{Start: "22:00", End: "07:00"},
		Steps: []shequn.Step{{Cron: "0 8 * * *", Actions: []shequn.Action{{Kind: shequn.DoSend, Text: "{group} 早安 {日期}"}}},
			{Cron: "0 9-21/3 * * *", Actions: []shequn.Action{{Kind: shequn.DoSend, Text: "hi"}}}}}
	day := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	for b.Loop() {
		p := NewPlanner(time.UTC)
		if _, err := p.Plan(a, cs, day, day.Add(24*time.Hour)); err != nil {
			b.Fatal(err)
		}
	}
}
