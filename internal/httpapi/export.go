package httpapi

import (
	"net/http"
	"time"

	"github.com/shequn/shequn/internal/export"
)

// exporting returns an export's ?format= (csv or xlsx), "" for JSON.
func exporting(r *http.Request) string {
	if f := r.URL.Query().Get("format"); f != "json" {
		return f
	}
	return ""
}

// writeList answers body as JSON, or, with ?format=csv|xlsx, its list
// under key as a file to download.
func writeList(w http.ResponseWriter, r *http.Request, key string, body map[string]any) {
	if exporting(r) == "" {
		writeJSON(w, http.StatusOK, body)
		return
	}
	d, err := startExport(w, r, key, body[key])
	if err == nil {
		err = d.Write(body[key])
	}
	finish(w, d, err)
}

// respondList is respond for a list: JSON under key, or an export.
func respondList(w http.ResponseWriter, r *http.Request, key string, v any, err error) {
	if err != nil {
		writeError(w, err)
		return
	}
	writeList(w, r, key, map[string]any{key: v})
}

// startExport checks the format, names the download and starts a table
// with the columns of like's elements.
func startExport(w http.ResponseWriter, r *http.Request, key string, like any) (*export.Download, error) {
	ws := workspace(r)
	return export.NewDownload(w, exporting(r), export.FileName(ws, key, time.Now()), like, ws.Location())
}

// exportPages exports every row of a paged list (export.WritePages).
func exportPages[T any](w http.ResponseWriter, r *http.Request, key string, fetch func(limit, offset int) ([]T, error)) {
	d, err := startExport(w, r, key, []T(nil))
	if err == nil {
		err = export.WritePages(d, fetch)
	}
	finish(w, d, err)
}

// finish closes a download, or answers its error: with a status while
// nothing went out, else by cutting the transfer.
func finish(w http.ResponseWriter, d *export.Download, err error) {
	if err == nil {
		err = d.Close()
	}
	switch {
	case err == nil:
	case d == nil || !d.Started():
		writeError(w, err)
	default:
		abort(err)
	}
}

// abort ends a download that failed after its first bytes: the client
// sees a broken transfer, never a file that looks whole.
func abort(err error) {
	panic(abortErr{err})
}

type abortErr struct{ error }

// exportError reports whether a recovered panic is an aborted export.
func exportError(v any) (error, bool) {
	e, ok := v.(abortErr)
	return e.error, ok
}
