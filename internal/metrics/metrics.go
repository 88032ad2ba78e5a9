// Package metrics owns shequn's Prometheus collectors: one place to add a
// metric, wired by cli and read at /metrics.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds every collector of one process.
type Metrics struct {
	reg      *prometheus.Registry
	ingested *prometheus.CounterVec
	batch    prometheus.Histogram
	requests *prometheus.CounterVec
	logins   *prometheus.CounterVec
	stages   *prometheus.CounterVec
}

// New returns the collectors, registered with the Go and process ones.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		ingested: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "shequn_events_ingested_total",
			Help: "Events received by the pipeline, by result."}, []string{"result"}),
		batch: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "shequn_ingest_batch_seconds",
			Help: "Time to commit one ingest batch.", Buckets: prometheus.DefBuckets}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "shequn_http_requests_total",
			Help: "HTTP requests by route and status."}, []string{"route", "code"}),
		logins: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "shequn_console_logins_total",
			Help: "Console login attempts by result (ok, failed, limited)."}, []string{"result"}),
		stages: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "shequn_ingest_stage_seconds_total",
			Help: "Time spent in each step of the ingest pipeline (resolve, insert, each stage, commit)."}, []string{"stage"}),
	}
	m.reg.MustRegister(m.ingested, m.batch, m.requests, m.logins, m.stages,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler { return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}) }

// BatchDone records one committed ingest batch (a pipeline observer).
func (m *Metrics) BatchDone(events, accepted int, took time.Duration) {
	m.ingested.WithLabelValues("accepted").Add(float64(accepted))
	m.ingested.WithLabelValues("duplicate").Add(float64(events - accepted))
	m.batch.Observe(took.Seconds())
}

// StageDone adds the time one step of a batch took (a pipeline stage
// observer).
func (m *Metrics) StageDone(stage string, took time.Duration) {
	m.stages.WithLabelValues(stage).Add(took.Seconds())
}

// Request counts one HTTP request by its route pattern and status.
func (m *Metrics) Request(route string, code int) {
	m.requests.WithLabelValues(route, strconv.Itoa(code)).Inc()
}

// Login counts one console login attempt.
func (m *Metrics) Login(result string) { m.logins.WithLabelValues(result).Inc() }

// Gauge registers a value read when scraped.
func (m *Metrics) Gauge(name, help string, fn func() float64) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, fn))
}

// Counter registers a monotonic value read when scraped.
func (m *Metrics) Counter(name, help string, fn func() float64) {
	m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, fn))
}
