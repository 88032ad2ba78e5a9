// Package httpapi serves shequn's JSON API under /api/v1, the health and
// metrics endpoints, and mounts the web console.
package httpapi

import (
	"context"
	"crypto/subtle"
	_ "embed"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/shequn/shequn"
	"github.com/shequn/shequn/internal/app"
	"github.com/shequn/shequn/internal/metrics"
	"github.com/shequn/shequn/internal/proxy"
)

// MaxBody bounds request bodies.
const MaxBody = 8 << 20

// Server is the HTTP front of shequn.
type Server struct {
	app          *app.App
	mux          *http.ServeMux
	metrics      *metrics.Metrics
	metricsToken string
	trust        proxy.Trust
	log          *slog.Logger
	apiRoutes    []string // the API's patterns, as registered ("GET /api/v1/…")
}

// APIRoutes lists the API's routes ("GET /api/v1/members"), so that a
// test can hold the OpenAPI document to every one of them.
func (s *Server) APIRoutes() []string { return s.apiRoutes }

// Option configures a Server.
type Option func(*Server)

// WithMetrics makes the server count into m and serve it at /metrics.
func WithMetrics(m *metrics.Metrics) Option { return func(s *Server) { s.metrics = m } }

// WithMetricsToken lets /metrics be read from anywhere with this bearer
// token; without one it answers loopback clients only.
func WithMetricsToken(token string) Option { return func(s *Server) { s.metricsToken = token } }

// WithTrust names the reverse proxies whose forwarding headers are believed.
func WithTrust(t proxy.Trust) Option { return func(s *Server) { s.trust = t } }

// New returns a server with every API route registered. console, when not
// nil, serves everything outside /api, /metrics and the health checks.
func New(a *app.App, console http.Handler, opts ...Option) *Server {
	s := &Server{app: a, mux: http.NewServeMux(), log: a.Log}
	for _, o := range opts {
		o(s)
	}
	if s.metrics == nil {
		s.metrics = metrics.New()
		a.Pipeline.Observe(s.metrics)
	}
	s.routes(console)
	return s
}

// serveMetrics answers loopback clients, or anyone with the metrics token.
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	if s.metricsToken != "" {
		token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if subtle.ConstantTimeCompare([]byte(token), []byte(s.metricsToken)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="shequn metrics"`)
			writeError(w, shequn.Errorf(shequn.EUNAUTHORIZED, "metrics: a bearer token is required"))
			return
		}
	} else if !s.trust.Loopback(r) {
		writeError(w, shequn.Errorf(shequn.EFORBIDDEN, "metrics: only this machine may read them; set --metrics-token to read them from elsewhere"))
		return
	}
	s.metrics.Handler().ServeHTTP(w, r)
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, code: 200}
	defer func() {
		v := recover()
		if err, ok := exportError(v); ok {
			s.log.Warn("export aborted", "path", r.URL.Path, "err", err)
		} else if v != nil {
			s.log.Error("panic serving request", "path", r.URL.Path, "panic", v)
			if !rec.wrote {
				writeError(rec, errors.New("panic"))
			}
		}
		_, pattern := s.mux.Handler(r)
		s.metrics.Request(pattern, rec.code)
		if _, ok := exportError(v); ok {
			panic(http.ErrAbortHandler) // net/http cuts the connection
		}
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
	s.apiRoutes = append(s.apiRoutes, pattern)
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
	if err := s.app.Ping(ctx); err != nil {
		http.Error(w, "database not ready", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ready\n"))
}
