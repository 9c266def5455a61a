// Package pulid implements prefixed ULIDs: opaque, globally unique IDs whose
// two-letter prefix names the entity type, so that `node(id:)` can find the
// table without an ent_types lookup and IDs are never guessable sequences.
package pulid

import (
	"crypto/rand"
	"database/sql/driver"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/oklog/ulid/v2"
)

// ID is a prefixed ULID, e.g. "CL01JD3T2Z0Q8M3V7S9K4W2X5Y6".
type ID string

// PrefixLen is the length of the type prefix of every ID.
const PrefixLen = 2

var (
	entropyMu sync.Mutex
	entropy   = ulid.Monotonic(rand.Reader, 0)
)

// MustNew returns a new ID with the given type prefix.
func MustNew(prefix string) ID {
	entropyMu.Lock()
	defer entropyMu.Unlock()
	return ID(prefix + ulid.MustNew(ulid.Timestamp(time.Now()), entropy).String())
}

// Prefix returns the type prefix, or "" for a malformed ID.
func (u ID) Prefix() string {
	if !u.Valid() {
		return ""
	}
	return string(u[:PrefixLen])
}

// Valid reports whether the ID has the shape of an issued ID. It rejects
// malformed input before it reaches the database.
func (u ID) Valid() bool {
	if len(u) != PrefixLen+ulid.EncodedSize {
		return false
	}
	_, err := ulid.ParseStrict(string(u[PrefixLen:]))
	return err == nil
}

// InvalidError is a malformed ID sent by a caller: bad input, never a fault.
type InvalidError struct{}

// Error implements error.
func (InvalidError) Error() string { return "the ID is not valid" }

// BadUserInput marks the error as the caller's, for the error presenter.
func (InvalidError) BadUserInput() bool { return true }

// UnmarshalGQL implements graphql.Unmarshaler. Malformed IDs are rejected
// here so that resolvers only ever see well-formed ones.
func (u *ID) UnmarshalGQL(v any) error {
	var id ID
	switch s := v.(type) {
	case string:
		id = ID(s)
	case ID: // entgql's node lookup passes IDs through UnmarshalGQL again
		id = s
	}
	if !id.Valid() {
		return InvalidError{}
	}
	*u = id
	return nil
}

// MarshalGQL implements graphql.Marshaler, quoting as gqlgen quotes every
// string: JSON's escapes, where strconv.Quote's (\a, \x07) are not JSON.
func (u ID) MarshalGQL(w io.Writer) {
	graphql.MarshalString(string(u)).MarshalGQL(w)
}

// Scan implements sql.Scanner.
func (u *ID) Scan(src any) error {
	switch s := src.(type) {
	case string:
		*u = ID(s)
	case []byte:
		*u = ID(s)
	default:
		return fmt.Errorf("pulid: cannot scan %T", src)
	}
	return nil
}

// Value implements driver.Valuer.
func (u ID) Value() (driver.Value, error) {
	return string(u), nil
}
