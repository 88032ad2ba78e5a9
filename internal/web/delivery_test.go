package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/apptest"
)

// A member who redeems a physical reward in a group is never asked for an
// address there: the group reply names no personal data, the address goes
// through a private page whose link is sent by DM, once; the operator
// cannot mark it fulfilled before, and lists show the phone masked.
func TestRewardDeliveryIsPrivate(t *testing.T) {
	srv, a := bareConsole(t, "")
	a.PublicURL = srv.URL
	ctx := context.Background()
	ws, _ := a.FindWorkspace(ctx, "demo")
	if err := a.CreateReward(ctx, ws, nil, &shequn.Reward{Name: "帆布袋", Kind: "physical", Cost: 10}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	feed := func(id, text string) {
		t.Helper()
		ev := shequn.Event{SourceID: id, Platform: "wecom", Community: "g1", CommunityName: "读书会", Actor: "ann", ActorName: "Ann",
			Kind: shequn.EventMessage, TS: now, Text: text}
		if _, err := a.Pipeline.Ingest(ctx, ws, []shequn.Event{ev}); err != nil {
			t.Fatal(err)
		}
	}
	feed("m0", "先攒点积分")
	var member int64
	apptest.DB(t, a).Write().QueryRow("SELECT id FROM members WHERE display_name = 'Ann'").Scan(&member)
	if _, _, err := a.AdjustPoints(ctx, nil, ws, member, 50, "gift", "g1"); err != nil {
		t.Fatal(err)
	}
	feed("m1", "兑换 1 北京市朝阳区某某路 1 号 13812345678")
	rows, _ := apptest.DB(t, a).FindOutbox(ctx, ws.ID, 0, "", 100)
	var reply, dm string
	for _, r := range rows {
		p, _ := r.DecodePayload()
		switch r.Action {
		case shequn.ActReply:
			reply = p.Text
		case shequn.ActDM:
			dm = p.Text
		}
	}
	if strings.Contains(reply, "朝阳") || strings.Contains(reply, "13812345678") || !strings.Contains(reply, "私信") || !strings.Contains(reply, "不要在群里") {
		t.Fatalf("group reply: %q", reply)
	}
	link := regexp.MustCompile(`https?://\S+/delivery/\S+`).FindString(dm)
	if link == "" {
		t.Fatalf("no private link in the DM: %q", dm)
	}
	rd, _ := a.FindRedemptions(ctx, ws, "", 10)
	if len(rd) != 1 || !rd[0].AwaitingDelivery || rd[0].Delivery != "" {
		t.Fatalf("redemptions %+v", rd)
	}
	if err := a.CloseRedemption(ctx, ws, nil, rd[0].ID, true); shequn.ErrorCode(err) != shequn.ECONFLICT {
		t.Fatalf("fulfilled before the address: %v", err)
	}
	page, err := http.Get(link)
	if err != nil || page.StatusCode != 200 || !strings.Contains(readAll(page), "帆布袋") {
		t.Fatalf("private page: %v %v", page.StatusCode, err)
	}
	post := func(form url.Values) *http.Response {
		return postForm(t, noFollow(), link, form, map[string]string{"Origin": srv.URL})
	}
	if resp := post(url.Values{"name": {"Ann"}, "phone": {"x"}, "address": {"北京"}}); resp.StatusCode != 400 {
		t.Fatalf("a bad phone: %d", resp.StatusCode)
	}
	if resp := post(url.Values{"name": {"Ann"}, "phone": {"13812345678"}, "address": {"北京市朝阳区某某路 1 号"}}); resp.StatusCode != 200 {
		t.Fatalf("details: %d", resp.StatusCode)
	}
	if resp := post(url.Values{"name": {"Eve"}, "phone": {"13900000000"}, "address": {"别处"}}); resp.StatusCode != 409 {
		t.Fatalf("a second submission: %d", resp.StatusCode)
	}
	if resp, _ := http.Get(srv.URL + "/delivery/not-a-token"); resp.StatusCode != 404 {
		t.Fatalf("a made-up link: %d", resp.StatusCode)
	}
	got, _ := a.FindRedemptions(ctx, ws, "", 10)
	if got[0].AwaitingDelivery || !strings.Contains(got[0].Delivery, "13812345678") {
		t.Fatalf("stored delivery %+v", got[0])
	}
	client := login(t, srv, "ops@example.com", "correct horse")
	resp, _ := client.Get(srv.URL + "/rewards")
	if body := readAll(resp); strings.Contains(body, "13812345678") || !strings.Contains(body, "138*") {
		t.Fatal("the rewards list shows the phone number unmasked")
	}
	if err := a.CloseRedemption(ctx, ws, nil, rd[0].ID, true); err != nil {
		t.Fatalf("fulfil after the address: %v", err)
	}
}
