package app

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/shequn/shequn"
)

// LandingPages lists ws's landing pages.
func (a *App) LandingPages(ctx context.Context, ws *shequn.Workspace) ([]*shequn.LandingPage, error) {
	return a.db.FindLandingPages(ctx, ws.ID)
}

// LandingPage returns one of ws's landing pages.
func (a *App) LandingPage(ctx context.Context, ws *shequn.Workspace, id int64) (*shequn.LandingPage, error) {
	p, err := a.db.FindLandingPage(ctx, ws.ID, id)
	return p, pageNotFound(err, id)
}

func pageNotFound(err error, id int64) error {
	if shequn.ErrorCode(err) == shequn.ENOTFOUND {
		return shequn.Errorf(shequn.ENOTFOUND, "landing page %d not found", id)
	}
	return err
}

func leadNotFound(err error, id int64) error {
	if shequn.ErrorCode(err) == shequn.ENOTFOUND {
		return shequn.Errorf(shequn.ENOTFOUND, "lead %d not found", id)
	}
	return err
}

// SaveLandingPage creates a page (ID 0) or replaces one's settings and
// blocks: its live-code blocks must name ws's live codes, and a button to
// #join or #form needs that block on the page.
func (a *App) SaveLandingPage(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, p *shequn.LandingPage) error {
	if err := canEdit(op); err != nil {
		return err
	}
	p.WorkspaceID, p.Lang = ws.ID, cmp.Or(p.Lang, "zh")
	for i := range p.Blocks {
		trimBlock(&p.Blocks[i])
	}
	if err := shequn.CheckLandingPage(p); err != nil {
		return err
	}
	if err := a.checkBlockRefs(ctx, ws, p); err != nil {
		return err
	}
	var err error
	if p.ID == 0 {
		err = a.db.CreateLandingPage(ctx, p)
	} else {
		err = pageNotFound(a.db.UpdateLandingPage(ctx, p), p.ID)
		if err == nil {
			err = a.pruneImages(ctx, p)
		}
	}
	if shequn.ErrorCode(err) == shequn.ECONFLICT {
		e := shequn.Errorf(shequn.ECONFLICT, "slug %q is taken by another landing page", p.Slug)
		e.Field = "slug"
		return e
	}
	return err
}

func trimBlock(b *shequn.Block) {
	b.Title, b.Text, b.Button, b.Link = strings.TrimSpace(b.Title), strings.TrimSpace(b.Text), strings.TrimSpace(b.Button), strings.TrimSpace(b.Link)
	b.LiveCode, b.Consent = strings.TrimSpace(b.LiveCode), strings.TrimSpace(b.Consent)
	b.Items = slices.DeleteFunc(b.Items, func(it shequn.BlockItem) bool { return it.Title == "" && it.Text == "" })
}

// checkBlockRefs checks what blocks point at: live codes and anchors.
func (a *App) checkBlockRefs(ctx context.Context, ws *shequn.Workspace, p *shequn.LandingPage) error {
	has := map[string]bool{}
	for i, b := range p.Blocks {
		switch b.Kind {
		case shequn.BlockLiveCode:
			if _, err := a.db.LiveCodeID(ctx, ws.ID, b.LiveCode); err != nil {
				return shequn.Invalid("blocks", "block %d: no live code %q", i+1, shequn.Clip(b.LiveCode, 40))
			}
			has["#join"] = true
		case shequn.BlockForm:
			has["#form"] = true
		}
	}
	for i, b := range p.Blocks {
		if strings.HasPrefix(b.Link, "#") && !has[b.Link] {
			return shequn.Invalid("blocks", "block %d: its button goes to %s, but the page has no such block", i+1, b.Link)
		}
	}
	return nil
}

// DeleteLandingPage removes a page and its leads.
func (a *App) DeleteLandingPage(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, id int64) error {
	if err := canEdit(op); err != nil {
		return err
	}
	return pageNotFound(a.db.DeleteLandingPage(ctx, ws.ID, id), id)
}

