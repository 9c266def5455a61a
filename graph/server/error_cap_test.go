package server_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"caseload/ent/schema/access"
	"caseload/graph/graphtest"
	"caseload/graph/server"
)

// Errors other than FORBIDDEN field errors are capped per response;
// FORBIDDEN ones, one per denied field (policy §4), are all kept.
func TestErrorCap_KeepsEveryForbiddenDropsTheRest(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	// Scheduling, but no medical history: medicalHistory is FORBIDDEN on
	// every client.
	role := e.Role(p, access.Administrative, access.SectionLevels{access.Profile: access.View, access.Scheduling: access.View},
		[]access.Capability{access.AccessAllClients})
	clerk := e.Member(p, graphtest.Administrative(), graphtest.WithRole(role))
	const clients = 20
	for range clients {
		e.NewClient(p)
	}
	token := e.Token(clerk)
	// Every read of appointments fails: one INTERNAL error per client.
	failAppointments := func(_ context.Context, q string) error {
		if strings.Contains(q, "FROM `appointments`") || strings.Contains(q, `FROM "appointments"`) {
			return errors.New("appointments are unavailable")
		}
		return nil
	}
	h := limited(e, server.Limits{MaxErrors: 5}, hooked(e, failAppointments))

	got := post(t, h, token, `{ clients(first: 20) { edges { node { medicalHistory { id } appointments { id } } } } }`, nil)
	codes := map[string]int{}
	for _, err := range got.Errors {
		codes[err.Code()]++
	}
	if codes["FORBIDDEN"] != clients || codes["INTERNAL"] != 5 || len(codes) != 2 {
		t.Fatalf("want %d FORBIDDEN and 5 INTERNAL, got %v", clients, codes)
	}
	if n, _ := got.Extensions["errorsOmitted"].(float64); int(n) != clients-5 {
		t.Fatalf("want errorsOmitted %d, got %v", clients-5, got.Extensions["errorsOmitted"])
	}
	if !got.executed() {
		t.Fatal("the data must still be served")
	}
}
