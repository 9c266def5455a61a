package server_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"caseload/graph/graphtest"
	"caseload/graph/server"
)

const allowedOrigin = "https://app.example.org"

func corsEnv(t *testing.T) *graphtest.Env {
	return graphtest.New(t, func(o *server.Options) {
		o.CORSOrigins = []string{allowedOrigin}
	})
}

func preflight(e *graphtest.Env, origin string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodOptions, "/graphql", nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", http.MethodPost)
	req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	return rec
}

func TestCORSPreflightFromAllowedOrigin(t *testing.T) {
	rec := preflight(corsEnv(t), allowedOrigin)
	h := rec.Header()
	if rec.Code >= 300 {
		t.Fatalf("status %d", rec.Code)
	}
	if got := h.Get("Access-Control-Allow-Origin"); got != allowedOrigin {
		t.Errorf("Access-Control-Allow-Origin = %q", got)
	}
	if got := h.Get("Access-Control-Allow-Methods"); !strings.Contains(got, http.MethodPost) {
		t.Errorf("Access-Control-Allow-Methods = %q", got)
	}
	allowed := strings.ToLower(h.Get("Access-Control-Allow-Headers"))
	for _, want := range []string{"authorization", "content-type"} {
		if !strings.Contains(allowed, want) {
			t.Errorf("Access-Control-Allow-Headers = %q, want %s", allowed, want)
		}
	}
	if got := h.Get("Access-Control-Allow-Credentials"); got != "" {
		t.Errorf("Access-Control-Allow-Credentials = %q, want none", got)
	}
}

func TestCORSPreflightFromRefusedOrigin(t *testing.T) {
	for _, e := range []*graphtest.Env{corsEnv(t), graphtest.New(t)} {
		rec := preflight(e, "https://evil.example.com")
		for k := range rec.Header() {
			if strings.HasPrefix(k, "Access-Control-Allow-") {
				t.Errorf("refused origin got %s: %q", k, rec.Header().Get(k))
			}
		}
	}
}

func TestCORSPostFromAllowedOrigin(t *testing.T) {
	e := corsEnv(t).From("", "Origin", allowedOrigin)
	resp := e.Do("", `{ __typename }`, nil)
	if resp.Status != http.StatusOK {
		t.Fatalf("status %d", resp.Status)
	}
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != allowedOrigin {
		t.Errorf("Access-Control-Allow-Origin = %q", got)
	}
	if got := resp.Header.Get("Access-Control-Expose-Headers"); !strings.Contains(got, "X-Request-Id") {
		t.Errorf("Access-Control-Expose-Headers = %q, want X-Request-Id", got)
	}
}