// PageView is what a landing page shows a visitor: the page and, per
// live-code block (by the code's slug), the QR it shows now.
type PageView struct {
	Workspace *shequn.Workspace
	Page      *shequn.LandingPage
	Codes     map[string]JoinPage
}

// OpenLandingPage reads workspace wsSlug's page slug for a visitor (only
// when published) or for an operator's preview.
func (a *App) OpenLandingPage(ctx context.Context, wsSlug, slug string, preview bool) (PageView, error) {
	var v PageView
	ws, err := a.db.FindWorkspaceBySlug(ctx, wsSlug)
	if err != nil {
		return v, err
	}
	p, err := a.db.FindLandingPageBySlug(ctx, ws.ID, slug)
	if err != nil {
		return v, err
	}
	if !p.Published && !preview {
		return v, shequn.Errorf(shequn.ENOTFOUND, "landing page %q not found", shequn.Clip(slug, 60))
	}
	v.Workspace, v.Page, v.Codes = ws, p, map[string]JoinPage{}
	for _, b := range p.Blocks {
		if b.Kind != shequn.BlockLiveCode {
			continue
		}
		jp, err := a.OpenLiveCode(ctx, wsSlug, b.LiveCode, false)
		if err != nil && shequn.ErrorCode(err) != shequn.ENOTFOUND {
			return v, err
		}
		v.Codes[b.LiveCode] = jp
	}
	return v, nil
}

// Growth counter kinds.
const (
	CountPage = "page"
	CountCode = "code"
)

