package server

// serverMetrics are the series a server feeds when Options.Metrics is set:
// the GraphQL requests (metrics.go), the rate limits and hashing queue
// (metrics_signin.go), and the audit log's writes and denials
// (metrics_audit.go).
type serverMetrics struct {
	requests *requestMetrics
	audit    *auditMetrics
}

// withMetrics registers the series on opts.Metrics and returns opts with
// what feeds them: the limits and the hasher replaced by views of the same
// ones that report to the series, so that every path (the API, the public
// pages, sign-in) is counted, and opts.metrics for the GraphQL executors
// and each request's audit scope. Without a registry opts is unchanged.
func withMetrics(opts Options) Options {
	if opts.Metrics == nil {
		return opts
	}
	signIn := newSignInMetrics(opts.Metrics, opts.Hasher)
	if opts.SignInLimits != nil {
		opts.SignInLimits = opts.SignInLimits.Observed(signIn)
	}
	if opts.Hasher != nil {
		opts.Hasher = opts.Hasher.Observed(signIn)
	}
	opts.metrics = &serverMetrics{
		requests: newRequestMetrics(opts.Metrics),
		audit:    newAuditMetrics(opts.Metrics),
	}
	return opts
}
