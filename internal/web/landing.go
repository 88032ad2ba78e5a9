package web

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
)

// Landing pages in the console: a list with a form that makes a page from
// a starter (every block filled in, to be rewritten), an editor whose
// buttons add, move and remove blocks, and a preview at phone size.

func (c *Console) landingPages(w http.ResponseWriter, r *http.Request) {
	v := c.view(r, "growth", "landing_pages", nil)
	pages, err := c.app.LandingPages(r.Context(), ws(r))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v.Data = map[string]any{"Pages": pages, "Base": "/p/" + ws(r).Slug + "/"}
	c.render(w, r, "pages", http.StatusOK, v)
}

func (c *Console) createLandingPage(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	p := &shequn.LandingPage{Slug: strings.TrimSpace(f.Get("slug")), Title: strings.TrimSpace(f.Get("title")), Lang: f.Get("lang")}
	codes, err := c.app.LiveCodes(r.Context(), ws(r))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	p.Blocks = StarterBlocks(p.Lang, p.Title, codes)
	if err := c.app.SaveLandingPage(r.Context(), ws(r), op(r), p); err != nil {
		c.reshow(w, r, err, c.landingPages, nil)
		return
	}
	http.Redirect(w, r, "/pages/"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
}

// StarterBlocks is a new page's content in lang: top (theme, lure, call
// to action), proof, questions, the call again, the QR of the first live
// code, a lead form.
func StarterBlocks(lang, title string, codes []*shequn.LiveCode) []shequn.Block {
	tr := func(k string) string { return translate(lang, k) }
	bs := []shequn.Block{
		{Kind: shequn.BlockHero, Title: title, Text: tr("starter_hero_text"), Button: tr("starter_hero_button"), Link: "#form"},
		{Kind: shequn.BlockProof, Title: tr("starter_proof_title"), Items: []shequn.BlockItem{
			{Title: "2,000+", Text: tr("starter_proof_members")}, {Title: tr("starter_proof_who"), Text: tr("starter_proof_quote")}}},
		{Kind: shequn.BlockFAQ, Title: tr("starter_faq_title"), Items: []shequn.BlockItem{{Title: tr("starter_faq_q"), Text: tr("starter_faq_a")}}},
		{Kind: shequn.BlockCTA, Title: tr("starter_cta_title"), Button: tr("starter_hero_button"), Link: "#form"},
	}
	if len(codes) > 0 {
		bs = append(bs, shequn.Block{Kind: shequn.BlockLiveCode, Title: tr("starter_join_title"), LiveCode: codes[0].Slug})
		bs[3].Button, bs[3].Link = tr("starter_join_title"), "#join"
	}
	return append(bs, shequn.Block{Kind: shequn.BlockForm, Title: tr("starter_form_title"), Fields: []string{"name", "phone", "city"},
		Consent: tr("starter_consent")})
}

// editorBlock is a block in the editor, its items as lines "title | text".
type editorBlock struct {
	I int
	shequn.Block
	ItemsText string
}

func (c *Console) landingPage(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	p, err := c.app.LandingPage(r.Context(), ws(r), id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	codes, err := c.app.LiveCodes(r.Context(), ws(r))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	var bs []editorBlock
	for i, b := range p.Blocks {
		lines := make([]string, len(b.Items))
		for j, it := range b.Items {
			lines[j] = it.Title + " | " + it.Text
		}
		bs = append(bs, editorBlock{I: i, Block: b, ItemsText: strings.Join(lines, "\n")})
	}
	v := c.view(r, "growth", "landing_pages", nil)
	v.Title = p.Title
	v.Data = map[string]any{"Page": p, "Blocks": bs, "Codes": codes, "Kinds": shequn.BlockKinds, "Fields": shequn.LeadFields,
		"Link": "/p/" + ws(r).Slug + "/" + p.Slug, "MaxKB": shequn.MaxPageImage >> 10}
	c.render(w, r, "page", http.StatusOK, v)
}

// saveLandingPage reads the editor's form, applies its button (op: save,
// add:kind, up:i, down:i, del:i) and saves.
func (c *Console) saveLandingPage(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	f := r.PostForm
	p := &shequn.LandingPage{ID: id, Slug: strings.TrimSpace(f.Get("slug")), Title: strings.TrimSpace(f.Get("title")), Lang: f.Get("lang"),
		State: strings.TrimSpace(f.Get("state")), Published: f.Get("published") == "1", Blocks: formBlocks(f)}
	action := f.Get("op")
	if err := c.applyBlockOp(r, p, action); err != nil {
		c.reshow(w, r, err, c.landingPage, nil)
		return
	}
	if err := c.app.SaveLandingPage(r.Context(), ws(r), op(r), p); err != nil {
		c.reshow(w, r, err, c.landingPage, nil)
		return
	}
	anchor := ""
	if action != "save" && action != "" {
		anchor = "#blocks"
	}
	http.Redirect(w, r, "/pages/"+strconv.FormatInt(id, 10)+anchor, http.StatusSeeOther)
}

// formBlocks reads blocks b0_… to b{n-1}_… of the editor's form.
func formBlocks(f map[string][]string) []shequn.Block {
	get := func(k string) string {
		if v := f[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	n, _ := strconv.Atoi(get("blocks"))
	var bs []shequn.Block
	for i := range min(n, shequn.MaxBlocks+1) {
		k := func(s string) string { return fmt.Sprintf("b%d_%s", i, s) }
		b := shequn.Block{Kind: get(k("kind")), Title: get(k("title")), Text: get(k("text")), Button: get(k("button")), Link: get(k("link")),
			LiveCode: get(k("live_code")), Fields: f[k("fields")], Consent: get(k("consent"))}
		for _, v := range f[k("images")] {
			if id, err := strconv.ParseInt(v, 10, 64); err == nil {
				b.Images = append(b.Images, id)
			}
		}
		for _, line := range strings.Split(get(k("items")), "\n") {
			title, text, ok := strings.Cut(line, "|")
			if !ok {
				title, text = "", title
			}
			if it := (shequn.BlockItem{Title: strings.TrimSpace(title), Text: strings.TrimSpace(text)}); it != (shequn.BlockItem{}) {
				b.Items = append(b.Items, it)
			}
		}
		bs = append(bs, b)
	}
	return bs
}

// applyBlockOp adds, moves or removes a block as the editor's button says.
func (c *Console) applyBlockOp(r *http.Request, p *shequn.LandingPage, op string) error {
	what, arg, _ := strings.Cut(op, ":")
	i, _ := strconv.Atoi(arg)
	in := i >= 0 && i < len(p.Blocks)
	switch {
	case what == "add":
		return c.addBlock(r, p, arg)
	case what == "up" && in && i > 0:
		p.Blocks[i-1], p.Blocks[i] = p.Blocks[i], p.Blocks[i-1]
	case what == "down" && in && i < len(p.Blocks)-1:
		p.Blocks[i+1], p.Blocks[i] = p.Blocks[i], p.Blocks[i+1]
	case what == "del" && in:
		p.Blocks = slices.Delete(p.Blocks, i, i+1)
	case what == "rmimg":
		// rmimg:block:picture
		b, img, _ := strings.Cut(arg, ":")
		i, _ = strconv.Atoi(b)
		id, _ := strconv.ParseInt(img, 10, 64)
		if i >= 0 && i < len(p.Blocks) {
			p.Blocks[i].Images = slices.DeleteFunc(p.Blocks[i].Images, func(x int64) bool { return x == id })
		}
	}
	return nil
}

// addBlock appends a block of kind, filled in so that it can be saved.
func (c *Console) addBlock(r *http.Request, p *shequn.LandingPage, kind string) error {
	b := shequn.Block{Kind: kind}
	switch kind {
	case shequn.BlockLiveCode:
		codes, err := c.app.LiveCodes(r.Context(), ws(r))
		if err != nil {
			return err
		}
		if len(codes) == 0 {
			return shequn.Invalid("blocks", "make a live code first: a live-code block shows one")
		}
		b.LiveCode = codes[0].Slug
	case shequn.BlockForm:
		b.Fields, b.Consent = []string{"name", "phone"}, translate(p.Lang, "starter_consent")
	}
	p.Blocks = append(p.Blocks, b)
	return nil
}

func (c *Console) deleteLandingPage(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := c.app.DeleteLandingPage(r.Context(), ws(r), op(r), id); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/pages", http.StatusSeeOther)
}

// previewLandingPage shows a page, published or not, to an operator (the
// editor frames it at phone size).
func (c *Console) previewLandingPage(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	p, err := c.app.LandingPage(r.Context(), ws(r), id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	pv, err := c.app.OpenLandingPage(r.Context(), ws(r).Slug, p.Slug, true)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	w.Header().Set("X-Frame-Options", "SAMEORIGIN")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'self'")
	c.showLanding(w, r, pv, "", http.StatusOK, true)
}

// uploadPageImage takes a picture for a block (a multipart post).
func (c *Console) uploadPageImage(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		c.fail(w, r, shequn.Errorf(shequn.EFORBIDDEN, "cross-site request refused"))
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	block, image, err := readPageImage(w, r)
	if err == nil {
		err = c.app.AddPageImage(r.Context(), ws(r), op(r), id, block, image)
	}
	if err != nil {
		if r.PostForm == nil {
			r.PostForm = map[string][]string{}
		}
		c.reshow(w, r, err, c.landingPage, nil)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/pages/%d#block-%d", id, block), http.StatusSeeOther)
}

// readPageImage reads a block's index and its picture from a multipart
// form of at most shequn.MaxPageImage bytes and a little more.
func readPageImage(w http.ResponseWriter, r *http.Request) (int, []byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, shequn.MaxPageImage+64<<10)
	if err := r.ParseMultipartForm(shequn.MaxPageImage + 64<<10); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return 0, nil, shequn.Errorf(shequn.ETOOLARGE, "the picture is larger than %d KB", shequn.MaxPageImage>>10)
		}
		return 0, nil, shequn.Invalid("image", "choose a picture to upload")
	}
	defer r.MultipartForm.RemoveAll()
	block, _ := strconv.Atoi(r.FormValue("block"))
	f, _, err := r.FormFile("image")
	if err != nil {
		return block, nil, shequn.Invalid("image", "choose a picture to upload")
	}
	defer f.Close()
	image, err := io.ReadAll(io.LimitReader(f, shequn.MaxPageImage+1))
	if err != nil {
		return block, nil, shequn.Invalid("image", "choose a picture to upload")
	}
	return block, image, nil
}

// pageImage serves a page's picture to an operator (editor, preview).
func (c *Console) pageImage(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	img, _ := strconv.ParseInt(r.PathValue("img"), 10, 64)
	typ, data, err := c.app.PageImage(r.Context(), ws(r), id, img)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	servePicture(w, typ, data, "private, max-age=300")
}

// landingImage serves a published page's picture to visitors.
func (c *Console) landingImage(w http.ResponseWriter, r *http.Request) {
	img, err := strconv.ParseInt(r.PathValue("img"), 10, 64)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	typ, data, err := c.app.PublicPageImage(r.Context(), r.PathValue("ws"), r.PathValue("slug"), img)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	servePicture(w, typ, data, "public, max-age=3600")
}

// showLanding renders a landing page for a visitor (or a preview).
func (c *Console) showLanding(w http.ResponseWriter, r *http.Request, pv app.PageView, done string, status int, preview bool) {
	base := "/p/" + pv.Workspace.Slug + "/" + pv.Page.Slug
	images := map[string]string{}
	for slug, jp := range pv.Codes {
		if jp.Target != nil {
			images[slug] = fmt.Sprintf("/j/%s/%s/qr/%d", pv.Workspace.Slug, slug, jp.Target.ID)
		}
	}
	pictures := base + "/img/"
	if preview {
		pictures = fmt.Sprintf("/pages/%d/images/", pv.Page.ID)
	}
	data := map[string]any{"Page": pv.Page, "Codes": pv.Codes, "Images": images, "Action": base + "/lead", "Done": done, "Pictures": pictures,
		"Source": r.URL.Query().Get("s"), "Preview": preview, "JoinBase": "/j/" + pv.Workspace.Slug + "/"}
	w.Header().Set("Cache-Control", "no-store")
	c.render(w, r, "landing", status, view{Lang: pv.Page.Lang, Title: pv.Page.Title, Workspace: pv.Workspace, Data: data, Public: true})
}

// landingVisit is a landing page for visitors: a visitor's first view of
// the day (a cookie holding the day, nothing about them) counts, robots do
// not.
func (c *Console) landingVisit(w http.ResponseWriter, r *http.Request) {
	pv, err := c.app.OpenLandingPage(r.Context(), r.PathValue("ws"), r.PathValue("slug"), false)
	if err != nil {
		c.publicError(w, r, err)
		return
	}
	if c.firstVisit(w, r, "p_", pv.Workspace.Slug+"/"+pv.Page.Slug, "/p/") {
		shown := false
		for _, jp := range pv.Codes {
			shown = shown || jp.Target != nil
		}
		source := app.Source(r.URL.Query().Get("s"), pv.Page.ChannelState())
		if err := c.app.CountVisit(r.Context(), pv.Workspace, app.CountPage, pv.Page.ID, source, shown); err != nil {
			c.log.Error("count landing visit", "err", err)
		}
	}
	c.showLanding(w, r, pv, r.URL.Query().Get("done"), http.StatusOK, false)
}

// firstVisit reports whether this is the visitor's first view today of
// what key names (and marks it with a cookie on path); robots never count.
func (c *Console) firstVisit(w http.ResponseWriter, r *http.Request, prefix, key, path string) bool {
	if robots.MatchString(r.UserAgent()) {
		return false
	}
	h := fnv.New64a()
	h.Write([]byte(key))
	name := prefix + strconv.FormatUint(h.Sum64(), 36)
	today := c.app.Clock.Now().UTC().Format("20060102")
	if ck, err := r.Cookie(name); err == nil && ck.Value == today {
		return false
	}
	http.SetCookie(w, &http.Cookie{Name: name, Value: today, Path: path, MaxAge: 86400, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	return true
}

// publicError answers a visitor: not found, or a plain internal error.
func (c *Console) publicError(w http.ResponseWriter, r *http.Request, err error) {
	if shequn.ErrorCode(err) == shequn.ENOTFOUND {
		http.Error(w, translate(lang(r, ""), "not_found"), http.StatusNotFound)
		return
	}
	c.log.Error("public page", "path", r.URL.Path, "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}

// submitLead takes a landing page's form: the page again with a thank-you
// (303 to it), or with the error beside its field.
func (c *Console) submitLead(w http.ResponseWriter, r *http.Request) {
	wsSlug, slug := r.PathValue("ws"), r.PathValue("slug")
	f := r.PostForm
	in := app.LeadInput{Name: f.Get("name"), Phone: f.Get("phone"), City: f.Get("city"), Note: f.Get("note"), Consent: f.Get("consent") == "1",
		Honeypot: f.Get("website"), Source: f.Get("s"), IP: c.trust.ClientIP(r).String()}
	res, err := c.app.SubmitLead(r.Context(), wsSlug, slug, in)
	if err == nil {
		done := "1"
		if res.Repeat {
			done = "repeat"
		}
		q := "?done=" + done
		if in.Source != "" {
			q += "&s=" + url.QueryEscape(in.Source)
		}
		http.Redirect(w, r, "/p/"+wsSlug+"/"+slug+q+"#form", http.StatusSeeOther)
		return
	}
	pv, perr := c.app.OpenLandingPage(r.Context(), wsSlug, slug, false)
	if perr != nil {
		c.publicError(w, r, perr)
		return
	}
	status := http.StatusBadRequest
	switch shequn.ErrorCode(err) {
	case shequn.ETOOMANY:
		status = http.StatusTooManyRequests
	case shequn.EINVALID:
	default:
		c.publicError(w, r, err)
		return
	}
	fs := newFormState(r.PostForm, pv.Page.Lang, err, nil)
	c.showLanding(w, r.WithContext(context.WithValue(r.Context(), formKey{}, fs)), pv, "", status, false)
}