// CountVisit counts a visitor's first view of the day of a page or live
// code from source, and whether a QR was shown to them.
func (a *App) CountVisit(ctx context.Context, ws *shequn.Workspace, kind string, ref int64, source string, shown bool) error {
	day := a.Clock.Now().In(ws.Location()).Format(time.DateOnly)
	return a.db.CountGrowth(ctx, ws.ID, kind, ref, day, source, 1, boolInt(shown))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Source is the channel a visit or lead came from: the link's ?s= when it
// is a valid channel code, else fallback.
func Source(param, fallback string) string {
	if param != "" && shequn.ValidState(param) {
		return param
	}
	return fallback
}

// LeadInput is a lead form's submission.
type LeadInput struct {
	Name, Phone, City, Note string
	Consent                 bool
	// Honeypot is a field people never see: bots fill it in.
	Honeypot string
	Source   string
	IP       string
}

// LeadResult says what became of a submission.
type LeadResult struct {
	Lead *shequn.Lead
	// Repeat: the phone was already left on this page (counted, not
	// stored again). Dropped: a bot filled in the honeypot (nothing kept).
	Repeat, Dropped bool
}

// Lead submission limits: per address, LeadBurst submissions in
// LeadWindow.
const (
	LeadBurst  = 5
	LeadWindow = 10 * time.Minute
)

// SubmitLead takes a visitor's lead from page slug of workspace wsSlug.
func (a *App) SubmitLead(ctx context.Context, wsSlug, slug string, in LeadInput) (LeadResult, error) {
	var res LeadResult
	v, err := a.OpenLandingPage(ctx, wsSlug, slug, false)
	if err != nil {
		return res, err
	}
	i := slices.IndexFunc(v.Page.Blocks, func(b shequn.Block) bool { return b.Kind == shequn.BlockForm })
	if i < 0 {
		return res, shequn.Errorf(shequn.ENOTFOUND, "landing page %q has no form", shequn.Clip(slug, 60))
	}
	if in.Honeypot != "" {
		res.Dropped = true
		return res, nil
	}
	if !a.leads.allow(in.IP, a.Clock.Now()) {
		return res, shequn.Errorf(shequn.ETOOMANY, "too many submissions from this address; try again in a few minutes")
	}
	form := v.Page.Blocks[i]
	l, err := readLead(form, in)
	if err != nil {
		return res, err
	}
	l.WorkspaceID, l.PageID = v.Workspace.ID, v.Page.ID
	l.Source = Source(in.Source, v.Page.ChannelState())
	l.ConsentText, l.ConsentVersion, l.ConsentAt = form.Consent, shequn.ConsentVersion(form.Consent), a.Clock.Now()
	res.Lead = l
	res.Repeat, err = a.db.AddLead(ctx, l)
	return res, err
}

// readLead checks a submission against the form's fields.
func readLead(form shequn.Block, in LeadInput) (*shequn.Lead, error) {
	asks := func(f string) bool { return slices.Contains(form.Fields, f) }
	l := &shequn.Lead{IP: in.IP}
	short := func(field, v string, limit int) (string, error) {
		v = strings.TrimSpace(v)
		if !utf8.ValidString(v) || utf8.RuneCountInString(v) > limit {
			return "", shequn.Invalid(field, "%s: at most %d characters", field, limit)
		}
		return v, nil
	}
	var err error
	if l.Name, err = short("name", in.Name, 50); err != nil {
		return nil, err
	}
	if l.City, err = short("city", in.City, 50); err != nil {
		return nil, err
	}
	if l.Note, err = short("note", in.Note, 500); err != nil {
		return nil, err
	}
	switch {
	case asks("name") && l.Name == "":
		return nil, shequn.Invalid("name", "please give your name")
	case asks("phone"):
		p, ok := shequn.NormalizePhone(in.Phone)
		if !ok {
			return nil, shequn.Invalid("phone", "phone: a mainland mobile number (11 digits, 1[3-9]…) or an international one starting with + and the country code")
		}
		l.Phone = p
	}
	if !in.Consent {
		return nil, shequn.Invalid("consent", "please tick the box to agree before submitting")
	}
	return l, nil
}

// leadLimiter keeps, per address, the times of its recent submissions.
type leadLimiter struct {
	mu   sync.Mutex
	seen map[string][]time.Time
}

func (l *leadLimiter) allow(ip string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seen == nil || len(l.seen) > 100_000 {
		l.seen = map[string][]time.Time{}
	}
	ts := slices.DeleteFunc(l.seen[ip], func(t time.Time) bool { return now.Sub(t) >= LeadWindow })
	if len(ts) >= LeadBurst {
		l.seen[ip] = ts
		return false
	}
	l.seen[ip] = append(ts, now)
	return true
}

// Leads lists leads of one page (0: all) and status ("": any), newest first.
func (a *App) Leads(ctx context.Context, ws *shequn.Workspace, page int64, status string, limit, offset int) ([]*shequn.Lead, error) {
	if status != "" && !slices.Contains(shequn.LeadStatuses, status) {
		return nil, shequn.Invalid("status", "status %q: want one of %s", shequn.Clip(status, 20), strings.Join(shequn.LeadStatuses, ", "))
	}
	return a.db.FindLeads(ctx, ws.ID, page, status, cmp.Or(limit, 100), offset)
}

// Lead returns one lead.
func (a *App) Lead(ctx context.Context, ws *shequn.Workspace, id int64) (*shequn.Lead, error) {
	l, err := a.db.FindLead(ctx, ws.ID, id)
	return l, leadNotFound(err, id)
}

// SetLeadStatus moves a lead along: new, contacted, joined, converted or
// dropped.
func (a *App) SetLeadStatus(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, id int64, status string) error {
	if err := canEdit(op); err != nil {
		return err
	}
	if !slices.Contains(shequn.LeadStatuses, status) {
		return shequn.Invalid("status", "status %q: want one of %s", shequn.Clip(status, 20), strings.Join(shequn.LeadStatuses, ", "))
	}
	return leadNotFound(a.db.SetLeadStatus(ctx, ws.ID, id, status), id)
}

// DeleteLead erases a lead (a person's request under PIPL).
func (a *App) DeleteLead(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, id int64) error {
	if err := canEdit(op); err != nil {
		return err
	}
	if err := a.db.DeleteLead(ctx, ws.ID, id); err != nil {
		return leadNotFound(err, id)
	}
	a.Log.Info("lead erased", "workspace", ws.Slug, "lead", id, "operator", opID(op))
	return nil
}

// PageTitles names ws's landing pages by id (lead lists).
func (a *App) PageTitles(ctx context.Context, ws *shequn.Workspace) (map[int64]string, error) {
	pages, err := a.db.FindLandingPages(ctx, ws.ID)
	names := map[int64]string{}
	for _, p := range pages {
		names[p.ID] = p.Title
	}
	return names, err
}

// CountDemoVisits adds a day's views and showings (the demo's history).
func (a *App) CountDemoVisits(ctx context.Context, ws *shequn.Workspace, kind string, ref int64, day, source string, views, shown int) error {
	return a.db.CountGrowth(ctx, ws.ID, kind, ref, day, source, views, shown)
}

// PageImageTypes are the pictures a landing page may show.
var PageImageTypes = []string{"image/png", "image/jpeg", "image/gif", "image/webp"}

// AddPageImage adds a picture (PNG, JPEG, GIF or WebP, at most
// shequn.MaxPageImage bytes) to block i of page id and saves the page.
func (a *App) AddPageImage(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, id int64, i int, image []byte) error {
	if err := canEdit(op); err != nil {
		return err
	}
	p, err := a.LandingPage(ctx, ws, id)
	if err != nil {
		return err
	}
	switch {
	case i < 0 || i >= len(p.Blocks):
		return shequn.Invalid("block", "block %d: the page has %d blocks", i+1, len(p.Blocks))
	case len(image) == 0:
		return shequn.Invalid("image", "choose a picture to upload")
	case len(image) > shequn.MaxPageImage:
		return shequn.Errorf(shequn.ETOOLARGE, "the picture is larger than %d KB", shequn.MaxPageImage>>10)
	case len(p.Blocks[i].Images) >= shequn.MaxBlockImages:
		return shequn.Invalid("image", "block %d: at most %d pictures", i+1, shequn.MaxBlockImages)
	}
	typ := http.DetectContentType(image)
	if !slices.Contains(PageImageTypes, typ) {
		return shequn.Invalid("image", "the file is not a PNG, JPEG, GIF or WebP picture")
	}
	img, err := a.db.AddPageImage(ctx, ws.ID, p.ID, typ, image)
	if err != nil {
		return err
	}
	if !slices.Contains(p.Blocks[i].Images, img) {
		p.Blocks[i].Images = append(p.Blocks[i].Images, img)
	}
	return a.SaveLandingPage(ctx, ws, op, p)
}

// PageImage returns a picture of ws's page id.
func (a *App) PageImage(ctx context.Context, ws *shequn.Workspace, page, id int64) (string, []byte, error) {
	return a.db.PageImage(ctx, ws.ID, page, id)
}

// PublicPageImage returns a picture of workspace wsSlug's published page
// slug.
func (a *App) PublicPageImage(ctx context.Context, wsSlug, slug string, id int64) (string, []byte, error) {
	v, err := a.OpenLandingPage(ctx, wsSlug, slug, false)
	if err != nil {
		return "", nil, err
	}
	return a.db.PageImage(ctx, v.Workspace.ID, v.Page.ID, id)
}

// pruneImages drops the pictures of p no block shows any more.
func (a *App) pruneImages(ctx context.Context, p *shequn.LandingPage) error {
	keep := map[int64]bool{}
	for _, b := range p.Blocks {
		for _, id := range b.Images {
			keep[id] = true
		}
	}
	return a.db.PrunePageImages(ctx, p.WorkspaceID, p.ID, keep)
}
