// Package httpapi serves shequn's JSON API under /api/v1, the health and
// metrics endpoints, and mounts the web console.
package httpapi

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
)

// MaxBody bounds request bodies.
const MaxBody = 8 << 20

//go:embed openapi.json
var openapiDoc []byte

// Server is the HTTP front of shequn.
type Server struct {
	app     *app.App
	mux     *http.ServeMux
	reg     *prometheus.Registry
	metrics *metrics
	log     *slog.Logger
}

type metrics struct {
	ingested *prometheus.CounterVec
	batch    prometheus.Histogram
	requests *prometheus.CounterVec
}

// New returns a server with every API route registered. console, when not
// nil, serves everything outside /api, /metrics and the health checks.
func New(a *app.App, console http.Handler) *Server {
	s := &Server{app: a, mux: http.NewServeMux(), reg: prometheus.NewRegistry(), log: a.Log}
	s.metrics = &metrics{
		ingested: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "shequn_events_ingested_total", Help: "Events received by the pipeline, by result."}, []string{"result"}),
		batch:    prometheus.NewHistogram(prometheus.HistogramOpts{Name: "shequn_ingest_batch_seconds", Help: "Time to commit one ingest batch.", Buckets: prometheus.DefBuckets}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "shequn_http_requests_total", Help: "HTTP requests by route and status."}, []string{"route", "code"}),
	}
	s.reg.MustRegister(s.metrics.ingested, s.metrics.batch, s.metrics.requests, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	a.Pipeline.Observe(func(events, accepted int, took time.Duration) {
		s.metrics.ingested.WithLabelValues("accepted").Add(float64(accepted))
		s.metrics.ingested.WithLabelValues("duplicate").Add(float64(events - accepted))
		s.metrics.batch.Observe(took.Seconds())
	})
	s.routes(console)
	return s
}

func (s *Server) routes(console http.Handler) {
	s.handle("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	s.handle("GET /readyz", s.ready)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{}))
	s.handle("GET /api/v1/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openapiDoc)
	})
	s.api("POST /api/v1/events", s.postEvents)
	s.api("GET /api/v1/stats/overview", s.getOverview)
	s.api("GET /api/v1/stats/daily", s.getDaily)
	s.api("GET /api/v1/communities", s.getCommunities)
	s.api("GET /api/v1/communities/{id}", s.getCommunity)
	s.api("PATCH /api/v1/communities/{id}", s.patchCommunity)
	s.api("GET /api/v1/members", s.getMembers)
	s.api("GET /api/v1/members/{id}", s.getMember)
	s.moderationRoutes()
	s.pointsRoutes()
	s.aliveRoutes()
	s.connectorRoutes()
	s.handle("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, shequn.Errorf(shequn.ENOTFOUND, "no API route %s %s", r.Method, r.URL.Path))
	})
	if console != nil {
		s.mux.Handle("/", console)
	}
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, code: 200}
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("panic serving request", "path", r.URL.Path, "panic", v)
			if !rec.wrote {
				writeError(rec, errors.New("panic"))
			}
		}
		_, pattern := s.mux.Handler(r)
		s.metrics.requests.WithLabelValues(pattern, strconv.Itoa(rec.code)).Inc()
	}()
	s.mux.ServeHTTP(rec, r)
}

type statusRecorder struct {
	http.ResponseWriter
	code  int
	wrote bool
}

func (r *statusRecorder) WriteHeader(code int) {
	r.code, r.wrote = code, true
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (s *Server) handle(pattern string, fn http.HandlerFunc) { s.mux.HandleFunc(pattern, fn) }

type wsKey struct{}

// api registers a bearer-token route; the handler finds its workspace in ctx.
func (s *Server) api(pattern string, fn http.HandlerFunc) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			token = ""
		}
		ws, err := s.app.AuthenticateToken(r.Context(), strings.TrimSpace(token))
		if err != nil {
			writeError(w, err)
			return
		}
		fn(w, r.WithContext(context.WithValue(r.Context(), wsKey{}, ws)))
	})
}

func workspace(r *http.Request) *shequn.Workspace {
	return r.Context().Value(wsKey{}).(*shequn.Workspace)
}

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.app.DB.Ping(ctx); err != nil {
		http.Error(w, "database not ready", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ready\n"))
}

// statusOf is the one table from error codes to HTTP statuses.
var statusOf = map[string]int{
	shequn.EINVALID:      http.StatusBadRequest,
	shequn.EUNAUTHORIZED: http.StatusUnauthorized,
	shequn.EFORBIDDEN:    http.StatusForbidden,
	shequn.ENOTFOUND:     http.StatusNotFound,
	shequn.ECONFLICT:     http.StatusConflict,
	shequn.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	shequn.EINTERNAL:     http.StatusInternalServerError,
}

// writeError answers {"error": message[, "index": i]} with the mapped status.
func writeError(w http.ResponseWriter, err error) {
	code := shequn.ErrorCode(err)
	body := map[string]any{"error": shequn.ErrorMessage(err)}
	if i := shequn.ErrorIndex(err); i >= 0 {
		body["index"] = i
	}
	if code == shequn.EUNAUTHORIZED {
		w.Header().Set("WWW-Authenticate", `Bearer realm="shequn"`)
	}
	writeJSON(w, statusOf[code], body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// readJSON decodes a bounded body into v with clear errors.
func readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &tooBig):
			return shequn.Errorf(shequn.ETOOLARGE, "body larger than %d bytes", MaxBody)
		case errors.As(err, &syn):
			return shequn.Errorf(shequn.EINVALID, "bad JSON at byte %d: %v", syn.Offset, err)
		case errors.As(err, &typ):
			return shequn.Errorf(shequn.EINVALID, "bad JSON: field %s must be %s", typ.Field, typ.Type)
		default:
			return shequn.Errorf(shequn.EINVALID, "bad JSON: %v", err)
		}
	}
	if dec.More() {
		return shequn.Errorf(shequn.EINVALID, "bad JSON: trailing data after the object")
	}
	return nil
}
