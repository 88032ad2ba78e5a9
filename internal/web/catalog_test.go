package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/moderation"
	"github.com/shequn/shequn/internal/questions"
)

// catalogGaps lists what keeps catalogs from agreeing: a key one
// language has and another lacks, or has empty.
func catalogGaps(cats map[string]map[string]string) []string {
	var out []string
	for l, m := range cats {
		for other, om := range cats {
			for k := range om {
				if m[k] == "" && l != other {
					out = append(out, l+" lacks "+strconv.Quote(k))
				}
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Every catalog holds the same keys, each once, none empty; the check
// itself is shown to catch a missing key, an empty one and an extra one.
func TestCatalogsAgree(t *testing.T) {
	cases := []struct {
		name string
		cats map[string]map[string]string
		want []string
	}{
		{"agree", map[string]map[string]string{"en": {"a": "A", "b": "B"}, "zh": {"a": "甲", "b": "乙"}}, nil},
		{"missing in zh", map[string]map[string]string{"en": {"a": "A", "b": "B"}, "zh": {"a": "甲"}}, []string{`zh lacks "b"`}},
		{"empty in zh", map[string]map[string]string{"en": {"a": "A"}, "zh": {"a": ""}}, []string{`zh lacks "a"`}},
		{"only in zh", map[string]map[string]string{"en": {"a": "A"}, "zh": {"a": "甲", "c": "丙"}}, []string{`en lacks "c"`}},
	}
	for _, c := range cases {
		if got := catalogGaps(c.cats); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	for _, gap := range catalogGaps(messages) {
		t.Error(gap)
	}
}

// Every value of an enumeration the console shows through a catalog key
// (t (print "prefix_" .Value)) has that key: a new status, kind or
// platform cannot reach a page as ⟦key⟧.
func TestEveryEnumerationIsTranslated(t *testing.T) {
	str := func(xs ...string) []string { return xs }
	enums := map[string][]string{
		"platform_":      append(slices.Clone(knownPlatforms), "log"),
		"kind_":          str(shequn.KindProspect, shequn.KindCustomer, shequn.KindCore, shequn.KindSupport, shequn.KindInterest, shequn.KindLocal),
		"stage_":         str(shequn.StageNew, shequn.StageGrowing, shequn.StageMature, shequn.StageDeclining, shequn.StageArchived),
		"structure_":     str("ring", "pyramid"),
		"tier_":          shequn.Tiers,
		"tier_help_":     shequn.Tiers,
		"alert_":         shequn.AlertKinds,
		"att_alert_":     shequn.AlertKinds,
		"alert_status_":  str(shequn.AlertOpen, shequn.AlertAcknowledged, shequn.AlertResolved),
		"outbox_":        outboxStatuses,
		"out_":           str(shequn.ActSend, shequn.ActReply, shequn.ActDM, shequn.ActDelete, shequn.ActMute, shequn.ActUnmute, shequn.ActKick, shequn.ActBan, shequn.ActUnban, shequn.ActNotify, "other"),
		"health_":        str(shequn.HealthRunning, shequn.HealthFailing, shequn.HealthPaused),
		"mstatus_":       str(shequn.StatusActive, shequn.StatusLeft, shequn.StatusKicked, shequn.StatusBanned),
		"source_":        str(shequn.SourceDirect, shequn.SourceInvite, shequn.SourceLink, shequn.SourceQRCode, shequn.SourceCampaign, shequn.SourceImport, shequn.SourceUnknown),
		"ev_":            str(string(shequn.EventMessage), string(shequn.EventJoin), string(shequn.EventLeave), string(shequn.EventKick), string(shequn.EventBan), string(shequn.EventReaction)),
		"points_kind_":   str(shequn.PointsEarn, shequn.PointsGrant, shequn.PointsDeduct, shequn.PointsSpend, shequn.PointsRefund),
		"redemption_":    str(shequn.RedemptionPending, shequn.RedemptionFulfilled, shequn.RedemptionCancelled),
		"broadcast_":     str(shequn.BroadcastPending, shequn.BroadcastApproved, shequn.BroadcastRejected),
		"every_":         append(slices.Clone(shequn.Repeats), everyCron),
		"when_":          append(slices.Clone(shequn.Repeats), everyCron),
		"wd_":            str("0", "1", "2", "3", "4", "5", "6"),
		"op_role_":       str(string(shequn.RoleOwner), string(shequn.RoleAdmin), string(shequn.RoleOperator), string(shequn.RoleViewer)),
		"op_role_help_":  str(string(shequn.RoleOwner), string(shequn.RoleAdmin), string(shequn.RoleOperator), string(shequn.RoleViewer)),
		"role_":          str(shequn.MemberRoleOwner, shequn.MemberRoleAdmin, shequn.MemberRoleKOL, shequn.MemberRoleMember),
		"trigger_":       shequn.Triggers,
		"do_":            shequn.AutomationActions,
		"det_":           moderation.Names(),
		"action_":        shequn.ModerationActions,
		"crit_field_":    tierFields,
		"crit_help_":     tierFields,
		"cue_":           str(string(questions.CueMark), string(questions.CueParticle), string(questions.CueZhWord), string(questions.CueEnOpening), string(questions.CueHelp)),
		"how_":           str(questions.ByReply, questions.ByMention, questions.ByAddressee, ""),
		"config_help_":   str("matrix", "telegram", "wecom"),
		"secret_help_":   str("matrix", "telegram", "wecom"),
		"hc_":            shequn.HealthOrder,
		"advice_":        shequn.HealthOrder,
		"lifecycle_":     str(shequn.LifecycleLaunch, shequn.LifecycleGrowth, shequn.LifecycleMature, shequn.LifecycleDeclining, shequn.LifecycleDormant),
		"an_":            cardKeys(),
		"block_":         shequn.BlockKinds,
		"lead_":          shequn.LeadFields,
		"lead_status_":   shequn.LeadStatuses,
		"funnel_kind_":   str("code", "page", "channel"),
		"campaign_kind_": str(shequn.CampaignTask),
		"help_":          str(shequn.HelpHeld, shequn.HelpReview, shequn.HelpConfirmed, shequn.HelpVoided),
		"void_":          str(shequn.VoidNotNew, shequn.VoidSelf, shequn.VoidBlocklisted, shequn.VoidLeft, shequn.VoidFraud),
		"signal_":        str(shequn.SignalBurst, shequn.SignalDefaultName, shequn.SignalSilent),
		"starter_":       str("hero_text", "hero_button", "proof_title", "proof_members", "proof_who", "proof_quote", "faq_title", "faq_q", "faq_a", "cta_title", "join_title", "form_title", "consent"),
	}
	for prefix, values := range enums {
		for _, v := range values {
			for _, l := range languages {
				if messages[l][prefix+v] == "" {
					t.Errorf("%s lacks %q", l, prefix+v)
				}
			}
		}
	}
	// Tier reasons name their criteria; each has a string.
	_, reasons := shequn.ComputeTier(shequn.DefaultTierCriteria(), shequn.Activity{ActiveMember: true}, time.Now())
	_, churned := shequn.ComputeTier(shequn.DefaultTierCriteria(), shequn.Activity{}, time.Now())
	for _, r := range append(reasons, churned...) {
		if messages["zh"]["crit_"+r.Criterion] == "" {
			t.Errorf("no string for the tier criterion %q", r.Criterion)
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

// Every error format the app, the domain and the console write has a
// Chinese form with the same verbs in the same order, and no Chinese form
// is left over.
func TestEveryErrorFormatIsTranslated(t *testing.T) {
	var files []string
	for _, dir := range []string{"../app", "../..", ".", "../export"} {
		ms, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, m := range ms {
			if !strings.HasSuffix(m, "_test.go") {
				files = append(files, m)
			}
		}
	}
	used := map[string]bool{}
	for _, f := range files {
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) < 2 {
				return true
			}
			var name string
			switch fn := call.Fun.(type) {
			case *ast.SelectorExpr:
				if x, ok := fn.X.(*ast.Ident); ok && x.Name == "shequn" {
					name = fn.Sel.Name
				}
			case *ast.Ident:
				name = fn.Name
			}
			if name != "Errorf" && name != "Invalid" {
				return true
			}
			if lit, ok := call.Args[1].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, _ := strconv.Unquote(lit.Value)
				used[s] = true
			}
			return true
		})
	}
	verbs := regexp.MustCompile(`%[-+# 0]*[0-9]*[a-zA-Z%]`)
	for f := range used {
		zh, ok := errorFormats["zh"][f]
		if !ok {
			t.Errorf("no Chinese for the error %q", f)
			continue
		}
		if a, b := verbs.FindAllString(f, -1), verbs.FindAllString(zh, -1); !slices.Equal(a, b) {
			t.Errorf("%q → %q: verbs %v, want %v", f, zh, b, a)
		}
	}
	for f := range errorFormats["zh"] {
		if !used[f] {
			t.Errorf("the Chinese error %q is no longer used", f)
		}
	}
}

// A refused form keeps what was typed and puts the error on its input.
func TestFormStateKeepsWhatWasTyped(t *testing.T) {
	typed := url.Values{"name": {"早报"}, "step_at_0": {"25:00"}, "enabled": {"on"}, "kinds": {"customer", "vip"}}
	cases := []struct {
		name      string
		err       error
		lang      string
		field     string
		msg       string
		formError string
	}{
		{"field error, Chinese", shequn.Invalid("steps.0.at", "step %d: time %q: want HH:MM", 1, "25:00"), "zh", "step_at_0", "第 1 步：时间 \"25:00\" 请按 时:分 填写，如 08:30", "第 1 步：时间 \"25:00\" 请按 时:分 填写，如 08:30"},
		{"field error, English", shequn.Invalid("steps.0.at", "step %d: time %q: want HH:MM", 1, "25:00"), "en", "step_at_0", `step 1: time "25:00": want HH:MM`, `step 1: time "25:00": want HH:MM`},
		{"a field name translated", shequn.Invalid("name", "%s: required", "name"), "zh", "name", "名称：必填", "名称：必填"},
		{"no field: above the form", shequn.Errorf(shequn.ECONFLICT, "%s is out of stock", "马克杯"), "zh", "", "", "马克杯 已兑完"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := newFormState(typed, c.lang, c.err, inputOfPath)
			fn := formFuncs(fs)
			val, ferr, on, vals := fn["val"].(func(string, any) string), fn["ferr"].(func(string) string), fn["on"].(func(string, bool) bool), fn["vals"].(func(string, []string) []string)
			if val("name", "old") != "早报" || val("step_at_0", "08:00") != "25:00" || val("missing", "def") != "def" {
				t.Fatal("typed values were not kept")
			}
			if !on("enabled", false) || on("other", true) || !slices.Equal(vals("kinds", nil), []string{"customer", "vip"}) {
				t.Fatal("ticked boxes and lists were not kept")
			}
			if c.field != "" && ferr(c.field) != c.msg {
				t.Fatalf("error beside %s = %q, want %q", c.field, ferr(c.field), c.msg)
			}
			if got := fn["formError"].(func() string)(); got != c.formError {
				t.Fatalf("form error %q, want %q", got, c.formError)
			}
		})
	}
	blank := formFuncs(nil)
	if blank["val"].(func(string, any) string)("name", "saved") != "saved" || blank["ferr"].(func(string) string)("name") != "" {
		t.Fatal("a page shown fresh must show the saved values and no error")
	}
}

// TestEveryFieldNameIsTranslated: an error that names its field with %s
// shows the field's name in the operator's language (catalog key
// field_<name>), for every field name the app gives Invalid or lists in
// a table of fields ([]struct{ name string; … }{{"min_length", …}},
// intField{"min_length", …}).
func TestEveryFieldNameIsTranslated(t *testing.T) {
	names := map[string]bool{}
	for _, dir := range []string{"../app", "."} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			file, err := parser.ParseFile(token.NewFileSet(), f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(file, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.CallExpr:
					if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Invalid" && len(x.Args) > 0 {
						if lit, ok := x.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							s, _ := strconv.Unquote(lit.Value)
							names[s] = true
						}
					}
				case *ast.CompositeLit:
					if id, ok := x.Type.(*ast.Ident); ok && id.Name == "intField" && len(x.Elts) > 0 {
						if lit, ok := x.Elts[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							s, _ := strconv.Unquote(lit.Value)
							names[s] = true
						}
						return true
					}
					arr, ok := x.Type.(*ast.ArrayType)
					if !ok {
						return true
					}
					st, ok := arr.Elt.(*ast.StructType)
					if !ok || len(st.Fields.List) == 0 || len(st.Fields.List[0].Names) == 0 || st.Fields.List[0].Names[0].Name != "name" {
						return true
					}
					for _, e := range x.Elts {
						if row, ok := e.(*ast.CompositeLit); ok && len(row.Elts) > 0 {
							if lit, ok := row.Elts[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
								s, _ := strconv.Unquote(lit.Value)
								names[s] = true
							}
						}
					}
				}
				return true
			})
		}
	}
	if len(names) < 50 {
		t.Fatalf("found only %d field names: the scan is broken", len(names))
	}
	for n := range names {
		for _, l := range languages {
			if _, ok := messages[l]["field_"+n]; !ok {
				t.Errorf("no %s name for the field %q (catalog key field_%s)", l, n, n)
			}
		}
	}
}

// cardKeys are the keys of the analytics cards.
func cardKeys() []string {
	var out []string
	for _, c := range cards("en", shequn.ActivitySummary{}) {
		out = append(out, c.Key)
	}
	return out
}
