// Package playground serves a GraphiQL page for exploring the Caseload
// GraphQL API from a browser.
//
// Everything the page needs (GraphiQL, React and the page's own script) is
// embedded in the binary, because clinics run strict content-security
// policies and the servers have no internet access at run time: the page
// must never reach for a CDN. The vendored files and how to update them are
// listed in assets/VERSIONS.md.
package playground

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"time"
)

// AssetPrefix is the URL path under which the page's scripts and styles are
// served. The page links them by absolute path, so Handler must be mounted at
// the root of the server, not under a sub-path.
const AssetPrefix = "/playground/"

// ContentSecurityPolicy is sent with every response. Scripts may only come
// from this server (the page has no inline script), and the page may only
// talk to this server. style-src keeps 'unsafe-inline' because GraphiQL's
// dialogs insert <style> elements at run time; font-src and img-src allow
// data: URLs because GraphiQL's stylesheet embeds its fonts and icons that
// way.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; " +
	"style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'"

// The page template and the assets it links. VERSIONS.md is deliberately not
// embedded: it documents the vendored files and need not be served.
//
//go:embed index.html assets/*.js assets/*.css
var embedded embed.FS

// cacheForever is used for a request whose ?v= matches the asset's content
// hash: that URL can never name different bytes, so browsers may keep it.
const cacheForever = "public, max-age=31536000, immutable"

// asset is one file served under AssetPrefix.
type asset struct {
	contentType string
	etag        string // strong ETag, quoted
	version     string // short content hash used as ?v= in the page
}

var (
	assetFS fs.FS                 // the assets/ folder of embedded
	assets  map[string]asset      // by file name
	pages   map[bool]renderedPage // index.html, by trusted-documents mode
)

// renderedPage is index.html for one mode, with its ETag.
type renderedPage struct {
	body []byte
	etag string
}

// Options say what the page tells its user about the server.
type Options struct {
	// TrustedDocuments is the server's trusted-documents mode: the page
	// says that only registered operations run, so that an analyst whose
	// query is refused knows why.
	TrustedDocuments bool
}

func init() {
	sub, err := fs.Sub(embedded, "assets")
	if err != nil {
		panic("playground: " + err.Error())
	}
	assetFS = sub

	entries, err := fs.ReadDir(assetFS, ".")
	if err != nil {
		panic("playground: " + err.Error())
	}
	assets = make(map[string]asset, len(entries))
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := fs.ReadFile(assetFS, e.Name())
		if err != nil {
			panic("playground: " + err.Error())
		}
		sum := sha256.Sum256(data)
		h := hex.EncodeToString(sum[:])
		assets[e.Name()] = asset{
			contentType: contentType(e.Name()),
			etag:        `"` + h + `"`,
			version:     h[:16],
		}
	}

	tmpl := template.Must(template.New("index.html").Funcs(template.FuncMap{
		"asset": assetURL,
	}).ParseFS(embedded, "index.html"))
	pages = map[bool]renderedPage{}
	for _, trusted := range []bool{false, true} {
		var buf bytes.Buffer
		if err := tmpl.Execute(&buf, Options{TrustedDocuments: trusted}); err != nil {
			panic("playground: " + err.Error())
		}
		sum := sha256.Sum256(buf.Bytes())
		pages[trusted] = renderedPage{body: buf.Bytes(), etag: `"` + hex.EncodeToString(sum[:]) + `"`}
	}
}

// assetURL returns the versioned URL of an embedded asset, failing the
// template (and so the program's start) if the page links a file that is not
// embedded.
func assetURL(name string) (string, error) {
	a, ok := assets[name]
	if !ok {
		return "", fs.ErrNotExist
	}
	return AssetPrefix + name + "?v=" + a.version, nil
}

// contentType is fixed here rather than left to the mime package, whose
// answer for .js depends on the host's mime.types files.
func contentType(name string) string {
	switch path.Ext(name) {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".html":
		return "text/html; charset=utf-8"
	default:
		return "application/octet-stream"
	}
}

// Handler returns the playground: the page at exactly "/" and its assets
// under AssetPrefix; every other path is 404, so it can be mounted at "/"
// beside the API without hiding mistyped URLs. The page sends its queries
// to /graphql, so the GraphQL endpoint must be served at that path of the
// same origin (the CSP allows no other).
func Handler(opts Options) http.Handler {
	mux := http.NewServeMux()
	page := pages[opts.TrustedDocuments]
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { serveIndex(w, r, page) })
	files := http.StripPrefix(AssetPrefix, http.FileServerFS(assetFS))
	mux.HandleFunc("GET "+AssetPrefix+"{name}", func(w http.ResponseWriter, r *http.Request) {
		serveAsset(w, r, files)
	})
	return securityHeaders(mux)
}

func serveIndex(w http.ResponseWriter, r *http.Request, page renderedPage) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// The page names the current asset versions, so it must be revalidated.
	h.Set("Cache-Control", "no-cache")
	h.Set("Etag", page.etag)
	http.ServeContent(w, r, "index.html", time.Time{}, bytes.NewReader(page.body))
}

func serveAsset(w http.ResponseWriter, r *http.Request, files http.Handler) {
	name := r.PathValue("name")
	a, ok := assets[name]
	// Only the embedded files themselves: no directory listings, and none of
	// FileServer's redirects.
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Etag", a.etag) // FileServer answers If-None-Match with it
	if r.URL.Query().Get("v") == a.version {
		h.Set("Cache-Control", cacheForever)
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	files.ServeHTTP(w, r)
}

// securityHeaders adds the headers every playground response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}
