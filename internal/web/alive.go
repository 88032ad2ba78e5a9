package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
)

func (c *Console) aliveRoutes() {
	c.mux.HandleFunc("GET /calendar", c.auth(c.calendar))
	c.mux.HandleFunc("GET /automations", c.auth(c.automations))
	c.mux.HandleFunc("POST /automations", c.auth(c.saveAutomation))
	c.mux.HandleFunc("POST /automations/{id}/delete", c.auth(c.deleteAutomation))
	c.mux.HandleFunc("POST /welcome", c.auth(c.saveWelcome))
	c.mux.HandleFunc("GET /challenges", c.auth(c.challenges))
	c.mux.HandleFunc("POST /challenges", c.auth(c.saveChallenge))
	c.mux.HandleFunc("GET /challenges/{id}", c.auth(c.challenge))
	c.mux.HandleFunc("GET /questions", c.auth(c.questionsPage))
	c.mux.HandleFunc("GET /alerts", c.auth(c.alerts))
	c.mux.HandleFunc("POST /alerts/{id}/{status}", c.auth(c.setAlert))
	c.mux.HandleFunc("GET /broadcasts", c.auth(c.broadcasts))
	c.mux.HandleFunc("POST /broadcasts/preview", c.auth(c.previewBroadcast))
	c.mux.HandleFunc("POST /broadcasts", c.auth(c.createBroadcast))
	c.mux.HandleFunc("POST /broadcasts/{id}/{verdict}", c.auth(c.decideBroadcast))
	c.mux.HandleFunc("GET /checkin/{id}/{member}/{sig}", c.checkinPage)
	c.mux.HandleFunc("POST /checkin/{id}/{member}/{sig}", c.checkinPost)
}

func op(r *http.Request) *shequn.Operator { return r.Context().Value(ctxKey{}).(*session).op }

// post guards a console form post: same origin, and a parsed form.
func (c *Console) post(w http.ResponseWriter, r *http.Request) bool {
	if !sameOrigin(r) {
		http.Error(w, "cross-site request refused", http.StatusForbidden)
		return false
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10) // as the console's other forms
	if err := r.ParseForm(); err != nil {
		c.fail(w, r, shequn.Errorf(shequn.EINVALID, "bad form: %v", err))
		return false
	}
	return true
}

type calendarDay struct {
	Day   string
	Count int
	Items []shequn.Planned
}

// calendar shows the next 7 days of scheduled sends, by day.
func (c *Console) calendar(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "engage", "calendar", nil)
	wsp := ws(r)
	now := c.app.Clock.Now()
	items, err := c.app.Calendar(r.Context(), wsp, now, now.Add(7*24*time.Hour))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	var days []*calendarDay
	for _, it := range items {
		local := it.Due.In(wsp.Location())
		d := local.Format("2006-01-02 Mon")
		if v.Lang == "zh" {
			d = local.Format("2006-01-02") + " 周" + string([]rune("日一二三四五六")[local.Weekday()])
		}
		if len(days) == 0 || days[len(days)-1].Day != d {
			days = append(days, &calendarDay{Day: d})
		}
		cd := days[len(days)-1]
		cd.Count++
		if len(cd.Items) < 100 {
			cd.Items = append(cd.Items, it)
		}
	}
	v.Data = map[string]any{"Days": days, "Total": len(items)}
	c.render(w, r, "calendar", http.StatusOK, v)
}

type automationsData struct {
	Autos    []*shequn.Automation
	Edit     *shequn.Automation
	Triggers []string
	Actions  []string
	Welcome  shequn.WelcomeSettings
	Saved    bool
}

func (c *Console) automations(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "engage", "automations", nil)
	d := automationsData{Triggers: shequn.Triggers, Actions: shequn.AutomationActions, Saved: r.URL.Query().Get("saved") == "1"}
	var err error
	if d.Autos, err = c.app.DB.FindAutomations(r.Context(), ws(r).ID); err != nil {
		c.fail(w, r, err)
		return
	}
	kind := r.URL.Query().Get("new")
	d.Edit = &shequn.Automation{Kind: shequn.AutomationSOP, Enabled: true}
	if kind == shequn.AutomationRule {
		d.Edit.Kind = kind
	}
	if id, _ := strconv.ParseInt(r.URL.Query().Get("edit"), 10, 64); id > 0 {
		if d.Edit, err = c.app.DB.FindAutomation(r.Context(), ws(r).ID, id); err != nil {
			c.fail(w, r, err)
			return
		}
	}
	m, err := c.app.Welcome(r.Context(), ws(r))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d.Welcome = m[0]
	v.Data = d
	c.render(w, r, "automations", http.StatusOK, v)
}

