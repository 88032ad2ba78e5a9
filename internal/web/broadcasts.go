package web

import (
	"net/http"
	"strconv"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
)

type broadcastsData struct {
	Broadcasts []*shequn.Broadcast
	Choices    app.GroupChoices
	Sel        shequn.Selector
	Preview    app.BroadcastPreview
}

func (c *Console) broadcasts(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "engage", "broadcasts", nil)
	var d broadcastsData
	var err error
	if d.Broadcasts, err = c.app.FindBroadcasts(r.Context(), ws(r), 100); err != nil {
		c.fail(w, r, err)
		return
	}
	if d.Choices, err = c.app.Choices(r.Context(), ws(r)); err != nil {
		c.fail(w, r, err)
		return
	}
	if fs := formOf(r); fs != nil {
		d.Sel = selectorFromForm(fs.Values)
	}
	v.Data = d
	c.render(w, r, "broadcasts", http.StatusOK, v)
}

func (c *Console) previewBroadcast(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "engage", "broadcasts", nil)
	stagger, _ := strconv.Atoi(r.PostForm.Get("stagger"))
	p, err := c.app.PreviewBroadcast(r.Context(), ws(r), r.PostForm.Get("text"), selectorFromForm(r.PostForm), stagger)
	if err != nil {
		v.Error = errorText(v.Lang, err)
	}
	v.Data = broadcastsData{Preview: p}
	c.renderBlock(w, r, "broadcasts", "preview", v)
}

func (c *Console) createBroadcast(w http.ResponseWriter, r *http.Request) {
	stagger, _ := strconv.Atoi(r.PostForm.Get("stagger"))
	if _, err := c.app.CreateBroadcast(r.Context(), ws(r), op(r), r.PostForm.Get("text"), selectorFromForm(r.PostForm), stagger); err != nil {
		c.reshow(w, r, err, c.broadcasts, inputOf)
		return
	}
	http.Redirect(w, r, "/broadcasts", http.StatusSeeOther)
}

// inputOf maps the app's field paths to the console's inputs, the
// selector's among them ("selector.community_ids" → sel_group).
func inputOf(path string) string {
	switch path {
	case "selector", "selector.community_ids", "community_ids":
		return selGroup
	case "selector.kinds":
		return selKind
	case "selector.tags":
		return selTag
	case "selector.platforms":
		return selPlatform
	case "conditions.tiers":
		return "tier"
	case "stagger_seconds":
		return "stagger"
	}
	return inputOfPath(path)
}

func (c *Console) decideBroadcast(w http.ResponseWriter, r *http.Request) {
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
