package rule

import (
	"context"

	"caseload/ent"
	"caseload/ent/privacy"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
)

// DecideAddendum lets a note's author add an addendum to it once it is
// signed (policy §5: a signed note takes only addenda), with effective
// SESSION_NOTES EDIT on its client. The addendum carries its note's client,
// author and private flag, so that it is read exactly as its note is.
// Addenda are never changed or removed: nothing else is allowed.
func DecideAddendum() privacy.MutationRule {
	return privacy.NoteAddendumMutationRuleFunc(func(ctx context.Context, m *ent.NoteAddendumMutation) error {
		v := viewer.FromContext(ctx)
		if v == nil || !m.Op().Is(ent.OpCreate) {
			return privacy.Skip
		}
		noteID, _ := m.NoteID()
		note, err := m.Client().SessionNote.Get(viewer.Bypass(ctx, "the rule decides from the note's author, client and signature"), noteID)
		if ent.IsNotFound(err) {
			return ErrHidden
		}
		if err != nil {
			return err
		}
		d, err := Decide(ctx, m.Client(), v, note.ClientID)
		if err != nil {
			return err
		}
		author, _ := m.AuthorID()
		client, _ := m.ClientID()
		private, _ := m.Private()
		switch {
		case !d.Visible():
			return ErrHidden
		case note.AuthorID != v.MemberID || author != v.MemberID:
			return deny("only a note's author adds an addendum to it")
		case client != note.ClientID || private != note.Private:
			return deny("an addendum belongs to its note's client and keeps its note's privacy")
		case note.SignedAt == nil:
			return deny("a note is edited until it is signed; addenda are for signed notes")
		case !SectionLevel(v, d, access.SessionNotes).AtLeast(access.Edit):
			return &SectionDenied{Section: access.SessionNotes}
		}
		return privacy.Allow
	})
}
