package viewer

import (
	"context"
	"errors"
	"time"

	"caseload/ent"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/session"
)

// ErrInactive is returned for a deactivated member: their sessions stop
// working at once (policy §2).
var ErrInactive = errors.New("this account is deactivated")

// ErrSessionEnded is returned for a session that has ended (logout, password
// change, deactivation, endSessions) or that the member never had: the
// token is refused, whatever its expiry says (policy §2, sessions).
var ErrSessionEnded = errors.New("this session has ended")

// ErrNoMember is LoadMember's answer for a member that is not one of the
// practice's.
var ErrNoMember = errors.New("no such member in this practice")

// lastSeenEvery is how stale a session's last_seen_at may get before a
// request refreshes it: a request rarely writes.
const lastSeenEvery = 5 * time.Minute

// Load builds the viewer for a member's session from the database, as it is
// now: the session must be open, and the member active; then role, tag
// restriction, team member access and practice settings. It runs once per
// request, in one statement, so an ended session, a changed role or a
// deactivation takes effect on the next request whatever token the member
// holds.
func Load(ctx context.Context, client *ent.Client, memberID, sessionID pulid.ID, now time.Time) (*Viewer, error) {
	// Internal look-up: the viewer does not exist yet, so privacy cannot
	// decide; this reads only the member's own session and authorisation.
	ctx = Bypass(ctx, "the viewer does not exist yet; this reads only their own session and authorisation")
	r, err := readAuthorisation(ctx, client, memberID, "", sessionID, now)
	if err != nil {
		return nil, err
	}
	switch {
	case r == nil:
		return nil, ErrSessionEnded
	case !r.Active:
		return nil, ErrInactive
	case r.SessionEnded.Valid:
		return nil, ErrSessionEnded
	}
	if !r.SessionSeen.Valid || now.Sub(r.SessionSeen.Time) > lastSeenEvery {
		// One UPDATE: UpdateOne would read the row back.
		if _, err := client.Session.Update().Where(session.IDEQ(sessionID)).SetLastSeenAt(now).Save(ctx); err != nil {
			return nil, err
		}
	}
	v, err := r.viewer(now)
	if err != nil {
		return nil, err
	}
	v.SessionID = sessionID
	return v, nil
}

// LoadMember builds the viewer a request of member memberID of practice
// practiceID would have at now, without a session and whether or not the
// member is active (a deactivated member's viewer has Active false), so
// that explaining their access (policy §10) decides with exactly what their
// own requests decide with. A member of another practice, or none, is
// ErrNoMember. The caller has decided that the asker may ask.
func LoadMember(ctx context.Context, client *ent.Client, memberID, practiceID pulid.ID, now time.Time) (*Viewer, error) {
	ctx = Bypass(ctx, "policy §10: explaining a member's access needs their authorisation as their requests load it")
	r, err := readAuthorisation(ctx, client, memberID, practiceID, "", now)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, ErrNoMember
	}
	return r.viewer(now)
}

// RoleLevels returns a role's level per section.
func RoleLevels(r *ent.Role) access.SectionLevels {
	return access.SectionLevels{
		access.Profile:        r.ProfileLevel,
		access.Scheduling:     r.SchedulingLevel,
		access.Billing:        r.BillingLevel,
		access.MedicalHistory: r.MedicalHistoryLevel,
		access.SessionNotes:   r.SessionNotesLevel,
		access.Forms:          r.FormsLevel,
	}
}
