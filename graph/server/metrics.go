package server

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"caseload/ent/viewer"
	"caseload/graph/errcode"
)

// Operation label values besides the operations' own names.
const (
	// opAnonymous is an operation the document leaves without a name.
	opAnonymous = "anonymous"
	// opUnnamed is a request refused before any operation was chosen:
	// a document that does not parse, or one over a limit.
	opUnnamed = "unnamed"
	// opOther is every name past maxOperationNames, and every name of an
	// anonymous caller's operation but the server's own, so that callers
	// inventing names cannot grow the series without bound, nor callers
	// without a token take up the names members' operations need.
	opOther = "other"
	// outcomeOK is a response without errors.
	outcomeOK = "ok"
	// codeOther is an error code outside the contract; errors.go gives
	// every error a contract code, so this is a bug's mark.
	codeOther = "OTHER"
)

// maxOperationNames bounds the distinct operation names labelled, per
// server: the web and mobile clients use a few dozen.
const maxOperationNames = 100

// requestMetrics is the gqlgen extension counting GraphQL requests by
// operation and outcome, their latency, and errors by extensions.code.
// Both executors (members, anonymous callers) share one.
type requestMetrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	errs     *prometheus.CounterVec

	// public are the names of the server's own anonymous operations
	// (builtinOperations): the only names a caller without a token gets.
	public map[string]bool

	mu    sync.Mutex
	names map[string]struct{}
}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = (*requestMetrics)(nil)

// newRequestMetrics registers the request series on reg. A second server
// on the same registry (tests) shares the series already registered.
func newRequestMetrics(reg prometheus.Registerer) *requestMetrics {
	m := &requestMetrics{names: map[string]struct{}{}, public: builtinOperationNames()}
	m.requests = register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "caseload_graphql_requests_total",
		Help: "GraphQL requests by operation name and outcome (ok, or the first error's extensions.code).",
	}, []string{"operation", "outcome"}))
	m.latency = register(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "caseload_graphql_request_duration_seconds",
		Help:    "Time from reading a GraphQL request to its response, by operation name.",
		Buckets: prometheus.DefBuckets,
	}, []string{"operation"}))
	m.errs = register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "caseload_graphql_errors_total",
		Help: "GraphQL errors in responses, by extensions.code.",
	}, []string{"code"}))
	return m
}

// register registers c on reg, or returns the collector already there.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if err := reg.Register(c); err != nil {
		var already prometheus.AlreadyRegisteredError
		if errors.As(err, &already) {
			if existing, ok := already.ExistingCollector.(C); ok {
				return existing
			}
		}
		panic(err)
	}
	return c
}

// ExtensionName implements graphql.HandlerExtension.
func (*requestMetrics) ExtensionName() string { return "RequestMetrics" }

// Validate implements graphql.HandlerExtension.
func (*requestMetrics) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse implements graphql.ResponseInterceptor. It sees every
// response, including those refused before an operation exists (gqlgen's
// DispatchError), which an operation interceptor would miss.
func (m *requestMetrics) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil {
		return resp
	}
	op := m.operation(ctx)
	outcome := outcomeOK
	for i, e := range resp.Errors {
		code, _ := e.Extensions["code"].(string)
		if !errcode.Known(code) {
			code = codeOther
		}
		if i == 0 {
			outcome = code
		}
		m.errs.WithLabelValues(code).Inc()
	}
	m.requests.WithLabelValues(op, outcome).Inc()
	if start := graphql.GetStartTime(ctx); !start.IsZero() {
		m.latency.WithLabelValues(op).Observe(time.Since(start).Seconds())
	}
	return resp
}

// operation is the label of the request's operation, bounded.
func (m *requestMetrics) operation(ctx context.Context) string {
	if !graphql.HasOperationContext(ctx) {
		return opUnnamed
	}
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil {
		return opUnnamed
	}
	name := oc.Operation.Name
	if name == "" {
		return opAnonymous
	}
	if viewer.FromContext(ctx) == nil {
		if m.public[name] {
			return name
		}
		return opOther
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.names[name]; ok {
		return name
	}
	if len(m.names) >= maxOperationNames {
		return opOther
	}
	m.names[name] = struct{}{}
	return name
}

// builtinOperationNames are the names of the server's own operations.
func builtinOperationNames() map[string]bool {
	names := map[string]bool{}
	for _, text := range builtinOperations {
		doc, err := parser.ParseQuery(&ast.Source{Input: text})
		if err != nil {
			panic("builtinOperations: " + err.Error())
		}
		for _, op := range doc.Operations {
			if op.Name != "" {
				names[op.Name] = true
			}
		}
	}
	return names
}
