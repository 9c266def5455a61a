package graph

// Reading the audit log (policy §9): admins and VIEW_AUDIT_LOG, every
// client of the practice, never a sensitive value.

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"caseload/ent"
	"caseload/ent/audit"
	"caseload/ent/auditevent"
	"caseload/ent/clientrecord"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
	"caseload/graph/errcode"
	"caseload/graph/model"
)

// requireAuditReader refuses, with FORBIDDEN, anyone who may not read the
// audit log, before anything is read: an empty log would say that nothing
// happened.
func requireAuditReader(ctx context.Context) error {
	if v := viewer.FromContext(ctx); v == nil || !v.Can(access.ViewAuditLog) {
		field := ""
		if fc := graphql.GetFieldContext(ctx); fc != nil {
			field = fc.Field.Name
		}
		audit.RecordDenied(ctx, audit.ActionForbidden, "", "", field)
		return errcode.New(errcode.Forbidden, "the audit log is read by admins and members with VIEW_AUDIT_LOG")
	}
	return nil
}

// auditWhere turns the API's filter into predicates.
func auditWhere(w *model.AuditWhereInput) []func(*ent.AuditEventQuery) {
	if w == nil {
		return nil
	}
	var out []func(*ent.AuditEventQuery)
	add := func(f func(*ent.AuditEventQuery)) { out = append(out, f) }
	if w.ClientID != nil {
		id := *w.ClientID
		add(func(q *ent.AuditEventQuery) { q.Where(auditevent.ClientIDEQ(id)) })
	}
	if w.MemberID != nil {
		id := *w.MemberID
		add(func(q *ent.AuditEventQuery) { q.Where(auditevent.ActorIDEQ(id)) })
	}
	if w.Action != nil {
		a := *w.Action
		add(func(q *ent.AuditEventQuery) { q.Where(auditevent.ActionEQ(a)) })
	}
	if w.Decision != nil {
		d := *w.Decision
		add(func(q *ent.AuditEventQuery) { q.Where(auditevent.DecisionEQ(d)) })
	}
	if w.From != nil {
		t := w.From.UTC()
		add(func(q *ent.AuditEventQuery) { q.Where(auditevent.AtGTE(t)) })
	}
	if w.To != nil {
		t := w.To.UTC()
		add(func(q *ent.AuditEventQuery) { q.Where(auditevent.AtLT(t)) })
	}
	return out
}

// auditClient names a record's client: its ID and name, for every client
// of the practice (§9's exception to §3), read past privacy and nothing
// else of it.
func (r *Resolver) auditClient(ctx context.Context, id *pulid.ID) (*model.AuditClient, error) {
	if id == nil {
		return nil, nil
	}
	v := viewer.FromContext(ctx)
	c, err := r.db(ctx).ClientRecord.Query().
		Where(clientrecord.IDEQ(*id), clientrecord.PracticeIDEQ(v.PracticeID)).
		Select(clientrecord.FieldID, clientrecord.FieldName).
		Only(viewer.Bypass(ctx, "policy §9: the audit log names every client of the practice by ID and name"))
	if ent.IsNotFound(err) {
		return &model.AuditClient{ID: *id, Name: ""}, nil
	}
	if err != nil {
		return nil, err
	}
	return &model.AuditClient{ID: c.ID, Name: c.Name}, nil
}

// MaxReportRows bounds a client's access report in one answer: years of a
// busy client's record.
const MaxReportRows = 10_000
