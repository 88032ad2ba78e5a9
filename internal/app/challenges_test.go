package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/apptest"
)

func TestCheckinChallenge(t *testing.T) {
	a, ws := apptest.New(t, "checkin", "Asia/Shanghai")
	ctx := context.Background()
	sh := ws.Location()
	day := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, sh) }
	clock := apptest.WithClock(a, day(1, 6, 0))
	f := &feeder{t: t, a: a, ws: ws}
	f.at(day(1, 6, 0), "g1", "join", "ann", "")
	f.at(day(1, 6, 0), "g1", "join", "bob", "")
	cs, _ := apptest.DB(t, a).ListCommunities(ctx, ws.ID)
	ch := &shequn.Challenge{Title: "21天早起", CommunityIDs: []int64{cs[0].ID}, Goal: 3, Start: "2026-03-02", End: "2026-03-22",
		WindowStart: "05:00", WindowEnd: "22:00", MinLength: 4, Makeups: 1, ReminderAt: "20:00", DailyPoints: 2, RewardPoints: 50}
	if err := a.SaveChallenge(ctx, ws, owner, ch); err != nil {
		t.Fatal(err)
	}
	reply := func() string {
		t.Helper()
		got := outboxTexts(t, a, ws, "cmd:")
		if len(got) == 0 {
			t.Fatal("no reply")
		}
		return got[0]
	}
	steps := []struct {
		at          time.Time
		who, text   string
		wantInReply string
	}{
		{day(1, 7, 0), "ann", "打卡 六点起床跑步", "没有进行中的打卡"},   // before the start
		{day(2, 4, 0), "ann", "打卡 四点起来了", "05:00–22:00"}, // outside the window
		{day(2, 7, 0), "ann", "打卡 跑", "至少 4 个字"},
		{day(2, 7, 1), "ann", "打卡 六点起床跑步", "累计 1/3 天，连续 1 天"},
		{day(2, 7, 2), "ann", "打卡 再打一次卡", "已经打过卡"},
		{day(4, 7, 0), "ann", "打卡 今天读了书", "累计 2/3 天，连续 1 天"},     // missed the 3rd
		{day(4, 7, 5), "ann", "补卡 昨天 昨天也早起了", "累计 3/3 天，连续 3 天"}, // make-up completes it
		{day(4, 7, 6), "ann", "补卡 2026-03-02 再补", "补卡次数已用完"},
		{day(4, 7, 7), "bob", "checkin woke up at six", "1 of 3 days"},
	}
	for _, s := range steps {
		f.at(s.at, "g1", "msg", s.who, s.text)
		if got := reply(); !strings.Contains(got, s.wantInReply) {
			t.Errorf("%s %q: reply %q, want %q", s.at.Format("01-02 15:04"), s.text, got, s.wantInReply)
		}
	}
	if !strings.Contains(reply(), "Checked in") {
		t.Error("bob's reply is not bilingual")
	}
	st, err := a.ChallengeStats(ctx, ws, ch)
	if err != nil {
		t.Fatal(err)
	}
	if st.Participants != 2 || st.Completed != 1 || st.Checkins != 4 || len(st.Days) != 3 || st.Leaders[0].Name != "ann" || st.Leaders[0].Makeups != 1 {
		t.Fatalf("stats %+v", st)
	}
	bal, _, _ := apptest.DB(t, a).Balance(ctx, ws.ID, st.Leaders[0].MemberID)
	if bal < 3*2+50 {
		t.Errorf("ann's balance %d, want at least 3 check-ins × 2 + 50", bal)
	}
	// Reminder at 20:00 names bob, who has not checked in on the 5th.
	clock.Set(day(5, 19, 59))
	if n, _ := a.RemindCheckins(ctx, ws, clock.Now()); n != 0 {
		t.Fatalf("reminded before 20:00: %d", n)
	}
	clock.Set(day(5, 20, 1))
	f.at(day(5, 19, 0), "g1", "msg", "ann", "打卡 今天也早起")
	for range 2 {
		if _, err := a.RemindCheckins(ctx, ws, clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	rem := outboxTexts(t, a, ws, "remind:")
	if len(rem) != 1 || !strings.Contains(rem[0], "@bob") || strings.Contains(rem[0], "@ann") {
		t.Fatalf("reminders %q", rem)
	}
	// The mobile page: a signed link checks in; a forged one does not.
	link := app.CheckinLink(ch, st.Leaders[1].MemberID)
	parts := strings.Split(link, "/")
	clock.Set(day(6, 8, 0))
	got, err := a.CheckInWeb(ctx, ch.ID, st.Leaders[1].MemberID, parts[4], "早起读书半小时", "")
	if err != nil || !strings.Contains(got, "2/3") {
		t.Fatalf("web check-in: %q %v", got, err)
	}
	if _, err := a.CheckInWeb(ctx, ch.ID, st.Leaders[1].MemberID, strings.Repeat("0", 32), "x", ""); shequn.ErrorCode(err) != shequn.ENOTFOUND {
		t.Fatalf("forged link: %v", err)
	}
	bad := *ch
	bad.ID, bad.End = 0, "2026-03-01"
	if err := a.SaveChallenge(ctx, ws, owner, &bad); shequn.ErrorCode(err) != shequn.EINVALID {
		t.Fatalf("end before start: %v", err)
	}
}
