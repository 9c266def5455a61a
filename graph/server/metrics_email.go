package server

import (
	"github.com/prometheus/client_golang/prometheus"

	"caseload/graph/email"
)

// EmailMetrics registers caseload_email_sent_total on reg and returns what
// the email dispatcher calls with each attempt's outcome
// (email.Dispatcher.Sent): a relay that refuses shows as failures rising
// before anyone misses an invitation.
func EmailMetrics(reg prometheus.Registerer) func(kind email.Kind, err error) {
	sent := register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "caseload_email_sent_total",
		Help: "Attempts to send an email from the outbox, by kind (INVITATION, PASSWORD_RESET, SIGN_UP_CONFIRMATION, SIGN_UP_EXISTING_ACCOUNT, INTAKE_CONFIRMATION, BOOKING_CONFIRMATION) and outcome (sent, failed).",
	}, []string{"kind", "outcome"}))
	return func(kind email.Kind, err error) {
		outcome := "sent"
		if err != nil {
			outcome = "failed"
		}
		// kind is one of the outbox's enum values: a bounded label.
		sent.WithLabelValues(string(kind), outcome).Inc()
	}
}
