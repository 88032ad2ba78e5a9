package shequn

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// LandingPage is a mobile H5 page (/p/{workspace}/{slug}) built from
// blocks: a hero (theme, lure, call to action), proof, questions, the call
// again, a live code's QR and a lead form. Visitors see it only once it is
// published.
type LandingPage struct {
	ID          int64  `json:"id"`
	WorkspaceID int64  `json:"workspace_id"`
	Slug        string `json:"slug"`
	Title       string `json:"title"`
	// Lang is the language of the page's own words (buttons, form labels,
	// errors): "zh" or "en".
	Lang string `json:"lang"`
	// State is the source views and leads carry when the link has no ?s=
	// (default: the slug).
	State     string    `json:"state"`
	Published bool      `json:"published"`
	Blocks    []Block   `json:"blocks"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ChannelState is the source a page's views and leads carry when its link
// has no ?s=: its State, else its slug.
func (p *LandingPage) ChannelState() string {
	if p.State != "" {
		return p.State
	}
	return p.Slug
}

// Block is a part of a landing page.
type Block struct {
	Kind  string `json:"kind"`
	Title string `json:"title,omitempty"`
	Text  string `json:"text,omitempty"`
	// Button and Link are a hero's or call to action's button: Link is
	// "#join" (the page's live code), "#form" (its lead form) or an
	// http(s) address.
	Button string `json:"button,omitempty"`
	Link   string `json:"link,omitempty"`
	// Items are proof's testimonials and numbers (title: who or figure,
	// text: quote or what) and FAQ's questions and answers.
	Items []BlockItem `json:"items,omitempty"`
	// LiveCode is a live-code block's code (its slug).
	LiveCode string `json:"live_code,omitempty"`
	// Fields are a form block's fields (LeadFields); Consent is the purpose
	// shown beside its consent box.
	Fields  []string `json:"fields,omitempty"`
	Consent string   `json:"consent,omitempty"`
	// Images are the block's pictures (a hero's banner, proof's
	// screenshots), by id, uploaded on their own.
	Images []int64 `json:"images,omitempty"`
}

// BlockItem is a testimonial, a number or a question with its answer.
type BlockItem struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

// Block kinds.
const (
	BlockHero     = "hero"
	BlockProof    = "proof"
	BlockFAQ      = "faq"
	BlockCTA      = "cta"
	BlockText     = "text"
	BlockLiveCode = "livecode"
	BlockForm     = "form"
)

// BlockKinds are the kinds a landing page's blocks may be.
var BlockKinds = []string{BlockHero, BlockProof, BlockFAQ, BlockCTA, BlockText, BlockLiveCode, BlockForm}

// LeadFields are the fields a lead form may ask for.
var LeadFields = []string{"name", "phone", "city", "note"}

// Landing page limits.
const (
	MaxBlocks      = 20
	MaxBlockItems  = 20
	MaxBlockText   = 2000
	MaxBlockTitle  = 200
	MaxBlockImages = 9
	MaxPageImage   = 2 << 20
)

// CheckLandingPage verifies a page's settings and blocks.
func CheckLandingPage(p *LandingPage) error {
	switch {
	case !slugRE.MatchString(p.Slug):
		return Invalid("slug", "slug %q: 2 to 40 lowercase letters, digits or hyphens, starting with a letter or digit", Clip(p.Slug, 60))
	case p.Title == "" || utf8.RuneCountInString(p.Title) > MaxBlockTitle || !utf8.ValidString(p.Title):
		return Invalid("title", "title: 1 to %d characters", MaxBlockTitle)
	case p.Lang != "zh" && p.Lang != "en":
		return Invalid("lang", "lang %q: want zh or en", Clip(p.Lang, 10))
	case !ValidState(p.State):
		return Invalid("state", "state: at most %d letters, digits, '-', '_', ':' or '.'", MaxStateLen)
	case len(p.Blocks) > MaxBlocks:
		return Invalid("blocks", "a page holds at most %d blocks", MaxBlocks)
	}
	forms := 0
	for i := range p.Blocks {
		if err := checkBlock(&p.Blocks[i], i+1); err != nil {
			return err
		}
		if p.Blocks[i].Kind == BlockForm {
			forms++
		}
	}
	if forms > 1 {
		return Invalid("blocks", "a page holds at most one lead form")
	}
	return nil
}

func checkBlock(b *Block, n int) error {
	text := func(s string, limit int) bool { return utf8.ValidString(s) && utf8.RuneCountInString(s) <= limit }
	switch {
	case !slices.Contains(BlockKinds, b.Kind):
		return Invalid("blocks", "block %d: kind %q: want one of %s", n, Clip(b.Kind, 20), strings.Join(BlockKinds, ", "))
	case !text(b.Title, MaxBlockTitle) || !text(b.Button, 40):
		return Invalid("blocks", "block %d: the title is at most %d characters, the button 40", n, MaxBlockTitle)
	case !text(b.Text, MaxBlockText) || !text(b.Consent, MaxBlockText):
		return Invalid("blocks", "block %d: a text is at most %d characters", n, MaxBlockText)
	case !linkOK(b.Link):
		return Invalid("blocks", "block %d: link %q: want #join, #form or an http(s) address", n, Clip(b.Link, 60))
	case len(b.Items) > MaxBlockItems:
		return Invalid("blocks", "block %d: at most %d items", n, MaxBlockItems)
	case len(b.Images) > MaxBlockImages:
		return Invalid("blocks", "block %d: at most %d pictures", n, MaxBlockImages)
	case b.Kind == BlockLiveCode && b.LiveCode == "":
		return Invalid("blocks", "block %d: a live-code block needs its live code", n)
	case b.Kind == BlockForm && (len(b.Fields) == 0 || strings.TrimSpace(b.Consent) == ""):
		return Invalid("blocks", "block %d: a form needs at least one field and the purpose its consent box shows", n)
	}
	for _, it := range b.Items {
		if !text(it.Title, MaxBlockTitle) || !text(it.Text, MaxBlockText) {
			return Invalid("blocks", "block %d: a text is at most %d characters", n, MaxBlockText)
		}
	}
	for _, f := range b.Fields {
		if !slices.Contains(LeadFields, f) {
			return Invalid("blocks", "block %d: field %q: want one of %s", n, Clip(f, 20), strings.Join(LeadFields, ", "))
		}
	}
	return nil
}

// linkOK accepts "", "#join", "#form" and absolute http(s) addresses.
func linkOK(s string) bool {
	if s == "" || s == "#join" || s == "#form" {
		return true
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && len(s) <= 500
}

// Lead is what a visitor left on a landing page's form, with the consent
// they gave (PIPL: its text version, time and address).
type Lead struct {
	ID          int64  `json:"id"`
	WorkspaceID int64  `json:"workspace_id"`
	PageID      int64  `json:"page_id"`
	Name        string `json:"name"`
	// Phone is E.164 (+8613812345678).
	Phone  string `json:"phone"`
	City   string `json:"city"`
	Note   string `json:"note"`
	Source string `json:"source"`
	Status string `json:"status"`
	// Repeats counts later submissions of the same phone on the page
	// (flagged, not stored twice).
	Repeats        int       `json:"repeats"`
	ConsentText    string    `json:"consent_text"`
	ConsentVersion string    `json:"consent_version"`
	ConsentAt      time.Time `json:"consent_at"`
	IP             string    `json:"ip"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Lead statuses.
var LeadStatuses = []string{"new", "contacted", "joined", "converted", "dropped"}

var (
	mainlandRE = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	e164RE     = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
)

// NormalizePhone returns a phone number in E.164: a mainland mobile (11
// digits starting 1[3-9], with or without +86) or an international number
// written with its + and country code. Spaces and dashes are ignored.
func NormalizePhone(s string) (string, bool) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '(' || r == ')' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	s = strings.TrimPrefix(strings.TrimPrefix(s, "+86"), "0086")
	if mainlandRE.MatchString(s) {
		return "+86" + s, true
	}
	if e164RE.MatchString(s) {
		return s, true
	}
	return "", false
}

// ConsentVersion names a consent text: the first 12 hex digits of its
// SHA-256, so a lead shows exactly which wording it agreed to.
func ConsentVersion(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:6])
}

// FunnelRow is one live code's, page's or channel's funnel over a period:
// views (a visitor once a day), QR shown, leads, joins, joins old enough
// to tell whether they stayed 7 days, those that stayed, and joins that
// went on to post.
type FunnelRow struct {
	Kind    string `json:"kind"` // code, page, channel
	ID      int64  `json:"id,omitempty"`
	Name    string `json:"name"`
	Source  string `json:"source,omitempty"`
	Views   int    `json:"views"`
	Shown   int    `json:"shown"`
	Leads   int    `json:"leads"`
	Joins   int    `json:"joins"`
	Matured int    `json:"matured"`
	Stayed  int    `json:"stayed"`
	Posted  int    `json:"posted"`
}
