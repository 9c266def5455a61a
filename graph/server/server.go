// Package server assembles the HTTP service: /graphql, the embedded GraphiQL
// playground at /, and the health endpoints, behind request ids, structured
// logs and authentication.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"caseload/ent"
	"caseload/ent/audit"
	"caseload/graph"
	"caseload/graph/auth"
	"caseload/graph/booking"
	"caseload/graph/email"
	"caseload/graph/playground"
	"caseload/graph/publicpage"
)

// Options configure the service.
type Options struct {
	Client *ent.Client
	Hasher *auth.Hasher
	Tokens *auth.Tokens
	// Ready reports whether the database answers, for /readyz.
	Ready func(context.Context) error
	// MaxBodyBytes bounds a request body; 1 MiB if zero.
	MaxBodyBytes int64
	// Logger receives one JSON line per request; slog.Default() if nil.
	Logger *slog.Logger
	// Now is the clock of every request; time.Now if nil.
	Now func() time.Time
	// Limits bound each GraphQL request; DefaultLimits where zero.
	Limits Limits
	// ClientAddresses finds each request's client address for rate limits
	// and sessions; the TCP peer, trusting no proxy, if nil.
	ClientAddresses *auth.ClientAddresses
	// SignInLimits rate-limit logins and sign-ups; in memory, with
	// auth.DefaultRates, if nil.
	SignInLimits *auth.Limits
	// SignUpOff switches signUp off (FORBIDDEN), for a self-hosted clinic
	// whose members join by invitation.
	SignUpOff bool
	// TrustedDocuments, when not nil, is the trusted-documents mode: only
	// these operations run (trusted_documents.go).
	TrustedDocuments TrustedDocuments
	// CORSOrigins are the browser origins allowed to call /graphql
	// (cors.go); none, the default, keeps the same-origin rule.
	CORSOrigins []string
	// Metrics receives the server's series: GraphQL requests (metrics.go),
	// rate limits and the hashing queue (metrics_signin.go), the audit
	// log's writes and denials (metrics_audit.go); none if nil. Make it
	// with NewMetricsRegistry and serve it with MetricsHandler on a
	// listener apart from the API's.
	Metrics *prometheus.Registry
	// TracerProvider makes the spans of each request: HTTP, GraphQL
	// operation (tracing.go); SQL spans come from a client whose driver
	// is wrapped with TraceSQL. None if nil: tracing off adds nothing.
	TracerProvider trace.TracerProvider
	// Propagator reads the caller's trace context from the request
	// headers; W3C traceparent (propagation.TraceContext) if nil.
	Propagator propagation.TextMapPropagator
	// Audit writes the audit log (policy §9); nothing is recorded if nil,
	// which only tests of other concerns may want.
	Audit *audit.Writer
	// PublicURL is the address clinics link to (https://caseload.example.com):
	// intake and booking links start with it; they are paths when empty.
	PublicURL string
	// Mail is the outbox of invitations, password resets and
	// confirmations (graph/email); one whose links are codes alone if nil.
	// The server only writes to it: a Dispatcher sends.
	Mail *email.Outbox
	// ConfirmSignUps makes sign-up confirm the address by email: for a
	// server whose email really leaves it.
	ConfirmSignUps bool
	// PlaygroundOff stops serving GraphiQL at /.
	PlaygroundOff bool
	// Dialect is Client's database (entgo.io/ent/dialect); SQLite's
	// behaviour if empty.
	Dialect string
	// Extensions are more gqlgen extensions for the executors: an
	// embedding program's tracer, a test's probe. They are used after the
	// server's operation extensions (mutations' transactions among them)
	// and before its interceptors of root fields (the viewer required)
	// and of responses (the audit log, contract codes), which gqlgen
	// nests inside them. One that intercepts fields sees every field, and
	// takes plain fields off their direct way (graph/plainfield), which
	// costs a page about a tenth of its Go CPU.
	Extensions []graphql.HandlerExtension

	// metrics are the series fed when Metrics is set (withMetrics).
	metrics *serverMetrics
}

