package server

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"caseload/graph/auth"
)

// signInMetrics count the refusals of the rate limits, by limit, and the
// password hashing queue: hashes running and waiting, and how long each
// waited for its slot. It observes the limits and the hasher
// (auth.RefusalObserver, auth.QueueObserver) the server is given.
type signInMetrics struct {
	limited *prometheus.CounterVec
	waits   prometheus.Histogram
}

var _ interface {
	auth.RefusalObserver
	auth.QueueObserver
} = (*signInMetrics)(nil)

// limitNames are the label values of caseload_rate_limited_total: a name
// outside them (a bug) is counted as codeOther rather than a new series.
var limitNames = map[string]bool{
	auth.LimitLoginAddress: true, auth.LimitLoginAccount: true, auth.LimitSignUp: true,
	auth.LimitEmergencySearch: true, auth.LimitPublicAddress: true, auth.LimitPublicTarget: true,
	auth.LimitHashQueue: true,
}

// newSignInMetrics registers the rate-limit and hashing-queue series on
// reg; the queue's gauges read h, when there is one.
func newSignInMetrics(reg prometheus.Registerer, h *auth.Hasher) *signInMetrics {
	m := &signInMetrics{}
	m.limited = register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "caseload_rate_limited_total",
		Help: "Requests refused RATE_LIMITED, by the limit that refused them (login_address, login_account, signup, emergency_search, public_address, public_target, hash_queue).",
	}, []string{"limit"}))
	m.waits = register(reg, prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "caseload_password_hash_wait_seconds",
		Help: "Time each password hash admitted to the queue waited for its slot (0 when one was free).",
		// A hash takes tens of milliseconds; the wait is bounded by
		// -hash-wait (250ms by default).
		Buckets: []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}))
	if h != nil {
		register(reg, prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "caseload_password_hashes_running",
			Help: "Password hashes (Argon2id) running now: at most -hash-slots.",
		}, func() float64 { return float64(h.Running()) }))
		register(reg, prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "caseload_password_hashes_waiting",
			Help: "Password hashes waiting for a slot now.",
		}, func() float64 { return float64(h.Waiting()) }))
	}
	return m
}

// Refused implements auth.RefusalObserver.
func (m *signInMetrics) Refused(limit string) {
	if !limitNames[limit] {
		limit = codeOther
	}
	m.limited.WithLabelValues(limit).Inc()
}

// HashWaited implements auth.QueueObserver: an admitted hash's wait is
// observed, a refused one is a refusal by the hashing queue.
func (m *signInMetrics) HashWaited(wait time.Duration, admitted bool) {
	if !admitted {
		m.Refused(auth.LimitHashQueue)
		return
	}
	m.waits.Observe(wait.Seconds())
}
