package web

import (
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
)

// The selector inputs every form that aims at groups shares (the
// "selector" template): kinds, tags and platforms that groups have, and
// groups chosen by name.
const (
	selKind     = "sel_kind"
	selTag      = "sel_tag"
	selPlatform = "sel_platform"
	selGroup    = "sel_group"
)

// selectorFromForm reads the selector inputs.
func selectorFromForm(f url.Values) shequn.Selector {
	s := shequn.Selector{Kinds: nonBlank(f[selKind]), Tags: nonBlank(f[selTag]), Platforms: nonBlank(f[selPlatform])}
	s.CommunityIDs = groupIDs(f[selGroup])
	return s
}

// groupIDs reads the ids of chosen groups; a value that is not a number
// stays as 0 so that the app refuses it (no group 0).
func groupIDs(vs []string) []int64 {
	var out []int64
	for _, v := range vs {
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		id, _ := strconv.ParseInt(v, 10, 64)
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func idStrings(ids []int64) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strconv.FormatInt(id, 10)
	}
	return out
}

func nonBlank(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// parseVars reads template variables: "key=value" lines for every group
// and "group name: key=value" lines for one group (a group's id works
// too).
func parseVars(s string, choices app.GroupChoices) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, l := range lines(s) {
		scope, kv := "*", l
		if i := strings.IndexAny(l, ":："); i > 0 && i < strings.Index(l+"=", "=") {
			if id, ok := groupScope(strings.TrimSpace(l[:i]), choices); ok {
				_, size := utf8.DecodeRuneInString(l[i:])
				scope, kv = id, l[i+size:]
			}
		}
		k, val, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(k) == "" {
			continue
		}
		if out[scope] == nil {
			out[scope] = map[string]string{}
		}
		out[scope][strings.TrimSpace(k)] = strings.TrimSpace(val)
	}
	return out
}

// groupScope finds a vars line's group by name (or id).
func groupScope(name string, choices app.GroupChoices) (string, bool) {
	for _, c := range choices.Groups {
		if c.Name == name {
			return strconv.FormatInt(c.ID, 10), true
		}
	}
	if _, err := strconv.ParseInt(name, 10, 64); err == nil {
		return name, true
	}
	return "", false
}

// varsText writes template variables back as the editor's lines, groups
// by name.
func varsText(vars map[string]map[string]string, choices app.GroupChoices) string {
	name := func(scope string) string {
		for _, c := range choices.Groups {
			if strconv.FormatInt(c.ID, 10) == scope {
				return c.Name
			}
		}
		return scope
	}
	scopes := make([]string, 0, len(vars))
	for s := range vars {
		scopes = append(scopes, s)
	}
	sort.Slice(scopes, func(i, j int) bool { return scopes[i] == "*" || (scopes[j] != "*" && scopes[i] < scopes[j]) })
	var b strings.Builder
	for _, s := range scopes {
		keys := make([]string, 0, len(vars[s]))
		for k := range vars[s] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if s != "*" {
				b.WriteString(name(s) + ": ")
			}
			b.WriteString(k + "=" + vars[s][k] + "\n")
		}
	}
	return b.String()
}
