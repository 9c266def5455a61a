package publicpage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"

	"caseload/ent/viewer"
)

// assetDir is the path segment under /book/ where the stylesheet and the
// script are served. A slug cannot start with "_", so no booking page can
// take this address.
const assetDir = "_assets"

// AssetPrefix is the URL path of the embedded stylesheet and script. They
// are served by this server, never by a CDN: the pages' CSP allows only
// 'self' (policy §11: nothing third-party sees who fills in a form).
const AssetPrefix = "/book/" + assetDir + "/"

//go:embed templates/*.html assets/*
var embedded embed.FS

// asset is one embedded file served under AssetPrefix.
type asset struct {
	data        []byte
	contentType string
	version     string
}

var (
	assets = map[string]asset{}
	pages  = map[string]*template.Template{}
)

func init() {
	entries, err := fs.ReadDir(embedded, "assets")
	if err != nil {
		panic("publicpage: " + err.Error())
	}
	for _, e := range entries {
		data, err := fs.ReadFile(embedded, "assets/"+e.Name())
		if err != nil {
			panic("publicpage: " + err.Error())
		}
		sum := sha256.Sum256(data)
		assets[e.Name()] = asset{data: data, contentType: contentType(e.Name()), version: hex.EncodeToString(sum[:8])}
	}
	layout := template.Must(template.New("layout.html").Funcs(template.FuncMap{
		"asset": assetURL,
	}).ParseFS(embedded, "templates/layout.html"))
	names, err := fs.Glob(embedded, "templates/*.html")
	if err != nil {
		panic("publicpage: " + err.Error())
	}
	for _, n := range names {
		name := path.Base(n)
		if name == "layout.html" {
			continue
		}
		pages[strings.TrimSuffix(name, ".html")] = template.Must(template.Must(layout.Clone()).ParseFS(embedded, n))
	}
}

// assetURL is an asset's versioned URL; it fails the template (and so the
// package's start) when a page names a file that is not embedded.
func assetURL(name string) (string, error) {
	a, ok := assets[name]
	if !ok {
		return "", fs.ErrNotExist
	}
	return AssetPrefix + name + "?v=" + a.version, nil
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	default:
		return "application/octet-stream"
	}
}

// serveAsset serves an embedded file; a request naming its current
// version may keep it for good.
func serveAsset(w http.ResponseWriter, r *http.Request, name string) {
	a, ok := assets[name]
	if !ok {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("not found\n"))
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	if r.URL.Query().Get("v") == a.version {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	_, _ = w.Write(a.data)
}

// originPattern is an origin as booking.CheckFrameAncestors stores it;
// anything else is left out of the header rather than trusted.
var originPattern = regexp.MustCompile(`^https?://([a-z0-9.-]+|\[[0-9a-f:.]+\])(:[0-9]{1,5})?$`)

// contentSecurityPolicy is every page's CSP: nothing but this server's own
// script, style and requests, forms posting only here, and frames only on
// the practice's own sites (policy §11: the practice publishes where its
// pages may be embedded). Without origins (an unknown page) no site may
// frame it. X-Frame-Options is deliberately not sent: DENY would override
// frame-ancestors.
func contentSecurityPolicy(frameAncestors []string) string {
	var fa []string
	for _, o := range frameAncestors {
		if originPattern.MatchString(o) {
			fa = append(fa, o)
		}
	}
	if len(fa) == 0 {
		fa = []string{"'none'"}
	}
	return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
		"form-action 'self'; base-uri 'none'; frame-ancestors " + strings.Join(fa, " ")
}

// problem is one entry of a page's error summary: Field is the id of the
// input it is about ("" for the page as a whole).
type problem struct {
	Field   string
	Message string
}

// base is what the layout shows on every page.
type base struct {
	Title        string
	PracticeName string
	Problems     []problem
}

// messagePage is a page that says one thing: not found, too large, an
// error.
type messagePage struct {
	base
	Title   string
	Message string
}

// render writes a page: the template runs into a buffer first, so that a
// failing template answers a clean 500 rather than half a page.
func (h *handler) render(w http.ResponseWriter, r *http.Request, frameAncestors []string, status int, page string, data any) {
	var buf bytes.Buffer
	if err := pages[page].ExecuteTemplate(&buf, "layout", data); err != nil {
		slog.ErrorContext(r.Context(), "public page template", "page", page, "err", err, "request_id", viewer.RequestID(r.Context()))
		if page == "message" {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		h.errorPage(w, r, frameAncestors, http.StatusInternalServerError, internalPage(r.Context()))
		return
	}
	hd := w.Header()
	hd.Set("Content-Security-Policy", contentSecurityPolicy(frameAncestors))
	hd.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// errorPage answers a page saying one thing.
func (h *handler) errorPage(w http.ResponseWriter, r *http.Request, frameAncestors []string, status int, p messagePage) {
	p.base.Title = p.Title
	h.render(w, r, frameAncestors, status, "message", p)
}

// notFoundPage is the one answer for every address that names nothing
// public: an unknown, disabled or rotated intake link, a practice that does
// not take bookings, a booking link that is not valid. It is the same page
// whatever the reason, so that it never tells whether a practice, a link or
// a person exists (policy §1, §11).
var notFoundPage = messagePage{
	Title:   "Page not found",
	Message: "This page is not available. The link may be mistyped, or it is no longer in use. If a practice gave you this link, please contact them.",
}

// notFound answers 404 with notFoundPage; no site may frame it.
func (h *handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.errorPage(w, r, nil, http.StatusNotFound, notFoundPage)
}

// internalPage says that something went wrong, and nothing about what; the
// request id lets staff find the log line.
func internalPage(ctx context.Context) messagePage {
	msg := "Sorry, something went wrong on our side. Please try again in a moment."
	if id := viewer.RequestID(ctx); id != "" {
		msg += " (Reference: " + id + ")"
	}
	return messagePage{Title: "Something went wrong", Message: msg}
}

// errBodyTooLarge, errContentType and errUnreadable are why a form's body
// could not be read.
var (
	errBodyTooLarge = errors.New("the body is too large")
	errContentType  = errors.New("the body is not a form")
	errUnreadable   = errors.New("the body cannot be read")
)

// readForm reads a POSTed form: only application/x-www-form-urlencoded, at
// most MaxBodyBytes.
func readForm(w http.ResponseWriter, r *http.Request) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return errContentType
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return errBodyTooLarge
		}
		return errUnreadable
	}
	return nil
}

// formFailure answers a body readForm refused.
func (h *handler) formFailure(w http.ResponseWriter, r *http.Request, frameAncestors []string, err error) {
	switch err {
	case errBodyTooLarge:
		h.errorPage(w, r, frameAncestors, http.StatusRequestEntityTooLarge, messagePage{
			Title:   "What you sent is too large",
			Message: "What you sent is larger than this form accepts (256 KiB), so nothing was saved. Please shorten your longest answers and send the form again.",
		})
	case errContentType:
		h.errorPage(w, r, frameAncestors, http.StatusUnsupportedMediaType, messagePage{
			Title:   "This form could not be read",
			Message: "This address accepts only its own form, sent from its page. Nothing was saved. Please go back and send the form from the page.",
		})
	default:
		h.errorPage(w, r, frameAncestors, http.StatusBadRequest, messagePage{
			Title:   "This form could not be read",
			Message: "What you sent could not be read as a form, so nothing was saved. Please go back and send the form from the page.",
		})
	}
}
