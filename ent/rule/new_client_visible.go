package rule

import (
	"context"

	"caseload/ent"
	"caseload/ent/hook"
	"caseload/ent/viewer"
)

// RequireCreatorSeesNewClient refuses a client that its non-admin creator
// could not see once created (policy §6, new clients: "A non-admin may not
// create a client that they then could not see"). It decides after the
// insert, inside the same transaction, with the same decision every read
// uses; the refusal rolls the client back.
func RequireCreatorSeesNewClient() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.ClientRecordFunc(func(ctx context.Context, m *ent.ClientRecordMutation) (ent.Value, error) {
			value, err := next.Mutate(ctx, m)
			v := viewer.FromContext(ctx)
			if err != nil || v == nil || v.Admin {
				return value, err
			}
			created, ok := value.(*ent.ClientRecord)
			if !ok {
				return value, nil
			}
			d, err := Decide(ctx, m.Client(), v, created.ID)
			if err != nil {
				return nil, err
			}
			if !d.Visible() {
				return nil, deny("you would not be able to see this client; name a responsible practitioner or a visibility that includes you")
			}
			return value, nil
		})
	}, ent.OpCreate)
}
