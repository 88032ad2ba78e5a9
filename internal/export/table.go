package export

import (
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	"github.com/shequn/shequn"
)

// column is one column of a struct table: its name and how to reach it.
type column struct {
	name  string
	index []int
}

var timeType = reflect.TypeOf(time.Time{})

// columns lists the columns of a struct type by its JSON names: embedded
// structs are flattened, nested structs become "parent.child", "-" and
// unexported fields are left out.
func columns(t reflect.Type, prefix string, index []int) []column {
	var out []column
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		at := append(append([]int(nil), index...), i)
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case f.Anonymous && ft.Kind() == reflect.Struct && name == "":
			out = append(out, columns(ft, prefix, at)...)
			continue
		case name == "":
			name = f.Name
		}
		if ft.Kind() == reflect.Struct && ft != timeType && f.Type.Kind() != reflect.Pointer {
			out = append(out, columns(ft, prefix+name+".", at)...)
			continue
		}
		out = append(out, column{name: prefix + name, index: at})
	}
	return out
}

// Table writes rows (a slice of structs or of pointers to structs) as a
// table named by the structs' JSON fields. Phone numbers are masked.
func Table(out io.Writer, format string, rows any, loc *time.Location) error {
	t, err := NewTable(out, format, rows, loc)
	if err != nil {
		return err
	}
	if err := t.Write(rows); err != nil {
		return err
	}
	return t.Close()
}

// TableWriter writes slices of one struct type, a slice at a time.
type TableWriter struct {
	x    *Writer
	cols []column
	vals []any
}

// NewTable starts a table whose columns are those of like's elements (a
// slice of structs or of pointers to structs, empty or not).
func NewTable(out io.Writer, format string, like any, loc *time.Location) (*TableWriter, error) {
	t := reflect.TypeOf(like)
	if t == nil || t.Kind() != reflect.Slice {
		return nil, fmt.Errorf("export: %T is not a slice", like)
	}
	et := t.Elem()
	if et.Kind() == reflect.Pointer {
		et = et.Elem()
	}
	if et.Kind() != reflect.Struct {
		return nil, fmt.Errorf("export: %T is not a slice of structs", like)
	}
	cols := columns(et, "", nil)
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.name
	}
	x, err := New(out, format, header, loc)
	if err != nil {
		return nil, err
	}
	return &TableWriter{x: x, cols: cols, vals: make([]any, len(cols))}, nil
}

// Write adds rows, a slice of the table's type.
func (t *TableWriter) Write(rows any) error {
	v := reflect.ValueOf(rows)
	for i := range v.Len() {
		if err := t.one(v.Index(i)); err != nil {
			return err
		}
	}
	return nil
}

// WriteOne adds one row, a struct or a pointer to one.
func (t *TableWriter) WriteOne(row any) error { return t.one(reflect.ValueOf(row)) }

func (t *TableWriter) one(v reflect.Value) error {
	row := reflect.Indirect(v)
	for j, c := range t.cols {
		t.vals[j] = value(row, c)
	}
	return t.x.Row(t.vals...)
}

// Close finishes the table.
func (t *TableWriter) Close() error { return t.x.Close() }

// value reads a column of row as a cell value.
func value(row reflect.Value, c column) any {
	f, ok := field(row, c.index)
	if !ok {
		return nil
	}
	if f.Kind() == reflect.Pointer {
		if f.IsNil() {
			return nil
		}
		f = f.Elem()
	}
	if f.Type() == timeType {
		return f.Interface().(time.Time)
	}
	switch f.Kind() {
	case reflect.String:
		if c.name == "phone" || strings.HasSuffix(c.name, ".phone") {
			return shequn.MaskPhone(f.String())
		}
		return f.String()
	case reflect.Bool:
		return f.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return f.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return int64(f.Uint())
	case reflect.Float32, reflect.Float64:
		return f.Float()
	case reflect.Slice:
		if f.Type().Elem().Kind() == reflect.String {
			return strings.Join(f.Interface().([]string), "; ")
		}
	}
	b, _ := json.Marshal(f.Interface())
	return string(b)
}

// field follows index through embedded pointers; false at a nil one.
func field(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return v, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}
