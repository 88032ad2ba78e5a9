package web

import (
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shequn/shequn"
)

// Fission campaigns in the console: a list with a form for a new task
// campaign, and a campaign's page with its settings, each participant's
// progress and the help ledger with the reasons helps were voided.

func (c *Console) campaigns(w http.ResponseWriter, r *http.Request) {
	cs, err := c.app.Campaigns(r.Context(), ws(r))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	choices, err := c.app.Choices(r.Context(), ws(r))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	now := c.app.Clock.Now().In(ws(r).Location())
	edit := &shequn.Campaign{Start: now.Truncate(time.Hour), End: now.Truncate(time.Hour).AddDate(0, 0, 7), HoldHours: shequn.DefaultHoldHours,
		NewOnly: true, Stages: []shequn.Stage{{Threshold: 3, Points: 50}, {Threshold: 10, Points: 300}}}
	v := c.view(r, "growth", "campaigns", nil)
	v.Data = map[string]any{"Campaigns": cs, "Edit": edit, "Rows": stageRows(edit.Stages), "Choices": choices, "Now": now}
	c.render(w, r, "campaigns", http.StatusOK, v)
}

// ConsoleRows is how many participants and helps a campaign's page lists.
const ConsoleRows = 30

// stageRows are a campaign's stages and empty rows to add more, up to
// shequn.MaxStages.
func stageRows(ss []shequn.Stage) []shequn.Stage {
	rows := append([]shequn.Stage(nil), ss...)
	for len(rows) < min(len(ss)+3, shequn.MaxStages) {
		rows = append(rows, shequn.Stage{})
	}
	return rows
}

func (c *Console) campaign(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	cp, err := c.app.Campaign(r.Context(), ws(r), id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	progress, err := c.app.CampaignProgress(r.Context(), ws(r), id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	helps, err := c.app.CampaignHelps(r.Context(), ws(r), id, 0)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	choices, err := c.app.Choices(r.Context(), ws(r))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	figures := cp.Figures(helps, len(progress))
	counts := map[string]int{}
	var review []shequn.Help
	for _, h := range helps {
		if h.Status == shequn.HelpReview {
			review = append(review, h)
		}
		counts[h.Status]++
		if h.Reason != "" {
			counts[h.Reason]++
		}
		if h.Suspect() {
			counts["suspect"]++
		}
	}
	// the page shows the leaders and the latest helps; the API has them all
	more := max(0, len(progress)-ConsoleRows)
	progress = progress[:min(len(progress), ConsoleRows)]
	helps = helps[max(0, len(helps)-ConsoleRows):]
	slices.Reverse(helps)
	v := c.view(r, "growth", "campaigns", nil)
	v.Title = cp.Name
	v.Data = map[string]any{"Campaign": cp, "Edit": cp, "Rows": stageRows(cp.Stages), "Progress": progress, "More": more, "Helps": helps, "Counts": counts, "Review": review, "Figures": figures,
		"Choices": choices, "Reasons": []string{shequn.VoidNotNew, shequn.VoidSelf, shequn.VoidBlocklisted, shequn.VoidLeft, shequn.VoidFraud}}
	c.render(w, r, "campaign", http.StatusOK, v)
}

func (c *Console) saveCampaign(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	loc := ws(r).Location()
	cp := &shequn.Campaign{Name: strings.TrimSpace(f.Get("name")), NewOnly: f.Get("new_only") == "1", CommunityIDs: groupIDs(f[selGroup])}
	cp.ID, _ = strconv.ParseInt(r.PathValue("id"), 10, 64)
	cp.HoldHours, _ = strconv.Atoi(f.Get("hold_hours"))
	var err error
	if cp.Cost, err = formCents(f.Get("cost")); err == nil {
		cp.Start, err = formTime(f.Get("start"), "start", loc)
	}
	if err == nil {
		cp.End, err = formTime(f.Get("end"), "end", loc)
	}
	if err == nil {
		cp.Stages, err = formStages(f)
	}
	back := c.campaigns
	if cp.ID != 0 {
		back = c.campaign
	}
	if err == nil {
		err = c.app.SaveCampaign(r.Context(), ws(r), op(r), cp)
	}
	if err != nil {
		c.reshow(w, r, err, back, nil)
		return
	}
	http.Redirect(w, r, "/campaigns/"+strconv.FormatInt(cp.ID, 10), http.StatusSeeOther)
}

// formCents reads an amount in yuan (two decimals) as cents.
func formCents(v string) (int64, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	yuan, err := strconv.ParseFloat(v, 64)
	if err != nil || yuan < 0 || yuan > 1e9 || math.IsNaN(yuan) {
		return 0, shequn.Invalid("cost", "cost: 0 to 1,000,000,000 (in cents)")
	}
	return int64(math.Round(yuan * 100)), nil
}

// formTime reads a datetime-local input in loc.
func formTime(v, field string, loc *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02T15:04", strings.TrimSpace(v), loc)
	if err != nil {
		return t, shequn.Invalid(field, "%s %q: want a day and a time", field, shequn.Clip(v, 30))
	}
	return t, nil
}

// formStages reads the stage rows s{i}_threshold, _points, _label,
// _stock; a row without a threshold is left out.
func formStages(f map[string][]string) ([]shequn.Stage, error) {
	get := func(k string) string {
		if v := f[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	var out []shequn.Stage
	for i := range shequn.MaxStages {
		k := func(s string) string { return "s" + strconv.Itoa(i) + "_" + s }
		if get(k("threshold")) == "" {
			continue
		}
		var s shequn.Stage
		var errs [3]error
		s.Threshold, errs[0] = strconv.Atoi(get(k("threshold")))
		s.Points, errs[1] = strconv.ParseInt(orZero(get(k("points"))), 10, 64)
		s.Stock, errs[2] = strconv.Atoi(orZero(get(k("stock"))))
		for _, e := range errs {
			if e != nil {
				return nil, shequn.Invalid("stages", "stage %d: want whole numbers", i+1)
			}
		}
		s.Label = get(k("label"))
		out = append(out, s)
	}
	return out, nil
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

// progressPage is a member's progress in a campaign, on their phone: a
// signed link (sent by the 进度/progress command), no login, no scripts.
func (c *Console) progressPage(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	member, _ := strconv.ParseInt(r.PathValue("member"), 10, 64)
	p, err := c.app.OpenProgressPage(r.Context(), id, member, r.PathValue("sig"))
	if err != nil {
		c.publicError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	v := view{Lang: lang(r, ""), Title: p.Campaign.Name, Workspace: p.Workspace, Data: p, Public: true}
	c.render(w, r, "progress", http.StatusOK, v)
}

// reviewHelp confirms a help in review or voids it as fraud.
func (c *Console) reviewHelp(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	help, _ := strconv.ParseInt(r.PathValue("help"), 10, 64)
	if err := c.app.ReviewHelp(r.Context(), ws(r), op(r), id, help, r.PostForm.Get("decision") == "confirm"); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/campaigns/"+strconv.FormatInt(id, 10)+"#review", http.StatusSeeOther)
}
