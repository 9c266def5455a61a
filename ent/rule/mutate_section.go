package rule

import (
	"context"

	"caseload/ent"
	"caseload/ent/privacy"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
)

// DecideSectionEdit lets a member create or change a row of section s
// (appointments, invoices, medical history, forms) when their effective level
// on s for the row's client is EDIT (policy §4: changing needs EDIT).
func DecideSectionEdit(s access.Section) privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		v := viewer.FromContext(ctx)
		if v == nil {
			return privacy.Skip
		}
		clientID, err := mutatedClient(ctx, m)
		if err != nil || clientID == "" {
			return privacy.Skip
		}
		d, err := decideWith(ctx, m, v, clientID)
		if err != nil {
			return err
		}
		if !d.Visible() {
			return ErrHidden
		}
		if !SectionLevel(v, d, s).AtLeast(access.Edit) {
			return &SectionDenied{Section: s}
		}
		return privacy.Allow
	})
}

// mutatedClient returns the client a create names, or the client of the one
// row an update changes. Bulk updates name no client and are left to the
// policy's final deny.
func mutatedClient(ctx context.Context, m ent.Mutation) (pulid.ID, error) {
	if v, ok := m.Field("client_id"); ok {
		id, _ := v.(pulid.ID)
		return id, nil
	}
	if !m.Op().Is(ent.OpUpdateOne) && !m.Op().Is(ent.OpDeleteOne) {
		return "", nil
	}
	old, err := oldClientID(ctx, m)
	if err != nil {
		return "", err
	}
	return old, nil
}

// oldClientID reads client_id of the row an UpdateOne or DeleteOne changes.
// Ent's OldField reads the row past privacy, which is what this internal
// look-up needs.
func oldClientID(ctx context.Context, m ent.Mutation) (pulid.ID, error) {
	v, err := m.OldField(viewer.Bypass(ctx, "the rule needs the row's client to decide"), "client_id")
	if err != nil {
		return "", err
	}
	id, _ := v.(pulid.ID)
	return id, nil
}

// decideWith decides on the client through the mutation's own client, so
// that inside a transaction the decision sees the transaction's rows.
func decideWith(ctx context.Context, m ent.Mutation, v *viewer.Viewer, id pulid.ID) (Decision, error) {
	type clienter interface{ Client() *ent.Client }
	c, ok := m.(clienter)
	if !ok {
		return Decision{}, errNoClient
	}
	return Decide(ctx, c.Client(), v, id)
}
