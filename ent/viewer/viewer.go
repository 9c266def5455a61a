// Package viewer carries who is asking through a request. It is the one place
// every request knows its viewer and request id; privacy rules, directives and
// resolvers read the viewer from here and nowhere else. It also loads the
// viewer (Load), and says when code acts past privacy, and why (Bypass);
// viewertest builds viewers for tests.
package viewer

import (
	"context"
	"slices"
	"sync"
	"time"

	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
)

// TeamGrant is a team member access grant held by the viewer (policy §3 rule
// 6). A nil Target means the grant reaches every member.
type TeamGrant struct {
	Target *pulid.ID
	Level  access.Level
}

// Settings are the practice settings the policy consults.
type Settings struct {
	// ClientVisibility is the practice default, ALL_TEAM or CARE_TEAM.
	ClientVisibility access.ClientVisibility
	// PractitionersManageOwnClients lets responsible practitioners hand over
	// and staff their own clients (policy §6).
	PractitionersManageOwnClients bool
	// EmergencyReachesRestricted lets break-glass access open restricted
	// clients (policy §8).
	EmergencyReachesRestricted bool
	// EmergencyAccessMinutes is how long a break-glass grant lasts.
	EmergencyAccessMinutes int
}

// Viewer is an authenticated team member, as loaded at the start of a request.
// It is never changed once loaded: a mutation's fields read a copy that keeps
// every rule (ForWrites).
type Viewer struct {
	MemberID pulid.ID
	// SessionID is the session the request's token belongs to (policy §2,
	// sessions); empty for viewers built outside a request.
	SessionID   pulid.ID
	PracticeID  pulid.ID
	AccountType access.AccountType
	Admin       bool
	Active      bool
	// Sections are the member's role levels (or the built-in defaults).
	Sections access.SectionLevels
	// Capabilities are the member's role capabilities (or the defaults).
	Capabilities []access.Capability
	// RestrictToTags, when non-empty, limits the broad rules 2, 5 and 6 to
	// clients carrying one of these tags (policy §3, tag restriction).
	RestrictToTags []pulid.ID
	TeamAccess     []TeamGrant
	Settings       Settings
	// Now is the request's clock: every expiry is judged against it, so a
	// request sees one consistent instant.
	Now time.Time
	// Without is the personal grants the member held none of when the
	// viewer was loaded (Load). The rules they feed leave their SQL out,
	// which can only hide clients, never show one. The zero value knows
	// nothing and keeps every rule; a request that writes keeps every rule
	// too (ForWrites), since it may grant the member one.
	Without Grants
}

// MayHold reports whether the member may hold a personal grant of kind g:
// false only when loading the viewer found none.
func (v *Viewer) MayHold(g Grants) bool { return v.Without&g == 0 }

// ForWrites returns the viewer for a request that writes: the same, but
// holding every kind of personal grant for all it knows, so that a grant
// the request makes to its own member (breaking the glass, sharing or
// staffing to oneself) is seen by what the request reads next.
func (v *Viewer) ForWrites() *Viewer {
	if v == nil || v.Without == 0 {
		return v
	}
	w := *v
	w.Without = 0
	return &w
}

// Can reports whether the viewer's role grants c. Admins hold every
// capability (policy §2).
func (v *Viewer) Can(c access.Capability) bool {
	return v.Admin || slices.Contains(v.Capabilities, c)
}

// RoleLevel is the viewer's role level for a section; EDIT for admins.
func (v *Viewer) RoleLevel(s access.Section) access.Level {
	if v.Admin {
		return access.Edit
	}
	return v.Sections.Of(s)
}

// TagRestricted reports whether the viewer's role limits broad rules to tags.
func (v *Viewer) TagRestricted() bool { return !v.Admin && len(v.RestrictToTags) > 0 }

type viewerKey struct{}

// NewContext returns a context carrying v.
func NewContext(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// anonymous is the viewer Anonymous puts in a context: none.
var anonymous = &Viewer{}

// Anonymous returns a context without a viewer, whoever sent the request:
// what a person without an account does (submit an intake form, book
// online, policy §11) is the same whether or not a member's token came
// with it, and so is its answer.
func Anonymous(ctx context.Context) context.Context {
	return context.WithValue(ctx, viewerKey{}, anonymous)
}

// FromContext returns the viewer, or nil for an anonymous request.
func FromContext(ctx context.Context) *Viewer {
	if v, _ := ctx.Value(viewerKey{}).(*Viewer); v == anonymous {
		return nil
	} else if v != nil {
		return v
	}
	if s, ok := ctx.Value(signInKey{}).(*signIn); ok {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.v
	}
	return nil
}

// signIn holds the member a sign-in (sign-up, login, accepting an invitation)
// has just authenticated, for the rest of that one mutation field.
type signIn struct {
	mu sync.Mutex
	v  *Viewer
}

type signInKey struct{}

// WithSignIn returns a context in which SignIn can name the viewer. The
// server gives each mutation field its own, so a sign-in reaches only its own
// answer: the payload's member is read as that member, and no other field of
// the request is.
func WithSignIn(ctx context.Context) context.Context {
	return context.WithValue(ctx, signInKey{}, &signIn{})
}

// SignIn makes v the viewer of the rest of the mutation field whose context
// this is, when the request had none. It reports whether it did. A
// mutation's viewer keeps every rule (ForWrites).
func SignIn(ctx context.Context, v *Viewer) bool {
	s, ok := ctx.Value(signInKey{}).(*signIn)
	if !ok || FromContext(ctx) != nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.v = v.ForWrites()
	return true
}

type practiceKey struct{}

// WithPractice returns a context whose writes belong to a practice although
// no member makes them: the practice a public intake form or booking page
// belongs to. Tenancy (policy §1) then puts new rows there.
func WithPractice(ctx context.Context, practiceID pulid.ID) context.Context {
	return context.WithValue(ctx, practiceKey{}, practiceID)
}

// PracticeOf returns the practice whose rows the context writes: the
// viewer's, else the one WithPractice named, else "".
func PracticeOf(ctx context.Context) pulid.ID {
	if v := FromContext(ctx); v != nil {
		return v.PracticeID
	}
	id, _ := ctx.Value(practiceKey{}).(pulid.ID)
	return id
}
