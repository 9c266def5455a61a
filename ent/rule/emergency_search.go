package rule

import (
	"context"
	"strings"
	"time"
	"unicode"

	"caseload/ent"
	"caseload/ent/clientrecord"
	"caseload/ent/emergencylookup"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
)

// Policy §8: "A member with EMERGENCY_ACCESS may open a client they cannot
// otherwise see ... It does not reach a restricted client unless the
// practice setting allows it." The member first identifies the person: full
// name and date of birth, exactly. The search answers only the clients the
// member cannot see and rule 7 could reach (its own limit decides which
// restricted clients), and only with what identifies them; each answer is
// noted so that breaking the glass (break_glass.go) can require that the
// member identified that client within IdentificationWindow.

// IdentificationWindow is how long an emergency search's identification of
// a client lets the member break the glass on it.
const IdentificationWindow = 15 * time.Minute

// maxCandidates bounds an answer: an exact identification names one person,
// and a few namesakes born the same day at the most.
const maxCandidates = 20

// Candidate is a client an emergency search identified: only what
// identifies the person.
type Candidate struct {
	ID          pulid.ID
	Name        string
	DateOfBirth time.Time
}

// RequireEmergencyAccess refuses, FORBIDDEN, a viewer whose role lacks
// EMERGENCY_ACCESS (admins hold every capability).
func RequireEmergencyAccess(v *viewer.Viewer) error {
	if v == nil || !v.Can(access.EmergencyAccess) {
		return deny("breaking the glass needs the EMERGENCY_ACCESS capability")
	}
	return nil
}

// EmergencyCandidates returns the clients of the viewer's practice whose
// full name is name (compared without regard to case or spaces) and whose
// date of birth is the calendar date of dob (a stored date of birth is read
// as its UTC date, as the API writes it), that the viewer cannot see and
// that rule 7 would reach; by name. Each is noted as identified to the
// viewer until IdentificationWindow from the request's clock.
func EmergencyCandidates(ctx context.Context, client *ent.Client, name string, dob time.Time) ([]Candidate, error) {
	v := viewer.FromContext(ctx)
	if err := RequireEmergencyAccess(v); err != nil {
		return nil, err
	}
	day := calendarDay(dob)
	// Past privacy: the point is to find a client the viewer cannot see;
	// only the identification of the exact matches leaves this function.
	// The range is a day wider on each side, so that the exact date is
	// decided below whatever offset a stored time was written with.
	q := client.ClientRecord.Query().Where(
		clientrecord.PracticeIDEQ(v.PracticeID),
		clientrecord.DateOfBirthGTE(day.AddDate(0, 0, -1)),
		clientrecord.DateOfBirthLT(day.AddDate(0, 0, 2)),
	)
	for _, l := range emergencyLimits(v) {
		q.Where(l.pass)
	}
	rows, err := q.Select(clientrecord.FieldID, clientrecord.FieldName, clientrecord.FieldDateOfBirth).
		Order(ent.Asc(clientrecord.FieldName), ent.Asc(clientrecord.FieldID)).
		All(withoutDecisions(viewer.Bypass(ctx, "policy §8: an emergency search looks for clients the member cannot see")))
	if err != nil {
		return nil, err
	}
	var matches []*ent.ClientRecord
	var ids []pulid.ID
	for _, c := range rows {
		if c.DateOfBirth != nil && calendarDay(c.DateOfBirth.UTC()).Equal(day) && sameName(c.Name, name) {
			matches = append(matches, c)
			ids = append(ids, c.ID)
		}
	}
	// The candidates are the clients v cannot see, so no rule may be left
	// out for grants the viewer's statement did not find (ForWrites): a
	// share made since would make a visible client a candidate.
	decided, err := DecideClients(ctx, client, v.ForWrites(), ids)
	if err != nil {
		return nil, err
	}
	out := []Candidate{}
	for _, c := range matches {
		if !decided[c.ID].Visible() && len(out) < maxCandidates {
			out = append(out, Candidate{ID: c.ID, Name: c.Name, DateOfBirth: day})
		}
	}
	return out, noteIdentified(ctx, client, v, out)
}

// calendarDay is t's date, as midnight UTC.
func calendarDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// sameName compares full names without regard to case or to spaces.
func sameName(a, b string) bool {
	noSpace := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, s)
	}
	return strings.EqualFold(noSpace(a), noSpace(b))
}

// noteIdentified records that the search identified these clients to v.
func noteIdentified(ctx context.Context, client *ent.Client, v *viewer.Viewer, found []Candidate) error {
	if len(found) == 0 {
		return nil
	}
	rows := make([]*ent.EmergencyLookupCreate, len(found))
	for i, c := range found {
		rows[i] = client.EmergencyLookup.Create().SetPracticeID(v.PracticeID).SetMemberID(v.MemberID).
			SetClientID(c.ID).SetExpiresAt(v.Now.Add(IdentificationWindow))
	}
	return client.EmergencyLookup.CreateBulk(rows...).
		Exec(viewer.Bypass(ctx, "policy §8: the server notes what an emergency search identified to the member"))
}

// identified reports whether v identified the client by an emergency search
// within IdentificationWindow, and rule 7 would still reach it: it is in
// v's practice and passes rule 7's limits now.
func identified(ctx context.Context, client *ent.Client, v *viewer.Viewer, clientID pulid.ID) (bool, error) {
	ctx = withoutDecisions(viewer.Bypass(ctx, "whether the member identified the client is the rule's own question"))
	ok, err := client.EmergencyLookup.Query().Where(
		emergencylookup.PracticeIDEQ(v.PracticeID),
		emergencylookup.MemberIDEQ(v.MemberID),
		emergencylookup.ClientIDEQ(clientID),
		emergencylookup.ExpiresAtGT(v.Now),
	).Exist(ctx)
	if err != nil || !ok {
		return false, err
	}
	q := client.ClientRecord.Query().Where(clientrecord.IDEQ(clientID), clientrecord.PracticeIDEQ(v.PracticeID))
	for _, l := range emergencyLimits(v) {
		q.Where(l.pass)
	}
	return q.Exist(ctx)
}
