package app

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/moderation"
)

// CaseView is a case as a reviewer sees it: the message cut into plain
// and matched pieces, the verdicts that called it spam, and, for the
// classifier, the words that pushed its score.
type CaseView struct {
	*shequn.ModerationCase
	Pieces []moderation.Piece
	Hits   []moderation.Verdict
	Terms  []moderation.Term
}

// CasePage is one page of cases and how many the filter selects in all.
type CasePage struct {
	Cases  []CaseView
	Total  int
	Filter shequn.CaseFilter
}

// MaxBulkReview bounds one bulk review.
const MaxBulkReview = 500

// CasePage lists the cases f selects, newest first, with their
// explanations. Viewers see phone numbers and account ids masked.
func (a *App) CasePage(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, f shequn.CaseFilter) (CasePage, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	if f.Detector != "" && !slices.Contains(moderation.Names(), f.Detector) && f.Detector != "report" && f.Detector != "blocklist" {
		return CasePage{}, shequn.Invalid("detector", "detector %q: unknown", f.Detector)
	}
	cs, err := a.db.FindCases(ctx, ws.ID, f)
	if err != nil {
		return CasePage{}, err
	}
	total, err := a.db.CountCases(ctx, ws.ID, f)
	if err != nil {
		return CasePage{}, err
	}
	p := CasePage{Total: total, Filter: f, Cases: make([]CaseView, len(cs))}
	mask := op != nil && !op.CanEdit()
	for i, c := range cs {
		p.Cases[i] = ViewCase(c, mask)
	}
	return p, nil
}

// ViewCase explains a case; with mask, contact details are hidden.
func ViewCase(c *shequn.ModerationCase, mask bool) CaseView {
	v := CaseView{ModerationCase: c}
	var verdicts []moderation.Verdict
	json.Unmarshal([]byte(c.Verdicts), &verdicts) // written by the stage; a bad one explains nothing
	var spans []string
	for _, vd := range verdicts {
		if !vd.Spam {
			continue
		}
		v.Hits = append(v.Hits, vd)
		if vd.Span != "" {
			spans = append(spans, vd.Span)
		}
		if vd.Detector == moderation.DetClassifier {
			v.Terms = vd.Terms
		}
	}
	v.Pieces = moderation.Highlight(c.Text, spans)
	if mask {
		c2 := *c
		c2.Text = maskContacts(c.Text)
		v.ModerationCase = &c2
		for i := range v.Pieces {
			v.Pieces[i].Text = maskContacts(v.Pieces[i].Text)
		}
		for i := range v.Hits {
			v.Hits[i].Span = maskContacts(v.Hits[i].Span)
		}
	}
	return v
}

// contactLike are runs that may be phone numbers or account ids: 5 or more
// digits (with separators), or a letter-and-digit handle of 6 or more.
var contactLike = regexp.MustCompile(`\+?\d[\d\s-]{4,}\d|[A-Za-z][A-Za-z0-9_-]{2,}\d{3,}`)

// MaskContacts hides the middle of phone numbers and account ids in text
// shown in lists.
func MaskContacts(s string) string { return maskContacts(s) }

// maskContacts hides the middle of phone numbers and account ids.
func maskContacts(s string) string {
	return contactLike.ReplaceAllStringFunc(s, shequn.MaskPhone)
}

// ReviewCases approves or overturns many open cases at once; "whitelist"
// overturns them and adds their members to the workspace rule's allow
// list. It returns how many cases it closed.
func (a *App) ReviewCases(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, ids []int64, verdict string) (int, error) {
	if err := canEdit(op); err != nil {
		return 0, err
	}
	switch {
	case verdict != "approve" && verdict != "overturn" && verdict != "whitelist":
		return 0, shequn.Invalid("verdict", "verdict %q: want approve, overturn or whitelist", verdict)
	case len(ids) == 0:
		return 0, shequn.Errorf(shequn.EINVALID, "no cases chosen")
	case len(ids) > MaxBulkReview:
		return 0, shequn.Errorf(shequn.EINVALID, "at most %d cases at once", MaxBulkReview)
	}
	var members []int64
	n := 0
	for _, id := range ids {
		c, err := a.ReviewCase(ctx, op, ws, id, verdict == "approve")
		if shequn.ErrorCode(err) == shequn.ECONFLICT {
			continue // closed meanwhile
		} else if err != nil {
			return n, err
		}
		n++
		if verdict == "whitelist" && !slices.Contains(members, c.MemberID) {
			members = append(members, c.MemberID)
		}
	}
	if len(members) > 0 {
		if err := a.allowMembers(ctx, ws, op, members); err != nil {
			return n, err
		}
	}
	return n, nil
}

// allowMembers adds members to the workspace rule's allow list.
func (a *App) allowMembers(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, members []int64) error {
	r, err := a.ModerationRule(ctx, ws, 0)
	if err != nil {
		return err
	}
	for _, m := range members {
		if !slices.Contains(r.AllowMembers, m) {
			r.AllowMembers = append(r.AllowMembers, m)
		}
	}
	return a.SaveModerationRule(ctx, op, ws, r)
}

// DetectorPrecision is, per detector, how many of its cases reviewed in
// the last days were approved and how many overturned: which rule
// misfires.
func (a *App) DetectorPrecision(ctx context.Context, ws *shequn.Workspace, days int) ([]shequn.DetectorPrecision, error) {
	counts, err := a.db.ReviewedDetectors(ctx, ws.ID, a.Clock.Now().Add(-time.Duration(days)*24*time.Hour))
	if err != nil {
		return nil, err
	}
	by := map[string]*shequn.DetectorPrecision{}
	for k, n := range counts {
		for _, d := range strings.Split(k[0], ",") {
			if d == "" {
				continue
			}
			p := by[d]
			if p == nil {
				p = &shequn.DetectorPrecision{Detector: d}
				by[d] = p
			}
			if k[1] == shequn.CaseApproved {
				p.Approved += n
			} else {
				p.Overturned += n
			}
		}
	}
	var out []shequn.DetectorPrecision
	for _, d := range moderation.Names() {
		if p := by[d]; p != nil {
			p.Precision = float64(p.Approved) / float64(p.Approved+p.Overturned)
			out = append(out, *p)
		}
	}
	return out, nil
}
