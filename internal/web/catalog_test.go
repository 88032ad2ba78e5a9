package web

import (
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/moderation"
)

// Every catalog holds the same keys, each once, none empty.
func TestCatalogsAgree(t *testing.T) {
	for _, l := range languages[1:] {
		for k := range messages["en"] {
			if messages[l][k] == "" {
				t.Errorf("%s lacks %q", l, k)
			}
		}
		for k := range messages[l] {
			if messages["en"][k] == "" {
				t.Errorf("en lacks %q (in %s)", k, l)
			}
		}
	}
}

func TestParseCatalogRefusesDuplicates(t *testing.T) {
	cases := []struct {
		name, in, err string
	}{
		{"duplicate key", `{"a": "x", "b": "y", "a": "z"}`, `key "a" given twice`},
		{"not an object", `["a"]`, "not a JSON object"},
		{"not a string", `{"a": 1}`, `key "a"`},
	}
	for _, c := range cases {
		if _, err := parseCatalog([]byte(c.in)); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: err %v, want %q", c.name, err, c.err)
		}
	}
	if m, err := parseCatalog([]byte(`{"a": "x", "b": "y"}`)); err != nil || m["b"] != "y" {
		t.Fatalf("a good catalog: %v %v", m, err)
	}
}

// Every {{t "key"}} of the templates, every detector, action, tier, alert
// kind and error code has a string.
func TestEveryKeyUsedIsInTheCatalog(t *testing.T) {
	used := map[string]bool{}
	re := regexp.MustCompile(`\{\{-?\s*t "([a-z0-9_]+)"`)
	names, _ := fs.Glob(templateFS, "templates/*.html")
	for _, n := range names {
		data, _ := templateFS.ReadFile(n)
		for _, m := range re.FindAllStringSubmatch(string(data), -1) {
			used[m[1]] = true
		}
	}
	for _, d := range moderation.Names() {
		used["det_"+d] = true
	}
	for _, a := range shequn.ModerationActions {
		used["action_"+a] = true
	}
	for _, tier := range shequn.Tiers {
		used["tier_"+tier] = true
	}
	for _, code := range []string{shequn.EINVALID, shequn.ENOTFOUND, shequn.EFORBIDDEN, shequn.ECONFLICT, shequn.ETOOLARGE, shequn.ETOOMANY, shequn.EUNAUTHORIZED} {
		used["err_"+code] = true
	}
	var missing []string
	for k := range used {
		if messages["en"][k] == "" {
			missing = append(missing, k)
		}
	}
	slices.Sort(missing)
	if len(missing) > 0 {
		t.Fatalf("keys used but not in the catalogs: %v", missing)
	}
}