// New returns the service's HTTP handler.
func New(opts Options) http.Handler {
	if opts.MaxBodyBytes == 0 {
		opts.MaxBodyBytes = 1 << 20
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.SignInLimits == nil {
		opts.SignInLimits = auth.NewMemoryLimits(auth.DefaultRates)
	}
	opts = withMetrics(opts)
	// The API and the public pages book through one service, under one
	// set of limits.
	if opts.Mail == nil {
		opts.Mail = email.NewOutbox("", opts.PublicURL)
	}
	bookings := graph.NewBookingService(opts.SignInLimits, opts.Tokens, opts.Mail)
	mux := http.NewServeMux()
	mux.Handle("/graphql", withCORS(opts.CORSOrigins,
		outageStatus(limitBody(opts.MaxBodyBytes, checkJSONBody(authenticate(opts, graphQL(opts, bookings)))))))
	public := publicpage.Handler(publicpage.Options{
		Client:        opts.Client,
		Limits:        opts.SignInLimits,
		Booking:       bookings,
		ClientAddress: func(r *http.Request) string { return cleanHeader(opts.ClientAddresses.Of(r), 64) },
		Now:           opts.Now,
		Audit:         func(ctx context.Context) context.Context { return withAudit(ctx, opts) },
		Mail:          opts.Mail,
	})
	mux.Handle("GET /audit/clients/{id}/{file}", noStore(outageStatus(authenticate(opts, auditExport(opts)))))
	mux.Handle("/intake/", public)
	mux.Handle("/book/", public)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if opts.Ready != nil {
			if err := opts.Ready(ctx); err != nil {
				opts.Logger.ErrorContext(ctx, "not ready", "err", err)
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = w.Write([]byte("database unavailable\n"))
				return
			}
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	if opts.PlaygroundOff {
		mux.Handle("/", http.NotFoundHandler())
	} else {
		mux.Handle("/", playground.Handler(playground.Options{TrustedDocuments: opts.TrustedDocuments != nil}))
	}
	return withTracing(opts, withRequestID(logRequests(opts.Logger, mux)))
}

// graphQL is the gqlgen handler: GraphQL over HTTP (POST JSON, GET for
// queries), mutations in a transaction, typed errors, under the limits of
// opts.Limits. Members and callers without a token get executors of their
// own over one schema, since some limits differ (limits_wiring.go); request
// errors are answered as GraphQL over HTTP asks (http_conformance.go).
func graphQL(opts Options, bookings *booking.Service) http.Handler {
	es := graph.NewSchema(graph.Config{
		PublicURL: opts.PublicURL,
		Booking:   bookings,
		AuditKey:  auditKey(opts),
		Client:    opts.Client,
		Hasher:    opts.Hasher,
		Tokens:    opts.Tokens,
		// Sessions and sign-in abuse: rate limits, sign-up switch.
		SignInLimits: opts.SignInLimits,
		SignUpOff:    opts.SignUpOff,
		// Email: the outbox, and whether sign-ups confirm the address.
		Mail:           opts.Mail,
		ConfirmSignUps: opts.ConfirmSignUps,
		Dialect:        opts.Dialect,
	})
	limits := opts.Limits.withDefaults()
	member := executor(opts, es, limits, members)
	anonymous := executor(opts, es, limits, anonymousCallers)
	return httpConformance(byCaller(limits, member, anonymous))
}

// executor is one gqlgen executor of the schema, for callers c. The
// request metrics, if on, are outermost of the response interceptors but
// for those gqlgen adds, so they see the final codes.
func executor(opts Options, es graphql.ExecutableSchema, limits Limits, c caller) http.Handler {
	srv := handler.New(es)
	srv.AddTransport(transport.Options{})
	// Answers are written without a second JSON pass (response_json.go).
	srv.AddTransport(directJSON{transport.GET{}})
	srv.AddTransport(directJSON{transport.POST{}})
	if opts.metrics != nil {
		srv.Use(opts.metrics.requests)
	}
	if opts.TracerProvider != nil {
		srv.Use(operationSpans{tracer: opts.TracerProvider.Tracer(tracerName)})
	}
	if opts.TrustedDocuments != nil {
		srv.Use(trustedOnly{docs: opts.TrustedDocuments})
	} else {
		usePersistedQueries(srv)
	}
	srv.Use(logOperation{})
	srv.Use(mutationTx{client: opts.Client})
	for _, x := range opts.Extensions {
		srv.Use(x)
	}
	srv.SetErrorPresenter(graph.PresentError)
	srv.SetRecoverFunc(graph.Recover)
	srv.AroundRootFields(requireViewer)
	srv.AroundResponses(contractCodes)
	srv.AroundResponses(markOutage)
	// Innermost, so that an answer it replaces is an outage to those
	// outside it (503, Retry-After).
	srv.AroundResponses(writeAudit)
	useLimits(srv, limits, c)
	return noStore(srv)
}

// noStore keeps responses, which carry client records, out of every cache.
func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}

// auditKey is the key that checks the audit chain, if the log is written.
func auditKey(opts Options) []byte {
	if opts.Audit == nil {
		return nil
	}
	return opts.Audit.Key
}
