package access

import "io"

// Level is an access level, ordered NONE < VIEW < EDIT (policy §3, §4).
type Level string

// The access levels.
const (
	None Level = "NONE"
	View Level = "VIEW"
	Edit Level = "EDIT"
)

// Levels lists every level from lowest to highest.
var Levels = []Level{None, View, Edit}

func (l Level) rank() int {
	switch l {
	case View:
		return 1
	case Edit:
		return 2
	default:
		return 0
	}
}

// AtLeast reports whether l grants at least what o grants.
func (l Level) AtLeast(o Level) bool { return l.rank() >= o.rank() }

// Max returns the higher of two levels: the relationship level is the highest
// level any applying rule gives (policy §3).
func Max(a, b Level) Level {
	if a.rank() >= b.rank() {
		return a
	}
	return b
}

// Min returns the lower of two levels: the effective section level is the
// lower of the role level and the relationship level (policy §4).
func Min(a, b Level) Level {
	if a.rank() <= b.rank() {
		return a
	}
	return b
}

// Values lets Ent store Level as an enum.
func (Level) Values() []string { return stringsOf(Levels) }

// MarshalGQL implements graphql.Marshaler.
func (l Level) MarshalGQL(w io.Writer) { marshalEnum(w, l) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (l *Level) UnmarshalGQL(v any) (err error) {
	*l, err = unmarshalEnum(v, Levels, "AccessLevel")
	return err
}

// GrantLevel is the level a share or a team member access grant gives: VIEW
// or EDIT, never NONE.
func (l Level) GrantLevel() bool { return l == View || l == Edit }
