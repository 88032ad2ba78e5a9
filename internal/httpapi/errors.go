package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shequn/shequn"
)

// statusOf is the one table from error codes to HTTP statuses, for the API
// and (through Status) the console.
var statusOf = map[string]int{
	shequn.EINVALID:      http.StatusBadRequest,
	shequn.EUNAUTHORIZED: http.StatusUnauthorized,
	shequn.EFORBIDDEN:    http.StatusForbidden,
	shequn.ENOTFOUND:     http.StatusNotFound,
	shequn.ECONFLICT:     http.StatusConflict,
	shequn.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	shequn.ETOOMANY:      http.StatusTooManyRequests,
	shequn.EINTERNAL:     http.StatusInternalServerError,
}

// Status is the HTTP status of err's code.
func Status(err error) int {
	if s, ok := statusOf[shequn.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// writeError answers {"error": message[, "index": i]} with the mapped status.
func writeError(w http.ResponseWriter, err error) {
	body := map[string]any{"error": shequn.ErrorMessage(err)}
	if i := shequn.ErrorIndex(err); i >= 0 {
		body["index"] = i
	}
	switch shequn.ErrorCode(err) {
	case shequn.EUNAUTHORIZED:
		w.Header().Set("WWW-Authenticate", `Bearer realm="shequn"`)
	case shequn.ETOOMANY:
		w.Header().Set("Retry-After", strconv.Itoa(int(shequn.ErrorRetryAfter(err).Seconds()+0.999)))
	}
	writeJSON(w, Status(err), body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// readJSON reads a bounded body whole and decodes it into v. It refuses,
// with a message in words: a body over MaxBody (413), bytes that are not
// UTF-8 (naming the field, since the decoder would silently turn them into
// U+FFFD), malformed JSON, values of the wrong type, and anything after the
// object but white space.
func readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return shequn.Errorf(shequn.ETOOLARGE, "body larger than %d bytes", MaxBody)
		}
		return shequn.Errorf(shequn.EINVALID, "the body could not be read")
	}
	return decodeJSON(body, v)
}

// decodeJSON is readJSON's decoder, for bodies already in memory.
func decodeJSON(body []byte, v any) error {
	if bad := invalidText(body); bad >= 0 {
		return shequn.Errorf(shequn.EINVALID, "%s: not valid UTF-8 text", pathAt(body, bad))
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if rest := bytes.TrimLeft(body[dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		return shequn.Errorf(shequn.EINVALID, "bad JSON: trailing data after the object, at byte %d", len(body)-len(rest))
	}
	return nil
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return shequn.Errorf(shequn.EINVALID, "bad JSON at byte %d: %s", syn.Offset, strings.TrimPrefix(syn.Error(), "invalid character "))
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "the body"
		}
		return shequn.Errorf(shequn.EINVALID, "bad JSON: %s must be %s, not %s", field, kindName(typ.Type), typ.Value)
	case errors.Is(err, io.EOF):
		return shequn.Errorf(shequn.EINVALID, "bad JSON: the body is empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return shequn.Errorf(shequn.EINVALID, "bad JSON: the body ends in the middle of a value")
	}
	return shequn.Errorf(shequn.EINVALID, "bad JSON: the body is not a JSON object")
}

// kindName says in words what a Go type holds.
func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Pointer:
		return kindName(t.Elem())
	}
	return "another kind of value"
}

// invalidText returns the offset of the first byte that would not survive
// decoding as itself: a byte that is not UTF-8, or a \u escape of a lone
// UTF-16 surrogate (both become U+FFFD, so two different ids would become
// one); -1 when there is none.
func invalidText(body []byte) int {
	inString := false
	for i := 0; i < len(body); {
		c := body[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRune(body[i:])
			if r == utf8.RuneError && n <= 1 {
				return i
			}
			i += n
			continue
		}
		switch {
		case c == '"':
			inString = !inString
		case c == '\\' && inString && i+1 < len(body):
			if body[i+1] == 'u' {
				if n := surrogateEscape(body[i:]); n < 0 {
					return i
				} else if n > 0 {
					i += n
					continue
				}
			}
			i += 2
			continue
		}
		i++
	}
	return -1
}

// surrogateEscape looks at a \uXXXX escape: 0 when it is not a surrogate,
// the length of a valid high+low pair, or -1 for a lone surrogate.
func surrogateEscape(b []byte) int {
	hex := func(b []byte) (rune, bool) {
		if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
			return 0, false
		}
		v, err := strconv.ParseUint(string(b[2:6]), 16, 32)
		return rune(v), err == nil
	}
	r, ok := hex(b)
	switch {
	case !ok || r < 0xd800 || r > 0xdfff:
		return 0
	case r >= 0xdc00: // a low surrogate first
		return -1
	}
	if lo, ok := hex(b[6:]); ok && lo >= 0xdc00 && lo <= 0xdfff {
		return 12
	}
	return -1
}

// pathAt names where in a JSON document offset bad is, as a path such as
// events[3].text; "the body" when it is not inside a value the tokenizer
// reaches.
func pathAt(body []byte, bad int) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	type frame struct {
		array bool
		index int
		key   string
		inKey bool // the next string token is a key
	}
	var stack []frame
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			if f.array {
				b.WriteString("[" + strconv.Itoa(f.index) + "]")
			} else if f.key != "" {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
			}
		}
		if b.Len() == 0 {
			return "the body"
		}
		return b.String()
	}
	for {
		before := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return path()
		}
		hit := before <= int64(bad) && int64(bad) < dec.InputOffset()
		top := len(stack) - 1
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:top]
			if top > 0 && !stack[top-1].array {
				stack[top-1].inKey = true
			}
			continue
		}
		if top >= 0 && !stack[top].array && stack[top].inKey { // a key
			stack[top].key, stack[top].inKey = tok.(string), false
			if hit {
				return path()
			}
			continue
		}
		if top >= 0 && stack[top].array {
			stack[top].index++
		}
		if d, ok := tok.(json.Delim); ok {
			stack = append(stack, frame{array: d == '[', index: -1, inKey: d == '{'})
			continue
		}
		if hit {
			return path()
		}
		if top >= 0 && !stack[top].array {
			stack[top].inKey = true
		}
	}
}
