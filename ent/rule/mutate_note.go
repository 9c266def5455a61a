package rule

import (
	"context"

	"caseload/ent"
	"caseload/ent/privacy"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
)

// DecideNoteWrite decides writing a session note (policy §5): a note is
// written by a practitioner with effective
// SESSION_NOTES EDIT on its client, as its own author; it can be changed only
// by its author, and only until it is signed. Not even an admin changes
// another member's note, so this rule has no admin exception.
func DecideNoteWrite() privacy.MutationRule {
	return privacy.SessionNoteMutationRuleFunc(func(ctx context.Context, m *ent.SessionNoteMutation) error {
		v := viewer.FromContext(ctx)
		if v == nil {
			return privacy.Skip
		}
		if v.AccountType != access.Practitioner {
			return deny("only practitioners author session notes") // policy §2
		}
		switch {
		case m.Op().Is(ent.OpCreate):
			author, _ := m.AuthorID()
			if author != v.MemberID {
				return privacy.Denyf("a note is written by its own author")
			}
		case m.Op().Is(ent.OpUpdateOne):
			author, err := m.OldAuthorID(viewer.Bypass(ctx, "the note rule decides from the author"))
			if err != nil {
				return err
			}
			signed, err := m.OldSignedAt(viewer.Bypass(ctx, "the note rule decides from the signature"))
			if err != nil {
				return err
			}
			if author != v.MemberID {
				return deny("only a note's author changes it")
			}
			if signed != nil {
				return &Conflict{Reason: "the note is signed and locked; add an addendum instead"}
			}
		default:
			return privacy.Skip
		}
		clientID, err := mutatedClient(ctx, m)
		if err != nil {
			return err
		}
		d, err := Decide(ctx, m.Client(), v, clientID)
		if err != nil {
			return err
		}
		if !d.Visible() {
			return ErrHidden
		}
		if !SectionLevel(v, d, access.SessionNotes).AtLeast(access.Edit) {
			return &SectionDenied{Section: access.SessionNotes}
		}
		return privacy.Allow
	})
}
