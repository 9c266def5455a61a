package access

import (
	"fmt"
	"io"
	"slices"

	"github.com/99designs/gqlgen/graphql"
)

// EnumError is an unknown enum value sent by a caller: bad input.
type EnumError struct{ msg string }

// Error implements error.
func (e EnumError) Error() string { return e.msg }

// BadUserInput marks the error as the caller's, for the error presenter.
func (EnumError) BadUserInput() bool { return true }

// unmarshalEnum is shared by every enum's UnmarshalGQL so that each rejects
// unknown values with the same message.
func unmarshalEnum[T ~string](v any, values []T, name string) (T, error) {
	s, ok := v.(string)
	if !ok {
		return "", EnumError{name + " must be a string"}
	}
	if !slices.Contains(values, T(s)) {
		return "", EnumError{fmt.Sprintf("%q is not a valid %s", s, name)}
	}
	return T(s), nil
}

// marshalEnum quotes as gqlgen quotes every string: JSON's escapes, where
// strconv.Quote's (\a, \x07) are not JSON.
func marshalEnum[T ~string](w io.Writer, v T) {
	graphql.MarshalString(string(v)).MarshalGQL(w)
}

func stringsOf[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// UnmarshalEnum is unmarshalEnum for enums of other packages (intake forms),
// so that every enum of the API rejects unknown values alike.
func UnmarshalEnum[T ~string](v any, values []T, name string) (T, error) {
	return unmarshalEnum(v, values, name)
}

// MarshalEnum writes an enum value as a GraphQL string.
func MarshalEnum[T ~string](w io.Writer, v T) { marshalEnum(w, v) }
