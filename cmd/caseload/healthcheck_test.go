package main

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// readyzServer answers /readyz with status and body, and 404 elsewhere, so
// that a probe aimed at the wrong path fails.
func readyzServer(t *testing.T, status int, body string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/readyz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// The probe succeeds only on 200 from /readyz, and says what it got
// otherwise: a refusal, nothing listening, an answer too late, or a URL it
// cannot use.
func TestHealthcheck_SucceedsOnlyOn200(t *testing.T) {
	ready := readyzServer(t, http.StatusOK, "ready\n")
	notReady := readyzServer(t, http.StatusServiceUnavailable, "database unavailable\n")
	hung := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	t.Cleanup(hung.Close)
	// A port nothing listens on: taken, then released.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	_ = ln.Close()

	for _, tc := range []struct {
		name    string
		args    []string
		wantErr string // "" for success
	}{
		{"ready", []string{"-url", ready.URL + "/readyz"}, ""},
		{"not ready", []string{"-url", notReady.URL + "/readyz"}, "503 Service Unavailable: database unavailable"},
		{"wrong path", []string{"-url", ready.URL + "/healthz"}, "404 Not Found"},
		{"unreachable", []string{"-url", "http://" + closed + "/readyz"}, "connection refused"},
		{"too slow", []string{"-url", hung.URL + "/readyz", "-timeout", "300ms"}, "did not answer within 300ms"},
		{"not a URL", []string{"-url", "127.0.0.1:8080/readyz"}, "want an http:// or https:// URL"},
		{"no host", []string{"-url", "http:///readyz"}, "want an http:// or https:// URL"},
		{"zero timeout", []string{"-url", ready.URL + "/readyz", "-timeout", "0s"}, "-timeout must be positive"},
		{"stray argument", []string{"-url", ready.URL + "/readyz", "now"}, "takes no arguments"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			err := healthcheckCmd(context.Background(), tc.args)
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("the check took %s; its timeout must bound it", took)
			}
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("healthcheck %v: %v, want success", tc.args, err)
			case tc.wantErr != "" && err == nil:
				t.Fatalf("healthcheck %v succeeded, want an error containing %q", tc.args, tc.wantErr)
			case tc.wantErr != "" && !strings.Contains(err.Error(), tc.wantErr):
				t.Fatalf("healthcheck %v: %q, want it to contain %q", tc.args, err, tc.wantErr)
			}
		})
	}
}

// Without -url the probe asks where CASELOAD_LISTEN says the server is, as
// the image's HEALTHCHECK does.
func TestHealthcheck_WithoutURL_FollowsCaseloadListen(t *testing.T) {
	ready := readyzServer(t, http.StatusOK, "ready\n")
	t.Setenv("CASELOAD_LISTEN", strings.TrimPrefix(ready.URL, "http://"))
	if err := healthcheckCmd(context.Background(), nil); err != nil {
		t.Fatalf("healthcheck with CASELOAD_LISTEN=%s: %v", ready.URL, err)
	}
	ready.Close()
	if err := healthcheckCmd(context.Background(), nil); err == nil {
		t.Fatal("healthcheck succeeded after the server closed")
	}
}

func TestReadyURLFor(t *testing.T) {
	for listen, want := range map[string]string{
		"":                   defaultReadyURL,
		"127.0.0.1:8080":     "http://127.0.0.1:8080/readyz",
		"0.0.0.0:8080":       "http://127.0.0.1:8080/readyz",
		":9000":              "http://127.0.0.1:9000/readyz",
		"[::]:8080":          "http://[::1]:8080/readyz",
		"[::1]:8081":         "http://[::1]:8081/readyz",
		"localhost:8080":     "http://localhost:8080/readyz",
		" 10.0.0.5:8080 ":    "http://10.0.0.5:8080/readyz",
		"no port":            defaultReadyURL,
		"caseload.internal:": defaultReadyURL,
	} {
		if got := readyURLFor(listen); got != want {
			t.Errorf("readyURLFor(%q) = %q, want %q", listen, got, want)
		}
	}
}
