package app

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shequn/shequn"
)

// Bounds on what an operator or a source may store, so that no field or
// list grows a row (or the page that shows it) without limit.
const (
	maxListItems = 100  // tags, keywords, kinds, platforms, groups in a selector
	maxTagLen    = 64   // one tag, kind or keyword
	maxReasonLen = 500  // a points reason
	maxQueryLen  = 200  // a search string
	maxVarsLen   = 8000 // template variables of an automation, in all
	// FutureSlack is how far ahead of the clock an event may be stamped
	// (clock skew between a platform and this server).
	FutureSlack = 24 * time.Hour
)

// checkText refuses a value longer than max characters, or one that is not
// UTF-8 text.
func checkText(field, v string, max int) error {
	switch {
	case !utf8.ValidString(v) || strings.ContainsRune(v, 0):
		return shequn.Invalid(field, "%s: not valid UTF-8 text", field)
	case utf8.RuneCountInString(v) > max:
		return shequn.Invalid(field, "%s: at most %d characters", field, max)
	}
	return nil
}

// intField is a number an operator sets, with the name of its input.
type intField struct {
	name string
	v    int
}

// checkRanges refuses the first field outside lo..hi, naming it.
func checkRanges(lo, hi int, fields ...intField) error {
	for _, f := range fields {
		if f.v < lo || f.v > hi {
			return shequn.Invalid(f.name, "%s %d: want %d to %d", f.name, f.v, lo, hi)
		}
	}
	return nil
}

// checkList refuses a list of more than maxListItems values, or one with
// a value longer than maxTagLen.
func checkList(field string, vs []string) error {
	if len(vs) > maxListItems {
		return shequn.Invalid(field, "%s: at most %d values", field, maxListItems)
	}
	for i, v := range vs {
		switch {
		case !utf8.ValidString(v) || strings.ContainsRune(v, 0):
			return shequn.Invalid(field, "%s: value %d is not valid UTF-8 text", field, i+1)
		case utf8.RuneCountInString(v) > maxTagLen:
			return shequn.Invalid(field, "%s: value %d is longer than %d characters", field, i+1, maxTagLen)
		}
	}
	return nil
}

// checkSelector bounds a selector and makes sure its groups are ws's own:
// an id of another workspace's group is refused as not found.
func (a *App) checkSelector(ctx context.Context, ws *shequn.Workspace, field string, s shequn.Selector) error {
	for _, f := range []struct {
		name string
		vs   []string
	}{{"kinds", s.Kinds}, {"tags", s.Tags}, {"platforms", s.Platforms}} {
		if err := checkList(field+"."+f.name, f.vs); err != nil {
			return err
		}
	}
	return a.checkCommunities(ctx, ws, field+".community_ids", s.CommunityIDs)
}

// checkCommunities refuses more than maxListItems ids or an id that is not
// a group of ws.
func (a *App) checkCommunities(ctx context.Context, ws *shequn.Workspace, field string, ids []int64) error {
	if len(ids) > maxListItems {
		return shequn.Invalid(field, "%s: at most %d groups", field, maxListItems)
	}
	for _, id := range ids {
		if _, err := a.db.FindCommunityByID(ctx, ws.ID, id); shequn.ErrorCode(err) == shequn.ENOTFOUND {
			return shequn.Errorf(shequn.ENOTFOUND, "%s: no group %d in this workspace", field, id)
		} else if err != nil {
			return err
		}
	}
	return nil
}

// parseEvent validates an event and refuses one stamped more than
// FutureSlack ahead of the clock.
func (a *App) parseEvent(in shequn.EventInput) (shequn.Event, error) {
	ev, err := shequn.ParseEvent(in)
	if err != nil {
		return ev, err
	}
	if limit := a.Clock.Now().Add(FutureSlack); ev.TS.After(limit) {
		return ev, shequn.Invalid("ts", "ts %q: more than %v ahead of this server's clock", in.TS, FutureSlack)
	}
	return ev, nil
}