// csv splits a comma-separated field.
func csv(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func ids(s string) ([]int64, error) {
	var out []int64
	for _, p := range csv(s) {
		id, err := strconv.ParseInt(strings.TrimPrefix(p, "#"), 10, 64)
		if err != nil {
			return nil, shequn.Errorf(shequn.EINVALID, "group id %q: want a number", p)
		}
		out = append(out, id)
	}
	return out, nil
}

// automationFromForm reads the editor: up to 6 steps (SOP) or 3 actions
// (rule); blank rows are skipped.
func automationFromForm(r *http.Request) (*shequn.Automation, error) {
	f := r.PostForm
	a := &shequn.Automation{Name: f.Get("name"), Kind: f.Get("kind"), Enabled: f.Get("enabled") == "on",
		QuietHours: shequn.QuietHours{Start: f.Get("quiet_start"), End: f.Get("quiet_end")}}
	a.ID, _ = strconv.ParseInt(f.Get("id"), 10, 64)
	a.Selector = shequn.Selector{Kinds: csv(f.Get("kinds")), Tags: csv(f.Get("tags")), Platforms: csv(f.Get("platforms"))}
	var err error
	if a.Selector.CommunityIDs, err = ids(f.Get("community_ids")); err != nil {
		return nil, err
	}
	for i := range 6 {
		n := strconv.Itoa(i)
		if cron, text := strings.TrimSpace(f.Get("step_cron_"+n)), f.Get("step_text_"+n); cron != "" || strings.TrimSpace(text) != "" {
			a.Steps = append(a.Steps, shequn.Step{Name: f.Get("step_name_" + n), Cron: cron, Actions: []shequn.Action{{Kind: shequn.DoSend, Text: text}}})
		}
	}
	hours, _ := strconv.Atoi(f.Get("trigger_hours"))
	days, _ := strconv.Atoi(f.Get("trigger_days"))
	a.Trigger = shequn.Trigger{Kind: f.Get("trigger"), Cron: f.Get("trigger_cron"), Keywords: csv(f.Get("trigger_keywords")), Hours: hours, Days: days}
	a.Conditions.Tiers = csv(f.Get("tiers"))
	for i := range 3 {
		n := strconv.Itoa(i)
		kind := f.Get("action_kind_" + n)
		if kind == "" {
			continue
		}
		pts, _ := strconv.ParseInt(f.Get("action_points_"+n), 10, 64)
		a.Actions = append(a.Actions, shequn.Action{Kind: kind, Text: f.Get("action_text_" + n), Tag: f.Get("action_tag_" + n), Points: pts})
	}
	a.Vars = parseVars(f.Get("vars"))
	return a, nil
}

// parseVars reads "key=value" (every group) and "12:key=value" lines.
func parseVars(s string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, l := range lines(s) {
		scope := "*"
		kv := l
		if i := strings.Index(l, ":"); i > 0 && i < strings.Index(l+"=", "=") {
			if _, err := strconv.ParseInt(l[:i], 10, 64); err == nil {
				scope, kv = l[:i], l[i+1:]
			}
		}
		k, val, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(k) == "" {
			continue
		}
		if out[scope] == nil {
			out[scope] = map[string]string{}
		}
		out[scope][strings.TrimSpace(k)] = strings.TrimSpace(val)
	}
	return out
}

func (c *Console) saveAutomation(w http.ResponseWriter, r *http.Request) {
	if !c.post(w, r) {
		return
	}
	a, err := automationFromForm(r)
	if err == nil {
		err = c.app.SaveAutomation(r.Context(), ws(r), op(r), a)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/automations?saved=1", http.StatusSeeOther)
}

func (c *Console) deleteAutomation(w http.ResponseWriter, r *http.Request) {
	if !c.post(w, r) {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := c.app.DeleteAutomation(r.Context(), ws(r), op(r), id); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/automations", http.StatusSeeOther)
}

func (c *Console) saveWelcome(w http.ResponseWriter, r *http.Request) {
	if !c.post(w, r) {
		return
	}
	f := r.PostForm
	batch, _ := strconv.Atoi(f.Get("batch_seconds"))
	s := &shequn.WelcomeSettings{Enabled: f.Get("enabled") == "on", Text: f.Get("text"), BatchSeconds: batch, IntroPrompt: f.Get("intro_prompt")}
	if err := c.app.SaveWelcome(r.Context(), ws(r), op(r), 0, s); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/automations?saved=1#welcome", http.StatusSeeOther)
}

func (c *Console) challenges(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "engage", "challenges", nil)
	chs, err := c.app.DB.FindChallenges(r.Context(), ws(r).ID)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	type row struct {
		*shequn.Challenge
		Stats shequn.ChallengeStats
	}
	var rows []row
	for _, ch := range chs {
		st, err := c.app.ChallengeStats(r.Context(), ws(r), ch)
		if err != nil {
			c.fail(w, r, err)
			return
		}
		rows = append(rows, row{ch, st})
	}
	today := c.app.Clock.Now().In(ws(r).Location())
	v.Data = map[string]any{"Rows": rows, "Start": today.Format(time.DateOnly), "End": today.AddDate(0, 0, 20).Format(time.DateOnly)}
	c.render(w, r, "challenges", http.StatusOK, v)
}

func (c *Console) saveChallenge(w http.ResponseWriter, r *http.Request) {
	if !c.post(w, r) {
		return
	}
	f := r.PostForm
	num := func(k string) int { n, _ := strconv.Atoi(f.Get(k)); return n }
	ch := &shequn.Challenge{Title: f.Get("title"), Goal: num("goal"), Start: f.Get("start"), End: f.Get("end"),
		WindowStart: f.Get("window_start"), WindowEnd: f.Get("window_end"), MinLength: num("min_length"), RequireImage: f.Get("require_image") == "on",
		Makeups: num("makeups"), ReminderAt: f.Get("reminder_at"), DailyPoints: int64(num("daily_points")), RewardPoints: int64(num("reward_points"))}
	var err error
	if ch.CommunityIDs, err = ids(f.Get("community_ids")); err == nil {
		err = c.app.SaveChallenge(r.Context(), ws(r), op(r), ch)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/challenges/"+strconv.FormatInt(ch.ID, 10), http.StatusSeeOther)
}

func (c *Console) challenge(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	wsp := ws(r)
	ch, err := c.app.DB.FindChallenge(r.Context(), wsp.ID, id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	st, err := c.app.ChallengeStats(r.Context(), wsp, ch)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v := c.view(r, "engage", "challenges", nil)
	v.Title = ch.Title
	x, counts := []string{}, []int{}
	for _, d := range st.Days {
		x, counts = append(x, d.Day), append(counts, d.Checkins)
	}
	links := map[int64]string{}
	for _, m := range st.Leaders {
		links[m.MemberID] = app.CheckinLink(ch, m.MemberID)
	}
	v.Data = map[string]any{"Challenge": ch, "Stats": st, "Links": links,
		"Chart": chart{X: x, Series: []chartSeries{{translate(v.Lang, "checkins"), "bar", counts}}}}
	c.render(w, r, "challenge", http.StatusOK, v)
}

type questionRow struct {
	Community *shequn.Community
	Stats     shequn.QuestionStats
}

func (c *Console) questionsPage(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "engage", "questions", nil)
	wsp := ws(r)
	ctx := r.Context()
	since := c.app.Clock.Now().AddDate(0, 0, -30)
	community, _ := strconv.ParseInt(r.URL.Query().Get("community"), 10, 64)
	status := r.URL.Query().Get("status")
	if status != "open" && status != "answered" {
		status = ""
	}
	cs, err := c.app.DB.ListCommunities(ctx, wsp.ID)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	var rows []questionRow
	for _, cm := range cs {
		st, err := c.app.DB.QuestionStats(ctx, wsp.ID, cm.ID, since)
		if err != nil {
			c.fail(w, r, err)
			return
		}
		if st.Asked > 0 {
			rows = append(rows, questionRow{cm, st})
		}
	}
	total, err := c.app.DB.QuestionStats(ctx, wsp.ID, community, since)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	qs, err := c.app.DB.FindQuestions(ctx, wsp.ID, shequn.QuestionFilter{CommunityID: community, Status: status, Since: since, Limit: 200})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v.Data = map[string]any{"Rows": rows, "Total": total, "Questions": qs, "Community": community, "Status": status, "Communities": cs}
	c.render(w, r, "questions", http.StatusOK, v)
}

func (c *Console) alerts(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "alerts", "alerts", nil)
	q := r.URL.Query()
	status := q.Get("status")
	if q.Get("status") == "" && !q.Has("status") {
		status = shequn.AlertOpen
	}
	as, err := c.app.DB.FindAlerts(r.Context(), ws(r).ID, shequn.AlertFilter{Status: status, Kind: q.Get("kind"), Limit: 200})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v.Data = map[string]any{"Alerts": as, "Status": status, "Kind": q.Get("kind"), "Kinds": shequn.AlertKinds}
	c.render(w, r, "alerts", http.StatusOK, v)
}

func (c *Console) setAlert(w http.ResponseWriter, r *http.Request) {
	if !c.post(w, r) {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := c.app.SetAlertStatus(r.Context(), ws(r), op(r), id, r.PathValue("status")); err != nil {
		c.fail(w, r, err)
		return
	}
	if r.Header.Get("HX-Request") == "true" {
		w.Write([]byte(`<tr><td colspan="6"><small class="muted">` + translate(c.view(r, "", "", nil).Lang, r.PathValue("status")) + `</small></td></tr>`))
		return
	}
	http.Redirect(w, r, "/alerts", http.StatusSeeOther)
}

func selectorFromForm(r *http.Request) (shequn.Selector, error) {
	f := r.PostForm
	s := shequn.Selector{Kinds: csv(f.Get("kinds")), Tags: csv(f.Get("tags")), Platforms: csv(f.Get("platforms"))}
	var err error
	s.CommunityIDs, err = ids(f.Get("community_ids"))
	return s, err
}

func (c *Console) broadcasts(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "engage", "broadcasts", nil)
	bs, err := c.app.DB.FindBroadcasts(r.Context(), ws(r).ID, 100)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v.Data = map[string]any{"Broadcasts": bs}
	c.render(w, r, "broadcasts", http.StatusOK, v)
}

func (c *Console) previewBroadcast(w http.ResponseWriter, r *http.Request) {
	if !c.post(w, r) {
		return
	}
	v := c.view(r, "engage", "broadcasts", nil)
	sel, err := selectorFromForm(r)
	stagger, _ := strconv.Atoi(r.PostForm.Get("stagger"))
	var p app.BroadcastPreview
	if err == nil {
		p, err = c.app.PreviewBroadcast(r.Context(), ws(r), r.PostForm.Get("text"), sel, stagger)
	}
	if err != nil {
		v.Error = shequn.ErrorMessage(err)
	}
	v.Data = map[string]any{"Preview": p}
	c.renderBlock(w, r, "broadcasts", "preview", v)
}

func (c *Console) createBroadcast(w http.ResponseWriter, r *http.Request) {
	if !c.post(w, r) {
		return
	}
	sel, err := selectorFromForm(r)
	stagger, _ := strconv.Atoi(r.PostForm.Get("stagger"))
	if err == nil {
		_, err = c.app.CreateBroadcast(r.Context(), ws(r), op(r), r.PostForm.Get("text"), sel, stagger)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/broadcasts", http.StatusSeeOther)
}

func (c *Console) decideBroadcast(w http.ResponseWriter, r *http.Request) {
	if !c.post(w, r) {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	verdict := r.PathValue("verdict")
	if verdict != "approve" && verdict != "reject" {
		c.fail(w, r, shequn.Errorf(shequn.ENOTFOUND, "no such decision"))
		return
	}
	if _, err := c.app.DecideBroadcast(r.Context(), ws(r), op(r), id, verdict == "approve"); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/broadcasts", http.StatusSeeOther)
}

// checkinPage is the public mobile check-in page of a signed member link.
func (c *Console) checkinPage(w http.ResponseWriter, r *http.Request) {
	c.checkinRender(w, r, "")
}

func (c *Console) checkinPost(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		http.Error(w, "cross-site request refused", http.StatusForbidden)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	member, _ := strconv.ParseInt(r.PathValue("member"), 10, 64)
	reply, err := c.app.CheckInWeb(r.Context(), id, member, r.PathValue("sig"), r.FormValue("proof"), r.FormValue("makeup"))
	if err != nil {
		reply = shequn.ErrorMessage(err)
	}
	c.checkinRender(w, r, reply)
}

func (c *Console) checkinRender(w http.ResponseWriter, r *http.Request, reply string) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	member, _ := strconv.ParseInt(r.PathValue("member"), 10, 64)
	ch, wsp, err := c.app.CheckinPage(r.Context(), id, member, r.PathValue("sig"))
	l := lang(r, "")
	if err != nil {
		http.Error(w, translate(l, "not_found"), http.StatusNotFound)
		return
	}
	st, err := c.app.ChallengeStats(r.Context(), wsp, ch)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var mine shequn.ChallengeMember
	for _, m := range st.Leaders {
		if m.MemberID == member {
			mine = m
		}
	}
	v := view{Lang: l, Title: ch.Title, Workspace: wsp, Data: map[string]any{"Challenge": ch, "Me": mine, "Reply": reply, "Path": r.URL.Path}}
	c.render(w, r, "checkin", http.StatusOK, v)
}
