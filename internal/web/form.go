package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/shequn/shequn"
)

// formState is a form shown again after its post was refused: what was
// typed, and the error, in the operator's language, beside the input at
// fault (Field) or above the form (Field "").
type formState struct {
	Values url.Values
	Field  string
	Error  string
}

type formKey struct{}

// formOf is the state of the form being shown again, or nil.
func formOf(r *http.Request) *formState {
	fs, _ := r.Context().Value(formKey{}).(*formState)
	return fs
}

// newFormState is what reshow keeps of a refused post: everything typed,
// and the error placed on the input that input(field) names (the app's
// field names are dotted paths such as "steps.0.at"; nil: the same name).
func newFormState(values url.Values, l string, err error, input func(string) string) *formState {
	fs := &formState{Values: values, Error: errorText(l, err)}
	if f := shequn.ErrorField(err); f != "" {
		fs.Field = f
		if input != nil {
			fs.Field = input(f)
		}
	}
	return fs
}

// reshow answers a refused form post with its page again: what was typed
// kept, the error beside its field, the status of the error. Errors that
// are not about what was typed (not allowed, not found, internal) get the
// error page.
func (c *Console) reshow(w http.ResponseWriter, r *http.Request, err error, page http.HandlerFunc, input func(string) string) {
	switch shequn.ErrorCode(err) {
	case shequn.EINVALID, shequn.ECONFLICT, shequn.ETOOLARGE:
	default:
		c.fail(w, r, err)
		return
	}
	l := "en"
	if s, ok := r.Context().Value(ctxKey{}).(*session); ok {
		l = lang(r, s.op.Lang)
	}
	fs := newFormState(r.PostForm, l, err, input)
	page(w, r.WithContext(context.WithValue(r.Context(), formKey{}, fs)))
}

// formFuncs are the template functions that read the form being shown
// again (none: the defaults the page passes).
func formFuncs(fs *formState) map[string]any {
	has := func(name string) bool {
		if fs == nil {
			return false
		}
		_, ok := fs.Values[name]
		return ok
	}
	return map[string]any{
		// val is what was typed in input name, or def.
		"val": func(name string, def any) string {
			if has(name) {
				return fs.Values.Get(name)
			}
			if def == nil {
				return ""
			}
			return fmt.Sprint(def)
		},
		// vals are the values of a multi-valued input, or def.
		"vals": func(name string, def []string) []string {
			if fs != nil && fs.Values != nil {
				return fs.Values[name]
			}
			return def
		},
		// on is whether checkbox name was ticked, or def.
		"on": func(name string, def bool) bool {
			if fs != nil {
				return fs.Values.Get(name) == "on"
			}
			return def
		},
		// ferr is the error of input name, or "".
		"ferr": func(name string) string {
			if fs != nil && fs.Field == name {
				return fs.Error
			}
			return ""
		},
		// fe is the error of input name as the note under it, or nothing.
		"fe": func(name string) template.HTML {
			if fs == nil || fs.Field != name {
				return ""
			}
			return template.HTML(`<small class="field-error" id="err-` + template.HTMLEscapeString(name) + `">` + template.HTMLEscapeString(fs.Error) + `</small>`)
		},
		// inv marks input name invalid (for its style and screen readers).
		"inv": func(name string) template.HTMLAttr {
			if fs == nil || fs.Field != name {
				return ""
			}
			return template.HTMLAttr(`aria-invalid="true" aria-describedby="err-` + template.HTMLEscapeString(name) + `"`)
		},
		// formError is the error of a refused post, above its form (also
		// when it is shown beside an input, which may be further down).
		"formError": func() string {
			if fs != nil {
				return fs.Error
			}
			return ""
		},
		// fixBelow says an input below holds an error.
		"fixBelow": func() bool { return fs != nil && fs.Field != "" },
	}
}

// inputOfPath turns an app field path into the console's input name:
// "steps.0.at" → "step_at_0", "trigger.hours" → "trigger_hours",
// "actions.1.text" → "action_text_1".
func inputOfPath(field string) string {
	parts := strings.Split(field, ".")
	switch {
	case len(parts) == 3 && (parts[0] == "steps" || parts[0] == "actions"):
		return strings.TrimSuffix(parts[0], "s") + "_" + parts[2] + "_" + parts[1]
	case len(parts) == 2:
		return parts[0] + "_" + parts[1]
	}
	return field
}
