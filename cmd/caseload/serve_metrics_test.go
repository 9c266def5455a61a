package main

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// With -metrics-listen, /metrics answers on its own address, with the
// database pool, request and hashing-queue series, and not on the API's.
func TestServe_MetricsOnTheirOwnListener(t *testing.T) {
	addr, metricsAddr := freeAddr(t), freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, []string{"-database", filepath.Join(t.TempDir(), "caseload.db"), "-listen", addr,
			"-metrics-listen", metricsAddr, "-token-secret", strings.Repeat("s", 32)})
	}()
	defer func() { cancel(); <-done }()
	base := "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil && resp.StatusCode == http.StatusOK {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not become ready: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	post(t, base+"/graphql", "", `query Probe { __typename }`)
	body := get(t, "http://"+metricsAddr+"/metrics")
	for _, want := range []string{
		// A caller without a token names only the server's own
		// operations: its Probe is labelled other.
		`caseload_graphql_requests_total{operation="other",outcome="ok"} 1`,
		`go_sql_open_connections`,
		// The hashing queue the binary configures (-hash-slots) is observed.
		`caseload_password_hashes_running 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(get(t, base+"/metrics"), "caseload_graphql_requests_total") {
		t.Error("the API's address serves metrics")
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
