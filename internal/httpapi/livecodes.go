package httpapi

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
)

func (s *Server) getLiveCodes(w http.ResponseWriter, r *http.Request) {
	cs, err := s.app.LiveCodes(r.Context(), workspace(r))
	respondList(w, r, "live_codes", nonNil(cs), err)
}

func (s *Server) getLiveCode(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	c, err := s.app.LiveCode(r.Context(), workspace(r), id)
	respond(w, http.StatusOK, "live_code", c, err)
}

func (s *Server) saveLiveCode(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, err)
		return
	}
	var c shequn.LiveCode
	if err := readJSON(w, r, &c); err != nil {
		writeError(w, err)
		return
	}
	c.ID, c.Targets = id, nil
	status := http.StatusOK
	if id == 0 {
		status = http.StatusCreated
	}
	err = s.app.SaveLiveCode(r.Context(), workspace(r), nil, &c)
	respond(w, status, "live_code", &c, err)
}

func (s *Server) deleteLiveCode(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err == nil {
		err = s.app.DeleteLiveCode(r.Context(), workspace(r), nil, id)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) postLiveTarget(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	ws := workspace(r)
	t, image, err := ReadLiveTarget(w, r, ws.Location())
	if err != nil {
		writeError(w, err)
		return
	}
	t.LiveCodeID = id
	if t.Invite {
		err = s.app.AddInviteTarget(r.Context(), ws, nil, &t)
	} else {
		err = s.app.AddLiveTarget(r.Context(), ws, nil, &t, image)
	}
	respond(w, http.StatusCreated, "target", &t, err)
}

func (s *Server) deleteLiveTarget(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	target, err := parseID(r.PathValue("target"))
	if err == nil {
		err = s.app.DeleteLiveTarget(r.Context(), workspace(r), nil, id, target)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// ReadLiveTarget reads a live code target from a multipart form (the
// console's and the API's): the QR picture in "image" (at most
// shequn.MaxQRImage bytes) and the fields app.LiveTargetForm reads.
//
// A JSON body (a WeCom code's target: a group, no picture) is read as a
// shequn.LiveTarget.
func ReadLiveTarget(w http.ResponseWriter, r *http.Request, loc *time.Location) (shequn.LiveTarget, []byte, error) {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var t shequn.LiveTarget
		return t, nil, readJSON(w, r, &t)
	}
	r.Body = http.MaxBytesReader(w, r.Body, shequn.MaxQRImage+64<<10)
	if err := r.ParseMultipartForm(shequn.MaxQRImage + 64<<10); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return shequn.LiveTarget{}, nil, shequn.Errorf(shequn.ETOOLARGE, "the picture is larger than %d KB", shequn.MaxQRImage>>10)
		}
		return shequn.LiveTarget{}, nil, shequn.Invalid("image", "a QR picture is required")
	}
	defer r.MultipartForm.RemoveAll()
	t, err := app.LiveTargetForm(r.FormValue, loc)
	if err != nil {
		return t, nil, err
	}
	f, _, ferr := r.FormFile("image")
	if ferr != nil {
		return t, nil, nil // the app says whether the code needs one
	}
	defer f.Close()
	image, rerr := io.ReadAll(io.LimitReader(f, shequn.MaxQRImage+1))
	if rerr != nil {
		return t, nil, shequn.Invalid("image", "a QR picture is required")
	}
	return t, image, nil
}
