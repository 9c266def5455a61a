package graph

import (
	"context"
	"strings"

	"caseload/ent"
	"caseload/ent/member"
	"caseload/ent/predicate"
)

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

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
