package web

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/httpapi"
)

// liveRow is a live code in the console's list: what its page shows now.
type liveRow struct {
	*shequn.LiveCode
	Shown *shequn.LiveTarget
	Free  int
	Link  string
}

func (c *Console) liveRow(r *http.Request, code *shequn.LiveCode) liveRow {
	now := c.app.Clock.Now()
	row := liveRow{LiveCode: code, Free: code.FreeSeats(now), Link: "/j/" + ws(r).Slug + "/" + code.Slug}
	if t, ok := code.Pick(now); ok {
		row.Shown = &t
	}
	return row
}

func (c *Console) liveCodes(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "growth", "live_codes", nil)
	codes, err := c.app.LiveCodes(r.Context(), ws(r))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	var rows []liveRow
	for _, code := range codes {
		rows = append(rows, c.liveRow(r, code))
	}
	v.Data = map[string]any{"Rows": rows, "Edit": &shequn.LiveCode{}, "Connectors": c.weComConnectors(r)}
	c.render(w, r, "livecodes", http.StatusOK, v)
}

func (c *Console) liveCode(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	code, err := c.app.LiveCode(r.Context(), ws(r), id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	groups, err := c.app.ListCommunities(r.Context(), ws(r))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	names := map[int64]string{}
	var telegram []*shequn.Community
	for _, g := range groups {
		names[g.ID] = g.Name
		if g.Platform == "telegram" {
			telegram = append(telegram, g)
		}
	}
	v := c.view(r, "growth", "live_codes", nil)
	v.Title = code.Name
	now := c.app.Clock.Now()
	v.Data = map[string]any{"Row": c.liveRow(r, code), "Edit": code, "Groups": groups, "Names": names, "Now": now,
		"Soon": now.Add(24 * time.Hour), "MaxKB": shequn.MaxQRImage >> 10, "DefaultCap": shequn.DefaultTargetCap, "DefaultDays": shequn.DefaultQRDays,
		"Connectors": c.weComConnectors(r), "TelegramGroups": telegram}
	c.render(w, r, "livecode", http.StatusOK, v)
}

func (c *Console) saveLiveCode(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	seats, _ := strconv.Atoi(f.Get("alert_seats"))
	code := &shequn.LiveCode{Slug: f.Get("slug"), Name: f.Get("name"), Fallback: f.Get("fallback"), AlertSeats: seats,
		Mode: f.Get("mode"), State: strings.TrimSpace(f.Get("state"))}
	if code.Mode == shequn.LiveWeCom {
		code.ConnectorID, _ = strconv.ParseInt(f.Get("connector_id"), 10, 64)
		scene, _ := strconv.Atoi(f.Get("scene"))
		base, _ := strconv.Atoi(f.Get("room_base_id"))
		code.JoinWay = &shequn.JoinWay{Scene: scene, Remark: f.Get("remark"), RoomBaseName: strings.TrimSpace(f.Get("room_base_name")),
			RoomBaseID: base, AutoCreateRoom: f.Get("auto_create_room") == "1"}
	}
	code.ID, _ = strconv.ParseInt(r.PathValue("id"), 10, 64)
	back := c.liveCodes
	if code.ID != 0 {
		back = c.liveCode
	}
	if err := c.app.SaveLiveCode(r.Context(), ws(r), op(r), code); err != nil {
		c.reshow(w, r, err, back, inputOfPath)
		return
	}
	http.Redirect(w, r, "/livecodes/"+strconv.FormatInt(code.ID, 10), http.StatusSeeOther)
}

// weComConnectors are the workspace's WeCom connectors (a WeCom live
// code's choice).
func (c *Console) weComConnectors(r *http.Request) []*shequn.Connector {
	cs, err := c.app.Connectors(r.Context(), ws(r))
	if err != nil {
		c.log.Error("connectors", "err", err)
	}
	return slices.DeleteFunc(cs, func(c *shequn.Connector) bool { return c.Platform != "wecom" })
}

func (c *Console) deleteLiveCode(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := c.app.DeleteLiveCode(r.Context(), ws(r), op(r), id); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/livecodes", http.StatusSeeOther)
}

// addLiveTarget takes an uploaded QR picture (a multipart post).
func (c *Console) addLiveTarget(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		c.fail(w, r, shequn.Errorf(shequn.EFORBIDDEN, "cross-site request refused"))
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	t, image, err := httpapi.ReadLiveTarget(w, r, ws(r).Location())
	if err == nil {
		t.LiveCodeID = id
		if r.FormValue("invite") == "1" {
			err = c.app.AddInviteTarget(r.Context(), ws(r), op(r), &t)
		} else {
			err = c.app.AddLiveTarget(r.Context(), ws(r), op(r), &t, image)
		}
	}
	if err != nil {
		if r.PostForm == nil {
			r.PostForm = map[string][]string{}
		}
		c.reshow(w, r, err, c.liveCode, inputOfPath)
		return
	}
	http.Redirect(w, r, "/livecodes/"+strconv.FormatInt(id, 10)+"#targets", http.StatusSeeOther)
}

func (c *Console) deleteLiveTarget(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	target, _ := strconv.ParseInt(r.PathValue("target"), 10, 64)
	if err := c.app.DeleteLiveTarget(r.Context(), ws(r), op(r), id, target); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/livecodes/"+strconv.FormatInt(id, 10)+"#targets", http.StatusSeeOther)
}

// liveTargetImage serves a target's QR picture to an operator.
func (c *Console) liveTargetImage(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	target, _ := strconv.ParseInt(r.PathValue("target"), 10, 64)
	typ, img, err := c.app.LiveTargetImage(r.Context(), ws(r), id, target)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	servePicture(w, typ, img, "private, max-age=300")
}

func servePicture(w http.ResponseWriter, typ string, img []byte, cache string) {
	w.Header().Set("Content-Type", typ)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", cache)
	w.Write(img)
}

// robots are the user agents of crawlers and link previews: their visits
// are not counted as scans.
var robots = regexp.MustCompile(`(?i)bot|spider|crawl|slurp|preview|facebookexternalhit|curl|wget|python-requests`)

// joinPage is a live code's public page: the QR of the first group with
// room, else the fallback. A visitor's first view of the day counts as a
// view, and as a scan when a QR is shown (a cookie marks it; no personal
// data is kept); a ?s= channel code names its source.
func (c *Console) joinPage(w http.ResponseWriter, r *http.Request) {
	wsSlug, slug := r.PathValue("ws"), r.PathValue("slug")
	count := c.firstVisit(w, r, "j_", wsSlug+"/"+slug, "/j/")
	p, err := c.app.OpenLiveCode(r.Context(), wsSlug, slug, count)
	if err != nil {
		c.publicError(w, r, err)
		return
	}
	if count {
		source := app.Source(r.URL.Query().Get("s"), p.Code.ChannelState())
		if err := c.app.CountVisit(r.Context(), p.Workspace, app.CountCode, p.Code.ID, source, p.Target != nil); err != nil {
			c.log.Error("count live code visit", "err", err)
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	data := map[string]any{"Code": p.Code, "Target": p.Target, "Image": ""}
	if p.Target != nil {
		data["Image"] = "/j/" + wsSlug + "/" + slug + "/qr/" + strconv.FormatInt(p.Target.ID, 10)
	}
	c.render(w, r, "join", http.StatusOK, view{Lang: lang(r, ""), Title: p.Code.Name, Workspace: p.Workspace, Data: data, Public: true})
}

// joinImage serves a live code target's QR picture to visitors.
func (c *Console) joinImage(w http.ResponseWriter, r *http.Request) {
	target, err := strconv.ParseInt(r.PathValue("target"), 10, 64)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	typ, img, err := c.app.LiveCodeImage(r.Context(), r.PathValue("ws"), r.PathValue("slug"), target)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	servePicture(w, typ, img, "public, max-age=3600")
}
