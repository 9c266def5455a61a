package server_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"caseload/graph/email"
	"caseload/graph/server"
)

func TestEmailMetrics_CountSentAndFailedByKind(t *testing.T) {
	reg := prometheus.NewRegistry()
	sent := server.EmailMetrics(reg)
	sent(email.KindInvitation, nil)
	sent(email.KindInvitation, nil)
	sent(email.KindPasswordReset, errors.New("relay refused"))
	want := `
# HELP caseload_email_sent_total Attempts to send an email from the outbox, by kind (INVITATION, PASSWORD_RESET, SIGN_UP_CONFIRMATION, SIGN_UP_EXISTING_ACCOUNT, INTAKE_CONFIRMATION, BOOKING_CONFIRMATION) and outcome (sent, failed).
# TYPE caseload_email_sent_total counter
caseload_email_sent_total{kind="INVITATION",outcome="sent"} 2
caseload_email_sent_total{kind="PASSWORD_RESET",outcome="failed"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "caseload_email_sent_total"); err != nil {
		t.Fatal(err)
	}
}
