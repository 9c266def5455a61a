package directive

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"

	"caseload/ent"
	"caseload/ent/audit"
	"caseload/ent/rule"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
	"caseload/graph/errcode"
)

// section is the runtime of @section: reading a field of section S needs an
// effective level of at least VIEW on S (policy §4). A denied field is null
// with a FORBIDDEN error naming the section; the rest of the response is
// served.
func section(ctx context.Context, obj any, next graphql.Resolver, s access.Section) (any, error) {
	l, err := sectionLevel(ctx, obj, s)
	if err != nil {
		return nil, err
	}
	if !l.AtLeast(access.View) {
		// Every denied access is recorded (policy §9): one event per
		// request, client and section.
		audit.RecordDenied(ctx, audit.ActionForbidden, clientOf(obj), "", string(s))
		return nil, errcode.ForbiddenSection(s)
	}
	if audited(s) {
		// The field names what of the section was read: a count or a
		// page of notes answers about them too, and is recorded even when
		// no row is loaded (policy §9).
		field := ""
		if fc := graphql.GetFieldContext(ctx); fc != nil {
			field = fc.Field.Name
		}
		audit.RecordRead(ctx, clientOf(obj), string(s), field)
	}
	return next(ctx)
}

// audited reports whether reads of section s are recorded (policy §9).
func audited(s access.Section) bool {
	return s == access.MedicalHistory || s == access.SessionNotes || s == access.Forms
}

// clientOf is the client whose field obj is, for the audit log.
func clientOf(obj any) pulid.ID {
	switch o := obj.(type) {
	case *ent.ClientRecord:
		return o.ID
	case *ent.SessionNote:
		return o.ClientID
	case *ent.NoteAddendum:
		return o.ClientID
	}
	return ""
}

// sectionLevel is the viewer's effective level on section s of obj, the
// object whose field is resolved (policy §4, §5). It reads from obj only what
// is always loaded: a client's id; a note's or an addendum's client, author
// and private flag (rule.AlwaysLoad).
func sectionLevel(ctx context.Context, obj any, s access.Section) (access.Level, error) {
	v := viewer.FromContext(ctx)
	switch o := obj.(type) {
	case *ent.ClientRecord:
		d, err := rule.DecisionOn(ctx, o.ID)
		return rule.SectionLevel(v, d, s), err
	case *ent.SessionNote:
		return noteLevel(ctx, v, o.ClientID, o.AuthorID, o.Private)
	case *ent.NoteAddendum:
		return noteLevel(ctx, v, o.ClientID, o.AuthorID, o.Private)
	case *ent.Tag:
		// Tag.clients lists only clients the viewer sees (privacy filters
		// the edge), so the question is the one a filter over visible
		// clients asks.
		if rule.MayReadOnVisibleClients(v, s) {
			return access.View, nil
		}
		return access.None, nil
	default:
		// A guarded field on a type this function does not know is a
		// programming error: refuse rather than serve it.
		return access.None, fmt.Errorf("@section on unsupported type %T", obj)
	}
}

// noteLevel is the level on a note's (or its addendum's) content (policy §5).
func noteLevel(ctx context.Context, v *viewer.Viewer, client, author pulid.ID, private bool) (access.Level, error) {
	d, err := rule.DecisionOn(ctx, client)
	if err != nil {
		return access.None, err
	}
	return rule.NoteContentLevel(v, d, author, private), nil
}
