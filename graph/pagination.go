package graph

import (
	"context"
	"strings"

	"caseload/ent"
	"caseload/ent/member"
	"caseload/ent/predicate"
	"caseload/graph/errcode"
)

// maxPageSize bounds every connection page, so that no request can ask the
// database for an unbounded number of rows.
const maxPageSize = 100

// pageArgs checks first/last and decodes the opaque cursors the contract
// passes as strings.
func pageArgs(first *int, after *string, last *int, before *string) (*ent.Cursor, *ent.Cursor, error) {
	for _, n := range []*int{first, last} {
		if n != nil && (*n < 0 || *n > maxPageSize) {
			return nil, nil, errcode.New(errcode.BadUserInput, "first and last must be between 0 and 100")
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

// defaultFirst pages the first 50 when the caller asks for no size.
func defaultFirst(first, last *int) *int {
	if first == nil && last == nil {
		n := 50
		return &n
	}
	return first
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
	if term := strings.TrimSpace(deref(search)); term != "" {
		q.Where(member.Or(member.NameContainsFold(term), member.EmailContainsFold(term)))
	}
	return q.Paginate(ctx, a, defaultFirst(first, last), b, last,
		ent.WithMemberOrder(&ent.MemberOrder{Direction: entOrderAsc, Field: ent.MemberOrderFieldName}))
}
