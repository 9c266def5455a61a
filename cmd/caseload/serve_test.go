package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// freeAddr finds a loopback port for the server under test.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

func post(t *testing.T, url, token, query string) map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// The README's run command on a fresh SQLite file: migrations and the demo
// practice at start, a login and a clients query, then a clean stop when
// the process is told to shut down.
func TestServe_DemoOnFreshSQLite_LoginThenClients_ThenShutsDown(t *testing.T) {
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, []string{"-database", filepath.Join(t.TempDir(), "caseload.db"), "-listen", addr, "-demo",
			"-token-secret", strings.Repeat("s", 32)})
	}()
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
	login := post(t, base+"/graphql", "", `mutation { login(email: "bea@harbourside.example", password: "caseload-demo-2026") { token } }`)
	token, _ := login["data"].(map[string]any)["login"].(map[string]any)["token"].(string)
	if token == "" {
		t.Fatalf("demo login failed: %v", login)
	}
	clients := post(t, base+"/graphql", token, `{ clients(first: 3) { totalCount edges { node { name } } } }`)
	count, _ := clients["data"].(map[string]any)["clients"].(map[string]any)["totalCount"].(float64)
	if count == 0 {
		t.Fatalf("the demo practitioner sees no clients: %v", clients)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve stopped with %v", err)
		}
	case <-time.After(35 * time.Second):
		t.Fatal("serve did not stop after the shutdown signal")
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Fatal("the server still answers after shutdown")
	}
}
