// Package errcode names the error codes of the API contract and builds the
// typed GraphQL errors that carry them in extensions.code. It imports no
// generated code, so the Ent schemas and directives can use it.
package errcode

import (
	"slices"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"caseload/ent/schema/access"
)

// Code is an error code from the API contract.
type Code string

// The error codes of the API contract.
const (
	Unauthenticated Code = "UNAUTHENTICATED"
	Forbidden       Code = "FORBIDDEN"
	NotFound        Code = "NOT_FOUND"
	BadUserInput    Code = "BAD_USER_INPUT"
	Conflict        Code = "CONFLICT"
	RateLimited     Code = "RATE_LIMITED"
	Internal        Code = "INTERNAL"
	// QueryTooComplex and Unavailable are in the contract for the cost
	// limits and database outages.
	QueryTooComplex Code = "QUERY_TOO_COMPLEX"
	Unavailable     Code = "UNAVAILABLE"
)

// Codes lists every code of the contract: the one list the server checks
// answers against.
var Codes = []Code{Unauthenticated, Forbidden, NotFound, BadUserInput, Conflict, RateLimited, QueryTooComplex, Unavailable, Internal}

// Known reports whether code is one of the contract's.
func Known(code string) bool { return slices.Contains(Codes, Code(code)) }

// New returns a GraphQL error with a message a front end can show.
func New(code Code, message string) *gqlerror.Error {
	return &gqlerror.Error{
		Message:    message,
		Extensions: map[string]any{"code": string(code)},
	}
}

// ForbiddenSection is the error of a field the viewer may not read or change
// (policy §4): it names the section so that a client can explain why.
func ForbiddenSection(s access.Section) *gqlerror.Error {
	err := New(Forbidden, "you do not have access to the "+string(s)+" section of this client")
	err.Extensions["section"] = string(s)
	return err
}

// NotFoundError is the error of anything the viewer cannot see: identical for
// a hidden record and for an ID never issued (policy §3).
func NotFoundError() *gqlerror.Error {
	return New(NotFound, "not found")
}
