package server

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"caseload/graph/errcode"
)

// costStatsKey is where edgeLimits leaves the request's cost in gqlgen's
// per-operation stats, for responseLimits to report.
const costStatsKey = "caseload.cost"

// costReport is the request's cost as extensions.cost reports it (API
// contract, "Sessions and cost"): what the query asked for, and the budget.
// RequestedQueryCost is absent when the document was refused before its
// cost could be computed (over the token limit, or not parsed).
type costReport struct {
	RequestedQueryCost *int `json:"requestedQueryCost,omitempty"`
	MaxQueryCost       int  `json:"maxQueryCost"`
}

// newCostReport registers the request's cost report in its operation
// context; it is nil outside one.
func newCostReport(ctx context.Context, maxCost int) *costReport {
	r := &costReport{MaxQueryCost: maxCost}
	if graphql.HasOperationContext(ctx) {
		graphql.GetOperationContext(ctx).Stats.SetExtension(costStatsKey, r)
	}
	return r
}

func (r *costReport) requested(cost int) { r.RequestedQueryCost = &cost }

// responseLimits finishes every response, executed or refused: it reports
// extensions.cost, and keeps at most max errors other than FORBIDDEN field
// errors, saying in extensions.errorsOmitted how many it dropped. A request
// whose every field fails (a deadline, a database outage) would otherwise
// answer with as many errors as fields.
type responseLimits struct{ maxErrors int }

var (
	_ graphql.HandlerExtension    = responseLimits{}
	_ graphql.ResponseInterceptor = responseLimits{}
)

// ExtensionName names the extension in gqlgen's stats.
func (responseLimits) ExtensionName() string { return "CaseloadResponseLimits" }

// Validate accepts every schema.
func (responseLimits) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse adds the cost and caps the errors.
func (l responseLimits) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil {
		return nil
	}
	if graphql.HasOperationContext(ctx) {
		if r, ok := graphql.GetOperationContext(ctx).Stats.GetExtension(costStatsKey).(*costReport); ok {
			setExtension(resp, "cost", *r)
		}
	}
	var dropped int
	resp.Errors, dropped = capErrors(resp.Errors, l.maxErrors)
	if dropped > 0 {
		setExtension(resp, "errorsOmitted", dropped)
	}
	return resp
}

func setExtension(resp *graphql.Response, key string, value any) {
	if resp.Extensions == nil {
		resp.Extensions = map[string]any{}
	}
	resp.Extensions[key] = value
}

// capErrors keeps every FORBIDDEN error and the first max others, in order.
func capErrors(errs gqlerror.List, max int) (gqlerror.List, int) {
	if len(errs) <= max {
		return errs, 0
	}
	kept := make(gqlerror.List, 0, len(errs))
	others, dropped := 0, 0
	for _, e := range errs {
		if code, _ := e.Extensions["code"].(string); code == string(errcode.Forbidden) {
			kept = append(kept, e)
			continue
		}
		if others < max {
			kept = append(kept, e)
			others++
			continue
		}
		dropped++
	}
	return kept, dropped
}
