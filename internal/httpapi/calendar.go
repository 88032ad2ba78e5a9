package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/shequn/shequn"
)

func (s *Server) getCalendar(w http.ResponseWriter, r *http.Request) {
	days := 7
	if v := r.URL.Query().Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 31 {
			writeError(w, shequn.Errorf(shequn.EINVALID, "days %q: 1 to 31", v))
			return
		}
		days = n
	}
	now := s.app.Clock.Now()
	items, err := s.app.Calendar(r.Context(), workspace(r), now, now.Add(time.Duration(days)*24*time.Hour))
	respondList(w, r, "items", nonNil(items), err)
}
