package export_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/shequn/shequn/internal/export"
	"github.com/xuri/excelize/v2"
)

type inner struct {
	Score int `json:"score"`
}

type row struct {
	ID      int64      `json:"id"`
	Name    string     `json:"name"`
	Phone   string     `json:"phone,omitempty"`
	Tags    []string   `json:"tags"`
	Share   float64    `json:"share"`
	Staff   bool       `json:"staff"`
	At      time.Time  `json:"at"`
	Left    *time.Time `json:"left_at"`
	Stats   inner      `json:"stats"`
	Secret  string     `json:"-"`
	private int
}

func rows() []*row {
	at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	return []*row{
		{ID: 1, Name: "小明", Phone: "13812345678", Tags: []string{"新人", "vip"}, Share: 0.25, At: at, Stats: inner{7}, Secret: "s3cret"},
		{ID: 2, Name: "=HYPERLINK(\"http://evil\")", Staff: true, At: at, Left: &at},
		{ID: 3, Name: "@SUM(A1)", Tags: nil},
	}
}

func TestTableCSV(t *testing.T) {
	var b bytes.Buffer
	if err := export.Table(&b, "csv", rows(), time.FixedZone("CST", 8*3600)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.HasPrefix(out, "\uFEFF") {
		t.Fatal("no byte-order mark: Excel would read UTF-8 as GBK")
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"id", "name", "phone", "tags", "share", "staff", "at", "left_at", "stats.score"},
		{"1", "小明", "138******78", "新人; vip", "0.25", "false", "2026-03-02 10:00:00", "", "7"},
		{"2", "'=HYPERLINK(\"http://evil\")", "", "", "0", "true", "2026-03-02 10:00:00", "2026-03-02 10:00:00", "0"},
		{"3", "'@SUM(A1)", "", "", "0", "false", "", "", "0"},
	}
	if fmt.Sprint(recs) != fmt.Sprint(want) {
		t.Errorf("csv\n got %q\nwant %q", recs, want)
	}
	if strings.Contains(out, "s3cret") || strings.Contains(out, "12345678") {
		t.Error("a secret or a whole phone number in the export")
	}
}

func TestTableXLSX(t *testing.T) {
	var b bytes.Buffer
	if err := export.Table(&b, "xlsx", rows(), time.UTC); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := f.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[0][0] != "id" || got[1][1] != "小明" || got[1][2] != "138******78" || got[2][1] != `=HYPERLINK("http://evil")` {
		t.Fatalf("rows %q", got)
	}
	if formula, _ := f.GetCellFormula("Sheet1", "B3"); formula != "" {
		t.Errorf("a member's text became a formula: %q", formula)
	}
	if typ, _ := f.GetCellType("Sheet1", "E2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("share is stored as %v, want a number", typ)
	}
}

func TestSheetsSplitAtTheRowLimit(t *testing.T) {
	defer func(n int) { export.SheetRows = n }(export.SheetRows)
	export.SheetRows = 2
	var b bytes.Buffer
	x, err := export.New(&b, "xlsx", []string{"n"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if err := x.Row(i); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var counts []int
	for _, s := range f.GetSheetList() {
		r, _ := f.GetRows(s)
		counts = append(counts, len(r))
	}
	if fmt.Sprint(counts) != "[3 3 2]" {
		t.Errorf("rows per sheet (with the header) %v, want [3 3 2]", counts)
	}
}

func TestRefusals(t *testing.T) {
	for _, f := range []string{"", "pdf", "CSV", "xls"} {
		if _, err := export.New(io.Discard, f, nil, nil); err == nil {
			t.Errorf("format %q accepted", f)
		}
	}
	if err := export.Table(io.Discard, "csv", 42, nil); err == nil {
		t.Error("a number exported as a table")
	}
}

// A large export does not hold its rows: 200,000 rows of 900 bytes (180 MB
// held) keep the heap under 72 MB in both formats (excelize buffers up to
// 16 MB of a sheet before it spills to a temporary file).
func TestLargeExportStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("large export: not in -short")
	}
	text := strings.Repeat("长", 300) // 900 bytes
	for _, format := range export.Formats {
		runtime.GC()
		var peak uint64
		x, err := export.New(io.Discard, format, []string{"id", "text", "n"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		var ms runtime.MemStats
		for i := range 200_000 {
			if err := x.Row(int64(i), fmt.Sprintf("%s%d", text, i), float64(i)/3); err != nil {
				t.Fatal(err)
			}
			if i%20_000 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
		}
		if err := x.Close(); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
		t.Logf("%s: peak heap in use %.1f MB", format, float64(peak)/1e6)
		if peak > 72<<20 {
			t.Errorf("%s: heap in use reached %.1f MB exporting 180 MB of rows", format, float64(peak)/1e6)
		}
	}
}

func BenchmarkExport(b *testing.B) {
	for _, format := range export.Formats {
		b.Run(format, func(b *testing.B) {
			x, _ := export.New(io.Discard, format, []string{"id", "name", "messages", "share"}, nil)
			for i := range b.N {
				x.Row(int64(i), "member name 成员", i%1000, float64(i)/7)
			}
			x.Close()
		})
	}
}
