// Package viewertest builds viewers for tests, in the style of symphony's
// viewertest: a default that is the most common member (an active
// practitioner with the built-in defaults, in a practice whose clients are
// visible to their care team only) and options that state, in a test's own
// words, only what the test is about.
//
// A viewer built here is what viewer.Load would build for a member whose
// database rows say the same; nothing is read from the database, so a test
// of the policy's rules can vary the viewer without fixtures of its role,
// grants or practice settings.
package viewertest

import (
	"context"
	"time"

	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
)

// options are collected before the viewer is built, so that options may come
// in any order: Administrative() does not overwrite sections given by
// WithSections(), whichever comes first.
type options struct {
	admin        bool
	inactive     bool
	accountType  access.AccountType
	sections     access.SectionLevels
	sectionsSet  bool
	capabilities []access.Capability
	capsSet      bool
	tags         []pulid.ID
	teamAccess   []viewer.TeamGrant
	settings     viewer.Settings
	now          time.Time
}

// Option shapes the viewer New builds; a test names only what it is about.
type Option func(*options)

// DefaultSettings are the settings of a new practice (policy §3 rule 5,
// §6, §8): clients visible to their care team, no hand-over by
// practitioners, break-glass not reaching restricted clients, for 60
// minutes. They are the settings New uses unless WithSettings says otherwise.
var DefaultSettings = viewer.Settings{
	ClientVisibility:       access.CareTeam,
	EmergencyAccessMinutes: 60,
}

// New returns the viewer of member memberID of practice practiceID: by
// default an active PRACTITIONER without a role (so with the built-in
// practitioner sections and capabilities of policy §4), no tag restriction,
// no team member access, DefaultSettings, and the clock at time.Now().
func New(practiceID, memberID pulid.ID, opts ...Option) *viewer.Viewer {
	o := options{accountType: access.Practitioner, settings: DefaultSettings}
	for _, opt := range opts {
		opt(&o)
	}
	sections := o.accountType.DefaultSections()
	if o.sectionsSet {
		sections = copySections(o.sections)
	}
	caps := o.accountType.DefaultCapabilities()
	if o.capsSet {
		caps = append([]access.Capability{}, o.capabilities...)
	}
	now := o.now
	if now.IsZero() {
		now = time.Now()
	}
	return &viewer.Viewer{
		MemberID:       memberID,
		PracticeID:     practiceID,
		AccountType:    o.accountType,
		Admin:          o.admin,
		Active:         !o.inactive,
		Sections:       sections,
		Capabilities:   caps,
		RestrictToTags: append([]pulid.ID(nil), o.tags...),
		TeamAccess:     append([]viewer.TeamGrant(nil), o.teamAccess...),
		Settings:       o.settings,
		// UTC, as viewer.Load sets it: the request's clock is compared
		// with stored expiries, which SQLite compares as text.
		Now: now.UTC(),
	}
}

// Context returns ctx carrying v as the request's viewer, so that queries
// made with it go through the privacy policy as v's requests do.
func Context(ctx context.Context, v *viewer.Viewer) context.Context {
	return viewer.NewContext(ctx, v)
}

// Admin makes the viewer a site administrator (policy §2): rule 1 of §3, EDIT
// on every section, every capability.
func Admin() Option { return func(o *options) { o.admin = true } }

// Inactive makes the viewer a deactivated member, who can do nothing (policy
// §2), to test that nothing reaches them.
func Inactive() Option { return func(o *options) { o.inactive = true } }

// Administrative makes the viewer ADMINISTRATIVE staff, with that account
// type's built-in sections and capabilities (policy §4) unless WithSections
// or WithCapabilities give a role's own.
func Administrative() Option {
	return func(o *options) { o.accountType = access.Administrative }
}

// WithSections gives the viewer a role's section levels instead of the
// built-in defaults; a section left out is NONE.
func WithSections(s access.SectionLevels) Option {
	return func(o *options) { o.sections, o.sectionsSet = copySections(s), true }
}

// WithCapabilities gives the viewer a role's capabilities instead of the
// built-in defaults; with none, the role grants no capability at all.
func WithCapabilities(caps ...access.Capability) Option {
	return func(o *options) {
		o.capabilities, o.capsSet = append([]access.Capability{}, caps...), true
	}
}

// RestrictedToTags gives the viewer's role a tag restriction (policy §3): the
// broad rules 2, 5 and 6 then reach only clients with one of these tags.
func RestrictedToTags(tags ...pulid.ID) Option {
	return func(o *options) { o.tags = append(o.tags, tags...) }
}

// WithTeamAccess adds a team member access grant (policy §3 rule 6) to
// target's care teams at level; a nil target is a grant to ALL members. It
// may be given several times.
func WithTeamAccess(target *pulid.ID, level access.Level) Option {
	return func(o *options) {
		if target != nil {
			t := *target
			target = &t
		}
		o.teamAccess = append(o.teamAccess, viewer.TeamGrant{Target: target, Level: level})
	}
}

// WithSettings sets the practice settings the policy consults. Fields left
// zero take the value of DefaultSettings, as a new practice's columns would:
// an empty ClientVisibility means CARE_TEAM, not "no setting".
func WithSettings(s viewer.Settings) Option {
	return func(o *options) {
		if s.ClientVisibility == "" {
			s.ClientVisibility = DefaultSettings.ClientVisibility
		}
		if s.EmergencyAccessMinutes == 0 {
			s.EmergencyAccessMinutes = DefaultSettings.EmergencyAccessMinutes
		}
		o.settings = s
	}
}

// At sets the request's clock, against which shares and emergency grants
// expire, so that a test can look at the same rows before and after an
// expiry.
func At(t time.Time) Option { return func(o *options) { o.now = t } }

func copySections(s access.SectionLevels) access.SectionLevels {
	out := make(access.SectionLevels, len(s))
	for k, v := range s {
		out[k] = v
	}
	return out
}
