package web_test

import (
	"bytes"
	"encoding/csv"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shequn/shequn"

	"github.com/xuri/excelize/v2"
)

// The console's tables download as CSV and Excel with the page's filter;
// a bad format or table is refused with the page's error.
func TestConsoleExports(t *testing.T) {
	srv, _ := newConsole(t)
	c := login(t, srv, "ops@example.com", "correct horse")
	members := get(t, c, srv.URL+"/members?format=csv")
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(members, "\uFEFF"))).ReadAll()
	if err != nil || len(recs) < 300 || recs[0][0] != "id" {
		t.Fatalf("members csv: %d rows %v", len(recs), err)
	}
	for _, path := range []string{"/communities?format=xlsx", "/leaderboards?format=xlsx", "/analytics?table=health&format=xlsx",
		"/analytics?table=cohorts&format=xlsx", "/analytics?table=groups&format=xlsx", "/analytics?table=posters&format=xlsx", "/analytics?table=daily&format=xlsx"} {
		f, err := excelize.OpenReader(bytes.NewReader([]byte(get(t, c, srv.URL+path))))
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		rows, _ := f.GetRows("Sheet1")
		f.Close()
		if len(rows) < 2 {
			t.Errorf("%s: %d rows", path, len(rows))
		}
	}
	cohorts := get(t, c, srv.URL+"/analytics?table=cohorts&format=csv")
	if !strings.Contains(cohorts, "stayed_day_14") || !strings.Contains(cohorts, "active_week_8") {
		t.Errorf("cohorts csv header: %.200s", cohorts)
	}
	for _, path := range []string{"/members?format=pdf", "/analytics?table=nope&format=csv"} {
		resp, err := c.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 400 || !strings.Contains(string(b), "want") {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
	}
	compared := get(t, c, srv.URL+"/analytics?benchmark=rest&from=2026-01-01&to=2026-01-28&compare_from=2025-12-01&compare_to=2025-12-28")
	if !strings.Contains(compared, `value="rest" selected`) || !strings.Contains(compared, "2025-12-01 – 2025-12-28") {
		t.Errorf("the benchmark filter or the chosen comparison is not shown")
	}
	for _, path := range []string{"/analytics?benchmark=best", "/analytics?compare_from=2025-13-01"} {
		resp, err := c.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 400 {
			t.Errorf("%s: %d, want 400", path, resp.StatusCode)
		}
	}
	page := get(t, c, srv.URL+"/analytics")
	if strings.Count(page, "format=xlsx") != 9 {
		t.Errorf("analytics page has %d Excel links, want 9", strings.Count(page, "format=xlsx"))
	}
}

// The health weights' form: a bad weight comes back with its message, a
// good one is kept and shown.
func TestHealthWeightsForm(t *testing.T) {
	srv, _ := newConsole(t)
	c := login(t, srv, "ops@example.com", "correct horse")
	form := url.Values{}
	for _, n := range shequn.HealthOrder {
		form.Set("w_"+n, "10")
	}
	form.Set("w_clean", "lots")
	resp, err := c.PostForm(srv.URL+"/analytics/weights?lang=en", form)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "want a whole number") || !strings.Contains(string(body), `value="lots"`) {
		t.Fatalf("bad weight: %d", resp.StatusCode)
	}
	form.Set("w_clean", "40")
	if resp, err := c.PostForm(srv.URL+"/analytics/weights", form); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("good weights: %v %v", resp.StatusCode, err)
	}
	page := get(t, c, srv.URL+"/analytics?saved=1")
	if !strings.Contains(page, `name="w_clean" min="0" max="100" value="40"`) || !strings.Contains(page, `id="weights-saved"`) {
		t.Errorf("the saved weights are not shown")
	}
}
