package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/shequn/shequn"
)

// respond writes v under key, or the error.
func respond(w http.ResponseWriter, status int, key string, v any, err error) {
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, status, map[string]any{key: v})
}

// pathID reads the {id} path value; 0 when the route has none.
func pathID(r *http.Request) (int64, error) {
	if r.PathValue("id") == "" {
		return 0, nil
	}
	return parseID(r.PathValue("id"))
}

func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, shequn.Errorf(shequn.EINVALID, "id %q: want a positive integer", s)
	}
	return id, nil
}

func paging(r *http.Request) (limit, offset int, err error) {
	q := r.URL.Query()
	limit, offset = 50, 0
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 500 {
			return 0, 0, shequn.Errorf(shequn.EINVALID, "limit %q: want 1 to 500", v)
		}
	}
	if v := q.Get("offset"); v != "" {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 {
			return 0, 0, shequn.Errorf(shequn.EINVALID, "offset %q: want 0 or more", v)
		}
	}
	return limit, offset, nil
}

func optionalID(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 0 {
		return 0, shequn.Errorf(shequn.EINVALID, "%s %q: want a number", name, v)
	}
	return id, nil
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// jsonString re-encodes a decoded JSON object ("{}" for none).
func jsonString(v map[string]any) (string, error) {
	if v == nil {
		return "{}", nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}

// postStatus handles POST …/{id}/status {"status": …} with set.
func postStatus(set func(ctx context.Context, ws *shequn.Workspace, op *shequn.Operator, id int64, status string) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := parseID(r.PathValue("id"))
		if err != nil {
			writeError(w, err)
			return
		}
		var body struct {
			Status string `json:"status"`
		}
		if err := readJSON(w, r, &body); err != nil {
			writeError(w, err)
			return
		}
		err = set(r.Context(), workspace(r), nil, id, body.Status)
		respond(w, http.StatusOK, "status", body.Status, err)
	}
}

// saveJSON handles a JSON body of T posted to create (201, no id in the
// path) or put to …/{id} to change (200), answered under key.
func saveJSON[T any](key string, setID func(*T, int64), save func(context.Context, *shequn.Workspace, *shequn.Operator, *T) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			writeError(w, err)
			return
		}
		var v T
		if err := readJSON(w, r, &v); err != nil {
			writeError(w, err)
			return
		}
		setID(&v, id)
		status := http.StatusOK
		if id == 0 {
			status = http.StatusCreated
		}
		respond(w, status, key, &v, save(r.Context(), workspace(r), nil, &v))
	}
}
