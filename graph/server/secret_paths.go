package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// Some public addresses carry a secret: the token of an intake link, which
// lets anyone submit the form, and the token that lets a person who booked
// online cancel or move their appointment (policy §11). Logs and traces
// name such a path with its secret cut, so that reading them opens nothing.
var secretPathPrefixes = []string{"/book/manage/", "/intake/"}

// redactedPath is path with the secret part cut.
func redactedPath(path string) string {
	for _, p := range secretPathPrefixes {
		if strings.HasPrefix(path, p) && len(path) > len(p) {
			return p + "{token}"
		}
	}
	return path
}

type originalURLKey struct{}

// withRedactedURL hands next a request whose URL has the secret cut, for
// instrumentation that records the path (OpenTelemetry's HTTP spans);
// restoreURL, inside it, gives the handlers the request as sent.
func withRedactedURL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if red := redactedPath(r.URL.Path); red != r.URL.Path {
			orig := r.URL
			u := *r.URL
			u.Path, u.RawPath, u.RawQuery = red, "", ""
			r = r.WithContext(context.WithValue(r.Context(), originalURLKey{}, orig))
			r.URL = &u
			r.RequestURI = u.RequestURI()
		}
		next.ServeHTTP(w, r)
	})
}

// restoreURL undoes withRedactedURL.
func restoreURL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if orig, ok := r.Context().Value(originalURLKey{}).(*url.URL); ok {
			r = r.Clone(r.Context())
			r.URL = orig
			r.RequestURI = orig.RequestURI()
		}
		next.ServeHTTP(w, r)
	})
}
