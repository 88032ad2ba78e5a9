package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/httpapi"
)

type ctxKey struct{}

type session struct {
	op *shequn.Operator
	ws *shequn.Workspace
}

// auth requires a logged-in operator.
func (c *Console) auth(fn http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var secret string
		if ck, err := r.Cookie(sessionCookie); err == nil {
			secret = ck.Value
		}
		op, ws, err := c.app.Session(r.Context(), secret)
		if err != nil {
			if shequn.ErrorCode(err) != shequn.EUNAUTHORIZED {
				c.log.Error("session", "err", err)
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		fn(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, &session{op, ws})))
	}
}

func (c *Console) view(r *http.Request, nav, title string, data any) view {
	s := r.Context().Value(ctxKey{}).(*session)
	l := lang(r, s.op.Lang)
	return view{Lang: l, Title: translate(l, title), Operator: s.op, Workspace: s.ws, Nav: nav, Data: data, Path: safeNext(r.URL.RequestURI())}
}

func ws(r *http.Request) *shequn.Workspace { return r.Context().Value(ctxKey{}).(*session).ws }

func op(r *http.Request) *shequn.Operator { return r.Context().Value(ctxKey{}).(*session).op }

// sameOrigin rejects cross-site form posts.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" || o == "null" {
		return r.Header.Get("Sec-Fetch-Site") != "cross-site"
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

// guard checks a form post before fn sees it: the same origin, a body of
// at most limit bytes, a form that parses and holds valid UTF-8.
func (c *Console) guard(limit int64, fn http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !sameOrigin(r) {
			c.fail(w, r, shequn.Errorf(shequn.EFORBIDDEN, "cross-site request refused"))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if err := r.ParseForm(); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				c.fail(w, r, shequn.Errorf(shequn.ETOOLARGE, "the form is larger than %d KB", limit>>10))
				return
			}
			c.fail(w, r, shequn.Errorf(shequn.EINVALID, "the form could not be read"))
			return
		}
		if err := validForm(r.Form); err != nil {
			c.fail(w, r, err)
			return
		}
		fn(w, r)
	}
}

// validForm rejects field names or values that are not UTF-8 text.
func validForm(f url.Values) error {
	for k, vs := range f {
		if !utf8.ValidString(k) || strings.ContainsRune(k, 0) {
			return shequn.Errorf(shequn.EINVALID, "a field name is not valid UTF-8 text")
		}
		for _, v := range vs {
			if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
				return shequn.Errorf(shequn.EINVALID, "%s: not valid UTF-8 text", k)
			}
		}
	}
	return nil
}

// fail shows err as an error page with the status of its code (the API's
// table); internal errors are logged and shown without detail.
func (c *Console) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := httpapi.Status(err)
	if status >= 500 {
		c.log.Error("console", "path", r.URL.Path, "err", err)
	}
	if d := shequn.ErrorRetryAfter(err); d > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(d.Seconds()+0.999)))
	}
	s, ok := r.Context().Value(ctxKey{}).(*session)
	if !ok { // no session: a bare page in the visitor's language
		l := lang(r, "")
		c.render(w, r, "error", status, view{Lang: l, Title: translate(l, "error"), Workspace: &shequn.Workspace{}, Error: errorText(l, err)})
		return
	}
	v := c.view(r, "", "error", nil)
	v.Error = errorText(lang(r, s.op.Lang), err)
	c.render(w, r, "error", status, v)
}

// errorText is err's message for an operator in language l: the app's
// English message, or its format said in l (catalog/errors.<l>.json),
// with field names translated; internal errors say nothing of themselves.
func errorText(l string, err error) string {
	if shequn.ErrorCode(err) == shequn.EINTERNAL {
		return translate(l, "internal_error")
	}
	msg := shequn.ErrorMessage(err)
	format, args := shequn.ErrorFormat(err)
	f, ok := errorFormats[l][format]
	if !ok || format == "" {
		return msg
	}
	local := make([]any, len(args))
	for i, a := range args {
		local[i] = a
		if s, isStr := a.(string); isStr {
			if name, known := messages[l]["field_"+s]; known {
				local[i] = name
			}
		}
	}
	return fmt.Sprintf(f, local...)
}
