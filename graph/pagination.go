package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"

	"caseload/ent"
	"caseload/ent/member"
	"caseload/ent/predicate"
	"caseload/graph/errcode"
)

// MaxPageSize bounds every page, of connections and of bounded child lists
// alike, so that no request can ask the database for an unbounded number of
// rows. graph/server refuses a larger first or last before any resolver
// runs; the resolvers check again.
const MaxPageSize = 100

// DefaultPageSize is the page of a connection or bounded child list asked
// for without first or last.
const DefaultPageSize = 50

// pageArgs checks first/last and decodes the opaque cursors the contract
// passes as strings.
func pageArgs(first *int, after *string, last *int, before *string) (*ent.Cursor, *ent.Cursor, error) {
	for _, n := range []*int{first, last} {
		if err := checkPageSize(n); err != nil {
			return nil, nil, err
		}
	}
	if first != nil && last != nil {
		return nil, nil, errcode.New(errcode.BadUserInput, "pass first or last, not both")
	}
	a, err := cursor(after)
	if err != nil {
		return nil, nil, err
	}
	b, err := cursor(before)
	if err != nil {
		return nil, nil, err
	}
	return a, b, nil
}

func cursor(s *string) (*ent.Cursor, error) {
	if s == nil || *s == "" {
		return nil, nil
	}
	var c ent.Cursor
	if err := c.UnmarshalGQL(*s); err != nil {
		return nil, errcode.New(errcode.BadUserInput, "the cursor is not valid")
	}
	return &c, nil
}

// checkPageSize refuses a page size outside [0, MaxPageSize].
func checkPageSize(n *int) error {
	if n != nil && (*n < 0 || *n > MaxPageSize) {
		return errcode.New(errcode.BadUserInput, fmt.Sprintf("first and last must be between 0 and %d", MaxPageSize))
	}
	return nil
}

// pageFollows reports whether entgql's Paginate reads the page after the
// count, as it decides (ent/gql_pagination.go): the connection's edges are
// collected (by name, whatever their alias) and neither first nor last is
// 0. The page's statement may then carry the count
// (rule.WithWholeListCount).
func pageFollows(ctx context.Context, first, last *int) bool {
	if (first != nil && *first == 0) || (last != nil && *last == 0) {
		return false
	}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return true
	}
	for _, f := range graphql.CollectFields(graphql.GetOperationContext(ctx), fc.Field.Selections, nil) {
		if f.Name == "edges" {
			return true
		}
	}
	return false
}

// defaultFirst pages the first DefaultPageSize when the caller asks for no
// size.
func defaultFirst(first, last *int) *int {
	if first == nil && last == nil {
		n := DefaultPageSize
		return &n
	}
	return first
}

// listLimit is the number of rows a bounded child list loads: first, or
// DefaultPageSize when the caller asks for no size.
func listLimit(first *int) (int, error) {
	if err := checkPageSize(first); err != nil {
		return 0, err
	}
	if first == nil {
		return DefaultPageSize, nil
	}
	return *first, nil
}

// entOrderAsc is the default direction of every list.
const entOrderAsc = "ASC"

// memberPage pages the practice's members by name, optionally searching name
// and email.
func (r *Resolver) memberPage(ctx context.Context, first *int, after *string, last *int, before *string, search *string, where ...predicate.Member) (*ent.MemberConnection, error) {
	a, b, err := pageArgs(first, after, last, before)
	if err != nil {
		return nil, err
	}
	q := r.db(ctx).Member.Query().Where(where...)
	term, err := searchTerm(search)
	if err != nil {
		return nil, err
	}
	if term != "" {
		q.Where(member.Or(member.NameContainsFold(term), member.EmailContainsFold(term)))
	}
	return q.Paginate(ctx, a, defaultFirst(first, last), b, last,
		ent.WithMemberOrder(&ent.MemberOrder{Direction: entOrderAsc, Field: ent.MemberOrderFieldName}))
}
