package playground

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, target string, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func checkSecurityHeaders(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	want := map[string]string{
		"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
	}
	for k, v := range want {
		if got := rec.Header().Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
}

func TestIndex(t *testing.T) {
	h := Handler(Options{})
	rec := get(t, h, "/", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET / = %d, want 200", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	checkSecurityHeaders(t, rec)
	if cc := rec.Header().Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("Cache-Control = %q, want no-cache", cc)
	}
	body := rec.Body.String()

	for _, want := range []string{
		"<title>Caseload API playground</title>",
		`id="login-email"`,
		`id="login-password"`,
		`id="token-input"`,
		`id="logout-button"`,
		`id="graphiql"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}

	tags := []struct{ tag, file string }{
		{`<script src="/playground/react.production.min.js?v=`, "react.production.min.js"},
		{`<script src="/playground/react-dom.production.min.js?v=`, "react-dom.production.min.js"},
		{`<script src="/playground/graphiql.min.js?v=`, "graphiql.min.js"},
		{`<script src="/playground/playground.js?v=`, "playground.js"},
		{`<link rel="stylesheet" href="/playground/graphiql.min.css?v=`, "graphiql.min.css"},
		{`<link rel="stylesheet" href="/playground/playground.css?v=`, "playground.css"},
	}
	for _, tc := range tags {
		if !strings.Contains(body, tc.tag+assets[tc.file].version+`"`) {
			t.Errorf("page lacks %s%s\"", tc.tag, assets[tc.file].version)
		}
	}

	// Scripts must load in dependency order: React, ReactDOM, GraphiQL, bootstrap.
	last := -1
	for _, tc := range tags[:4] {
		i := strings.Index(body, tc.tag)
		if i < last {
			t.Errorf("%s is loaded out of order", tc.file)
		}
		last = i
	}

	// No CDN: no absolute URL at all, and no inline script for the CSP to block.
	if m := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9]`).FindString(body); m != "" {
		t.Errorf("page references an absolute URL (%q)", m)
	}
	if regexp.MustCompile(`<script(\s[^>]*)?>\s*[^<\s]`).MatchString(body) {
		t.Error("page has an inline <script>")
	}
	if regexp.MustCompile(`(?i)\son[a-z]+=`).MatchString(body) {
		t.Error("page has an inline event handler attribute")
	}
}

func TestAssets(t *testing.T) {
	h := Handler(Options{})
	tests := []struct {
		file        string
		contentType string
		minSize     int
		contains    string
	}{
		{"graphiql.min.js", "text/javascript; charset=utf-8", 500_000, ".GraphiQL="},
		{"graphiql.min.css", "text/css; charset=utf-8", 100_000, ".graphiql-container"},
		{"react.production.min.js", "text/javascript; charset=utf-8", 5_000, "react.production.min.js"},
		{"react-dom.production.min.js", "text/javascript; charset=utf-8", 100_000, "react-dom.production.min.js"},
		{"playground.js", "text/javascript; charset=utf-8", 2_000, "/graphql"},
		{"playground.css", "text/css; charset=utf-8", 500, "#loginbar"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			a, ok := assets[tc.file]
			if !ok {
				t.Fatalf("%s is not embedded", tc.file)
			}
			rec := get(t, h, "/playground/"+tc.file+"?v="+a.version, nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET = %d, want 200", rec.Code)
			}
			if ct := rec.Header().Get("Content-Type"); ct != tc.contentType {
				t.Errorf("Content-Type = %q, want %q", ct, tc.contentType)
			}
			if n := rec.Body.Len(); n < tc.minSize {
				t.Errorf("size %d, want at least %d", n, tc.minSize)
			}
			if !strings.Contains(rec.Body.String(), tc.contains) {
				t.Errorf("body lacks %q", tc.contains)
			}
			if cc := rec.Header().Get("Cache-Control"); cc != cacheForever {
				t.Errorf("versioned Cache-Control = %q, want %q", cc, cacheForever)
			}
			checkSecurityHeaders(t, rec)

			// Without the current version the URL may later name other
			// bytes, so it must be revalidated rather than kept.
			rec = get(t, h, "/playground/"+tc.file, nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("unversioned GET = %d, want 200", rec.Code)
			}
			if cc := rec.Header().Get("Cache-Control"); cc != "no-cache" {
				t.Errorf("unversioned Cache-Control = %q, want no-cache", cc)
			}
			etag := rec.Header().Get("Etag")
			if etag == "" {
				t.Fatal("no ETag")
			}
			rec = get(t, h, "/playground/"+tc.file, http.Header{"If-None-Match": {etag}})
			if rec.Code != http.StatusNotModified {
				t.Errorf("conditional GET = %d, want 304", rec.Code)
			}
		})
	}
}

func TestNotFound(t *testing.T) {
	h := Handler(Options{})
	for _, target := range []string{
		"/index.html",
		"/favicon.ico",
		"/graphql",
		"/nope",
		"/playground",
		"/playground/",
		"/playground/VERSIONS.md",
		"/playground/index.html",
		"/playground/missing.js",
		"/playground/assets/graphiql.min.js",
		"/playground/../index.html",
	} {
		t.Run(target, func(t *testing.T) {
			rec := get(t, h, target, nil)
			// ServeMux answers a path with ".." with a redirect to the
			// cleaned path; follow it once.
			if rec.Code == http.StatusMovedPermanently || rec.Code == http.StatusTemporaryRedirect || rec.Code == http.StatusPermanentRedirect {
				loc := rec.Header().Get("Location")
				if loc == "/" {
					return // the cleaned path is the page itself
				}
				rec = get(t, h, loc, nil)
			}
			if rec.Code != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", target, rec.Code)
			}
		})
	}
}

func TestPostNotAllowed(t *testing.T) {
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}"))
	rec := httptest.NewRecorder()
	Handler(Options{}).ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST / = %d, want 405", rec.Code)
	}
}

func TestHead(t *testing.T) {
	req := httptest.NewRequest(http.MethodHead, "/playground/graphiql.min.js", nil)
	rec := httptest.NewRecorder()
	Handler(Options{}).ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("HEAD = %d, want 200", rec.Code)
	}
	if b, _ := io.ReadAll(rec.Body); len(b) != 0 {
		t.Errorf("HEAD sent a body of %d bytes", len(b))
	}
}

// In trusted-documents mode the page says that only registered operations
// run; otherwise it says nothing of it.
func TestIndex_SaysWhenTrustedDocumentsModeIsOn(t *testing.T) {
	on := get(t, Handler(Options{TrustedDocuments: true}), "/", nil).Body.String()
	off := get(t, Handler(Options{}), "/", nil).Body.String()
	if !strings.Contains(on, "Trusted documents mode") {
		t.Error("the page of a trusted-documents server does not say so")
	}
	if strings.Contains(off, "Trusted documents mode") {
		t.Error("the page of an ordinary server claims trusted-documents mode")
	}
}
