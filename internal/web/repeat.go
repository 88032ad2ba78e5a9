package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/schedule"
)

// everyCron is the "advanced" choice of a schedule input: a cron
// expression typed as such.
const everyCron = "cron"

// whenInput is a schedule as the editor shows it: a preset (every day,
// weekdays, week, month, once) at a time, or advanced cron; the input
// names are Prefix+field+Suffix ("step_at_2", "trigger_at"). Values are
// kept as typed so that a refused post shows them again.
type whenInput struct {
	Prefix, Suffix string
	Every, At      string
	Weekdays       []int
	Day, Date      string
	Cron           string
	Runs           []time.Time // the next runs, when the schedule is valid
	Zone           string      // the zone Runs are shown in
	Err            string
}

// Name is the input name of field.
func (w whenInput) Name(field string) string { return w.Prefix + field + w.Suffix }

// HasDay says whether weekday d (0 Sunday) is ticked.
func (w whenInput) HasDay(d int) bool { return slices.Contains(w.Weekdays, d) }

// whenOf is the editor's view of a stored schedule: its repeat, or the
// repeat its cron says, or advanced cron.
func whenOf(prefix, suffix string, r *shequn.Repeat, cron string) whenInput {
	w := whenInput{Prefix: prefix, Suffix: suffix, Every: shequn.EveryDay, At: "09:00"}
	if r == nil && cron != "" {
		if rp, ok := schedule.RepeatOf(cron); ok {
			r = &rp
		} else {
			w.Every, w.Cron = everyCron, cron
			return w
		}
	}
	if r != nil {
		w.Every, w.At, w.Weekdays, w.Date = r.Every, r.At, r.Weekdays, r.Date
		if r.Day > 0 {
			w.Day = strconv.Itoa(r.Day)
		}
	}
	return w
}

// whenFromForm reads a schedule input as typed.
func whenFromForm(f url.Values, prefix, suffix string) whenInput {
	w := whenInput{Prefix: prefix, Suffix: suffix}
	get := func(field string) string { return strings.TrimSpace(f.Get(w.Name(field))) }
	w.Every, w.At, w.Day, w.Date, w.Cron = get("every"), get("at"), get("day"), get("date"), get("cron")
	for _, d := range f[w.Name("weekdays")] {
		if n, err := strconv.Atoi(d); err == nil {
			w.Weekdays = append(w.Weekdays, n)
		}
	}
	return w
}

// blank says the schedule input holds nothing typed (a preset's default
// time alone is not a schedule an operator asked for).
func (w whenInput) blank() bool {
	if w.Every == everyCron {
		return w.Cron == ""
	}
	return w.At == "" && w.Date == "" && w.Day == ""
}

// schedule is the repeat (or cron) the input says, for the app to check.
func (w whenInput) schedule() (*shequn.Repeat, string) {
	if w.Every == everyCron {
		return nil, w.Cron
	}
	day := 0
	if w.Day != "" {
		var err error
		if day, err = strconv.Atoi(w.Day); err != nil {
			day = -1 // refused by the app beside the input
		}
	}
	return &shequn.Repeat{Every: w.Every, At: w.At, Weekdays: w.Weekdays, Day: day, Date: w.Date}, ""
}

// withRuns fills the next n runs after now in loc, or the reason there
// are none, in language l.
func (w whenInput) withRuns(l string, now time.Time, loc *time.Location, n int) whenInput {
	w.Zone = loc.String()
	r, expr := w.schedule()
	if r != nil {
		var err error
		if expr, err = schedule.RepeatCron(*r); err != nil {
			w.Err = translate(l, "when_incomplete")
			return w
		}
	}
	runs, err := schedule.Next(expr, loc, now, n)
	switch {
	case err != nil:
		w.Err = translate(l, "when_invalid")
	case len(runs) == 0:
		w.Err = translate(l, "when_never")
	}
	w.Runs = runs
	return w
}

// weekdayNumbers are the days in the order a week picker shows them:
// Monday first (as in China), Sunday last.
var weekdayNumbers = []int{1, 2, 3, 4, 5, 6, 0}

// previewWhen answers the editor's htmx request for the next runs of one
// schedule input (?prefix=step_&suffix=_2).
func (c *Console) previewWhen(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "engage", "automations", nil)
	q := r.URL.Query()
	prefix, suffix := q.Get("prefix"), q.Get("suffix")
	if (prefix != "step_" && prefix != "trigger_") || len(suffix) > 4 {
		c.fail(w, r, shequn.Errorf(shequn.ENOTFOUND, "no such schedule input"))
		return
	}
	loc, err := c.zoneOfChoice(r, r.PostForm["sel_group"])
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v.Data = whenFromForm(r.PostForm, prefix, suffix).withRuns(v.Lang, c.app.Clock.Now(), loc, 5)
	c.renderBlock(w, r, "automations", "whenruns", v)
}

// zoneOfChoice is the time zone runs are previewed in: the first chosen
// group's, or the workspace's.
func (c *Console) zoneOfChoice(r *http.Request, groups []string) (*time.Location, error) {
	wsp := ws(r)
	for _, g := range groups {
		id, err := strconv.ParseInt(g, 10, 64)
		if err != nil {
			continue
		}
		cm, err := c.app.FindCommunity(r.Context(), wsp, id)
		if shequn.ErrorCode(err) == shequn.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		return cm.Location(wsp.Location()), nil
	}
	return wsp.Location(), nil
}

// whenText says a schedule in words: "Every day at 08:00", "每周 周一、周五 19:00".
func whenText(l string, r *shequn.Repeat, cron string) string {
	w := whenOf("", "", r, cron)
	sep := ", "
	if l == "zh" {
		sep = "、"
	}
	var days []string
	for _, d := range weekdayNumbers {
		if w.HasDay(d) {
			days = append(days, translate(l, "wd_"+strconv.Itoa(d)))
		}
	}
	return strings.NewReplacer("{at}", w.At, "{days}", strings.Join(days, sep), "{day}", w.Day, "{date}", w.Date, "{cron}", w.Cron).
		Replace(translate(l, "when_"+w.Every))
}
