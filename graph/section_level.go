package graph

import (
	"context"
	"fmt"

	"caseload/ent"
	"caseload/ent/rule"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
)

// sectionLevel is the @section directive's view of the viewer's effective
// level on a section of the object whose field is resolved (policy §4, §5).
// It reads from obj only what is always loaded: a client's id; a session
// note's client, author and private flag (rule.AlwaysLoad).
func sectionLevel(ctx context.Context, obj any, s access.Section) (access.Level, error) {
	v := viewer.FromContext(ctx)
	switch o := obj.(type) {
	case *ent.ClientRecord:
		d, err := rule.DecisionOn(ctx, o.ID)
		if err != nil {
			return access.None, err
		}
		return rule.SectionLevel(v, d, s), nil
	case *ent.SessionNote:
		d, err := rule.DecisionOn(ctx, o.ClientID)
		if err != nil {
			return access.None, err
		}
		return rule.NoteContentLevel(v, d, o.AuthorID, o.Private), nil
	case *ent.NoteAddendum:
		d, err := rule.DecisionOn(ctx, o.ClientID)
		if err != nil {
			return access.None, err
		}
		return rule.NoteContentLevel(v, d, o.AuthorID, o.Private), nil
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

// managesAccess is the @managesAccess directive's check: may the viewer
// manage access to this client (policy §6)?
func managesAccess(ctx context.Context, obj any) (bool, error) {
	c, ok := obj.(*ent.ClientRecord)
	if !ok {
		return false, fmt.Errorf("@managesAccess on unsupported type %T", obj)
	}
	d, err := rule.DecisionOn(ctx, c.ID)
	if err != nil {
		return false, err
	}
	return rule.ClientActions(viewer.FromContext(ctx), d).Share, nil
}
