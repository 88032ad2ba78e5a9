package web

import (
	"net/http"
	"strconv"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
)

func selectorFromForm(r *http.Request) (shequn.Selector, error) {
	f := r.PostForm
	s := shequn.Selector{Kinds: csv(f.Get("kinds")), Tags: csv(f.Get("tags")), Platforms: csv(f.Get("platforms"))}
	var err error
	s.CommunityIDs, err = ids(f.Get("community_ids"))
	return s, err
}

func (c *Console) broadcasts(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "engage", "broadcasts", nil)
	bs, err := c.app.FindBroadcasts(r.Context(), ws(r), 100)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v.Data = map[string]any{"Broadcasts": bs}
	c.render(w, r, "broadcasts", http.StatusOK, v)
}

func (c *Console) previewBroadcast(w http.ResponseWriter, r *http.Request) {
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
