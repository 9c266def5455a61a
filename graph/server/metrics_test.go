package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"caseload/ent/schema/access"
	"caseload/graph/graphtest"
	"caseload/graph/server"
)

// After one request that succeeds, one with a FORBIDDEN field and one
// refused before it runs, /metrics holds each series with its labels.
func TestMetricsAfterRequests(t *testing.T) {
	db := graphtest.OpenDB(t)
	reg := server.NewMetricsRegistry(db.SQL)
	e := graphtest.NewOn(t, db, func(o *server.Options) { o.Metrics = reg })
	p := e.Practice()
	role := e.Role(p, access.Administrative, access.SectionLevels{access.Profile: access.View},
		[]access.Capability{access.AccessAllClients})
	clerk := e.Member(p, graphtest.Administrative(), graphtest.WithRole(role))
	e.NewClient(p)

	e.As(clerk, `query Caseload { clients(first: 5) { edges { node { id } } } }`, nil).RequireNoErrors(t)
	if codes := e.As(clerk, `query History { clients(first: 5) { edges { node { medicalHistory { id } } } } }`, nil).Codes(); len(codes) == 0 || codes[0] != "FORBIDDEN" {
		t.Fatalf("want FORBIDDEN, got %v", codes)
	}
	deep := `query Deep { clients { edges { node { team { members { team { members { team { members { id } } } } } } } } } }`
	if codes := e.As(clerk, deep, nil).Codes(); len(codes) == 0 || codes[0] != "QUERY_TOO_COMPLEX" {
		t.Fatalf("want QUERY_TOO_COMPLEX, got %v", codes)
	}
	e.As(clerk, `{ __typename }`, nil).RequireNoErrors(t)

	out := scrape(t, server.MetricsHandler(reg))
	for _, want := range []string{
		`caseload_graphql_requests_total{operation="Caseload",outcome="ok"} 1`,
		`caseload_graphql_requests_total{operation="History",outcome="FORBIDDEN"} 1`,
		`caseload_graphql_requests_total{operation="unnamed",outcome="QUERY_TOO_COMPLEX"} 1`,
		`caseload_graphql_requests_total{operation="anonymous",outcome="ok"} 1`,
		`caseload_graphql_errors_total{code="FORBIDDEN"} 1`,
		`caseload_graphql_errors_total{code="QUERY_TOO_COMPLEX"} 1`,
		`caseload_graphql_request_duration_seconds_count{operation="Caseload"} 1`,
		`caseload_graphql_request_duration_seconds_bucket{operation="History",le="+Inf"} 1`,
		`go_sql_open_connections{db_name="caseload"}`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if t.Failed() {
		t.Log(grepLines(out, "caseload"))
	}
}

// The API's handler does not serve /metrics: it has a listener of its own.
func TestMetricsNotOnAPI(t *testing.T) {
	reg := server.NewMetricsRegistry(nil)
	e := graphtest.New(t, func(o *server.Options) { o.Metrics = reg })
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if strings.Contains(rec.Body.String(), "caseload_graphql") || strings.Contains(rec.Body.String(), "go_goroutines") {
		t.Fatal("the API's handler serves metrics")
	}
}

func scrape(t *testing.T, h http.Handler) string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("/metrics: status %d", rec.Code)
	}
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

func grepLines(s, word string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, word) && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
