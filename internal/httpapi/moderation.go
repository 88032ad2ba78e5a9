package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/moderation"
)

func (s *Server) getCases(w http.ResponseWriter, r *http.Request) {
	limit, offset, err := paging(r)
	if err != nil {
		writeError(w, err)
		return
	}
	q := r.URL.Query()
	f := shequn.CaseFilter{Status: q.Get("status"), Reason: q.Get("reason"), Detector: q.Get("detector"), Limit: limit, Offset: offset}
	if f.CommunityID, err = optionalID(r, "community"); err == nil {
		f.MemberID, err = optionalID(r, "member")
	}
	if err != nil {
		writeError(w, err)
		return
	}
	for _, b := range []struct {
		name string
		dst  *time.Time
	}{{"since", &f.Since}, {"until", &f.Until}} {
		if v := q.Get(b.name); v != "" {
			if *b.dst, err = time.Parse(time.RFC3339, v); err != nil {
				writeError(w, shequn.Errorf(shequn.EINVALID, "%s %q: want an RFC 3339 time", b.name, v))
				return
			}
		}
	}
	if exporting(r) != "" {
		exportPages(w, r, "cases", func(limit, offset int) ([]*shequn.ModerationCase, error) {
			f.Limit, f.Offset = limit, offset
			p, err := s.app.CasePage(r.Context(), workspace(r), nil, f)
			if err != nil {
				return nil, err
			}
			cases := make([]*shequn.ModerationCase, len(p.Cases))
			for i, c := range p.Cases {
				cases[i] = c.ModerationCase
			}
			return cases, nil
		})
		return
	}
	p, err := s.app.CasePage(r.Context(), workspace(r), nil, f)
	if err != nil {
		writeError(w, err)
		return
	}
	cases := make([]caseJSON, len(p.Cases))
	for i, c := range p.Cases {
		cases[i] = caseJSON{ModerationCase: c.ModerationCase, Terms: c.Terms, Pieces: c.Pieces}
	}
	writeJSON(w, http.StatusOK, map[string]any{"cases": cases, "total": p.Total, "limit": f.Limit, "offset": f.Offset})
}

// caseJSON is a case with its explanation: the message in pieces (hit:
// matched by a detector) and the classifier's strongest terms.
type caseJSON struct {
	*shequn.ModerationCase
	Terms  []moderation.Term  `json:"terms,omitempty"`
	Pieces []moderation.Piece `json:"pieces"`
}

// postReviews reviews many cases: {"ids": [...], "verdict": "approve" |
// "overturn" | "whitelist"}.
func (s *Server) postReviews(w http.ResponseWriter, r *http.Request) {
	var body struct {
		IDs     []int64 `json:"ids"`
		Verdict string  `json:"verdict"`
	}
	if err := readJSON(w, r, &body); err != nil {
		writeError(w, err)
		return
	}
	n, err := s.app.ReviewCases(r.Context(), workspace(r), nil, body.IDs, body.Verdict)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"reviewed": n})
}

// getPrecision is, per detector, how often reviewers confirmed its cases
// (?days=, default 30).
func (s *Server) getPrecision(w http.ResponseWriter, r *http.Request) {
	days := 30
	if v := r.URL.Query().Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 366 {
			writeError(w, shequn.Errorf(shequn.EINVALID, "days %q: want 1 to 366", v))
			return
		}
		days = n
	}
	p, err := s.app.DetectorPrecision(r.Context(), workspace(r), days)
	respond(w, http.StatusOK, "detectors", nonNil(p), err)
}

func (s *Server) getCase(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	c, err := s.app.FindCase(r.Context(), workspace(r), id)
	if err != nil {
		writeError(w, err)
		return
	}
	items, err := s.app.FindOutbox(r.Context(), workspace(r), id, "", 100)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"case": c, "outbox": nonNil(items)})
}

func (s *Server) reviewCase(approve bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := parseID(r.PathValue("id"))
		if err != nil {
			writeError(w, err)
			return
		}
		c, err := s.app.ReviewCase(r.Context(), nil, workspace(r), id, approve)
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"case": c})
	}
}

func (s *Server) getRule(w http.ResponseWriter, r *http.Request) {
	community, err := optionalID(r, "community")
	if err != nil {
		writeError(w, err)
		return
	}
	rule, err := s.app.ModerationRule(r.Context(), workspace(r), community)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"rule": rule})
}

func (s *Server) putRule(w http.ResponseWriter, r *http.Request) {
	var rule shequn.ModerationRule
	if err := readJSON(w, r, &rule); err != nil {
		writeError(w, err)
		return
	}
	if err := s.app.SaveModerationRule(r.Context(), nil, workspace(r), &rule); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"rule": rule})
}

func (s *Server) checkMessage(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Text      string `json:"text"`
		Community int64  `json:"community"`
	}
	if err := readJSON(w, r, &body); err != nil {
		writeError(w, err)
		return
	}
	res, err := s.app.TestMessage(r.Context(), workspace(r), body.Community, body.Text)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) getBlocklist(w http.ResponseWriter, r *http.Request) {
	bl, err := s.app.FindBlocklist(r.Context(), workspace(r))
	if err != nil {
		writeError(w, err)
		return
	}
	writeList(w, r, "blocklist", map[string]any{"blocklist": nonNil(bl)})
}

func (s *Server) deleteBlock(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("member"))
	if err != nil {
		writeError(w, err)
		return
	}
	if err := s.app.Unblock(r.Context(), workspace(r), nil, id); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
