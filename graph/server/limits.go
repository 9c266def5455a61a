package server

import (
	"fmt"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"caseload/graph/errcode"
)

// Limits bound what one GraphQL request may cost the server, so that no
// single request, however written, can take it down. A zero field takes its
// default (DefaultLimits).
type Limits struct {
	// MaxDepth bounds how deeply fields nest, fragments expanded: a
	// nesting bomb is refused before it runs.
	MaxDepth int
	// MaxIntrospectionDepth bounds the depth under __schema and __type
	// separately, so GraphiQL's and code generators' introspection queries
	// (15 levels of ofType chains) keep working under a small MaxDepth.
	MaxIntrospectionDepth int
	// MaxAliases bounds the aliased fields of an operation, fragments
	// expanded: aliases are how one request asks for the same expensive
	// field many times.
	MaxAliases int
	// MaxDirectives bounds the directives of an operation, fragments
	// expanded.
	MaxDirectives int
	// MaxTokens bounds the lexical tokens of a member's document: parsing and
	// validation grow with it, validation with its square when one field is
	// repeated (gqlparser's overlapping-fields rule compares every pair): at
	// 1,000 tokens the worst document validates in 40 to 65 ms, at 2,000 in
	// about 220 ms. GraphiQL's introspection query has 183 tokens.
	MaxTokens int
	// MaxAnonymousTokens bounds the tokens of a document sent without a
	// token: sign-up, login and invitation acceptance need few.
	MaxAnonymousTokens int
	// MaxCost is the budget of one request: every field selected costs 1,
	// times the size of every list around it (first/last on connections).
	MaxCost int
	// Timeout is the deadline of one request: past it, resolvers and their
	// database queries are cancelled.
	Timeout time.Duration
	// MaxErrors bounds the errors of a response other than FORBIDDEN field
	// errors, which the cost budget bounds and which are never dropped
	// (policy §4 promises one per denied field).
	MaxErrors int
	// DisableIntrospection turns introspection off for members.
	DisableIntrospection bool
	// AnonymousIntrospection turns introspection on for callers without a
	// token; off by default, so that the schema is not published.
	AnonymousIntrospection bool
}

// DefaultLimits are the limits of a server configured with none: large
// enough for the web and mobile clients' heaviest pages, small enough that
// a hostile request is refused in milliseconds.
var DefaultLimits = Limits{
	MaxDepth:              8,
	MaxIntrospectionDepth: 20,
	MaxAliases:            15,
	MaxDirectives:         50,
	MaxTokens:             1000,
	MaxAnonymousTokens:    500,
	MaxCost:               25000,
	Timeout:               15 * time.Second,
	MaxErrors:             100,
}

// withDefaults fills every zero field from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	pick := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	pick(&l.MaxDepth, d.MaxDepth)
	pick(&l.MaxIntrospectionDepth, d.MaxIntrospectionDepth)
	pick(&l.MaxAliases, d.MaxAliases)
	pick(&l.MaxDirectives, d.MaxDirectives)
	pick(&l.MaxTokens, d.MaxTokens)
	pick(&l.MaxAnonymousTokens, d.MaxAnonymousTokens)
	pick(&l.MaxCost, d.MaxCost)
	pick(&l.MaxErrors, d.MaxErrors)
	if l.Timeout <= 0 {
		l.Timeout = d.Timeout
	}
	return l
}

// The names of the limits, as extensions.limit carries them (API contract,
// "Sessions and cost").
const (
	limitDepth      = "depth"
	limitAliases    = "aliases"
	limitDirectives = "directives"
	limitTokens     = "tokens"
	limitCost       = "cost"
)

// tooComplex is the error of a request refused by a limit: QUERY_TOO_COMPLEX
// naming the limit, the value the request would have had and the maximum,
// so that a front-end developer sees what to change.
func tooComplex(limit string, value, limitValue int) *gqlerror.Error {
	err := errcode.New(errcode.QueryTooComplex,
		fmt.Sprintf("the query exceeds the %s limit: %d, at most %d", limit, value, limitValue))
	err.Extensions["limit"] = limit
	err.Extensions["value"] = value
	err.Extensions["max"] = limitValue
	return err
}
