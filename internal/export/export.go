// Package export writes tables as CSV or Excel (.xlsx), a row at a time:
// CSV goes straight to the writer, Excel through excelize's stream
// writer, which spills to a temporary file past 16 MB, so neither holds a
// large export in memory.
package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/shequn/shequn"
	"github.com/xuri/excelize/v2"
)

// Formats are the formats an export can take.
var Formats = []string{"csv", "xlsx"}

// SheetRows is how many data rows an Excel sheet holds before the export
// goes on in a new sheet (Excel's limit is 1,048,576 rows with the header).
var SheetRows = 1<<20 - 1

// Writer writes one table.
type Writer struct {
	format string
	header []string
	loc    *time.Location
	out    io.Writer
	csv    *csv.Writer
	book   *excelize.File
	sheet  *excelize.StreamWriter
	sheets int
	rows   int
}

// Valid reports whether format is an export format, with an error saying
// which are.
func Valid(format string) error {
	if format != "csv" && format != "xlsx" {
		return shequn.Errorf(shequn.EINVALID, "format %q: want csv or xlsx", format)
	}
	return nil
}

// ContentType is the MIME type of format.
func ContentType(format string) string {
	if format == "xlsx" {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv; charset=utf-8"
}

// New starts a table with these column names; times are written in loc.
// CSV starts with a byte-order mark, which Excel needs to read UTF-8.
func New(out io.Writer, format string, header []string, loc *time.Location) (*Writer, error) {
	if err := Valid(format); err != nil {
		return nil, err
	}
	if loc == nil {
		loc = time.UTC
	}
	x := &Writer{format: format, header: header, loc: loc, out: out}
	if format == "csv" {
		if _, err := io.WriteString(out, "\uFEFF"); err != nil {
			return nil, err
		}
		x.csv = csv.NewWriter(out)
		return x, x.csv.Write(header)
	}
	x.book = excelize.NewFile()
	return x, x.nextSheet()
}

// nextSheet opens the next sheet and writes the header in bold.
func (x *Writer) nextSheet() error {
	if x.sheet != nil {
		if err := x.sheet.Flush(); err != nil {
			return err
		}
	}
	x.sheets++
	name := "Sheet" + strconv.Itoa(x.sheets)
	if x.sheets > 1 {
		if _, err := x.book.NewSheet(name); err != nil {
			return err
		}
	}
	sw, err := x.book.NewStreamWriter(name)
	if err != nil {
		return err
	}
	x.sheet, x.rows = sw, 0
	bold, err := x.book.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	cells := make([]any, len(x.header))
	for i, h := range x.header {
		cells[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	return sw.SetRow("A1", cells, excelize.RowOpts{})
}

// Row writes one row: strings, numbers, booleans, times (in the
// writer's zone) and nil (an empty cell).
func (x *Writer) Row(vals ...any) error {
	if x.csv != nil {
		rec := make([]string, len(vals))
		for i, v := range vals {
			rec[i] = x.text(v)
		}
		return x.csv.Write(rec)
	}
	if x.rows == SheetRows {
		if err := x.nextSheet(); err != nil {
			return err
		}
	}
	x.rows++
	cells := make([]any, len(vals))
	for i, v := range vals {
		cells[i] = x.cell(v)
	}
	cell, err := excelize.CoordinatesToCellName(1, x.rows+1)
	if err != nil {
		return err
	}
	return x.sheet.SetRow(cell, cells)
}

// Close finishes the table: flushes CSV, writes the workbook.
func (x *Writer) Close() error {
	if x.csv != nil {
		x.csv.Flush()
		return x.csv.Error()
	}
	defer x.book.Close()
	if err := x.sheet.Flush(); err != nil {
		return err
	}
	_, err := x.book.WriteTo(x.out)
	return err
}

// text writes a value for CSV. A text that a spreadsheet would read as a
// formula (=, +, -, @ first) gets a leading apostrophe: an export must not
// run what a member typed.
func (x *Writer) text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			return "'" + v
		}
		return v
	case time.Time:
		return x.when(v)
	case *time.Time:
		if v == nil {
			return ""
		}
		return x.when(*v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// cell writes a value for Excel: numbers stay numbers; text is written as
// text (excelize never writes a string as a formula).
func (x *Writer) cell(v any) any {
	switch v := v.(type) {
	case nil:
		return nil
	case time.Time:
		return x.when(v)
	case *time.Time:
		if v == nil {
			return nil
		}
		return x.when(*v)
	case string, bool, int, int64, float64:
		return v
	}
	return fmt.Sprint(v)
}

func (x *Writer) when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(x.loc).Format(time.DateTime)
}
