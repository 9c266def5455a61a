package server

import (
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"caseload/ent/audit"
	"caseload/ent/schema/access"
)

// Label values of caseload_denied_total's kind: what was denied, from the
// audit record of the denial (policy §9), the one place where every
// denial of the API is recorded.
const (
	// deniedForbidden is a FORBIDDEN field or action (the @section and
	// @managesAccess directives, the audit log's readers).
	deniedForbidden = "forbidden"
	// deniedNotFound is an ID asked for that the viewer cannot see,
	// hidden or never issued alike.
	deniedNotFound = "not_found"
	// deniedRefusedMutation is a mutation field that failed.
	deniedRefusedMutation = "refused_mutation"
	// sectionNone is the section label of a denial that names none.
	sectionNone = "none"
)

// auditMetrics time the audit log's writes, count their failures, and
// count the denials they record. It observes the writes of every request
// (audit.Observer, set by withAudit).
type auditMetrics struct {
	latency  *prometheus.HistogramVec
	failures *prometheus.CounterVec
	denied   *prometheus.CounterVec
}

var _ audit.Observer = (*auditMetrics)(nil)

// newAuditMetrics registers the audit and denial series on reg.
func newAuditMetrics(reg prometheus.Registerer) *auditMetrics {
	m := &auditMetrics{}
	m.latency = register(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "caseload_audit_write_duration_seconds",
		Help: "Time to write the audit log, by batch: request (what a request read or was refused, before its response) or mutation (a mutation field's changes, in its transaction).",
		// A request's batch is one statement of a millisecond or two.
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1},
	}, []string{"batch"}))
	m.failures = register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "caseload_audit_write_failures_total",
		Help: "Writes of the audit log that failed, by batch; each answered UNAVAILABLE.",
	}, []string{"batch"}))
	m.denied = register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "caseload_denied_total",
		Help: "Denied accesses recorded in the audit log, by kind (forbidden, not_found, refused_mutation) and, for forbidden fields, section.",
	}, []string{"kind", "section"}))
	return m
}

// AuditWritten implements audit.Observer.
func (m *auditMetrics) AuditWritten(batch audit.Batch, took time.Duration, events []audit.Event, err error) {
	m.latency.WithLabelValues(string(batch)).Observe(took.Seconds())
	if err != nil {
		m.failures.WithLabelValues(string(batch)).Inc()
	}
	for i := range events {
		if events[i].Decision != audit.Denied {
			continue
		}
		if kind, section, ok := deniedLabels(&events[i]); ok {
			m.denied.WithLabelValues(kind, section).Inc()
		}
	}
}

// deniedLabels are a denied event's labels. A failed login, which the log
// also records as denied, is not an access decision: it is counted by the
// request series (outcome UNAUTHENTICATED), for unknown emails too.
func deniedLabels(e *audit.Event) (kind, section string, ok bool) {
	switch e.Action {
	case audit.ActionForbidden:
		section = sectionNone
		// @section records the section; other refusals name a field,
		// which stays out of the label.
		if len(e.Fields) > 0 && slices.Contains(access.Sections, access.Section(e.Fields[0])) {
			section = e.Fields[0]
		}
		return deniedForbidden, section, true
	case audit.ActionNotFound:
		return deniedNotFound, sectionNone, true
	case audit.ActionRefused:
		return deniedRefusedMutation, sectionNone, true
	}
	return "", "", false
}
