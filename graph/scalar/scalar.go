// Package scalar holds the API's String, Int, Time and Date scalars:
// gqlgen's own (Date is ours), with input checked at the edge so that bad
// input is a typed BAD_USER_INPUT error before any resolver or query sees it
// (a NUL byte used to reach PostgreSQL as an INTERNAL error, and SQLite
// matched every client on it; a malformed time was INTERNAL too).
package scalar

import (
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"

	"caseload/graph/errcode"
)

// MarshalString writes a String.
func MarshalString(s string) graphql.Marshaler { return graphql.MarshalString(s) }

// UnmarshalString reads a String input: valid UTF-8, with no NUL or other
// control character but tab, line feed and carriage return.
func UnmarshalString(v any) (string, error) {
	s, err := graphql.UnmarshalString(v)
	if err != nil {
		return "", errcode.New(errcode.BadUserInput, "expected a string")
	}
	if err := CheckText(s); err != nil {
		return "", err
	}
	return s, nil
}

// CheckText refuses text that is not valid UTF-8 or carries control
// characters other than tab, line feed and carriage return.
func CheckText(s string) error {
	if !utf8.ValidString(s) {
		return errcode.New(errcode.BadUserInput, "text must be valid UTF-8")
	}
	for _, r := range s {
		if r == '\t' || r == '\n' || r == '\r' {
			continue
		}
		if unicode.IsControl(r) {
			return errcode.New(errcode.BadUserInput, fmt.Sprintf("text must not contain the control character U+%04X", r))
		}
	}
	return nil
}

// MarshalInt writes an Int.
func MarshalInt(i int) graphql.Marshaler { return graphql.MarshalInt(i) }

// UnmarshalInt reads an Int input: a whole number within the 32 bits the
// GraphQL specification gives Int.
func UnmarshalInt(v any) (int, error) {
	i, err := graphql.UnmarshalInt32(v)
	if err != nil {
		return 0, errcode.New(errcode.BadUserInput, "expected a whole number between -2147483648 and 2147483647")
	}
	return int(i), nil
}

// MarshalTime writes a Time as RFC 3339.
func MarshalTime(t time.Time) graphql.Marshaler { return graphql.MarshalTime(t) }

// UnmarshalTime reads a Time input: an RFC 3339 timestamp.
func UnmarshalTime(v any) (time.Time, error) {
	t, err := graphql.UnmarshalTime(v)
	if err != nil {
		return time.Time{}, errcode.New(errcode.BadUserInput, "expected an RFC 3339 time such as 2026-03-01T09:30:00+11:00")
	}
	return t, nil
}

// MarshalInt64 writes an Int held in an int64 column (amounts in cents).
func MarshalInt64(i int64) graphql.Marshaler { return graphql.MarshalInt64(i) }

// UnmarshalInt64 reads an Int input into an int64, within Int's 32 bits.
func UnmarshalInt64(v any) (int64, error) {
	i, err := UnmarshalInt(v)
	return int64(i), err
}

// dateLayout is the Date scalar's form: a calendar date, YYYY-MM-DD.
const dateLayout = "2006-01-02"

// MarshalDate writes a Date: the calendar date of t in UTC.
func MarshalDate(t time.Time) graphql.Marshaler {
	return graphql.MarshalString(t.UTC().Format(dateLayout))
}

// UnmarshalDate reads a Date input, a calendar date written YYYY-MM-DD, as
// midnight UTC of that date: a date of birth is a date, not an instant.
func UnmarshalDate(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, errcode.New(errcode.BadUserInput, "expected a date such as 1984-03-01")
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil || len(s) != len(dateLayout) {
		return time.Time{}, errcode.New(errcode.BadUserInput, "expected a date such as 1984-03-01")
	}
	return t, nil
}
