package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// The console's strings live in one catalog per language, kept as data
// (catalog/<lang>.json, embedded). A key missing from a catalog shows
// the English string, then the key; a test checks that every key is in
// every catalog once and that every key a template uses exists.
//
//go:embed catalog/*.json
var catalogFS embed.FS

// languages are the console's languages; the first is the fallback.
var languages = []string{"en", "zh"}

// messages is every catalog, loaded once.
var messages = mustLoadCatalogs()

// errorFormats say the app's error formats in other languages than
// English (catalog/errors.<lang>.json: English format → format).
var errorFormats = mustLoadErrorFormats()

func mustLoadErrorFormats() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, l := range languages[1:] {
		data, err := catalogFS.ReadFile("catalog/errors." + l + ".json")
		if err != nil {
			panic("console error catalog " + l + ": " + err.Error())
		}
		m, err := parseCatalog(data)
		if err != nil {
			panic("console error catalog " + l + ": " + err.Error())
		}
		out[l] = m
	}
	return out
}

func mustLoadCatalogs() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, l := range languages {
		data, err := catalogFS.ReadFile("catalog/" + l + ".json")
		if err != nil {
			panic("console catalog " + l + ": " + err.Error())
		}
		m, err := parseCatalog(data)
		if err != nil {
			panic("console catalog " + l + ": " + err.Error())
		}
		out[l] = m
	}
	return out
}

// parseCatalog reads a flat JSON object of strings, refusing a key given
// twice (encoding/json would keep the last silently).
func parseCatalog(data []byte) (map[string]string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("not a JSON object")
	}
	m := map[string]string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		var val string
		if err := dec.Decode(&val); err != nil {
			return nil, fmt.Errorf("key %q: %w", key, err)
		}
		if _, dup := m[key]; dup {
			return nil, fmt.Errorf("key %q given twice", key)
		}
		m[key] = val
	}
	return m, nil
}

// lang picks the console language: ?lang=, the cookie, the operator's
// setting, then the browser's Accept-Language.
func lang(r *http.Request, operatorLang string) string {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "zh" {
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && (c.Value == "en" || c.Value == "zh") {
		return c.Value
	}
	if operatorLang == "en" || operatorLang == "zh" {
		return operatorLang
	}
	if strings.HasPrefix(strings.ToLower(r.Header.Get("Accept-Language")), "zh") {
		return "zh"
	}
	return "en"
}

// translate returns the string for key in l.
//
// A key no catalog holds is shown as ⟦key⟧, so that a page walk finds it
// (the catalogs are checked to hold the same keys in every language).
func translate(l, key string) string {
	if s, ok := messages[l][key]; ok {
		return s
	}
	return "⟦" + key + "⟧"
}

// reasonPrefixes are the reasons shequn writes on points entries, each
// with the catalog key that says it ({x}: what follows the prefix). An
// operator's own reason is shown as typed.
var reasonPrefixes = []struct{ prefix, key string }{
	{"message", "reason_message"},
	{"invitee stayed 7 days", "reason_invite"},
	{"check-in: ", "reason_checkin"},
	{"challenge completed: ", "reason_challenge"},
	{"redeem ", "reason_redeem"},
	{"cancelled redemption ", "reason_refund"},
	{"automation: ", "reason_automation"},
}

func reasonText(l, reason string) string {
	for _, p := range reasonPrefixes {
		if rest, ok := strings.CutPrefix(reason, p.prefix); ok && (rest == "" || strings.HasSuffix(p.prefix, " ")) {
			return strings.ReplaceAll(translate(l, p.key), "{x}", rest)
		}
	}
	return reason
}

// sourceText says a join source in l: the known ones translated, a
// channel code (a WeCom state, an invite link's name) as written.
func sourceText(l, source string) string {
	if s, ok := messages[l]["source_"+source]; ok {
		return s
	}
	return source
}
