package storetest

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/apptest"
	"github.com/shequn/shequn/internal/store/sqlstore"
)

// testEngage drives every store query of the keep-alive features
// groups alive) through the app: questions, welcome batching, first messages and
// introductions, automations and their plans, check-ins, detectors,
// alerts and broadcasts.
func testEngage(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	ws := MustCreateWorkspace(t, db, "alive", "UTC")
	now := t0.Add(14 * 24 * time.Hour)
	a := app.New(db, nil)
	clock := apptest.WithClock(a, now)
	owner := &shequn.Operator{ID: 1, Role: shequn.RoleOwner}
	if err := a.SaveWelcome(ctx, ws, owner, 0, &shequn.WelcomeSettings{Enabled: true, Text: "欢迎 {name}", BatchSeconds: 60}); err != nil {
		t.Fatal(err)
	}
	first := &shequn.Automation{Name: "first", Kind: shequn.AutomationRule, Enabled: true, Trigger: shequn.Trigger{Kind: shequn.TriggerFirstMessage},
		Actions: []shequn.Action{{Kind: shequn.DoTag, Tag: "spoke"}, {Kind: shequn.DoAward, Points: 3}}}
	sop := &shequn.Automation{Name: "morning", Kind: shequn.AutomationSOP, Enabled: true,
		Steps: []shequn.Step{{Name: "m", Cron: "0 8 * * *", Actions: []shequn.Action{{Kind: shequn.DoSend, Text: "{group} 早"}}}}}
	for _, au := range []*shequn.Automation{first, sop} {
		if err := a.SaveAutomation(ctx, ws, owner, au); err != nil {
			t.Fatal(err)
		}
	}
	// Two weeks of a busy group g1, then a question nobody answers.
	var evs []shequn.Event
	for d := range 14 {
		for i := range 25 {
			at := t0.Add(time.Duration(d)*24*time.Hour + time.Duration(i)*time.Minute)
			evs = append(evs, ev("h"+itoa(d*100+i), "g1", "u"+itoa(i%3), shequn.EventMessage, at, "text", "chat "+itoa(d*100+i)))
		}
	}
	evs = append(evs,
		ev("j1", "g1", "ann", shequn.EventJoin, now.Add(-3*time.Hour)),
		ev("j2", "g1", "bob", shequn.EventJoin, now.Add(-3*time.Hour+20*time.Second)),
		ev("q1", "g1", "ann", shequn.EventMessage, now.Add(-3*time.Hour+time.Minute), "text", "大家好，我是安，坐标上海，请问怎么报名？"),
		ev("a1", "g1", "cat", shequn.EventMessage, now.Add(-3*time.Hour+2*time.Minute), "text", "看群公告", "reply", "q1"),
		ev("q2", "g1", "bob", shequn.EventMessage, now.Add(-3*time.Hour+3*time.Minute), "text", "how do I get the invoice?"),
	)
	MustIngest(t, a.Pipeline, ws, evs...)
	qs, err := db.FindQuestions(ctx, ws.ID, shequn.QuestionFilter{})
	if err != nil || len(qs) != 2 {
		t.Fatalf("questions %v %v", qs, err)
	}
	st, err := db.QuestionStats(ctx, ws.ID, 0, t0)
	if err != nil || st.Asked != 2 || st.Answered != 1 || st.MedianAnswer != time.Minute {
		t.Fatalf("question stats %+v %v", st, err)
	}
	// The overview's attention list: q2 has waited past the answer SLA.
	if at, err := a.Attention(ctx, ws); err != nil || at.Unanswered != 1 {
		t.Fatalf("attention: %d unanswered, want 1 (%v)", at.Unanswered, err)
	}
	// The figures of every group at once are those asked one by one.
	by, err := db.QuestionStatsByCommunity(ctx, ws.ID, t0)
	if err != nil || by[0] != st {
		t.Fatalf("workspace figures %+v, want %+v (%v)", by[0], st, err)
	}
	for id, got := range by {
		if want, _ := db.QuestionStats(ctx, ws.ID, id, t0); id != 0 && got != want {
			t.Fatalf("group %d figures %+v, want %+v", id, got, want)
		}
	}
	// Kept figures answer a window starting near theirs, and equal the live ones.
	if err := db.RefreshQuestionFigures(ctx, ws.ID, t0, t0); err != nil {
		t.Fatal(err)
	}
	if kept, err := db.QuestionStatsByCommunity(ctx, ws.ID, t0.Add(time.Minute)); err != nil || !maps.Equal(kept, by) {
		t.Fatalf("kept question figures %+v, want %+v (%v)", kept, by, err)
	}
	// one group's (and the workspace's) kept figures, and a group with none
	for id, want := range by {
		if got, err := db.QuestionStats(ctx, ws.ID, id, t0.Add(time.Minute)); err != nil || got != want {
			t.Fatalf("kept figures of group %d %+v, want %+v (%v)", id, got, want, err)
		}
	}
	if got, err := db.QuestionStats(ctx, ws.ID, 1<<40, t0.Add(time.Minute)); err != nil || got != (shequn.QuestionStats{}) {
		t.Fatalf("kept figures of a group without questions %+v (%v)", got, err)
	}
	open, err := db.OpenQuestions(ctx, ws.ID, t0)
	if err != nil || len(open) != 1 || open[0].MemberName != "bob" {
		t.Fatalf("open questions %+v %v", open, err)
	}
	rows, _ := db.FindOutbox(ctx, ws.ID, 0, "", 100)
	var welcome string
	for _, r := range rows {
		if strings.HasPrefix(r.IdempotencyKey, "welcome:") {
			welcome += r.Payload
		}
	}
	if !strings.Contains(welcome, "欢迎 ann、bob") {
		t.Fatalf("welcome rows %q", welcome)
	}
	var intros, firsts int
	db.Write().QueryRowContext(ctx, "SELECT count(*) FROM memberships WHERE intro_at IS NOT NULL").Scan(&intros)
	db.Write().QueryRowContext(ctx, "SELECT count(*) FROM memberships WHERE first_message_at IS NOT NULL").Scan(&firsts)
	if intros != 1 || firsts != 6 {
		t.Fatalf("introductions %d, first messages %d; want 1 and 6", intros, firsts)
	}
	// Schedules: plan, edit (cancels and replans), nothing twice.
	now = now.Add(22*time.Hour - 2*time.Minute) // 07:58: the 08:00 send is within PlanAhead
	clock.Set(now)
	if n, _, err := a.RunSchedules(ctx, ws, now); err != nil || n != 1 {
		t.Fatalf("planned %d, %v", n, err)
	}
	if n, _, _ := a.RunSchedules(ctx, ws, now); n != 0 {
		t.Fatalf("planned again: %d", n)
	}
	// Detectors: the unanswered question, the silent group; alerts once.
	for range 2 {
		if err := a.Detect(ctx, ws, now); err != nil {
			t.Fatal(err)
		}
	}
	alerts, err := db.FindAlerts(ctx, ws.ID, shequn.AlertFilter{Status: shequn.AlertOpen})
	if err != nil || len(alerts) != 2 {
		t.Fatalf("alerts %v %v", alerts, err)
	}
	if err := db.SetAlertStatus(ctx, ws.ID, alerts[0].ID, shequn.AlertResolved); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.CountOpenAlerts(ctx, ws.ID); n != 1 {
		t.Fatalf("open alerts %d", n)
	}
	// Check-ins through the bot command, then stats and a reminder.
	cs, _ := db.ListCommunities(ctx, ws.ID)
	day := now.Format(time.DateOnly)
	ch := &shequn.Challenge{Title: "c", CommunityIDs: []int64{cs[0].ID}, Goal: 1, Start: day, End: day, ReminderAt: "00:00", RewardPoints: 5}
	if err := a.SaveChallenge(ctx, ws, owner, ch); err != nil {
		t.Fatal(err)
	}
	MustIngest(t, a.Pipeline, ws, ev("c1", "g1", "ann", shequn.EventMessage, now, "text", "打卡 早起"))
	cst, err := a.ChallengeStats(ctx, ws, ch)
	if err != nil || cst.Completed != 1 || len(cst.Days) != 1 {
		t.Fatalf("challenge stats %+v %v", cst, err)
	}
	if n, err := a.RemindCheckins(ctx, ws, now); err != nil || n != 1 {
		t.Fatalf("reminders %d %v", n, err)
	}
	// Broadcasts.
	b, err := a.CreateBroadcast(ctx, ws, owner, "{group} news", shequn.Selector{}, 5)
	if err != nil || b.Status != shequn.BroadcastApproved {
		t.Fatalf("broadcast %+v %v", b, err)
	}
	if got, err := db.FindBroadcasts(ctx, ws.ID, 10); err != nil || len(got) != 1 || len(got[0].CommunityIDs) != 1 {
		t.Fatalf("broadcasts %+v %v", got, err)
	}
	// Dormant members: someone whose last message was 30 days ago.
	now = now.Add(30 * 24 * time.Hour)
	clock.Set(now)
	if err := a.Detect(ctx, ws, now); err != nil {
		t.Fatal(err)
	}
	if al, _ := db.FindAlerts(ctx, ws.ID, shequn.AlertFilter{Kind: shequn.AlertDormant}); len(al) != 1 {
		t.Fatalf("dormant alerts %d", len(al))
	}
	// A member who wrote again is no longer last active on that day.
	lastOn := func() []string {
		ms, err := db.MembersLastActiveOn(ctx, ws.ID, day)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, m := range ms {
			names = append(names, m.Name)
		}
		return names
	}
	if got := lastOn(); !slices.Contains(got, "ann") {
		t.Fatalf("last active on %s: %v, want ann among them", day, got)
	}
	MustIngest(t, a.Pipeline, ws, ev("c2", "g1", "ann", shequn.EventMessage, now, "text", "back again"))
	if got := lastOn(); slices.Contains(got, "ann") {
		t.Fatalf("last active on %s: %v, ann wrote again since", day, got)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// testFirstAnswer: answers written many to a statement keep each question's
// first answer, within a batch and across batches.
func testFirstAnswer(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	ws := MustCreateWorkspace(t, db, "answers", "UTC")
	a := app.New(db, nil)
	MustIngest(t, a.Pipeline, ws,
		ev("q1", "g1", "ann", shequn.EventMessage, t0, "text", "请问怎么报名？"),
		ev("q2", "g1", "bob", shequn.EventMessage, t0.Add(time.Minute), "text", "how do I get the invoice?"))
	qs, err := db.FindQuestions(ctx, ws.ID, shequn.QuestionFilter{})
	if err != nil || len(qs) != 2 {
		t.Fatalf("questions %v %v", qs, err)
	}
	byText := map[string]*shequn.Question{}
	for _, q := range qs {
		byText[q.SourceID] = q
	}
	q1, q2 := byText["telegram:q1"], byText["telegram:q2"]
	if q1 == nil || q2 == nil {
		t.Fatalf("questions by source: %v", byText)
	}
	// the answers are messages of another group (no question there to answer)
	MustIngest(t, a.Pipeline, ws,
		ev("a1", "g2", "bob", shequn.EventMessage, t0.Add(2*time.Minute), "text", "好的"),
		ev("a2", "g2", "ann", shequn.EventMessage, t0.Add(3*time.Minute), "text", "好的"),
		ev("a3", "g2", "ann", shequn.EventMessage, t0.Add(4*time.Minute), "text", "好的"),
		ev("a4", "g2", "ann", shequn.EventMessage, t0.Add(5*time.Minute), "text", "好的"))
	ids := map[string]int64{}
	for _, m := range []int64{q1.MemberID, q2.MemberID} {
		tl, err := db.MemberTimeline(ctx, ws.ID, m, shequn.DayRange{From: "2026-01-01", To: "2026-12-31"}, 20)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range tl {
			ids[e.SourceID] = e.ID
		}
	}
	answer := func(q *shequn.Question, src string, member int64, at time.Time) sqlstore.AnswerRow {
		if ids[src] == 0 {
			t.Fatalf("no event %s among %v", src, ids)
		}
		return sqlstore.AnswerRow{QuestionEventID: q.EventID, EventID: ids[src], MemberID: member, TS: at.UnixMilli(), How: "reply"}
	}
	write := func(rows ...sqlstore.AnswerRow) {
		tx, err := db.BeginIngest(ctx, ws.ID)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if err := tx.AnswerQuestions(ctx, rows); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	write(answer(q1, "a1", q2.MemberID, t0.Add(2*time.Minute)), answer(q1, "a2", q1.MemberID, t0.Add(3*time.Minute)))
	write(answer(q1, "a3", q1.MemberID, t0.Add(4*time.Minute)), answer(q2, "a4", q1.MemberID, t0.Add(5*time.Minute)))
	qs, err = db.FindQuestions(ctx, ws.ID, shequn.QuestionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, q := range qs {
		got[q.SourceID] = q.AnswerSourceID
		if q.AnsweredAt == nil || q.How != "reply" || ids[strings.TrimPrefix(q.AnswerSourceID, "telegram:")] != q.AnswerEventID {
			t.Fatalf("answer of %s: %+v", q.SourceID, q)
		}
	}
	if got["telegram:q1"] != "telegram:a1" || got["telegram:q2"] != "telegram:a4" {
		t.Fatalf("first answers %v, want q1 a1 and q2 a4", got)
	}
}
